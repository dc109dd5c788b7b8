"""The household list view shared by the archive and visits pages.

Double-click or Enter opens a household; clicking a sortable header sorts on the server.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from .household_table_model import COLUMNS, HouseholdTableModel

# Widths that fit the usual contents at the app's 10 pt font; 所属工会 takes what is left.
WIDTHS = {"档案号": 120, "姓名": 72, "性别": 44, "身份证号": 160, "困难类别": 76, "状态": 58,
          "联系电话": 108, "人口": 44, "人均月收入(元)": 104, "下次走访": 126}
STRETCH = "所属工会"


class HouseholdTable(QTableView):
    openRequested = Signal(int)  # household id

    def __init__(self, model: HouseholdTableModel, parent: QWidget | None = None):
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
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(0, Qt.AscendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        for i, column in enumerate(COLUMNS):
            if column.header == STRETCH:
                header.setSectionResizeMode(i, QHeaderView.Stretch)
            else:
                header.setSectionResizeMode(i, QHeaderView.Interactive)
                self.setColumnWidth(i, WIDTHS.get(column.header, 100))
        self.doubleClicked.connect(self._open_index)

    def household_model(self) -> HouseholdTableModel:
        return self.model()

    def _header_clicked(self, section: int) -> None:
        model = self.household_model()
        if not model.sortable(section):  # keep showing the order actually in force
            current = next(i for i, c in enumerate(COLUMNS) if c.sort_key == model.sort_key)
            self.horizontalHeader().setSortIndicator(current, Qt.DescendingOrder if model.descending
                                                     else Qt.AscendingOrder)
            return
        order = self.horizontalHeader().sortIndicatorOrder()
        model.sort(section, order)

    def current_household_id(self) -> int | None:
        return self.household_model().household_id(self.currentIndex())

    def current_row(self):
        """The chosen household's row (None when none is chosen or its rows are being read again)."""
        index = self.currentIndex()
        return self.household_model().row_at(index.row()) if index.isValid() else None

    def select_household(self, household_id: int) -> None:
        row = self.household_model().row_of(household_id)
        if row >= 0:
            self.selectRow(row)

    def _open_index(self, index: QModelIndex) -> None:
        hid = self.household_model().household_id(index)
        if hid is not None:
            self.openRequested.emit(hid)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self._open_index(self.currentIndex())
            return
        super().keyPressEvent(event)
