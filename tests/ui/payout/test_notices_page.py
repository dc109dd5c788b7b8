"""公示 page on a seeded temporary database: build a notice in the dialog (live end date, the 2027
warning), publish it, record and handle objections, print the roster through the preview.

Seed 000: 公示 5 个工作日; 2026-03-02 (Mon) + 5 working days = 2026-03-09.
"""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from zhibang_desktop.services.admin import audit
from zhibang_desktop.services.payout import notices
from zhibang_desktop.services import relief
from zhibang_desktop.services.context import Actor
from zhibang_desktop.ui.payout.notices_page import (
    HandleObjectionDialog, NoticeDialog, NoticesPage, ObjectionDialog, notice_end,
)
from zhibang_desktop.ui.common.session import UiSession
from zhibang_desktop.ui.payout.payout_models import NOTICE_COLUMNS

from .payout_ui_helpers import Clock, seed
from ..waiting import click, click_for_preview, click_ok, settle


@pytest.fixture
def seeded(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 3, 1)
    s = seed(ctx)
    s.clock = clock
    return s


@pytest.fixture
def page(seeded, qtbot):
    session = UiSession(seeded.clerk)
    widget = NoticesPage(session)
    qtbot.addWidget(widget)
    widget.resize(1216, 680)
    widget.show()
    settle(qtbot, widget)
    return widget


def new_notice(page, qtbot, start=date(2026, 3, 2)) -> NoticeDialog:
    dialog = NoticeDialog(page.session, page)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2026)
    dialog.quarter.setCurrentIndex(dialog.quarter.findData(1))
    settle(qtbot, dialog)
    dialog.type_checks["quarterly"].setChecked(True)
    dialog.start.set_value(start)
    dialog.place.setText("区总工会一楼公示栏")
    settle(qtbot, dialog)
    return dialog


def test_new_notice_dialog_lists_candidates_and_shows_the_end_date_live(page, qtbot, seeded):
    dialog = new_notice(page, qtbot)
    assert dialog.candidates.rowCount() == 4
    assert "4 人" in dialog.candidate_label.text() and "2,000.00" in dialog.candidate_label.text()
    assert "2026-03-09" in dialog.end_label.text() and "星期一" in dialog.end_label.text()
    assert not dialog.warning_label.text()
    dialog.days.setValue(7)
    settle(qtbot, dialog)
    assert "2026-03-11" in dialog.end_label.text()
    # a year without holiday data: the date is computed from weekends and says so
    dialog.start.set_value(date(2027, 3, 1))
    settle(qtbot, dialog)
    assert "2027" in dialog.warning_label.text() and "节假日" in dialog.warning_label.text()
    assert notice_end(seeded.clerk, date(2026, 3, 2), 5) == (date(2026, 3, 9), None)
    # another union: nobody
    dialog.union.set_unit_id(next(dialog.union.itemData(i) for i in range(dialog.union.count())
                                  if dialog.union.itemText(i) == "区直机关工会"))
    settle(qtbot, dialog)
    assert dialog.candidates.rowCount() == 0 and not dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()


def test_create_publish_object_and_handle(page, qtbot, seeded, boxes):
    dialog = new_notice(page, qtbot)
    click_ok(qtbot, dialog)
    assert dialog.result_view is not None and dialog.result_view.summary.status == "draft"
    page.reload(dialog.result_view.summary.id)
    settle(qtbot, page)
    assert page.model.rowCount() == 1
    assert page.current.summary.end == date(2026, 3, 9)
    assert page.entries.rowCount() == 4
    assert page.publish_button.isVisible() and page.publish_button.isEnabled()
    assert not page.object_button.isVisible()

    boxes.answer = True
    click(qtbot, page.publish_button)
    settle(qtbot, page)
    assert "固定" in boxes.shown[-1][2]  # the confirmation says the entries are frozen
    assert page.current.summary.status == "published"
    assert page.object_button.isVisible() and not page.publish_button.isVisible()

    # an objection against the third person
    target = page.current.entries[2]
    objection = ObjectionDialog(page.session, page.current, target.id, page)
    qtbot.addWidget(objection)
    objection.objector.setText("匿名")
    objection.channel.setCurrentText("来访")
    objection.received.set_value(date(2026, 3, 4))
    objection.content.setPlainText("反映该职工已再就业，收入较高")
    click_ok(qtbot, objection)
    assert objection.result_view is not None
    page.reload()
    settle(qtbot, page)
    assert page.current.summary.open_objections == 1
    assert "异议待处理" in page.warning_label.text()
    assert page.objections.rowCount() == 1
    assert page.handle_button.isEnabled()
    seeded.clock.set(2026, 3, 10)
    page.reload()
    settle(qtbot, page)
    assert not page.close_button.isEnabled()  # ended, but an objection is open

    # an empty objection is refused with the service's words
    empty = ObjectionDialog(page.session, page.current, target.id, page)
    qtbot.addWidget(empty)
    click_ok(qtbot, empty)
    assert empty.result_view is None and "异议人" in boxes.texts()

    # upheld: the entry comes off, the request goes back to the clerk
    handle = HandleObjectionDialog(page.session, page.current.objections[0], page)
    qtbot.addWidget(handle)
    handle.upheld.setChecked(True)
    handle.handling.setPlainText("3月5日入户核查属实，已再就业，撤出名单")
    click_ok(qtbot, handle)
    assert handle.result_view is not None and handle.result_view.result == "upheld"
    page.reload()
    settle(qtbot, page)
    entry = next(e for e in page.current.entries if e.id == target.id)
    assert entry.state == "removed"
    assert relief.get_request(seeded.clerk, target.request_id).status == "returned"
    assert page.current.summary.entries == 3
    assert page.close_button.isEnabled()
    click(qtbot, page.close_button)
    settle(qtbot, page)
    assert page.current.summary.status == "closed"


def test_a_notice_past_its_period_reads_the_same_in_the_list_and_the_detail(page, qtbot, seeded, boxes):
    dialog = new_notice(page, qtbot)
    click_ok(qtbot, dialog)
    page.reload(dialog.result_view.summary.id)
    settle(qtbot, page)
    click(qtbot, page.publish_button)
    settle(qtbot, page)
    seeded.clock.set(2026, 3, 10)  # the period ended on 03-09
    click(qtbot, page.refresh_button)
    settle(qtbot, page)

    column = [c.header for c in NOTICE_COLUMNS].index("状态")
    listed = page.model.index(0, column).data()
    assert listed == "已期满（可发放）"
    assert f"状态：<b>{listed}</b>" in page.info_label.text()
    assert page.status_text == "共 1 个公示，公示中 0 个，已期满未结束 1 个"
    # what the words promise: the money can go into a batch without pressing 结束公示
    assert notices.payability(seeded.clerk, page.current.entries[0].request_id).payable
    assert page.close_button.isEnabled()


def test_draft_remove_and_delete(page, qtbot, seeded, boxes, monkeypatch):
    dialog = new_notice(page, qtbot)
    click_ok(qtbot, dialog)
    page.reload(dialog.result_view.summary.id)
    settle(qtbot, page)
    page.entry_table.selectRow(0)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("另行公示", True)))
    click(qtbot, page.remove_entry_button)
    settle(qtbot, page)
    assert page.current.summary.entries == 3
    boxes.answer = True
    click(qtbot, page.delete_button)
    settle(qtbot, page)
    assert page.model.rowCount() == 0 and page.current is None
    assert len(notices.notice_candidates(seeded.clerk, dialog.current_filter())) == 4


def test_print_roster_opens_the_preview_and_is_audited(page, qtbot, seeded, tmp_path):
    dialog = new_notice(page, qtbot)
    click_ok(qtbot, dialog)
    page.reload(dialog.result_view.summary.id)
    settle(qtbot, page)
    notices.publish_notice(seeded.clerk, page.current.summary.id)
    page.reload()
    settle(qtbot, page)
    def printed():
        return [(r.action, r.summary) for r in audit.query_audit(seeded.admin, entity="notice").rows
                if r.action in ("print", "export")]

    preview = click_for_preview(qtbot, page.print_button)
    assert preview.page_count() == 1
    preview.view.render_visible_now()
    assert preview.view.cached_image(0) is not None
    assert printed() == []  # looking at the preview prints nothing
    assert preview.save_as(str(tmp_path / "公示名单.pdf"))
    actions = printed()
    assert len(actions) == 1  # the save, through audit.record_event, once
    assert actions[0][0] == "export" and "另存为 PDF" in actions[0][1] and "人" in actions[0][1]


def test_reader_without_notice_rights_sees_but_cannot_change(seeded, qtbot):
    reader = seeded.clerk.as_actor(Actor.make(None, "rev", "审核人", {"reviewer"}))
    page = NoticesPage(UiSession(reader))
    qtbot.addWidget(page)
    assert not page.new_button.isEnabled()
    notices.publish_notice(seeded.clerk, notices.create_notice(
        seeded.clerk, new_notice_input()).summary.id)
    page.reload()
    settle(qtbot, page)
    assert page.model.rowCount() == 1
    assert not page.print_button.isEnabled() and not page.object_button.isEnabled()


def new_notice_input():
    from zhibang_desktop.services.payout.types import NoticeFilter, NoticeInput

    return NoticeInput(NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2), place="公示栏")
