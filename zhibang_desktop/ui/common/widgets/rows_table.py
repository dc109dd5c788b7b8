"""A read-only table over a `RowsModel` (notice, batch and line lists), sized from its columns."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ..rows_model import RowsModel


class RowsTable(QTableView):
    activatedRow = Signal(int)  # double-click or Enter on a row
    currentRowChanged = Signal(int)  # -1 when nothing is selected

    def __init__(self, model: RowsModel, parent: QWidget | None = None, *, multi: bool = False):
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection if multi else QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(36)
        for i, column in enumerate(model.columns):
            if column.stretch:
                header.setSectionResizeMode(i, QHeaderView.Stretch)
            else:
                header.setSectionResizeMode(i, QHeaderView.Interactive)
                self.setColumnWidth(i, column.width)
        self.doubleClicked.connect(lambda index: self.activatedRow.emit(index.row()))
        self.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.currentRowChanged.emit(cur.row()))
        model.modelReset.connect(lambda: self.currentRowChanged.emit(self.current_row()))

    def rows_model(self) -> RowsModel:
        return self.model()

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def current_item(self):
        return self.rows_model().row_at(self.current_row())

    def selected_items(self) -> list:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        model = self.rows_model()
        return [model.row_at(r) for r in rows if model.row_at(r) is not None]

    def replace_rows(self, rows) -> None:
        """New rows after a reload, with the row the user had chosen chosen again (when still listed)."""
        key = self.rows_model().key_of(self.current_row())
        self.rows_model().set_rows(rows)
        if key is not None:
            self.select_key(key)

    def select_key(self, key) -> bool:
        row = self.rows_model().row_of(key)
        if row < 0:
            return False
        self.selectRow(row)
        self.scrollTo(self.model().index(row, 0))
        return True

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self.activatedRow.emit(self.current_row())
            return
        super().keyPressEvent(event)
