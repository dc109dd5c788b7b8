"""公示: building, publishing, the period on the Chinese calendar, objections, payability.

Seed 000: 公示 5 个工作日 before payout; seed 002: 帮扶资金发放前公示.
"""
from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from zhibang_desktop.services import audit_chain
from zhibang_desktop.services.payout import notices, printing as payout_print
from zhibang_desktop.services.context import Actor, AppContext
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed
from zhibang_desktop.services.payout.notices import NoticeStateError
from zhibang_desktop.services.payout.types import NoticeFilter, NoticeInput, ObjectionInput
from zhibang_desktop.services.relief.notice_result import notice_result_text
from zhibang_desktop.storage.models import AuditEntry, ReliefRequest

from .payout_helpers import Clock, approved, noticed
from .relief_helpers import add_household, office, quarterly, set_dibao, submit_and_approve, zengcheng


def _input(**kw) -> NoticeInput:
    data = dict(filter=NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2), place="区总工会一楼公示栏")
    data.update(kw)
    return NoticeInput(**data)


def test_build_and_publish_freezes_entries(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 5)
    v = notices.create_notice(ctx, _input())
    assert v.summary.status == "draft"
    assert len(v.entries) == 5 and v.summary.total_fen == sum(e.amount_fen for e in v.entries)
    assert v.summary.title == "增城区总工会关于2026年第一季度困难职工救助对象名单的公示"
    assert v.object_to == "增城区总工会" and v.phone == "020-82712345"
    # 2026-03-02 (Mon) + 5 working days = 2026-03-09 (the start day does not count)
    assert v.summary.end == date(2026, 3, 9) and v.summary.end_warning is None

    # a request already on a notice is not a candidate again
    assert notices.notice_candidates(ctx, NoticeFilter(("quarterly",), 2026, 1)) == []

    # after publication the entries are frozen: renaming the worker does not change them
    pub = notices.publish_notice(ctx, v.summary.id)
    assert pub.summary.status == "published" and pub.summary.published_by == "系统"
    with ctx.db.session() as s:
        s.get(ReliefRequest, made.request_ids[0]).name = "改名字"
    again = notices.get_notice(ctx, v.summary.id)
    assert again.entries[0].name != "改名字"
    with pytest.raises(NoticeStateError):
        notices.refresh_notice(ctx, v.summary.id)
    clock.set(2026, 3, 5)


def test_state_label_says_a_notice_past_its_period_is_payable(ctx, monkeypatch):
    """The period's end makes the entries payable without 结束公示: the label says so, in the
    list and in the single notice alike, and names the open objections that still hold people back."""
    clock = Clock(monkeypatch, 2026, 3, 1)
    approved(ctx, 2)
    v = notices.create_notice(ctx, _input())
    assert v.summary.status_label == "草稿"
    v = notices.publish_notice(ctx, v.summary.id)
    assert v.summary.status_label == "公示中"
    clock.set(2026, 3, 10)  # the period ended on 03-09
    assert notices.payability(ctx, v.entries[0].request_id).payable
    assert notices.get_notice(ctx, v.summary.id).summary.status_label == "已期满（可发放）"
    assert [n.status_label for n in notices.list_notices(ctx, None, None)] == ["已期满（可发放）"]
    notices.record_objection(ctx, ObjectionInput(v.entries[0].id, "匿名", "收入不实", date(2026, 3, 10)))
    assert notices.list_notices(ctx, None, None)[0].status_label == "已期满（异议待处理）"
    assert notices.payability(ctx, v.entries[1].request_id).payable
    objection = notices.get_notice(ctx, v.summary.id).objections[0]
    notices.handle_objection(ctx, objection.id, "dismissed", "经核实收入属实")
    assert notices.close_notice(ctx, v.summary.id).summary.status_label == "已结束"
    assert notices.list_notices(ctx, None, None)[0].status_label == "已结束"


def test_notices_are_numbered_per_year_in_order(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 3, 1)
    approved(ctx, 1)
    first = notices.create_notice(ctx, _input())
    approved(ctx, 1, seq0=50)
    second = notices.create_notice(ctx, _input())
    assert (first.summary.number, second.summary.number) == ("GS2026-001", "GS2026-002")
    notices.delete_notice(ctx, first.summary.id)
    approved(ctx, 1, seq0=60)
    assert notices.create_notice(ctx, _input()).summary.number == "GS2026-003"  # after the highest number
    clock.set(2026, 3, 2)


def test_period_over_national_day_and_2027_warning(ctx, monkeypatch):
    Clock(monkeypatch, 2026, 9, 1)
    approved(ctx, 1, quarter=3)
    # 2026-09-30 + 5 working days: 10-01..10-07 are holidays (国庆), 10-10 is a make-up workday
    v = notices.create_notice(ctx, _input(filter=NoticeFilter(("quarterly",), 2026, 3), start=date(2026, 9, 30)))
    assert v.summary.end > date(2026, 10, 8)
    assert v.summary.end_warning is None
    notices.delete_notice(ctx, v.summary.id)
    # 2027 has no holiday data: the period is computed on weekends only and says so
    v = notices.create_notice(ctx, _input(filter=NoticeFilter(("quarterly",), 2026, 3), start=date(2026, 12, 29)))
    assert v.summary.end == date(2027, 1, 5)
    assert v.summary.end_warning and "2027" in v.summary.end_warning
    assert notices.notice_period(ctx, date(2026, 12, 29), 5) == (v.summary.end, v.summary.end_warning)
    assert notices.notice_period(ctx, date(2026, 3, 2), 5) == (date(2026, 3, 9), None)


def test_objection_upheld_sends_back_and_blocks_payment(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 3)
    v = notices.publish_notice(ctx, notices.create_notice(ctx, _input()).summary.id)
    a, b, c = v.entries
    with pytest.raises(NoticeStateError):
        notices.close_notice(ctx, v.summary.id)  # not yet ended

    o1 = notices.record_objection(ctx, ObjectionInput(a.id, "匿名群众", "其家中新购小汽车一辆", date(2026, 3, 4),
                                                      channel="电话"))
    o2 = notices.record_objection(ctx, ObjectionInput(b.id, "同事王某", "怀疑收入不实", date(2026, 3, 5)))
    assert notices.get_notice(ctx, v.summary.id).summary.open_objections == 2

    clock.set(2026, 3, 10)  # the period ended on 03-09
    assert notices.payability(ctx, a.request_id).payable is False
    assert "异议" in notices.payability(ctx, a.request_id).reason
    assert notices.payability(ctx, c.request_id).payable is True

    with pytest.raises(ValidationFailed):
        notices.handle_objection(ctx, o1.id, "upheld", "")
    h1 = notices.handle_objection(ctx, o1.id, "upheld", "经入户核查，确有家用小汽车，不符合救助条件")
    assert h1.result == "upheld" and h1.handled_by == "系统"
    h2 = notices.handle_objection(ctx, o2.id, "dismissed", "经数据比对收入属实")
    assert h2.result_label == "异议不成立"

    pay_a = notices.payability(ctx, a.request_id)
    assert not pay_a.payable
    with ctx.db.session() as s:
        r = s.get(ReliefRequest, a.request_id)
        assert r.status == "returned"
        assert r.events[-1][1] == "objection_upheld"
    assert notices.payability(ctx, b.request_id).payable is True
    view = notices.get_notice(ctx, v.summary.id)
    assert [e.state for e in view.entries] == ["removed", "listed", "listed"]
    assert view.summary.entries == 2
    closed = notices.close_notice(ctx, v.summary.id)
    assert closed.summary.status == "closed"
    assert made.request_ids
    # the 公示结果 line of each request's 审批表
    with ctx.db.session() as s:
        assert notice_result_text(s, c.request_id) == "已公示（2026年3月2日至2026年3月9日），无异议"
        assert notice_result_text(s, b.request_id).endswith("有异议 1 条（经核实不予采纳 1 条）")
        assert "异议成立 1 条" in notice_result_text(s, a.request_id)


def test_payable_only_after_the_end_date(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 1)
    rid = made.request_ids[0]
    assert "尚未公示" in notices.payability(ctx, rid).reason
    v = notices.create_notice(ctx, _input())
    assert notices.payability(ctx, rid).reason == "公示尚未发布"
    notices.publish_notice(ctx, v.summary.id)
    clock.set(2026, 3, 9)  # the last day of the notice
    assert not notices.payability(ctx, rid).payable
    clock.set(2026, 3, 10)
    assert notices.payability(ctx, rid).payable


def test_admin_override_is_audited_and_needs_the_permission(ctx, monkeypatch):
    Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 1)
    rid = made.request_ids[0]
    clerk = AppContext(ctx.db, Actor.make(None, "clerk", "经办人", {"clerk"}))
    with pytest.raises(PermissionDenied):
        notices.override_payability(clerk, rid, "特殊困难急需用钱")
    with pytest.raises(ValidationFailed):
        notices.override_payability(ctx, rid, "")
    p = notices.override_payability(ctx, rid, "住院急需，领导特批先行发放")
    assert p.payable and p.overridden and "特批" in p.reason
    with ctx.db.session() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert "特批" in last.summary and last.changes[0][2] == "住院急需，领导特批先行发放"


def test_through_real_review_and_remark_privacy(ctx, monkeypatch):
    Clock(monkeypatch, 2026, 2, 20)
    o = office(ctx)
    zengcheng(ctx, 2026)
    set_dibao(o, 2026)
    hh = add_household(ctx, "李四", 201, health="尿毒症")
    v = submit_and_approve(o, quarterly(hh, 600, quarter=1))
    assert v.status == "approved"
    n = notices.create_notice(o["clerk"], _input())
    assert [e.name for e in n.entries] == ["李四"]
    entry = n.entries[0]
    with pytest.raises(ValidationFailed):
        notices.set_entry_remark(o["clerk"], entry.id, "患尿毒症")
    with pytest.raises(ValidationFailed):
        notices.set_entry_remark(o["clerk"], entry.id, "卡号6222021234567890123")
    n = notices.set_entry_remark(o["clerk"], entry.id, "第二次申请")
    assert n.entries[0].remark == "第二次申请"


def test_roster_pdf_has_names_totals_words_and_embedded_fonts(ctx, monkeypatch, tmp_path):
    clock = Clock(monkeypatch, 2026, 3, 1)
    approved(ctx, 40)
    v = noticed(ctx, clock)
    out = tmp_path / "roster.pdf"
    before = audit_chain.chain_head
    res = payout_print.print_roster(ctx, v.summary.id, out)
    assert res.pages >= 2 and res.rows == 40
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for e in v.entries:
        assert e.name in flat
    from zhibang_desktop.domain.money import amount_in_words, format_yuan
    assert format_yuan(v.summary.total_fen) in text
    assert amount_in_words(v.summary.total_fen) in flat
    assert "公示期为五个工作日" in flat and "2026年3月2日至2026年3月9日" in flat
    # the footer carries the notice's own number, never its database id
    assert v.summary.number == "GS2026-001" and "公示编号GS2026-001" in flat
    assert not re.search(r"公示编号\d", flat)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(line.split()[-5] == "yes" for line in rows), fonts
    with ctx.db.session() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert last.action == "print" and last.entity == "notice"
    assert before


def test_draft_refresh_update_and_remove(ctx, monkeypatch):
    Clock(monkeypatch, 2026, 3, 1)
    approved(ctx, 2)
    v = notices.create_notice(ctx, _input())
    assert len(v.entries) == 2
    approved(ctx, 1, seq0=50)  # approved after the draft was made
    v = notices.refresh_notice(ctx, v.summary.id)
    assert len(v.entries) == 3 and [e.seq for e in v.entries] == [1, 2, 3]
    v = notices.remove_notice_entry(ctx, v.entries[0].id, "材料不全，下期再公示")
    assert len(v.entries) == 2 and [e.seq for e in v.entries] == [1, 2]
    assert len(notices.notice_candidates(ctx, NoticeFilter(("quarterly",), 2026, 1))) == 1
    v = notices.update_notice(ctx, v.summary.id, _input(start=date(2026, 3, 9), working_days=7, show_masked_id=True,
                                                        title="关于困难职工救助名单的公示"))
    assert v.summary.end == date(2026, 3, 18) and v.summary.title == "关于困难职工救助名单的公示"
    assert all(e.masked_id and "*" in e.masked_id for e in v.entries)
    with pytest.raises(ValidationFailed):
        notices.update_notice(ctx, v.summary.id, _input(working_days=0))
    with pytest.raises(ValidationFailed):
        notices.update_notice(ctx, v.summary.id, _input(place="张三 440183199001011234"))


def test_a_second_notice_for_the_same_quarter_is_numbered(ctx, monkeypatch):
    """Issue 8: two notices for the same quarter had the same title."""
    Clock(monkeypatch, 2026, 3, 1)
    first_ids = approved(ctx, 2).request_ids
    flt = NoticeFilter(("quarterly",), 2026, 1)
    first = notices.create_notice(ctx, NoticeInput(flt, start=date(2026, 3, 2), place="公示栏"))
    approved(ctx, 2, seq0=100, seed=9)
    second = notices.create_notice(ctx, NoticeInput(flt, start=date(2026, 3, 3), place="公示栏"))
    third_ids = approved(ctx, 1, seq0=200, seed=11).request_ids
    third = notices.create_notice(ctx, NoticeInput(flt, start=date(2026, 3, 4), place="公示栏",
                                                   title=first.summary.title))  # typed the same title
    assert first.summary.title.endswith("2026年第一季度困难职工救助对象名单的公示")
    assert second.summary.title == first.summary.title.replace("第一季度", "第一季度第二批")
    assert third.summary.title == first.summary.title.replace("第一季度", "第一季度第三批")
    assert len(first_ids) == 2 and len(third_ids) == 1


def test_the_archive_forms_disability_never_reaches_the_roster(ctx, monkeypatch):
    """The 档案表's 残疾类别 is health data (PIPL art. 28): refused in a roster remark."""
    Clock(monkeypatch, 2026, 2, 20)
    o = office(ctx)
    zengcheng(ctx, 2026)
    set_dibao(o, 2026)
    hh = add_household(ctx, "李四", 201, disability_category="hearing", disability_grade="2",
                       political_status="cpc_member", marital_status="divorced")
    submit_and_approve(o, quarterly(hh, 600, quarter=1))
    entry = notices.create_notice(o["clerk"], _input()).entries[0]
    with pytest.raises(ValidationFailed) as exc:
        notices.set_entry_remark(o["clerk"], entry.id, "听力残疾，生活困难")
    assert "病情" in str(exc.value.problems)
