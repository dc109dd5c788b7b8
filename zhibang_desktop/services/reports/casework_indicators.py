"""Indicators from the work after payout: follow-up reach and satisfaction (seed 000 C24 ≥95 %,
seed 001: nobody followed up) and the 有责投诉率 (seed 000 C15, target 0; seed 001 信访及投诉次数).

A follow-up belongs to its payout line's request's union; a complaint to the union it is about.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.casework import SATISFACTION, SATISFIED
from ...domain.money import yuan_text
from ...storage.models import Complaint, DisbursementLine, FollowUp, ReliefRequest
from ..casework.followups import due_lines
from .common import household_key, indicator, not_answerable, payments_in
from .types import Indicator, IndicatorException

SATISFACTION_NAME = "受助职工满意度"
SATISFACTION_DEFINITION = "期内回访中表示满意或基本满意的人次 ÷ 期内联系上本人并回答满意度的回访人次"
SATISFACTION_SEED = "报告000 C24（标杆值≥95%）；报告004 满意度指标"


def _in_units(column, units):
    return column.in_(units) if units is not None else True


def satisfaction(s: Session, start: date, end: date, units) -> Indicator:
    rows = s.execute(
        select(FollowUp.id, FollowUp.followup_date, FollowUp.satisfaction, FollowUp.needs, FollowUp.household_id,
               DisbursementLine.request_id, DisbursementLine.id.label("line_id"), DisbursementLine.name)
        .join(DisbursementLine, DisbursementLine.id == FollowUp.line_id)
        .join(ReliefRequest, ReliefRequest.id == DisbursementLine.request_id)
        .where(FollowUp.reached.is_(True), FollowUp.satisfaction.is_not(None), FollowUp.followup_date >= start,
               FollowUp.followup_date <= end, _in_units(ReliefRequest.unit_id, units))
        .order_by(FollowUp.followup_date, FollowUp.id)).all()
    if not rows:
        return not_answerable("satisfaction", SATISFACTION_NAME, SATISFACTION_DEFINITION, SATISFACTION_SEED,
                              "期内没有联系上受助职工的回访记录（在“回访”页登记电话或上门回访后即可计算）")
    out = [IndicatorException("dissatisfied", f"{r.name} {r.followup_date.isoformat()} 回访："
                              f"{SATISFACTION[r.satisfaction]}" + (f"；后续需求：{r.needs}" if r.needs else ""),
                              r.household_id, r.request_id, r.line_id)
           for r in rows if r.satisfaction not in SATISFIED]
    return indicator("satisfaction", SATISFACTION_NAME, SATISFACTION_DEFINITION, SATISFACTION_SEED,
                     len(rows) - len(out), len(rows), out)


def followup_reach(s: Session, start: date, end: date, units) -> Indicator:
    """Lines paid in the period and due for a follow-up (all, or the sample) whose recipient was
    reached; a line not yet past its follow-up deadline and not yet reached is not counted."""
    as_of = min(end, clock.today())
    lines = [d for d in due_lines(s, units) if start <= d.paid_on <= end]
    counted = [d for d in lines if d.done or d.due_on < as_of]
    out = []
    for d in counted:
        if d.done:
            continue
        tried = "回访未联系上本人" if d.followups else "没有回访记录"
        out.append(IndicatorException(
            "followup_missing", f"{d.batch_number} {d.name} {d.paid_on.isoformat()} 发放 {yuan_text(d.amount_fen)} 元，"
            f"应于 {d.due_on.isoformat()} 前回访，{tried}，截至 {as_of.isoformat()} 逾期 {(as_of - d.due_on).days} 天",
            d.household_id, d.request_id, d.line_id))
    sample = sorted({d.sample_percent for d in lines})
    drawn = "全部" if sample in ([], [100]) else "抽取的 " + "、".join(f"{p}%" for p in sample)
    return indicator("followup_reach", "回访率",
                     f"期内发放且应回访（{drawn}）的明细中已联系上本人回访的笔数 ÷ 回访期限已过或已回访的笔数",
                     "报告001（未追踪了解救助对象的后续需求，建议电话抽查、入户回访）；报告000 C24",
                     len(counted) - len(out), len(counted), out)


def complaints(s: Session, start: date, end: date, units) -> Indicator:
    """At-fault complaints received in the period ÷ households aided in the period."""
    aided = s.execute(payments_in(
        [func.count(distinct(household_key()))],
        start, end, units)).scalar_one()
    rows = s.execute(
        select(Complaint).where(Complaint.received_on >= start, Complaint.received_on <= end,
                                _in_units(Complaint.unit_id, units))
        .order_by(Complaint.received_on, Complaint.id)).scalars().all()
    today = clock.today()
    out, at_fault = [], 0
    for c in rows:
        if c.at_fault:
            at_fault += 1
            out.append(IndicatorException("at_fault_complaint", f"{c.number} {c.received_on.isoformat()} 收到，"
                                          f"办结认定本单位有责：{c.result}", c.household_id, c.request_id, c.line_id))
        finished = c.closed_on if c.status == "closed" else today
        if finished > c.due_date:
            state = f"{c.closed_on.isoformat()} 才办结" if c.status == "closed" else "仍未办结"
            out.append(IndicatorException("complaint_late", f"{c.number} 应于 {c.due_date.isoformat()} 前办结，{state}，"
                                          f"晚 {(finished - c.due_date).days} 天", c.household_id, c.request_id,
                                          c.line_id))
    return indicator("complaints", "有责投诉率",
                     "期内收到、办结认定本单位有责的投诉数 ÷ 期内受助户数（超期办理的投诉也列出）",
                     "报告000 C15（标杆值 0）；报告001 信访及投诉次数", at_fault, int(aided), out)
