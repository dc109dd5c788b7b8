"""Request and review lists: long union names cut in the middle with the full name as tooltip;
every column resizable, and the widths a clerk sets come back in the next session, per list."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from zhibang_desktop.ui.main_window import MainWindow
from zhibang_desktop.ui.common.session import UiSession


def _relief_table(window, qtbot):
    page = window.show_page("relief")
    qtbot.waitUntil(lambda: page.table.model().rowCount() > 0, timeout=20000)
    return page.table


def _unit_column(table) -> int:
    return next(i for i, c in enumerate(table.model().columns) if c.key == "unit")


def test_long_union_names_are_cut_in_the_middle_with_the_full_name_as_tooltip(window, qtbot):
    table = _relief_table(window, qtbot)
    assert table.textElideMode() == Qt.ElideMiddle
    model, col = table.model(), _unit_column(table)
    metrics = table.fontMetrics()
    longest = max(range(model.rowCount()), key=lambda r: len(model.index(r, col).data() or ""))
    full = model.index(longest, col).data()
    table.setColumnWidth(col, metrics.horizontalAdvance(full) // 2)
    assert model.index(longest, col).data(Qt.ToolTipRole) == full
    shown = metrics.elidedText(full, table.textElideMode(), table.columnWidth(col) - 8)
    assert shown.startswith(full[:2]) and shown.endswith(full[-2:]) and "…" in shown


def test_columns_are_resizable_and_remembered_per_list(window, clerk, qtbot):
    table = _relief_table(window, qtbot)
    header = table.horizontalHeader()
    assert all(header.sectionResizeMode(i) == QHeaderView.Interactive for i in range(header.count()))
    col = _unit_column(table)
    header.resizeSection(col, 333)  # what dragging the section's edge does
    header.resizeSection(0, 150)

    again = MainWindow(UiSession(clerk))
    qtbot.addWidget(again)
    again.resize(1366, 768)
    again.show()
    qtbot.waitExposed(again)
    table2 = _relief_table(again, qtbot)
    assert (table2.columnWidth(col), table2.columnWidth(0)) == (333, 150)
    # another list keeps its own widths
    from zhibang_desktop.ui.relief.request_table import RequestTable
    other = RequestTable(table2.model(), key="another_list")
    qtbot.addWidget(other)
    assert other.columnWidth(0) != 150
