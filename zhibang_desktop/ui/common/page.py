"""The base of the main window's pages (see navigation.py): the status line, reloading when
the session announces a change of the records shown, filters that reload, and queries that
run off the GUI thread.

A page sets `REFRESH_ON` (ChangeSummary fields, e.g. ``("households",)``) and implements
`reload()`; its queries go through `self.query(work, show)`, where `work()` runs on a pool
thread (read the filter widgets before, on the GUI thread) and `show(result)` on the GUI
thread, for the newest query only.

A list-and-detail page lays itself out with `filter_bar(...)` and `list_above_detail(...)`: the
filters and buttons on top, the list, and below it (in a splitter) the chosen row's detail.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QHBoxLayout, QLabel, QLayout, QSplitter, QVBoxLayout, QWidget,
)

from .background_query import LatestQuery
from .executor import ChangeSummary, Executor

QUERY_FAILED = "查询失败：{}"


def heading_label() -> QLabel:
    """The title of a detail pane: bold, a size larger than the text."""
    label = QLabel()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def hide_unless(allowed: bool, *widgets: QWidget) -> None:
    """Hide these widgets unless `allowed`; never shows one. For a page's constructor: a widget
    made visible before its layout gives it a parent becomes a window of its own for a moment,
    which takes the activation from the main window when the page is built on first show."""
    if not allowed:
        for widget in widgets:
            widget.hide()


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

    # -- the list-and-detail layout --
    def filter_bar(self, filters: Sequence[tuple[str, QWidget]], buttons: Sequence[QWidget]) -> QHBoxLayout:
        """Filters on the left (each after its label, when it has one), the page's buttons on the right."""
        bar = QHBoxLayout()
        for label, widget in filters:
            if label:
                bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in buttons:
            bar.addWidget(button)
        return bar

    def list_above_detail(self, bar: QLayout, listing: QWidget, detail: Sequence[QWidget | QLayout],
                          sizes: tuple[int, int]) -> QSplitter:
        """`bar` on top, then `listing` above the `detail` parts (the last one takes the room
        left), split so the user can give either more height; `sizes` are the first heights."""
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 4, 0, 0)
        for index, part in enumerate(detail):
            stretch = 1 if index == len(detail) - 1 else 0
            if isinstance(part, QLayout):
                column.addLayout(part, stretch)
            else:
                column.addWidget(part, stretch)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(listing)
        splitter.addWidget(pane)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes(list(sizes))
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        return splitter

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
