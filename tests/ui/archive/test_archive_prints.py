"""打印 on the archive page: the 档案表 of the selected household or of the list, and the
入户走访表 of the households due — built off the GUI thread, previewed, recorded when saved."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, select

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.printing import due_filter
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.storage.models import AuditEntry

from ..waiting import _open_previews, click, settle


def preview_of(qtbot, action, timeout: int = 60000):
    """Trigger a print action (as from the 打印… menu) and return the preview it opens."""
    before = _open_previews()
    assert action.isEnabled(), action.text()
    action.trigger()
    qtbot.waitUntil(lambda: bool(_open_previews() - before), timeout=timeout)
    preview = next(iter(_open_previews() - before))
    qtbot.addWidget(preview)
    return preview


def flat(path) -> str:
    return "".join("".join(pdftotext(path)).split())


def prints(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).where(AuditEntry.action.in_(("print", "export")),
                                                    AuditEntry.entity == "household")).scalar_one()


def test_the_selected_households_form_is_previewed_and_recorded_when_saved(window, qtbot, clerk, monkeypatch,
                                                                          tmp_path):
    page = window.pages["archive"]
    settle(qtbot, window)
    page.table.setFocus()
    page.table.selectRow(0)
    hid = page.table.current_household_id()
    view = archive.get_household(clerk, hid)
    assert page.print_form_action in page.print_button.menu().actions()
    preview = preview_of(qtbot, page.print_form_action)
    text = flat(preview.pdf_path)
    assert "困难职工家庭档案表" in text and view.archive_no in text and view.data.id_number in text
    assert_all_fonts_embedded(preview.pdf_path)
    assert prints(clerk.db) == 0  # looking at a preview prints nothing
    saved = tmp_path / "档案表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(saved), "")))
    click(qtbot, preview.save_button)
    assert saved.exists() and prints(clerk.db) == 1


def test_the_lists_forms_follow_the_filters(window, qtbot, clerk):
    page = window.pages["archive"]
    page.status.setCurrentIndex(page.status.findData("phasing_out"))
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.model.filter.statuses == frozenset({"phasing_out"}), timeout=10000)
    expected = archive.search_households(clerk, page.model.filter, limit=1000)
    preview = preview_of(qtbot, page.print_list_action)
    pages = pdftotext(preview.pdf_path)
    starts = [p for p in pages if "档案编号：" in "".join(p.split())]
    assert len(starts) == expected.total > 0


def test_visit_forms_for_the_households_due_in_the_chosen_union(window, qtbot, clerk):
    page = window.pages["archive"]
    due = archive.search_households(clerk, due_filter(), sort="next_visit_due", limit=1000)
    preview = preview_of(qtbot, page.print_visits_action)
    pages = ["".join(p.split()) for p in pdftotext(preview.pdf_path)]
    assert sum("入户走访表" in p for p in pages) == due.total > 0
    assert due.rows[0].name in pages[0]
    blank = preview_of(qtbot, page.print_blank_visits_action)
    assert "（空白）" in blank.windowTitle()


def test_no_selection_says_so(window, qtbot, boxes):
    page = window.pages["archive"]
    page.table.clearSelection()
    page.table.setCurrentIndex(page.table.model().index(-1, -1))
    page.print_form_action.trigger()
    assert any("请先在列表中选择一户" in text for _, _, text, _ in boxes.shown)


def test_the_visits_page_prints_the_list_it_shows(window, qtbot, clerk):
    from ..waiting import click_for_preview

    page = window.pages["visits"]
    page.which.setCurrentIndex(page.which.findData("overdue"))
    settle(qtbot, window)
    overdue = archive.search_households(clerk, HouseholdFilter(visit_overdue=True), limit=1).total
    preview = click_for_preview(qtbot, page.print_button)
    assert sum("入户走访表" in "".join(p.split()) for p in pdftotext(preview.pdf_path)) == overdue > 0
