"""回访 after payout: the due list (every paid line, or the admin's recorded sample), recording a
call or a visit, its checks, scope and audit (seed 001: nobody followed up; seed 000 C24)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.admin_helpers import audit_count, snapshot
from tests.archive_helpers import scoped, with_roles
from zhibang_desktop.domain.casework import in_sample, sample_score
from zhibang_desktop.services import casework
from zhibang_desktop.services.admin.settings import update_settings
from zhibang_desktop.services.casework import FollowUpInput
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed
from zhibang_desktop.storage.models import AuditEntry

from .casework_helpers import paid_lines


def call(line_id: int, on: date = date(2026, 3, 25), **kw) -> FollowUpInput:
    values = dict(method="phone", followup_date=on, by_name="陈晓", reached=True, money_arrived=True,
                  satisfaction="satisfied")
    values.update(kw)
    return FollowUpInput(line_id, **values)


def test_lifecycle_due_recorded_done(ctx, monkeypatch):
    clock, made, lines = paid_lines(ctx, monkeypatch, 3)
    due = casework.followup_list(ctx)
    assert [d.line_id for d in due] == [line.id for line in lines]
    assert all(d.due_on == date(2026, 4, 19) and d.sample_percent == 100 and not d.done for d in due)
    clock.day(date(2026, 3, 25))
    # not reached: still due, the attempt is kept
    got = casework.record_followup(ctx, call(lines[0].id, reached=False, money_arrived=None, satisfaction=None))
    assert not got.done and len(got.followups) == 1
    got = casework.record_followup(ctx, call(lines[0].id, needs="孩子明年上大学，学费仍困难"))
    assert got.done and got.followups[-1].needs == "孩子明年上大学，学费仍困难"
    casework.record_followup(ctx, call(lines[1].id, method="visit", satisfaction="dissatisfied", money_arrived=False))
    assert [d.line_id for d in casework.followup_list(ctx)] == [lines[2].id]
    everything = casework.followup_list(ctx, due_only=False)
    assert [d.done for d in everything] == [True, True, False]
    assert everything[2].overdue_days(date(2026, 4, 29)) == 10
    with ctx.db.session() as s:
        summaries = [e.summary for e in s.execute(select(AuditEntry).where(AuditEntry.entity == "followup")).scalars()]
    assert len(summaries) == 3 and "未联系上" in summaries[0] and "未到账，不满意" in summaries[2]


@pytest.mark.parametrize("change, field, message", [
    (dict(method="email"), "回访方式", "电话回访、上门回访"),
    (dict(followup_date=date(2026, 3, 26)), "回访日期", "不能晚于今天"),
    (dict(followup_date=date(2026, 3, 19)), "回访日期", "不能早于发放日期 2026-03-20"),
    (dict(by_name=" "), "回访人", "请填写回访人"),
    (dict(money_arrived=None), "资金是否到账", "请选择是否到账"),
    (dict(satisfaction="good"), "满意度", "满意、基本满意、不满意"),
    (dict(reached=False), "满意度", "未联系上本人时不填写"),
])
def test_bad_input_names_the_field_and_changes_nothing(ctx, monkeypatch, change, field, message):
    clock, _, lines = paid_lines(ctx, monkeypatch, 1)
    clock.day(date(2026, 3, 25))
    before = snapshot(ctx.db)
    with pytest.raises(ValidationFailed) as err:
        casework.record_followup(ctx, call(lines[0].id, **change))
    assert any(p.label == field and message in p.message for p in err.value.problems)
    assert snapshot(ctx.db) == before


def test_a_line_not_paid_cannot_be_followed_up(ctx, monkeypatch):
    from zhibang_desktop.services import payout
    from zhibang_desktop.services.payout.types import BatchInput, LinePlan
    from .payout_helpers import Clock, approved, noticed

    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 1)
    noticed(ctx, clock)
    batch = payout.create_batch(ctx, BatchInput(pay_date=date(2026, 3, 20), lines=[LinePlan(made.request_ids[0])]))
    with pytest.raises(ValidationFailed, match="尚未发放"):
        casework.record_followup(ctx, call(batch.lines[0].id, on=date(2026, 3, 5)))
    assert casework.followup_list(ctx) == []


def test_sample_is_deterministic_and_recorded_by_pay_date(ctx, monkeypatch):
    clock, _, lines = paid_lines(ctx, monkeypatch, 40)
    clock.day(date(2026, 3, 21))
    update_settings(ctx, followup_sample_percent=30)  # from 03-21 on: the 03-20 payout keeps 100 %
    assert len(casework.followup_list(ctx)) == 40
    clock2, _, later = paid_lines(ctx, monkeypatch, 40, paid_on=date(2026, 3, 27), seq0=100)
    drawn = [d for d in casework.followup_list(ctx) if d.paid_on == date(2026, 3, 27)]
    expected = [line.id for line in later if sample_score(line.id) < 3000]
    assert [d.line_id for d in drawn] == expected and 0 < len(expected) < 40
    assert all(d.sample_percent == 30 for d in drawn)
    # a later change does not redraw the payout of 03-27
    clock2.day(date(2026, 3, 30))
    update_settings(ctx, followup_sample_percent=100)
    assert [d.line_id for d in casework.followup_list(ctx) if d.paid_on == date(2026, 3, 27)] == expected


@pytest.mark.parametrize("line_id, percent, drawn", [(1, 100, True), (1, 1, sample_score(1) < 100),
                                                      (7, 50, sample_score(7) < 5000)])
def test_sample_rule(line_id, percent, drawn):
    assert in_sample(line_id, percent) is drawn
    assert 0 <= sample_score(line_id) < 10000


def test_sample_spreads_evenly():
    share = sum(in_sample(i, 30) for i in range(1, 10001)) / 10000
    assert 0.28 < share < 0.32


def test_scope_and_permission(ctx, monkeypatch):
    clock, made, lines = paid_lines(ctx, monkeypatch, 3)  # units: 荔城街 factory, 新塘镇 factory, 区直机关
    clock.day(date(2026, 3, 25))
    licheng = scoped(ctx, "荔城街总工会")
    mine = casework.followup_list(licheng)
    assert [d.name for d in mine] == [lines[0].name]
    before = audit_count(ctx.db)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        casework.record_followup(licheng, call(lines[1].id))
    with pytest.raises(PermissionDenied):
        casework.record_followup(with_roles(ctx, "reviewer"), call(lines[0].id))
    assert audit_count(ctx.db) == before
    casework.record_followup(licheng, call(lines[0].id))
