"""The visits-due page lists overdue (and soon due) households and opens them."""
from __future__ import annotations

from datetime import timedelta

from zhibang_desktop.domain import clock
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.ui.archive.visits_page import DUE_SOON_DAYS

from ..waiting import settle


def listed(page):
    return [page.model.row_at(i) for i in range(page.model.rowCount())]


def test_lists_overdue_and_due_soon_households(window, qtbot, clerk):
    page = window.show_page("visits")
    settle(qtbot, window)
    rows = listed(page)
    assert rows
    limit = clock.today() + timedelta(days=DUE_SOON_DAYS)
    assert all(r.next_visit_due <= limit and r.status in ("active", "phasing_out") for r in rows)
    assert [r.next_visit_due for r in rows] == sorted(r.next_visit_due for r in rows)  # most urgent first

    page.which.setCurrentIndex(page.which.findData("overdue"))
    settle(qtbot, window)
    rows = listed(page)
    overdue = archive.archive_counts(clerk, HouseholdFilter()).visits_overdue
    assert page.model.total == overdue > 0
    assert all(r.visit_overdue for r in rows)
    assert f"走访逾期 {overdue} 户" in window.counts_label.text()


def test_open_from_the_list_and_record_a_visit(window, qtbot, clerk):
    page = window.show_page("visits")
    page.which.setCurrentIndex(page.which.findData("overdue"))
    settle(qtbot, window)
    first = page.model.row_at(0)
    page.table.selectRow(0)
    page.open_button.click()
    editor = window.session.open_editors()[0]
    assert editor.household_id == first.id
    editor.visits.findings.setPlainText("电话了解，情况无变化")
    editor.visits.method.setCurrentIndex(editor.visits.method.findData("phone"))
    editor.visits.add_button.click()
    settle(qtbot, window)
    view = archive.get_household(clerk, first.id)
    assert view.last_visit_on == clock.today() and view.next_visit_due > clock.today()
    assert first.id not in [r.id for r in listed(page)]  # the page refreshed itself
