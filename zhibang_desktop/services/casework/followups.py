"""回访: after payout, a call or a visit to the recipient — did the money arrive, are they
satisfied, what do they still need (seed 001: nobody followed up; seed 000 C24: satisfaction).

Which paid lines are due: every one, or the sample the admin sets (系统设置: a percentage).
The sample is deterministic and recorded: a line is drawn when its fixed score
(``domain.casework.sample_score``) is below the percentage in force on its pay date, and the
percentage's history is kept in the settings, so the same lines are due on every PC and a later
change does not redraw past payouts. A line is due within ``followup_days`` of its payout.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.casework import FOLLOWUP_METHODS, SATISFACTION, in_sample
from ...domain.payout_states import PAID_STATES
from ...storage.models import Disbursement, DisbursementLine, FollowUp, ReliefRequest
from ..admin.org import visible_unit_ids
from ..admin.settings import read_settings, sample_percent_on
from ..context import AppContext
from ..errors import FieldProblem, PermissionDenied, ValidationFailed
from ..payout.common import get_or_404
from .types import FollowUpDue, FollowUpInput, FollowUpView

READ = "relief.read"
RECORD = "followup.record"
LABELS = {"line_id": "发放明细", "method": "回访方式", "followup_date": "回访日期", "by_name": "回访人",
          "money_arrived": "资金是否到账", "satisfaction": "满意度", "needs": "后续需求", "remark": "备注"}


def _view(f: FollowUp) -> FollowUpView:
    return FollowUpView(f.id, f.line_id, f.method, f.followup_date, f.by_name, f.reached, f.money_arrived,
                        f.satisfaction, f.needs, f.remark, f.created_by)


def _paid_lines(session: Session, units: set[int] | None, line_ids=None):
    q = (select(DisbursementLine, Disbursement.number)
         .join(Disbursement, Disbursement.id == DisbursementLine.batch_id)
         .join(ReliefRequest, ReliefRequest.id == DisbursementLine.request_id)
         .where(DisbursementLine.state.in_(PAID_STATES), DisbursementLine.paid_on.is_not(None))
         .order_by(DisbursementLine.paid_on, DisbursementLine.id))
    if units is not None:
        q = q.where(ReliefRequest.unit_id.in_(units))
    if line_ids is not None:
        q = q.where(DisbursementLine.id.in_(line_ids))
    return session.execute(q).all()


def due_lines(session: Session, units: set[int] | None, line_ids=None, *, sampled_only: bool = True
              ) -> list[FollowUpDue]:
    """Every paid line in the sample of its pay date (``sampled_only=False``: every paid line),
    with its follow-ups (oldest first)."""
    settings = read_settings(session)
    days = timedelta(days=settings.followup_days)
    percents: dict[date, int] = {}
    drawn = []
    for line, number in _paid_lines(session, units, line_ids):
        if line.paid_on not in percents:
            percents[line.paid_on] = sample_percent_on(session, line.paid_on)
        if not sampled_only or in_sample(line.id, percents[line.paid_on]):
            drawn.append((line, number))
    done: dict[int, list[FollowUpView]] = {}
    ids = [line.id for line, _ in drawn]
    for start in range(0, len(ids), 500):
        rows = session.execute(select(FollowUp).where(FollowUp.line_id.in_(ids[start:start + 500]))
                               .order_by(FollowUp.followup_date, FollowUp.id)).scalars()
        for f in rows:
            done.setdefault(f.line_id, []).append(_view(f))
    return [FollowUpDue(line.id, number, line.household_id, line.request_id, line.name, line.unit_name,
                        line.relief_type_label, line.amount_fen, line.paid_on, line.paid_on + days,
                        percents[line.paid_on], tuple(done.get(line.id, ())))
            for line, number in drawn]


def followup_list(ctx: AppContext, due_only: bool = True) -> list[FollowUpDue]:
    """The sampled paid lines of the user's unions; ``due_only``: those not yet followed up
    (no call or visit that reached the recipient), the longest overdue first."""
    with ctx.tx(READ, read_only=True) as tx:
        lines = due_lines(tx.session, visible_unit_ids(tx.session, ctx.actor))
    if due_only:
        lines = [d for d in lines if not d.done]
        lines.sort(key=lambda d: (d.due_on, d.line_id))
    return lines


def followup_problems(f: FollowUpInput, paid_on: date | None = None) -> list[FieldProblem]:
    problems = []

    def add(field: str, message: str) -> None:
        problems.append(FieldProblem(field, LABELS[field], message))

    if f.method not in FOLLOWUP_METHODS:
        add("method", "请选择：" + "、".join(FOLLOWUP_METHODS.values()))
    if not isinstance(f.followup_date, date):
        add("followup_date", "请填写日期")
    elif f.followup_date > clock.today():
        add("followup_date", "不能晚于今天")
    elif paid_on is not None and f.followup_date < paid_on:
        add("followup_date", f"不能早于发放日期 {paid_on.isoformat()}")
    if not f.by_name:
        add("by_name", "请填写回访人")
    elif len(f.by_name) > 50:
        add("by_name", "不能超过 50 个字")
    if f.reached:
        if f.money_arrived is None:
            add("money_arrived", "请选择是否到账")
        if f.satisfaction not in SATISFACTION:
            add("satisfaction", "请选择：" + "、".join(SATISFACTION.values()))
    elif f.satisfaction is not None or f.money_arrived is not None:
        add("satisfaction", "未联系上本人时不填写到账情况和满意度")
    return problems


def record_followup(ctx: AppContext, followup: FollowUpInput) -> FollowUpDue:
    """Record a call or visit to the recipient of a paid line; returns the line with its follow-ups."""
    followup = replace(followup, by_name=(followup.by_name or "").strip(), needs=(followup.needs or "").strip(),
                       remark=(followup.remark or "").strip())
    problems = followup_problems(followup)
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(RECORD) as tx:
        s = tx.session
        line = get_or_404(s, DisbursementLine, followup.line_id, "发放明细")
        units = visible_unit_ids(s, ctx.actor)
        unit = s.execute(select(ReliefRequest.unit_id).where(ReliefRequest.id == line.request_id)).scalar_one()
        if units is not None and unit not in units:
            raise PermissionDenied(f"{line.name} 的发放明细不在当前用户的管辖范围内")
        if line.state not in PAID_STATES or line.paid_on is None:
            raise ValidationFailed([FieldProblem("line_id", LABELS["line_id"], f"{line.name} 的这笔救助金尚未发放，不能回访")])
        problems = followup_problems(followup, line.paid_on)
        if problems:
            raise ValidationFailed(problems)
        row = FollowUp(line_id=line.id, household_id=line.household_id, method=followup.method,
                       followup_date=followup.followup_date, by_name=followup.by_name, reached=followup.reached,
                       money_arrived=followup.money_arrived, satisfaction=followup.satisfaction,
                       needs=followup.needs, remark=followup.remark, created_at=clock.now(),
                       created_by=ctx.actor.username)
        s.add(row)
        s.flush()
        outcome = (f"{'已到账' if followup.money_arrived else '未到账'}，{SATISFACTION[followup.satisfaction]}"
                   if followup.reached else "未联系上")
        tx.audit("create", "followup", row.id, household_id=line.household_id,
                 summary=f"回访 {line.name}（{FOLLOWUP_METHODS[followup.method]} "
                         f"{followup.followup_date.isoformat()}）：{outcome}",
                 changes=[[LABELS["method"], "", FOLLOWUP_METHODS[followup.method]],
                          [LABELS["followup_date"], "", followup.followup_date.isoformat()],
                          [LABELS["by_name"], "", followup.by_name], ["结果", "", outcome],
                          [LABELS["needs"], "", followup.needs]])
        # a line outside the sample may be followed up too (after a complaint, a visit nearby)
        return due_lines(s, None, [line.id], sampled_only=False)[0]
