"""The base of the main window's pages (see navigation.py): the status line, reloading when
the session announces a change of the records shown, filters that reload, and queries that
run off the GUI thread.

A page sets `REFRESH_ON` (ChangeSummary fields, e.g. ``("households",)``) and implements
`reload()`; its queries go through `self.query(work, show)`, where `work()` runs on a pool
thread (read the filter widgets before, on the GUI thread) and `show(result)` on the GUI
thread, for the newest query only.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractButton, QComboBox, QWidget

from .background_query import LatestQuery
from .executor import ChangeSummary, Executor

QUERY_FAILED = "查询失败：{}"


class Page(QWidget):
    statusText = Signal(str)
    status_text = ""
    REFRESH_ON: tuple[str, ...] = ()

    def __init__(self, session, parent: QWidget | None = None):
        """`session`: the UiSession (a bare AppContext also works for the admin pages' tests:
        its changes are then not announced to anyone)."""
        super().__init__(parent)
        self.session = session
        self.ctx = getattr(session, "ctx", session)
        self.executor: Executor = getattr(session, "executor", None) or Executor(self)
        self._queries: dict[str, LatestQuery] = {}
        self.executor.changed.connect(self.on_changes)

    # -- the status line --
    def set_status(self, text: str) -> None:
        self.status_text = text
        self.statusText.emit(text)

    # -- changes and reloading --
    def reload(self) -> None:
        """Query again after a change elsewhere, keeping what the user looks at (override)."""

    def refresh(self) -> None:
        """A new query after a filter changed (override when it differs from `reload`)."""
        self.reload()

    def activated(self) -> None:
        self.reload()

    def on_changes(self, changes: ChangeSummary) -> None:
        """Records changed elsewhere: reload when they are of a kind this page shows."""
        if any(getattr(changes, kind) for kind in self.REFRESH_ON):
            self.reload()

    def announce(self, changes: ChangeSummary) -> None:
        self.executor.announce(changes)

    def reload_on(self, *filters: QWidget) -> None:
        """Changing any of these filter widgets (combos, check boxes) runs a new query."""
        for widget in filters:
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _: self.refresh())
            elif isinstance(widget, QAbstractButton):
                widget.toggled.connect(lambda _: self.refresh())
            else:
                raise TypeError(f"not a filter widget: {widget!r}")

    # -- queries off the GUI thread --
    def query(self, work: Callable[[], Any], show: Callable[[Any], None],
              failed: Callable[[Exception], None] | None = None, *, key: str = "status") -> None:
        """`work()` on a pool thread, then `show(result)` here — unless a newer query with the
        same `key` came meanwhile (queries with different keys do not replace each other)."""
        runner = self._queries.get(key)
        if runner is None:
            runner = self._queries[key] = LatestQuery(self, self.executor)
        runner.submit(work, show, failed or self.query_failed)

    def query_failed(self, exc: Exception) -> None:
        self.set_status(QUERY_FAILED.format(exc))

    @property
    def querying(self) -> bool:
        return any(runner.busy for runner in self._queries.values())
