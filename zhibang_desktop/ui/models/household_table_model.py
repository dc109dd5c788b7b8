"""The archive list as a lazily loaded table: 200 rows at a time from `search_households`.

The view asks `canFetchMore`/`fetchMore` as the user scrolls, so a list of 100,000
households costs one page of rows plus the total count. Sorting is done by the service
(the header click sets the sort key and reloads from the first page).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ...domain import clock
from ...services.archive.types import HouseholdFilter, HouseholdRow, Page
from .. import labels

PAGE_SIZE = 200
MAX_RELOAD_ROWS = 2000  # a refresh after an edit keeps up to this many already-loaded rows
OVERDUE_COLOR = QColor("#c62828")
DRAFT_COLOR = QColor("#6d6d6d")


@dataclass(frozen=True)
class Column:
    header: str
    sort_key: str | None  # the service's sort name; None: not sortable
    text: Callable[[HouseholdRow], str]
    align: Qt.AlignmentFlag = Qt.AlignLeft | Qt.AlignVCenter


RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter

COLUMNS: tuple[Column, ...] = (
    Column("档案号", "archive_no", lambda r: r.archive_no),
    Column("姓名", "name", lambda r: r.name),
    Column("性别", "sex", lambda r: labels.sex(r.sex), CENTER),
    Column("身份证号", None, lambda r: r.id_number_masked),
    Column("困难类别", "category", lambda r: labels.CATEGORIES.get(r.category, r.category)),
    Column("状态", "status", lambda r: labels.STATUSES.get(r.status, r.status)),
    Column("所属工会", "unit_name", lambda r: r.unit_name),
    Column("联系电话", "phone", lambda r: r.phone or ""),
    Column("人口", "household_size", lambda r: str(r.household_size), RIGHT),
    Column("人均月收入(元)", "per_capita_income", lambda r: labels.yuan(r.per_capita_income_fen), RIGHT),
    Column("下次走访", "next_visit_due", lambda r: labels.day(r.next_visit_due) + ("（逾期）" if r.visit_overdue else "")),
)

Search = Callable[[HouseholdFilter, str, bool, int, int], Page]


class HouseholdTableModel(QAbstractTableModel):
    """`search(filt, sort, descending, offset, limit) -> Page`; errors propagate to the caller."""

    loaded = Signal(int, int)  # rows loaded, total

    def __init__(self, search: Search, parent=None):
        super().__init__(parent)
        self._search = search
        self._rows: list[HouseholdRow] = []
        self._total = 0
        self.filter = HouseholdFilter()
        self.sort_key = "archive_no"
        self.descending = False

    # -- querying --
    def set_query(self, filt: HouseholdFilter | None = None, sort_key: str | None = None,
                  descending: bool | None = None, *, keep_loaded: bool = False) -> None:
        """Run a new query and show its first page (`keep_loaded`: as many rows as now)."""
        if filt is not None:
            self.filter = filt
        if sort_key is not None:
            self.sort_key = sort_key
        if descending is not None:
            self.descending = descending
        limit = min(max(PAGE_SIZE, len(self._rows)), MAX_RELOAD_ROWS) if keep_loaded else PAGE_SIZE
        self.show_first_page(self.filter, self._search(self.filter, self.sort_key, self.descending, 0, limit))

    def show_first_page(self, filt: HouseholdFilter, page: Page) -> None:
        """Show a first page fetched elsewhere (a background search) for `filt`."""
        self.filter = filt
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = page.total
        self.endResetModel()
        self.loaded.emit(len(self._rows), self._total)

    def reload(self) -> None:
        """The same query again, after a change elsewhere."""
        self.set_query(keep_loaded=True)

    def row_of(self, household_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == household_id), -1)

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> HouseholdRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def household_id(self, index: QModelIndex) -> int | None:
        row = self.row_at(index.row()) if index.isValid() else None
        return row.id if row else None

    # -- lazy loading --
    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or len(self._rows) >= self._total:
            return
        page = self._search(self.filter, self.sort_key, self.descending, len(self._rows), PAGE_SIZE)
        new = list(page.rows)
        if not new:  # the list shrank since the count (another change): stop asking
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()
        self._total = max(page.total, len(self._rows))
        self.loaded.emit(len(self._rows), self._total)

    # -- sorting: delegated to the service --
    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.set_query(sort_key=key, descending=order == Qt.DescendingOrder)

    @staticmethod
    def sortable(column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort_key is not None

    # -- QAbstractTableModel --
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ToolTipRole and COLUMNS[section].sort_key:
                return "点击按此列排序"
        elif orientation == Qt.Vertical and role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            return column.text(row)
        if role == Qt.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ForegroundRole:
            if column.sort_key == "next_visit_due" and row.visit_overdue:
                return QBrush(OVERDUE_COLOR)
            if row.status == "draft":
                return QBrush(DRAFT_COLOR)
        if role == Qt.ToolTipRole and column.sort_key == "next_visit_due" and row.next_visit_due:
            days = (row.next_visit_due - clock.today()).days
            return f"已逾期 {-days} 天" if days < 0 else f"还有 {days} 天到期"
        if role == Qt.UserRole:
            return row.id
        return None
