"""The base of the long searchable lists (档案, 救助申请): a search box that queries a moment
after typing stops, filter combos, the union, an "overdue" box, 清除条件, a row of buttons
with the "已显示 N / M" count, and a lazily loaded table below.

A subclass makes its combos and its model and table, then calls `lay_out(...)`; it implements
`refresh()` (a new query) and `reload()` (the same query, keeping what is loaded), and
`reset_choices()` when clearing the filters needs more than a new query.  `after_load(step)`
runs `step` once the next first page of rows is shown (select a row, move the focus).
"""
from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from .executor import ChangeSummary
from .page import Page
from .widgets.union_combo import union_filter

# The query starts this long after the last key (the search itself takes 10-50 ms at 100,000
# households): a burst of keys (auto-repeat, a paste, an input method's committed word) is one
# query, and the list follows within 100 ms. Typing at a clerk's pace (100 ms or more a key)
# starts a query per key whether the wait is 40 or 60 ms; a newer one stops the older.
SEARCH_DELAY_MS = 40


class SearchListPage(Page):
    COUNT_UNIT = "户"  # "已显示 20 / 31 户"

    def __init__(self, session, parent: QWidget | None = None, *, placeholder: str, overdue: str,
                 union_width: int):
        super().__init__(session, parent)
        self._after_load: list[Callable[[], None]] = []
        self._combos: tuple[QComboBox, ...] = ()
        self.search = QLineEdit(placeholderText=placeholder)
        self.search.setClearButtonEnabled(True)
        self.union = union_filter(session)
        self.union.setMinimumWidth(union_width)
        self.overdue = QCheckBox(overdue)
        self.clear_button = QPushButton("清除条件")
        self.loaded_label = QLabel()
        self.loaded_label.setStyleSheet("color: #555;")
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

    def lay_out(self, combos: Sequence[QComboBox], buttons: Sequence[QWidget], table: QWidget, model) -> None:
        """The filter row (search, `combos`, union, overdue, 清除条件), the button row with the
        count, and `table` showing `model` (a lazily loading model: loaded, modelReset, failed)."""
        self._combos = tuple(combos)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in combos:
            filters.addWidget(combo)
        filters.addWidget(self.union, 1)
        filters.addWidget(self.overdue)
        filters.addWidget(self.clear_button)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.loaded_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(row)
        layout.addWidget(table, 1)

        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.clear_button.clicked.connect(self.clear_filters)
        model.loaded.connect(self._show_loaded)
        model.modelReset.connect(self._first_page_shown)
        model.failed.connect(self.query_failed)
        order = (self.search, *combos, self.union, self.overdue, table)
        for before, after in zip(order, order[1:]):
            self.setTabOrder(before, after)
        self._table, self._model = table, model

    # -- after the first page of rows --
    def after_load(self, step: Callable[[], None]) -> None:
        self._after_load.append(step)

    def _first_page_shown(self) -> None:
        steps, self._after_load = self._after_load, []
        for step in steps:
            step()
        self.first_page_shown()

    def first_page_shown(self) -> None:
        """Called after the steps of `after_load` (override, e.g. to update buttons)."""

    def _search_now(self) -> None:
        """Enter in the search box: query now, then move to the first row."""
        def to_the_list() -> None:
            if self._model.rowCount():
                self._table.setFocus()
                self._table.selectRow(0)

        self.after_load(to_the_list)
        self.refresh()

    def _show_loaded(self, loaded: int, total: int) -> None:
        """`total` -1: not counted yet (the model counts after showing the first rows)."""
        unit = self.COUNT_UNIT
        if total < 0:
            self.loaded_label.setText(f"已显示 {loaded} {unit}，正在统计……")
        else:
            self.loaded_label.setText(f"已显示 {loaded} / {total} {unit}" if loaded < total else f"{total} {unit}")

    # -- the filters --
    def clear_filters(self) -> None:
        widgets = (self.search, *self._combos, self.union, self.overdue)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in self._combos:
            combo.setCurrentIndex(0)
        self.union.set_unit_id(None, emit=False)
        self.overdue.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.reset_choices()

    def reset_choices(self) -> None:
        """After 清除条件 (override when the choices of a combo depend on another)."""
        self.refresh()

    def on_changes(self, changes: ChangeSummary) -> None:
        if changes.settings:
            self.union.reload()
        super().on_changes(changes)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()
