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


def test_a_cut_review_level_keeps_its_due_date_and_days_overdue(window, qtbot):
    """At 1366×768 “镇（街）或区直局（系统）工会（2026-10-19，超期 45 天）” does not fit 当前审核（到期日）:
    the cell loses the level's beginning (“…工会（2026-10-19，超期 45 天）”), not the date in its middle."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    from ..waiting import settle

    nav = window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "救助申请")
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    settle(qtbot, window)
    table = window.current_page().table
    model = table.model()
    col = next(i for i, c in enumerate(model.columns) if c.key == "pending")
    cut = []
    for r in range(model.rowCount()):
        index = model.index(r, col)
        full = index.data()
        if not full or table.fontMetrics().horizontalAdvance(full) + 8 <= table.columnWidth(col):
            continue
        option = QStyleOptionViewItem()
        option.initFrom(table)
        option.textElideMode = table.textElideMode()  # what the view hands its delegate
        table.itemDelegateForIndex(index).initStyleOption(option, index)
        shown = option.fontMetrics.elidedText(full, option.textElideMode, table.columnWidth(col) - 8)
        cut.append((full, shown))
    assert cut, "no level waiting is wider than its column: nothing to look at"
    for full, shown in cut:
        tail = full[full.rindex("（"):]  # （2026-10-19，超期 45 天） or （2026-12-10 前）
        assert shown.endswith(tail) and shown.startswith("…"), (full, shown)
