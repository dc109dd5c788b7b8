"""待我审核, the review dialog and the request view: each level's reviewer sees the
request in their queue, decides with an opinion, and the timeline shows who decided
what and when; overdue levels in red; a 2027 due date warns instead of crashing.
"""
from __future__ import annotations

from datetime import date

import pytest
import shiboken6

from zhibang_desktop.services.relief import policies, review
from zhibang_desktop.services import relief
from zhibang_desktop.services.admin import settings
from zhibang_desktop.ui.relief.relief_table_model import QUEUE_COLUMNS
from zhibang_desktop.ui.relief.review_page import ReviewPage
from zhibang_desktop.ui.relief.relief_common import ERROR_COLOR
from zhibang_desktop.ui.relief.request_view import RequestViewDialog
from zhibang_desktop.ui.relief.review_dialog import ReviewDialog
from zhibang_desktop.ui.common.session import UiSession

from ..waiting import settle
from .relief_fixtures import clock, msgs, office, quarterly  # noqa: F401

pytestmark = pytest.mark.usefixtures("msgs")


def submitted(o, name="单志强", quarter=3, amount=450, **kw):
    data = quarterly(o.households[name], amount, quarter, conditions=("serious_illness",),
                     reason="妻子患尿毒症，每周透析三次", **kw)
    v = relief.create_request(o.clerk, data)
    return relief.submit_request(o.clerk, v.id)


def page_for(ctx, qtbot) -> ReviewPage:
    page = ReviewPage(UiSession(ctx))
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    settle(qtbot, page)
    return page


def cell(page: ReviewPage, row: int, key: str):
    col = next(i for i, c in enumerate(QUEUE_COLUMNS) if c.key == key)
    return page.model.index(row, col)


def close(widget) -> None:
    if shiboken6.isValid(widget):
        widget.close()


def test_a_reviewer_sees_the_request_approves_with_an_opinion_and_the_timeline_shows_it(office, qtbot, clock, msgs):
    v = submitted(office)
    # the grassroots reviewer has it in 待我审核; the street reviewer not yet
    page = page_for(office.grassroots, qtbot)
    assert [r.number for r in page.model.rows()] == [v.number]
    assert cell(page, 0, "level").data() == "基层工会"
    assert cell(page, 0, "due").data() == "2026-11-30"  # Mon 23 Nov + 5 working days
    assert "共 <b>1</b> 件" in page.title.text()
    assert page_for(office.street, qtbot).model.rowCount() == 0

    page.table.selectRow(0)
    dialog = page.review_request(v.id)
    assert isinstance(dialog, ReviewDialog)
    assert "妻子患尿毒症" in dialog.summary.text()
    assert "2026-11-30" in dialog.level_label.text()
    assert dialog.ok_button.isEnabled()
    dialog.opinion.setPlainText("经入户核查，情况属实，同意上报")
    result = dialog.decide()
    assert result is not None and result.pending.level == "street"
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    settle(qtbot, page)
    assert page.model.rowCount() == 0  # gone from this reviewer's queue
    assert "已转" in msgs.texts()

    street = page_for(office.street, qtbot)
    assert [r.number for r in street.model.rows()] == [v.number]
    d2 = street.review_request(v.id)
    assert "经入户核查，情况属实，同意上报" in d2.opinions.text() and "审核人老黄" in d2.opinions.text()
    d2.opinion.setPlainText("同意")
    d2.decide()

    head = page_for(office.head, qtbot)
    d3 = head.review_request(v.id)
    d3.amount.setText("400")
    d3._amount_edited()
    assert d3.cut_reason.isVisibleTo(d3)  # lowering shows the reason field
    d3.opinion.setPlainText("同意，核定 400 元")
    final = d3.decide()
    assert final.status == "approved" and final.approved_amount_fen == 40000

    view = RequestViewDialog(UiSession(office.clerk), request_id=v.id)
    qtbot.addWidget(view)
    text = view.timeline_text()
    lines = text.splitlines()
    assert lines[0].split(" | ")[1] == "录入申请" and "经办人小陈" in lines[0]
    assert "提交审核" in lines[1]
    assert "基层工会 同意 | 审核人老黄 | 经入户核查，情况属实，同意上报（核定 450.00 元） | 2026-11-30 | 按期" in text
    assert "审核人林科长" in text
    assert "增城区总工会 同意 | 负责人钟主席 | 同意，核定 400 元（核定 400.00 元）" in text
    assert lines[2].startswith("2026-11-23 ")  # the decision time, stamped by the service (local time)
    assert "已审批" in view.header.text()
    assert "400.00 元" in view.summary.text()
    assert not view.pending.isVisible()
    assert not view.review_button.isVisible() and not view.withdraw_button.isVisible()


def test_the_opinion_is_required_and_the_amount_cannot_be_raised(office, qtbot):
    v = submitted(office)
    dialog = ReviewDialog(UiSession(office.grassroots), request_id=v.id)
    qtbot.addWidget(dialog)
    assert dialog.decide() is None
    assert "不能为空" in dialog.errors.label("opinion").text()
    dialog.opinion.setPlainText("同意")
    dialog.amount.setText("500")
    assert dialog.decide() is None
    assert "不能高于 450.00 元" in dialog.errors.label("amount_fen").text()
    assert relief.get_request(office.clerk, v.id).reviews == ()


def test_return_for_revision_reaches_the_clerk_with_the_opinion(office, qtbot):
    v = submitted(office)
    dialog = ReviewDialog(UiSession(office.grassroots), request_id=v.id)
    dialog.return_radio.setChecked(True)
    assert not dialog.amount.isEnabled()
    dialog.opinion.setPlainText("请补充医院诊断证明")
    back = dialog.decide()
    assert back.status == "returned"

    from zhibang_desktop.ui.relief.relief_page import open_request

    editor = open_request(None, UiSession(office.clerk), v.id)
    assert editor.__class__.__name__ == "ReliefRequestDialog"  # the clerk edits a returned request
    assert "退回修改：请补充医院诊断证明" in editor.header.text()
    editor._baseline = None
    close(editor)


def test_a_reviewer_cannot_decide_outside_their_level(office, qtbot):
    v = submitted(office)
    dialog = ReviewDialog(UiSession(office.street), request_id=v.id)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.opinion.setPlainText("同意")
    assert dialog.decide() is None  # the service refuses as well


def test_overdue_levels_are_red(office, qtbot, clock):
    clock.set(2026, 11, 2)
    v = submitted(office)  # due Mon 9 Nov
    clock.set(2026, 11, 20)
    page = page_for(office.grassroots, qtbot)
    row = page.model.row_at(0)
    assert row.overdue and row.due_date == date(2026, 11, 9)
    due = cell(page, 0, "due")
    assert "超期" in due.data() and due.data().startswith("2026-11-09")
    assert due.data(0x0009).color().name() == ERROR_COLOR  # Qt.ForegroundRole
    assert "已超期" in page.title.text()
    view = RequestViewDialog(UiSession(office.clerk), request_id=v.id)
    qtbot.addWidget(view)
    assert "已超期" in view.pending.text() and ERROR_COLOR in view.pending.text()
    assert view.timeline_text().splitlines()[-1].endswith("2026-11-09 | 已超期")


def test_a_2027_request_shows_the_holiday_data_warning_instead_of_crashing(office, qtbot, clock):
    policies.use_preset(office.admin, "增城", 2027)
    settings.set_year_standard(office.admin, 2027, 133_000, None)
    clock.set(2027, 9, 28)
    v = submitted(office, quarter=3, year=2027, request_date=date(2027, 9, 28))
    assert v.pending.due_warning  # the service knows 2027 has no holiday data

    page = page_for(office.grassroots, qtbot)
    assert page.model.rowCount() == 1
    assert page.warning.isVisibleTo(page)
    assert "2027年的节假日安排尚未录入" in page.warning.text()
    assert "⚠" in cell(page, 0, "due").data()
    assert "2027年的节假日安排尚未录入" in cell(page, 0, "due").data(0x0003)  # Qt.ToolTipRole

    dialog = page.review_request(v.id)
    assert "2027年的节假日安排尚未录入" in dialog.level_label.text()
    dialog.opinion.setPlainText("同意")
    decided = dialog.decide()
    assert decided.reviews[0].due_warning

    view = RequestViewDialog(UiSession(office.clerk), request_id=v.id)
    qtbot.addWidget(view)
    assert "2027年的节假日安排尚未录入" in view.pending.text()
    review_row = view.timeline.item(2, 1)
    assert "基层工会 同意" in review_row.text() and "2027年的节假日安排尚未录入" in review_row.toolTip()


def test_without_the_print_preview_the_approval_form_is_saved_as_a_pdf(office, qtbot, tmp_path, monkeypatch, msgs):
    """An installation whose Qt has no print support cannot load the preview: 打印审批表… then
    asks where to save the PDF (the preview has its own tests)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from zhibang_desktop.ui.relief import relief_common

    v = submitted(office)
    review.decide(office.grassroots, v.id, "approve", "情况属实，同意上报")
    target = tmp_path / "审批表"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    view = RequestViewDialog(UiSession(office.clerk), request_id=v.id)
    qtbot.addWidget(view)
    monkeypatch.setattr(relief_common, "_preview_module", lambda: None)
    qtbot.mouseClick(view.print_button, Qt.LeftButton)
    pdf = tmp_path / "审批表.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "已生成救助申请审批表" in msgs.texts()


def test_pages_and_buttons_follow_the_permissions(office, qtbot):
    from zhibang_desktop.ui.main_window import MainWindow

    keys = {}
    for name, ctx in (("clerk", office.clerk), ("reviewer", office.grassroots), ("head", office.head),
                      ("admin", office.admin)):
        w = MainWindow(UiSession(ctx))
        qtbot.addWidget(w)
        settle(qtbot, w)
        keys[name] = set(w.pages)
    assert {"relief"} <= keys["clerk"] and not {"review", "policy", "holidays"} & keys["clerk"]
    assert {"relief", "review"} <= keys["reviewer"] and "policy" not in keys["reviewer"]
    assert "review" in keys["head"]
    assert {"policy", "holidays", "relief"} <= keys["admin"] and "review" not in keys["admin"]
    # a reviewer sees the list but cannot create, submit or withdraw
    w = MainWindow(UiSession(office.grassroots))
    qtbot.addWidget(w)
    settle(qtbot, w)
    page = w.pages["relief"]
    assert not page.new_button.isEnabled()
    assert page.submit_button.isHidden() and page.withdraw_button.isHidden()
