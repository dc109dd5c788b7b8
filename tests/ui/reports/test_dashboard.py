"""工作概览 as the head sees it first: every chart is clicked and opens the list behind the bar,
filtered so that it holds exactly what the bar counts."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.pinned import TEST_TODAY
from zhibang_desktop import demo
from zhibang_desktop.services import payout
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.ui.common.session import UiSession
from zhibang_desktop.ui.main_window import MainWindow

from ..waiting import settle

YEAR = TEST_TODAY.year


@pytest.fixture
def head_window(demo_db, qtbot):
    session = UiSession(AppContext(demo_db, users.authenticate(demo_db, "head", demo.DEMO_PASSWORD)))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.pages["dashboard"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=30000)
    settle(qtbot, window)
    yield window
    settle(qtbot, window)


def click_bar(qtbot, window, chart, category: int, series: int = -1) -> None:
    """Click the middle of a bar as drawn: one series' part, or with none named the first part
    drawn (the label when no part is). Not the middle of the bar and its label together: with a
    short bar that point falls in the gap between them."""
    if series < 0:
        series = next((j for j in range(len(chart.series)) if not chart.bar_rect(category, j).isEmpty()), -1)
    rect = chart.bar_rect(category, series)
    assert not rect.isEmpty(), (category, series)
    qtbot.mouseClick(chart, Qt.LeftButton, pos=rect.center().toPoint())
    settle(qtbot, window)


def test_the_head_starts_on_the_dashboard(head_window):
    assert head_window.nav.item(0).text() == "工作概览"
    page = head_window.current_page()
    assert page is head_window.pages["dashboard"]
    assert page.data.year == YEAR and page.data.payout_total_fen > 0
    assert "已发放" in page.status_text and "元" in page.payouts_summary.text()


def test_a_months_bar_opens_that_months_batches(head_window, qtbot):
    page = head_window.pages["dashboard"]
    month = next(m for m in range(1, 13) if page.data.month_total_fen(m))
    click_bar(qtbot, head_window, page.payouts, month - 1, 0)
    batches = head_window.current_page()
    assert batches is head_window.pages["batches"]
    assert (batches.year_filter.currentData(), batches.month_filter.currentData()) == (YEAR, month)
    expected = [b.number for b in payout.list_batches(head_window.session.ctx, year=YEAR, month=month)]
    assert expected and [b.number for b in batches.model.rows()] == expected


def test_a_state_bar_opens_the_requests_in_that_state(head_window, qtbot):
    page = head_window.pages["dashboard"]
    index, state = next((i, s) for i, s in enumerate(page.data.requests_by_state) if s.status == "approved")
    click_bar(qtbot, head_window, page.states, index)
    relief = head_window.current_page()
    assert relief is head_window.pages["relief"]
    assert (relief.year.currentData(), relief.state.currentData()) == (YEAR, "approved")
    assert relief.model.total == state.count > 0


def test_the_overdue_bar_opens_the_overdue_requests(head_window, qtbot):
    page = head_window.pages["dashboard"]
    click_bar(qtbot, head_window, page.overdue, 0)
    relief = head_window.current_page()
    assert relief is head_window.pages["relief"]
    assert relief.overdue.isChecked() and relief.state.currentData() == "open"
    assert relief.year.currentData() is None
    assert relief.model.total == page.data.overdue_total > 0


def test_the_visit_bars_open_the_archive_and_the_visits_list(head_window, qtbot):
    page = head_window.pages["dashboard"]
    index = max(range(len(page.data.visits)), key=lambda i: page.data.visits[i].overdue)
    visits = page.data.visits[index]
    click_bar(qtbot, head_window, page.visits, index, 0)
    archive = head_window.current_page()
    assert archive is head_window.pages["archive"]
    assert archive.category.currentData() == visits.category and archive.overdue.isChecked()
    assert archive.model.total == visits.overdue > 0

    head_window.show_page("dashboard")
    click_bar(qtbot, head_window, page.visits, index, 1)
    due = head_window.current_page()
    assert due is head_window.pages["visits"] and due.which.currentData() == "due"


def test_a_fund_source_bar_opens_its_payments(head_window, qtbot):
    page = head_window.pages["dashboard"]
    index = next(i for i, e in enumerate(page.data.execution) if e.spent_fen)
    source = page.data.execution[index]
    click_bar(qtbot, head_window, page.execution, index, 0)
    funds = head_window.current_page()
    assert funds is head_window.pages["funds"]
    assert funds.tabs.currentWidget() is funds.execution_tab and funds.view.currentData() == "by_source"
    assert funds.execution_table.current_item().key == source.code
    assert funds.payments.rowCount() > 0 and source.name in funds.drill_label.text()


def test_the_keyboard_opens_a_bar_too(head_window, qtbot):
    page = head_window.pages["dashboard"]
    page.states.setFocus()
    qtbot.keyClick(page.states, Qt.Key_Down)
    qtbot.keyClick(page.states, Qt.Key_Return)
    settle(qtbot, head_window)
    relief = head_window.current_page()
    assert relief is head_window.pages["relief"]
    assert relief.state.currentData() == page.data.requests_by_state[0].status


def test_another_year_without_data_says_so(head_window, qtbot):
    page = head_window.pages["dashboard"]
    page.year.setCurrentIndex(page.year.findData(YEAR - 5))
    qtbot.waitUntil(lambda: page.data.year == YEAR - 5, timeout=30000)
    assert page.payouts.is_empty() and "0 元" in page.payouts_summary.text()
    page.payouts.repaint()  # paints the empty text without an error
