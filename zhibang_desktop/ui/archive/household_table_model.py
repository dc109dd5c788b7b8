"""The archive list as a lazily loaded table, off the GUI thread: the first 200 rows (and,
on the archive page, the counts) in one round trip, then 200 more at a time by keyset as
the user scrolls.

- A query's worker reads the first page, then the counts when they are kept or cheap
  (`archive_counts(quick=True)`). Counts over most of the table (no text, one letter) follow
  in a second call, the rows shown first. A query overtaken by a newer one stops: before
  counting, or inside the database (`stop`), so a dropped search does not hold a core.
- Fetching more asks for the rows after the last one shown (`Page.next_after`): no COUNT and
  no OFFSET per page, and no row repeated or skipped when rows are saved meanwhile.
- Memory stays bounded however far one scrolls: the rows are kept in blocks of one fetch, at
  most MAX_BLOCKS of them; an older block is dropped (its start is kept) and read again, off
  the GUI thread, when it is scrolled back into view.
- Sorting is done by the service (the header click sets the sort key and reloads).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ...domain import clock
from ...services.archive.types import ArchiveCounts, HouseholdFilter, HouseholdRow, Page
from ..common import labels
from ..common.background_query import LatestQuery
from ..common.executor import Executor
from ..common.lazy_rows_model import MAX_RELOAD_ROWS, PAGE_SIZE, LazyRowsModel

__all__ = ["COLUMNS", "PAGE_SIZE", "HouseholdTableModel"]
OVERDUE_BRUSH = QBrush(QColor("#c62828"))
DRAFT_BRUSH = QBrush(QColor("#6d6d6d"))
MAX_BLOCKS = 25  # fetched blocks kept in memory (5,000 rows of 200)

# Roles as plain ints: looking up Qt.DisplayRole and friends in PySide6's enums costs
# microseconds, and data() is called a few thousand times per repaint.
DISPLAY, ALIGNMENT, FOREGROUND, TOOLTIP, USER = (
    int(r.value) for r in (Qt.DisplayRole, Qt.TextAlignmentRole, Qt.ForegroundRole, Qt.ToolTipRole, Qt.UserRole))


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
_TEXTS = tuple(c.text for c in COLUMNS)
_ALIGNS = tuple(int(c.align.value) for c in COLUMNS)
_ROW_ROLES = frozenset((DISPLAY, FOREGROUND, TOOLTIP, USER))
_DUE = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "next_visit_due")

# search(filt, sort, descending, after, limit, count[, stop]) -> Page;
# counts(filt, quick[, stop]) -> ArchiveCounts | None — `stop()` true: a newer query came, stop early
Search = Callable[..., Page]
Counts = Callable[..., "ArchiveCounts | None"]


class HouseholdTableModel(LazyRowsModel):
    """`search` (and `counts`, when given) run off the GUI thread; `filter`, `sort_key` and
    `descending` are those of the rows shown. Signal `countsShown(ArchiveCounts)`: the
    counts of the rows shown are in (`counts` given); `total` is exact from then on."""

    countsShown = Signal(object)

    def __init__(self, search: Search, executor: Executor, parent=None, counts: Counts | None = None):
        super().__init__(executor, parent)
        self._search = search
        self._counts = counts
        self._counter = LatestQuery(self, executor)  # the exact counts that follow the rows
        self._refetch = LatestQuery(self, executor)  # a dropped block scrolled back into view
        self.filter = HouseholdFilter()
        self.sort_key = "archive_no"
        self.descending = False
        self.counts: ArchiveCounts | None = None  # of the rows shown, once in
        self._wanted = (self.filter, self.sort_key, self.descending)  # the newest query asked for
        self._generation = 0  # of the newest query asked for (read by its worker to stop early)
        self._clear_blocks()

    def _clear_blocks(self) -> None:
        self._blocks: list[list[HouseholdRow] | None] = []  # None: dropped
        self._starts: list[int] = []  # the first row of each block
        self._afters: list[tuple | None] = []  # where each block was read from
        self._kept: OrderedDict[int, None] = OrderedDict()  # blocks held, least recently used first
        self._asked: set[int] = set()  # dropped blocks waiting to be read again
        self._count = 0
        self._after: tuple | None = None  # where the next page starts; None: all are shown

    # -- querying --
    def set_query(self, filt: HouseholdFilter | None = None, sort_key: str | None = None,
                  descending: bool | None = None, *, keep_loaded: bool = False) -> None:
        """Run a new query and show its first page (`keep_loaded`: as many rows as now)."""
        old = self._wanted
        wanted = (filt if filt is not None else old[0], sort_key if sort_key is not None else old[1],
                  descending if descending is not None else old[2])
        self._wanted = wanted
        self._generation += 1
        generation = self._generation
        self._counter.cancel()
        self._refetch.cancel()
        search, counts = self._search, self._counts
        limit = min(max(PAGE_SIZE, self._count), MAX_RELOAD_ROWS) if keep_loaded else PAGE_SIZE

        def overtaken() -> bool:  # read on the worker: a newer query was asked for
            return generation != self._generation

        def work():
            page = search(*wanted, None, limit, counts is None, overtaken)
            if counts is None or overtaken():  # no need to count
                return page, None
            return page, counts(wanted[0], True)

        self._loader.submit(work, lambda result: self._show_first(wanted, result), self._failed)

    def _show_first(self, wanted, result) -> None:
        page, counts = result
        self.beginResetModel()
        self._clear_blocks()
        self._add_block(list(page.rows), None)
        self._after = page.next_after
        self.counts = counts
        self._total = counts.total if counts is not None else (page.total if page.total is not None
                                                                else self._count)
        self.filter, self.sort_key, self.descending = wanted
        self.endResetModel()
        self.loaded.emit(self._count, self.shown_total())
        if counts is not None:
            self.countsShown.emit(counts)
        elif self._counts is not None:
            self._count_exactly(wanted[0])

    def _count_exactly(self, filt: HouseholdFilter) -> None:
        counts, generation = self._counts, self._generation

        def show(found: ArchiveCounts) -> None:
            self.counts = found
            self._total = max(found.total, self._count)
            self.loaded.emit(self._count, self._total)
            self.countsShown.emit(found)

        self._counter.submit(lambda: counts(filt, False, lambda: generation != self._generation), show, self._failed)

    def shown_total(self) -> int:
        """The total when known, else -1 (the exact counts are on their way)."""
        return self._total if self.counts is not None or self._counts is None else -1

    def reload(self) -> None:
        """The same query again, after a change elsewhere."""
        self.set_query(keep_loaded=True)

    def household_id(self, index: QModelIndex) -> int | None:
        row = self.row_at(index.row()) if index.isValid() else None
        return row.id if row else None

    # -- the rows, in blocks --
    def _add_block(self, rows: list, after: tuple | None) -> None:
        self._blocks.append(rows)
        self._starts.append(self._count)
        self._afters.append(after)
        self._count += len(rows)
        self._keep(len(self._blocks) - 1)

    def _keep(self, block: int) -> None:
        self._kept[block] = None
        self._kept.move_to_end(block)
        while len(self._kept) > MAX_BLOCKS:
            dropped, _ = self._kept.popitem(last=False)
            self._blocks[dropped] = None

    def _block_of(self, row: int) -> int:
        return bisect_right(self._starts, row) - 1

    def row_at(self, row: int):
        if not 0 <= row < self._count:
            return None
        block = self._block_of(row)
        rows = self._blocks[block]
        if rows is None:
            self._read_again(block)
            return None
        self._kept.move_to_end(block)
        offset = row - self._starts[block]
        return rows[offset] if offset < len(rows) else None

    def _read_again(self, block: int) -> None:
        """Read a dropped block again (off the GUI thread), then repaint its rows; one block
        at a time, the others asked for meanwhile after it."""
        if self._refetch.busy:
            self._asked.add(block)
            return
        self._asked.discard(block)
        search, query, after = self._search, (self.filter, self.sort_key, self.descending), self._afters[block]
        size = (self._starts[block + 1] if block + 1 < len(self._starts) else self._count) - self._starts[block]

        def show(page) -> None:
            if self._blocks[block] is None:
                self._blocks[block] = list(page.rows)[:size]
                self._keep(block)
            first = self._starts[block]
            self.dataChanged.emit(self.index(first, 0), self.index(first + size - 1, len(COLUMNS) - 1))
            if self._asked:
                self._read_again(min(self._asked))

        self._refetch.submit(lambda: search(*query, after, size, False), show, self._failed)

    def rows(self) -> list:
        """The rows held in memory (the blocks not dropped), in order."""
        return [r for rows in self._blocks if rows is not None for r in rows]

    def row_of(self, key: object) -> int:
        for block, rows in enumerate(self._blocks):
            for i, r in enumerate(rows or ()):
                if self.key(r) == key:
                    return self._starts[block] + i
        return -1

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    # -- fetching more, by keyset --
    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self.loading and self._after is not None

    def fetchMore(self, parent=QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        search, query, after = self._search, (self.filter, self.sort_key, self.descending), self._after
        self._loader.submit(lambda: search(*query, after, PAGE_SIZE, False),
                            lambda page: self._append_after(after, page), self._failed)

    def _append_after(self, after: tuple, page) -> None:
        self._after = page.next_after
        if page.rows:
            first = self._count
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._add_block(list(page.rows), after)
            self.endInsertRows()
        self._total = max(self._total, self._count)
        if self._after is None and self.counts is None:
            self._total = self._count  # read to the end: that is the number
        self.loaded.emit(self._count, self.shown_total())

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

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
            if role == DISPLAY:
                return COLUMNS[section].header
            if role == TOOLTIP and COLUMNS[section].sort_key:
                return "点击按此列排序"
        elif orientation == Qt.Vertical and role == DISPLAY:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY):
        # A painted cell is asked about eight roles; five of them are never answered here, and
        # the alignment is the column's: only the rest look for the row (a repaint is ~2,000 calls).
        if role not in _ROW_ROLES:
            return _ALIGNS[index.column()] if role == ALIGNMENT and index.isValid() else None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == DISPLAY:
            return _TEXTS[column](row)
        if role == FOREGROUND:
            if column == _DUE and row.visit_overdue:
                return OVERDUE_BRUSH
            if row.status == "draft":
                return DRAFT_BRUSH
        elif role == TOOLTIP:
            if column == _DUE and row.next_visit_due:
                days = (row.next_visit_due - clock.today()).days
                return f"已逾期 {-days} 天" if days < 0 else f"还有 {days} 天到期"
        elif role == USER:
            return row.id
        return None
