"""The 救助申请 page: the list with filters (state, type, quarter, union, overdue, text)
and counts, Ctrl+N for a new request, open, submit, withdraw and print."""
from __future__ import annotations

from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from zhibang_desktop.services import relief
from zhibang_desktop.services.relief import review
from zhibang_desktop.services.relief.types import RequestInput
from zhibang_desktop.ui.relief.relief_request_dialog import ReliefRequestDialog
from zhibang_desktop.ui.relief.request_form_parts import select
from zhibang_desktop.ui.relief.request_view import RequestViewDialog
from zhibang_desktop.ui.common.session import UiSession

from ..waiting import click, click_for_preview, settle
from .relief_fixtures import YEAR, approve_all, clock, msgs, office, quarterly  # noqa: F401

pytestmark = pytest.mark.usefixtures("msgs")


@pytest.fixture
def seeded(office):
    """Two approved, one at the grassroots level, one at the street level, a draft, an emergency draft."""
    hh = office.households
    approve_all(office, quarterly(hh["曾小明"], 500, 1))
    approve_all(office, quarterly(hh["曾小明"], 600, 3))
    v = relief.create_request(office.clerk, quarterly(hh["单志强"], 450, 3, conditions=("serious_illness",)))
    relief.submit_request(office.clerk, v.id)
    v = relief.create_request(office.clerk, quarterly(hh["李秀英"], 500, 4, conditions=("model_worker",)))
    v = relief.submit_request(office.clerk, v.id)
    review.decide(office.grassroots, v.id, "approve", "同意上报")
    relief.create_request(office.clerk, quarterly(hh["李秀英"], 400, 2))
    relief.create_request(office.clerk, RequestInput(
        relief_type="emergency", subcase="illness_surgery", year=YEAR, requested_amount_fen=300_000,
        household_id=hh["单志强"], reason="突发脑出血住院手术", request_date=date(YEAR, 9, 28), fund_source="union",
        attachment_kinds=()))
    return office


@pytest.fixture
def window(seeded, qtbot):
    from zhibang_desktop.ui.main_window import MainWindow

    w = MainWindow(UiSession(seeded.clerk))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.show_page("relief")
    settle(qtbot, w)
    yield w
    settle(qtbot, w)
    for page in (w.pages.get("relief"),):
        for d in getattr(page, "dialogs", []):
            if shiboken6.isValid(d):
                d._baseline = None
                d.close()


def numbers(page) -> list[str]:
    return [r.number for r in page.model.rows()]


def test_lists_every_request_with_counts(window):
    page = window.pages["relief"]
    assert page.model.rowCount() == 6
    assert numbers(page)[0] == "JZ2026-00006"  # newest first
    text = window.counts_label.text()
    assert text.startswith("共 6 件申请")
    assert "待审核 2" in text and "草稿 2" in text
    row = page.model.rows().index(next(r for r in page.model.rows() if r.status == "submitted"))
    col = next(i for i, c in enumerate(page.model.columns) if c.key == "pending")
    assert page.model.index(row, col).data() == "基层工会（2026-11-30 前）"


def test_filters_state_type_quarter_union_overdue_and_text(window, seeded, clock, qtbot):
    page = window.pages["relief"]
    page.state.setCurrentIndex(page.state.findData("open"))
    settle(qtbot, window)
    assert {r.status for r in page.model.rows()} == {"submitted", "in_review"} and page.model.rowCount() == 2
    page.state.setCurrentIndex(page.state.findData("approved"))
    settle(qtbot, window)
    assert page.model.rowCount() == 2
    click(qtbot, page.clear_button)
    settle(qtbot, window)
    page.type.setCurrentIndex(page.type.findData("emergency"))
    settle(qtbot, window)
    assert [r.relief_type for r in page.model.rows()] == ["emergency"]
    click(qtbot, page.clear_button)
    settle(qtbot, window)
    page.quarter.setCurrentIndex(page.quarter.findData(3))
    settle(qtbot, window)
    # two quarterly requests of Q3 and the emergency draft dated 2026-09-28 (no quarterly period)
    assert sorted((r.relief_type, r.quarter or 0) for r in page.model.rows()) == [
        ("emergency", 0), ("quarterly", 3), ("quarterly", 3)]
    click(qtbot, page.clear_button)
    settle(qtbot, window)
    page.union.set_unit_id(_unit(seeded, "新塘镇总工会"))
    settle(qtbot, window)
    assert page.model.rowCount() == 0
    click(qtbot, page.clear_button)
    settle(qtbot, window)
    page.year.setCurrentIndex(page.year.findData(YEAR))
    settle(qtbot, window)
    assert page.model.rowCount() == 6
    click(qtbot, page.clear_button)
    settle(qtbot, window)
    page.search.insert("单志强")  # what the input method commits (QTest cannot type CJK)
    qtbot.keyClick(page.search, Qt.Key_Return)
    settle(qtbot, window)
    assert page.model.rowCount() == 2
    click(qtbot, page.clear_button)
    settle(qtbot, window)
    page.overdue.setChecked(True)
    settle(qtbot, window)
    assert page.model.rowCount() == 0
    clock.set(2026, 12, 15)  # past every due date
    qtbot.keyClick(page.search, Qt.Key_Return)  # Enter in the search box queries again
    settle(qtbot, window)
    assert page.model.rowCount() == 2
    assert window.counts_label.text().startswith("共 2 件申请")


def _unit(office, name: str) -> int:
    from ...archive_helpers import unit_id

    return unit_id(office.admin, name)


def test_ctrl_n_opens_a_new_request_on_this_page(window, qtbot):
    page = window.pages["relief"]
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_N, Qt.ControlModifier)
    dialogs = [d for d in page.dialogs if isinstance(d, ReliefRequestDialog)]
    assert len(dialogs) == 1 and dialogs[0].windowTitle() == "新建救助申请"
    assert not window.session.open_editors()  # not the household editor (新建档案)


def test_ctrl_n_after_choosing_the_page_in_the_navigation(seeded, qtbot):
    from zhibang_desktop.ui.main_window import MainWindow

    w = MainWindow(UiSession(seeded.clerk))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    row = next(i for i in range(w.nav.count()) if w.nav.item(i).text() == "救助申请")
    qtbot.mouseClick(w.nav.viewport(), Qt.LeftButton, pos=w.nav.visualItemRect(w.nav.item(row)).center())
    page = w.pages["relief"]
    qtbot.waitUntil(lambda: page.table.hasFocus(), timeout=2000)
    qtbot.keyClick(page.table, Qt.Key_N, Qt.ControlModifier)
    assert any(isinstance(d, ReliefRequestDialog) for d in page.dialogs)
    assert not w.session.open_editors()
    for d in page.dialogs:
        d._baseline = None
        d.close()


def test_ctrl_n_in_the_search_box(window, qtbot):
    page = window.pages["relief"]
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key_N, Qt.ControlModifier)
    assert any(isinstance(d, ReliefRequestDialog) for d in page.dialogs)


def test_open_a_draft_edits_it_and_a_decided_one_shows_the_view(window, seeded):
    page = window.pages["relief"]
    draft = next(r for r in page.model.rows() if r.status == "draft")
    assert isinstance(page.open_request(draft.id), ReliefRequestDialog)
    done = next(r for r in page.model.rows() if r.status == "approved")
    view = page.open_request(done.id)
    assert isinstance(view, RequestViewDialog)
    assert "已审批" in view.header.text()


def test_submit_and_withdraw_from_the_list(window, seeded, msgs, qtbot):
    page = window.pages["relief"]
    draft = next(r for r in page.model.rows() if r.status == "draft" and r.relief_type == "quarterly")
    page.table.select_request(draft.id)
    assert page.submit_button.isEnabled()
    click(qtbot, page.submit_button)
    settle(qtbot, window)
    assert "已提交" in msgs.texts()
    assert next(r for r in page.model.rows() if r.id == draft.id).status == "submitted"
    assert page.table.current_request_id() == draft.id  # the selection follows the change
    assert "待审核 3" in window.counts_label.text()

    click(qtbot, page.withdraw_button)
    settle(qtbot, window)
    assert next(r for r in page.model.rows() if r.id == draft.id).status == "withdrawn"
    assert not page.submit_button.isEnabled() and not page.withdraw_button.isEnabled()


def test_submit_with_problems_says_why(window, seeded, msgs, qtbot):
    page = window.pages["relief"]
    emergency = next(r for r in page.model.rows() if r.relief_type == "emergency")
    page.table.select_request(emergency.id)
    click(qtbot, page.submit_button)  # the papers were not ticked: refused with the engine's message
    settle(qtbot, window)
    kind, title, text, detail = msgs.shown[-1]
    assert kind == "warn" and "缺少附件" in detail
    assert relief.get_request(seeded.clerk, emergency.id).status == "draft"


def test_print_the_approval_form_in_the_preview(window, seeded, qtbot):
    pytest.importorskip("zhibang_desktop.ui.printing.print_preview")
    page = window.pages["relief"]
    done = next(r for r in page.model.rows() if r.status == "approved")
    page.table.select_request(done.id)
    preview = click_for_preview(qtbot, page.print_button)
    assert preview.page_count() >= 1
    assert "救助申请审批表" in preview.windowTitle()


def test_save_the_approval_form_as_pdf_from_the_preview(window, seeded, tmp_path, monkeypatch, qtbot):
    page = window.pages["relief"]
    done = next(r for r in page.model.rows() if r.status == "approved")
    page.table.select_request(done.id)
    target = tmp_path / f"{done.number}.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    preview = click_for_preview(qtbot, page.print_button)
    click(qtbot, preview.save_button)
    assert target.read_bytes().startswith(b"%PDF")


def test_a_new_request_saved_in_the_dialog_appears_in_the_list(window, seeded, qtbot):
    page = window.pages["relief"]
    click(qtbot, page.new_button)
    dialog = next(d for d in page.dialogs if isinstance(d, ReliefRequestDialog))
    dialog.form.year.setValue(YEAR)
    dialog.who.choose_household(seeded.households["单志强"])
    select(dialog.form.type, "quarterly")
    dialog.form.quarter.setCurrentIndex(dialog.form.quarter.findData(1))
    dialog.form.amounts.amount.setText("400")
    click(qtbot, dialog.save_button)
    settle(qtbot, window)
    view = dialog.view
    assert view is not None and view.status == "draft"
    assert page.model.rowCount() == 7 and page.table.current_request_id() == view.id


def test_filters_query_off_the_gui_thread_and_a_change_summary_refreshes_the_list(window, seeded, qtbot,
                                                                                   monkeypatch):
    import threading

    from zhibang_desktop.ui.common.executor import ChangeSummary

    page = window.pages["relief"]
    threads = []
    real = relief.list_requests

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(relief, "list_requests", spy)
    page.state.setCurrentIndex(page.state.findData("draft"))
    settle(qtbot, window)
    assert threads and threading.main_thread() not in threads
    assert {r.status for r in page.model.rows()} == {"draft"}

    draft = next(r for r in page.model.rows() if r.relief_type == "quarterly")
    relief.submit_request(seeded.clerk, draft.id)  # stored elsewhere: the page does not know yet
    assert page.model.row_of(draft.id) >= 0
    window.session.announce(ChangeSummary(requests=True))
    settle(qtbot, window)
    assert page.model.row_of(draft.id) < 0  # no longer a draft
    assert threading.main_thread() not in threads
