"""The archive list as a lazily loaded table: 200 rows at a time from `search_households`,
off the GUI thread (see lazy_rows_model.py).

A list of 100,000 households costs one page of rows plus the total count. Sorting is done
by the service (the header click sets the sort key and reloads from the first page).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...domain import clock
from ...services.archive.types import HouseholdFilter, HouseholdRow, Page
from ..common import labels
from ..common.executor import Executor
from ..common.lazy_rows_model import PAGE_SIZE, LazyRowsModel

__all__ = ["COLUMNS", "PAGE_SIZE", "HouseholdTableModel"]
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


class HouseholdTableModel(LazyRowsModel):
    """`search(filt, sort, descending, offset, limit) -> Page` runs off the GUI thread;
    `filter`, `sort_key` and `descending` are those of the rows shown."""

    def __init__(self, search: Search, executor: Executor, parent=None):
        super().__init__(executor, parent)
        self._search = search
        self.filter = HouseholdFilter()
        self.sort_key = "archive_no"
        self.descending = False
        self._wanted = (self.filter, self.sort_key, self.descending)  # the newest query asked for

    # -- querying --
    def set_query(self, filt: HouseholdFilter | None = None, sort_key: str | None = None,
                  descending: bool | None = None, *, keep_loaded: bool = False) -> None:
        """Run a new query and show its first page (`keep_loaded`: as many rows as now)."""
        old = self._wanted
        wanted = (filt if filt is not None else old[0], sort_key if sort_key is not None else old[1],
                  descending if descending is not None else old[2])
        self._wanted = wanted
        search = self._search

        def shown() -> None:
            self.filter, self.sort_key, self.descending = wanted

        self.load(lambda offset, limit: search(*wanted, offset, limit), keep_loaded=keep_loaded, on_shown=shown)

    def reload(self) -> None:
        """The same query again, after a change elsewhere."""
        self.set_query(keep_loaded=True)

    def household_id(self, index: QModelIndex) -> int | None:
        row = self.row_at(index.row()) if index.isValid() else None
        return row.id if row else None

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
