"""The request list view shared by the 救助申请 and 待我审核 pages.

Double-click or Enter opens a request.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from .relief_table_model import ReliefTableModel


class RequestTable(QTableView):
    openRequested = Signal(int)  # request id

    def __init__(self, model: ReliefTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for i, column in enumerate(model.columns):
            if column.width == 0:
                header.setSectionResizeMode(i, QHeaderView.Stretch)
            else:
                header.setSectionResizeMode(i, QHeaderView.Interactive)
                self.setColumnWidth(i, column.width)
        self.doubleClicked.connect(self._open_index)

    def request_model(self) -> ReliefTableModel:
        return self.model()

    def current_request_id(self) -> int | None:
        row = self.request_model().request_at(self.currentIndex())
        return row.id if row else None

    def current_summary(self):
        return self.request_model().request_at(self.currentIndex())

    def select_request(self, request_id: int) -> bool:
        row = self.request_model().row_of(request_id)
        if row >= 0:
            self.selectRow(row)
            return True
        return False

    def _open_index(self, index: QModelIndex) -> None:
        row = self.request_model().request_at(index)
        if row is not None:
            self.openRequested.emit(row.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self._open_index(self.currentIndex())
            return
        super().keyPressEvent(event)
