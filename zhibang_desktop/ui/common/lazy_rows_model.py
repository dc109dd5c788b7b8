"""A table whose rows a service returns a page at a time, loaded off the GUI thread.

``fetch(offset, limit) -> page`` (a page has ``rows`` and ``total``) is a snapshot of the
query taken on the GUI thread and called on a pool thread through the session's executor:
for the first 200 rows by `load`, and again for the next 200 as the user scrolls
(``canFetchMore``/``fetchMore``). A new `load` drops whatever an older one or a scroll had
still running. Subclasses give the columns (`data`, `headerData`, `columnCount`).
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Signal

from .background_query import LatestQuery
from .executor import Executor

PAGE_SIZE = 200
MAX_RELOAD_ROWS = 2000  # a refresh after an edit keeps up to this many already-loaded rows

Fetch = Callable[[int, int], Any]


class LazyRowsModel(QAbstractTableModel):
    """Signals: `loaded(rows loaded, total)` after each page; `failed(exception)`."""

    loaded = Signal(int, int)
    failed = Signal(object)

    def __init__(self, executor: Executor, parent=None):
        super().__init__(parent)
        self._loader = LatestQuery(self, executor)
        self._fetch: Fetch | None = None
        self._rows: list = []
        self._keys: set = set()  # key(row) of every row shown: scrolling to row 100,000 stays linear
        self._total = 0

    # -- querying --
    @property
    def loading(self) -> bool:
        return self._loader.busy

    def load(self, fetch: Fetch, *, keep_loaded: bool = False, on_shown: Callable[[], None] | None = None) -> None:
        """Run a new query; its first page replaces the rows (`keep_loaded`: as many rows as now).
        `on_shown` runs once the rows are shown (e.g. to take over the query's filter)."""
        limit = min(max(PAGE_SIZE, len(self._rows)), MAX_RELOAD_ROWS) if keep_loaded else PAGE_SIZE

        def show(page) -> None:
            self._fetch = fetch
            self.beginResetModel()
            self._rows = list(page.rows)
            self._keys = {self.key(r) for r in self._rows}
            self._total = max(page.total, len(self._rows))
            self.endResetModel()
            if on_shown is not None:
                on_shown()
            self.loaded.emit(len(self._rows), self._total)

        self._loader.submit(lambda: fetch(0, limit), show, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.failed.emit(exc)

    @staticmethod
    def key(row) -> object:
        """What tells rows apart (a row already shown is not added again by a later page)."""
        return row.id

    @property
    def total(self) -> int:
        return self._total

    def rows(self) -> list:
        return list(self._rows)

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: object) -> int:
        return next((i for i, r in enumerate(self._rows) if self.key(r) == key), -1)

    # -- lazy loading --
    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self.loading and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        fetch, offset = self._fetch, len(self._rows)
        self._loader.submit(lambda: fetch(offset, PAGE_SIZE), self._append, self._failed)

    def _append(self, page) -> None:
        new = [r for r in page.rows if self.key(r) not in self._keys]
        if not new:  # the list shrank since the count (another change): stop asking
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)
        self._keys.update(self.key(r) for r in new)
        self.endInsertRows()
        self._total = max(page.total, len(self._rows))
        self.loaded.emit(len(self._rows), self._total)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)
