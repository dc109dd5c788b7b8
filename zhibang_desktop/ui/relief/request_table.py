"""The request list view shared by the 救助申请 and 待我审核 pages.

Double-click or Enter opens a request. Long union names and unit paths are cut in the
middle ("永宁…建材有限公司工会"), a column whose end says the most (`keep_end`: the level
waiting and its due date) at its beginning ("…工会（2026-10-19，超期 45 天）"), with the full
text as the tooltip; every column can be resized, and the widths are remembered per list (`key`).
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyledItemDelegate, QTableView, QWidget

from .relief_table_model import ReliefTableModel
from ..common.widgets.column_memory import remember_columns

WIDE_COLUMN = 240  # the union column's width before the table knows its own
MIN_WIDE_COLUMN = 140


class _KeepEnd(QStyledItemDelegate):
    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.ElideLeft


class RequestTable(QTableView):
    openRequested = Signal(int)  # request id

    def __init__(self, model: ReliefTableModel, parent: QWidget | None = None, *, key: str = ""):
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.ElideMiddle)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        self._wide = next((i for i, c in enumerate(model.columns) if c.width == 0), None)
        self._keep_end = _KeepEnd(self)
        for i, column in enumerate(model.columns):
            header.setSectionResizeMode(i, QHeaderView.Interactive)
            self.setColumnWidth(i, column.width or WIDE_COLUMN)
            if column.keep_end:
                self.setItemDelegateForColumn(i, self._keep_end)
        # Until the clerk resizes a column, the wide one takes the width the others leave.
        self._fitting = False
        self._sized_by_user = bool(key) and remember_columns(self, key, lambda: not self._fitting)
        header.sectionResized.connect(self._resized_by_user)
        self.doubleClicked.connect(self._open_index)

    def _resized_by_user(self, *_args) -> None:
        if not self._fitting:
            self._sized_by_user = True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._wide is None or self._sized_by_user:
            return
        others = sum(self.columnWidth(i) for i in range(self.model().columnCount()) if i != self._wide)
        self._fitting = True
        try:
            self.setColumnWidth(self._wide, max(MIN_WIDE_COLUMN, self.viewport().width() - others))
        finally:
            self._fitting = False

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
