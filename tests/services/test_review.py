"""Review at every union level (seed 001: each level decides within 5 working days)."""
from __future__ import annotations

import dataclasses
import inspect
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from zhibang_desktop.services.relief import holidays, policies, review
from zhibang_desktop.services import relief
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed
from zhibang_desktop.services.relief.store import InvalidTransition
from zhibang_desktop.services.relief.types import HolidayView, RequestFilter
from zhibang_desktop.storage.models import AuditEntry

from ..admin_helpers import user_context
from .relief_helpers import (
    GRASSROOTS, Clock, add_household, office, quarterly, set_dibao, unit_id, yuan, zengcheng,
)


@pytest.fixture
def o(ctx, monkeypatch):
    o = office(ctx)
    o["clock"] = Clock(monkeypatch, datetime(2026, 9, 28, 2, tzinfo=timezone.utc))  # Monday
    zengcheng(o["admin"], 2026)
    set_dibao(o, 2026)
    o["hh"] = add_household(ctx)
    return o


def submitted(o, amount=500, quarter=3, **kw):
    v = relief.create_request(o["clerk"], quarterly(o["hh"], amount, quarter=quarter, **kw))
    return relief.submit_request(o["clerk"], v.id, justification=kw.get("justification"))


def test_levels_decide_in_order_and_queues_follow(o):
    v = submitted(o)
    assert v.status == "submitted" and v.pending.level == "grassroots"
    assert [r.id for r in review.review_queue(o["g"])] == [v.id]
    assert review.review_queue(o["s"]) == [] and review.review_queue(o["d"]) == []
    with pytest.raises(PermissionDenied, match="基层工会"):
        review.decide(o["s"], v.id, "approve", "同意")  # not the street's turn yet
    v = review.decide(o["g"], v.id, "approve", "情况属实，同意上报")
    assert (v.status, v.pending.level) == ("in_review", "street")
    assert review.review_queue(o["g"]) == [] and [r.id for r in review.review_queue(o["s"])] == [v.id]
    v = review.decide(o["s"], v.id, "approve", "同意")
    v = review.decide(o["d"], v.id, "approve", "同意救助")
    assert v.status == "approved" and v.approved_amount_fen == yuan(500) and v.pending is None
    assert [(r.level, r.decision, r.reviewer_name) for r in v.reviews] == [
        ("grassroots", "approve", "rev_g"), ("street", "approve", "rev_s"), ("district", "approve", "rev_d")]
    assert [e.kind for e in v.timeline] == ["created", "submitted", "approve", "approve", "approve"]
    with pytest.raises(InvalidTransition):
        review.decide(o["d"], v.id, "approve", "再次同意")


def test_a_reviewer_outside_the_union_subtree_sees_nothing(o, ctx):
    other = user_context(o["admin"], "rev_other", ["reviewer"])
    users.set_reviewer_scopes(o["admin"], other.actor.user_id, [(unit_id(ctx, "新塘镇总工会"), "grassroots")])
    v = submitted(o)
    assert review.review_queue(other) == []
    with pytest.raises(PermissionDenied):
        review.decide(other, v.id, "approve", "同意")


@pytest.mark.parametrize("received, due", [
    ((2026, 9, 28), date(2026, 10, 10)),  # National Day 1–7 Oct; Saturday 10 Oct is a make-up workday
    ((2026, 9, 30), date(2026, 10, 13)),
    ((2026, 3, 2), date(2026, 3, 9)),  # an ordinary week
])
def test_due_date_is_five_working_days_on_the_chinese_calendar(o, received, due):
    o["clock"].set(*received)
    v = submitted(o)
    assert v.pending.due_date == due and v.pending.due_warning is None and v.pending.working_days_allowed == 5


def test_a_2027_date_warns_and_does_not_crash_until_the_admin_enters_the_holidays(o):
    zengcheng(o["admin"], 2027)
    set_dibao(o, 2027)
    o["clock"].set(2027, 9, 28)
    v = submitted(o, year=2027, request_date=date(2027, 9, 28))
    assert v.pending.due_date == date(2027, 10, 5)  # weekends only
    assert "2027年的节假日安排尚未录入" in v.pending.due_warning
    row = review.review_queue(o["g"])[0]
    assert row.due_warning == v.pending.due_warning
    o["clock"].set(2027, 10, 8)
    v = review.decide(o["g"], v.id, "approve", "同意")
    assert v.reviews[0].due_warning and v.reviews[0].overdue  # judged on weekends only
    # the admin enters the State Council notice (illustrative days) and declares 2027 complete
    holidays.add_days(o["admin"], [HolidayView(date(2027, 10, d), False, "国庆节") for d in range(1, 8)]
                      + [HolidayView(date(2027, 10, 9), True, "国庆调休")], complete_year=2027)
    v = relief.get_request(o["clerk"], v.id)
    assert v.pending.due_warning is None
    assert v.pending.due_date == date(2027, 10, 14)  # received 8 Oct: 9 (Sat, workday), 11, 12, 13, 14


def test_overdue_flags(o):
    v = submitted(o)  # due 10 Oct
    o["clock"].set(2026, 10, 12)
    assert review.review_queue(o["g"])[0].overdue
    assert relief.list_requests(o["admin"], RequestFilter(overdue=True)).total == 1
    v = review.decide(o["g"], v.id, "approve", "同意")
    assert v.reviews[0].overdue and v.reviews[0].due_date == date(2026, 10, 10)
    assert not v.pending.overdue
    assert relief.list_requests(o["admin"], RequestFilter(overdue=True)).total == 1  # a level decided late
    assert relief.list_requests(o["admin"], RequestFilter(overdue=False)).total == 0


def test_the_creator_cannot_approve_unless_the_policy_allows_it(o, ctx):
    solo = user_context(o["admin"], "solo", ["clerk", "reviewer"])
    users.set_reviewer_scopes(o["admin"], solo.actor.user_id, [(unit_id(ctx, GRASSROOTS), "grassroots")])
    v = relief.create_request(solo, quarterly(o["hh"], 500))
    v = relief.submit_request(solo, v.id)
    assert v.can_review
    with pytest.raises(InvalidTransition, match="经办人不能审批自己录入的申请"):
        review.decide(solo, v.id, "approve", "同意")
    v = review.decide(solo, v.id, "return", "请补充收入证明")  # returning is not restricted
    assert v.status == "returned"

    p = policies.in_force_policy(o["admin"], 2026)
    policies.save_policy(o["admin"], dataclasses.replace(p, self_approval_allowed=True))
    v = relief.submit_request(solo, v.id)  # judged again under the new version
    v = review.decide(solo, v.id, "approve", "同意（一人办公室）")
    assert v.self_approved and v.reviews[-1].self_approved and v.policy_version == 2
    with o["admin"].db.session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "approve")).scalars().all()[-1]
        assert "经办人本人审批" in entry.summary and entry.username == "solo"


def test_reviewer_may_lower_within_the_standard_but_not_raise(o):
    v = submitted(o, 600)
    v = review.decide(o["g"], v.id, "approve", "同意", amount_fen=yuan(550))
    with pytest.raises(InvalidTransition, match="只能核减"):
        review.decide(o["s"], v.id, "approve", "同意", amount_fen=yuan(600))
    with pytest.raises(InvalidTransition, match="低于标准下限"):
        review.decide(o["s"], v.id, "approve", "同意", amount_fen=yuan(350))
    v = review.decide(o["s"], v.id, "approve", "同意", amount_fen=yuan(350), justification="本级资金不足")
    v = review.decide(o["d"], v.id, "approve", "同意")
    assert v.approved_amount_fen == yuan(350) and v.requested_amount_fen == yuan(600)
    assert [r.amount_fen for r in v.reviews] == [yuan(550), yuan(350), yuan(350)]


@pytest.mark.parametrize("decision, opinion, amount, match", [
    ("approve", "", None, "审核意见"),
    ("reject", "   ", None, "审核意见"),
    ("return", "", None, "审核意见"),
    ("maybe", "好", None, "审核结论"),
    ("reject", "不符合条件", 100, "核定金额"),
])
def test_opinion_is_required(o, decision, opinion, amount, match):
    v = submitted(o)
    with pytest.raises(ValidationFailed, match=match):
        review.decide(o["g"], v.id, decision, opinion, amount_fen=amount)


def test_decided_time_is_automatic(o):
    assert not {"decided_at", "at", "when", "time", "date"} & set(inspect.signature(review.decide).parameters)
    v = submitted(o)
    o["clock"].at = datetime(2026, 9, 29, 7, 31, 12, tzinfo=timezone.utc)
    v = review.decide(o["g"], v.id, "approve", "同意")
    assert v.reviews[0].decided_at == datetime(2026, 9, 29, 7, 31, 12, tzinfo=timezone.utc)
    assert v.reviews[0].received_at == datetime(2026, 9, 28, 2, tzinfo=timezone.utc)


def test_reject_and_return_then_resubmit(o):
    v = submitted(o)
    o["clock"].set(2026, 9, 29)
    v = review.decide(o["g"], v.id, "approve", "同意")
    o["clock"].set(2026, 9, 30)
    v = review.decide(o["s"], v.id, "return", "缺少低保证明，请补充")
    assert v.status == "returned" and v.pending is None and not v.can_edit  # can_* are for the viewer
    assert relief.get_request(o["clerk"], v.id).can_edit
    o["clock"].set(2026, 10, 8)
    v = relief.update_request(o["clerk"], v.id, quarterly(o["hh"], 450, quarter=3, reason="补充了低保证明"))
    v = relief.submit_request(o["clerk"], v.id)
    o["clock"].set(2026, 10, 9)
    assert v.pending.level == "grassroots"  # review restarts at the first level
    v = review.decide(o["g"], v.id, "reject", "经核实家庭收入已超过标准")
    assert v.status == "rejected" and v.decided_at is not None
    assert [r.decision for r in v.reviews] == ["approve", "return", "reject"]
    assert [e.kind for e in v.timeline] == ["created", "submitted", "approve", "return", "submitted", "reject"]


def test_only_the_creator_withdraws(o):
    v = submitted(o)
    with pytest.raises(PermissionDenied):
        relief.withdraw(o["g"], v.id)
    with pytest.raises(InvalidTransition, match="经办人本人"):
        relief.withdraw(user_context(o["admin"], "clerk2", ["clerk"]), v.id)
    v = relief.withdraw(o["clerk"], v.id, "申请人已另行获得救助")
    assert v.status == "withdrawn" and review.review_queue(o["g"]) == []


@pytest.mark.parametrize("allowed", [False, True])
def test_one_reviewer_decides_one_level_of_a_request_unless_the_policy_allows_it(o, ctx, tmp_path, allowed):
    """Issue 8: 审核人老黄, bound to the grassroots and the street union, signed both levels."""
    from tests.documents.pdf_tools import pdftotext
    from zhibang_desktop.domain.policy_io import load_preset

    if allowed:
        policies.save_policy(o["admin"], dataclasses.replace(load_preset("增城"), year=2026,
                                                             several_levels_per_reviewer_allowed=True))
    laohuang = user_context(o["admin"], "laohuang", ["reviewer"])
    users.set_reviewer_scopes(o["admin"], laohuang.actor.user_id,
                              [(unit_id(ctx, GRASSROOTS), "grassroots"), (unit_id(ctx, "荔城街总工会"), "street")])
    v = review.decide(laohuang, submitted(o).id, "approve", "情况属实，同意上报")
    assert v.pending.level == "street"
    if allowed:
        v = review.decide(laohuang, v.id, "approve", "同意")
        assert [r.reviewer_name for r in v.reviews] == ["laohuang", "laohuang"]
        return
    assert [r.id for r in review.review_queue(laohuang)] == []  # not offered a second level
    for decision in ("approve", "reject", "return"):
        with pytest.raises(InvalidTransition, match="同一人不能审核同一申请的两个层级"):
            review.decide(laohuang, v.id, decision, "同意")
    assert relief.get_request(o["clerk"], v.id).reviews == v.reviews  # nothing written
    v = review.decide(o["s"], v.id, "approve", "同意")
    v = review.decide(o["d"], v.id, "approve", "同意救助")
    out = relief.print_approval(o["clerk"], v.id, tmp_path / "a.pdf")
    text = "".join(pdftotext(out)).replace(" ", "")
    assert [lv for lv in ("审核人：laohuang", "审核人：rev_s", "审核人：rev_d") if lv in text] == [
        "审核人：laohuang", "审核人：rev_s", "审核人：rev_d"]
