"""Indicators over the work behind the payouts: plan completion (000 C11), review timeliness
(001, 5 working days a level), visits done when due (002), archive updates entered within
30 days (002, 000) and the 6-month 渐退期 (002).

A household belongs to its own union; a request and its reviews to the request's union.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.household import last_visit_overdue_by, next_visit_due
from ...domain.money import yuan_text
from ...storage.models import (
    DisbursementLine, Household, Payment, ReliefRequest, RequestPayoutClaim, Review, Visit,
)
from ...storage.sql_dates import days_after
from ..admin.visit_intervals import visit_intervals
from ..payout.types import LINE_STATE_LABELS
from .common import indicator, late_text, utc_bounds
from .types import Indicator, IndicatorException

UPDATE_DAYS = 30  # seed 002: 变化及时更新（30日内）; seed 000: 发放后 30 天内录入
CATEGORY_NAMES = {"deep": "深度困难", "relative": "相对困难", "accident": "意外致困"}


def _in_units(column, units):
    return column.in_(units) if units is not None else True


# ---------------------------------------------------------------- 000 C11 plan completion

def plan_completion(s: Session, start: date, end: date, units) -> Indicator:
    lo, hi = utc_bounds(start, end)
    approved = (ReliefRequest.status == "approved", ReliefRequest.source == "entered",
                ReliefRequest.decided_at >= lo, ReliefRequest.decided_at < hi, _in_units(ReliefRequest.unit_id, units))
    total = int(s.execute(select(func.count(ReliefRequest.id)).where(*approved)).scalar_one())
    paid_by_end = select(Payment.request_id).where(Payment.request_id.is_not(None), Payment.paid_on <= end)
    rows = s.execute(
        select(ReliefRequest.id, ReliefRequest.household_id, ReliefRequest.number, ReliefRequest.name,
               ReliefRequest.approved_fen, ReliefRequest.decided_at, DisbursementLine.id.label("line_id"),
               DisbursementLine.state, DisbursementLine.renounce_reason, DisbursementLine.return_reason)
        .outerjoin(RequestPayoutClaim, RequestPayoutClaim.request_id == ReliefRequest.id)
        .outerjoin(DisbursementLine, DisbursementLine.id == RequestPayoutClaim.line_id)
        .where(*approved, ReliefRequest.id.not_in(paid_by_end)).order_by(ReliefRequest.decided_at, ReliefRequest.id)
    ).all()
    as_of = min(end, clock.today())  # a period still running is judged as of today
    out = []
    for r in rows:
        state = "未进入发放批次" if r.state is None else LINE_STATE_LABELS.get(r.state, r.state)
        why = r.renounce_reason or r.return_reason or ""
        out.append(IndicatorException(
            "not_paid", f"{r.number} {r.name} {clock.local_date(r.decided_at).isoformat()} 审批通过 "
            f"{yuan_text(r.approved_fen or 0)} 元，截至 {as_of.isoformat()} 未发放（{state}）",
            r.household_id, r.id, r.line_id, why))
    return indicator("plan_completion", "项目计划完成率",
                     "期内审批通过且在期末前已发放的申请数 ÷ 期内审批通过的申请数（历史台账不计入）",
                     "报告000 C11", total - len(out), total, out)


# ---------------------------------------------------------------- 001 review timeliness

def review_timeliness(s: Session, start: date, end: date, units, cal) -> Indicator:
    lo, hi = utc_bounds(start, end)
    where = (Review.decided_at >= lo, Review.decided_at < hi, _in_units(ReliefRequest.unit_id, units))
    base = select(func.count(Review.id)).join(ReliefRequest, ReliefRequest.id == Review.request_id).where(*where)
    total = int(s.execute(base).scalar_one())
    late = s.execute(
        select(Review.request_id, ReliefRequest.household_id, ReliefRequest.number, ReliefRequest.name,
               Review.level_name, Review.level, Review.reviewer_name, Review.due_date, Review.decided_at)
        .join(ReliefRequest, ReliefRequest.id == Review.request_id)
        .where(*where, Review.overdue.is_(True)).order_by(Review.decided_at, Review.id)).all()
    out = []
    for r in late:
        decided = clock.local_date(r.decided_at)
        out.append(IndicatorException(
            "late_review", f"{r.number} {r.name}：{r.level_name or r.level}应于 {r.due_date.isoformat()} 前审核，"
            f"{decided.isoformat()} 才审核（{r.reviewer_name}），{late_text(cal, r.due_date, decided)}",
            r.household_id, r.request_id, None))
    return indicator("review_timeliness", "审核及时率",
                     "期内在规定工作日内（每级 5 个工作日，以政策为准）作出的审核决定数 ÷ 期内全部审核决定数",
                     "报告001 救助资金审核发放及时率", total - len(out), total, out)


# ---------------------------------------------------------------- 002 visits and updates

def _in_archive_at(day: date):
    return (Household.archived_on.is_not(None), Household.archived_on <= day,
            (Household.exited_on.is_(None)) | (Household.exited_on > day))


def visits_on_time(s: Session, start: date, end: date, units) -> Indicator:
    """Households in the archive at the end of the period (or today, if earlier) whose next
    visit, counted from their last visit by then, is not overdue.  Counted in the database: a
    household is overdue when its last visit is on or before its category's
    :func:`last_visit_overdue_by`, or, never visited, when it was archived before that day; only
    the overdue ones are read, for their lines."""
    as_of = min(end, clock.today())
    intervals = visit_intervals(s)
    counted = (*_in_archive_at(as_of), _in_units(Household.unit_id, units), Household.category.in_(list(intervals)))
    total = int(s.execute(select(func.count(Household.id)).where(*counted)).scalar_one())
    last = (select(Visit.household_id, func.max(Visit.visit_date).label("last_visit"))
            .where(Visit.visit_date <= as_of).group_by(Visit.household_id).subquery())
    overdue = or_(and_(last.c.last_visit.is_(None), Household.archived_on < as_of),
                  *(and_(Household.category == category, last.c.last_visit <= last_visit_overdue_by(as_of, months))
                    for category, months in intervals.items()))
    rows = s.execute(
        select(Household.id, Household.name, Household.archive_no, Household.category, Household.archived_on,
               last.c.last_visit)
        .outerjoin(last, last.c.household_id == Household.id)
        .where(*counted, overdue).order_by(Household.id)).all()
    out = []
    for r in rows:
        due = next_visit_due(r.category, r.last_visit, r.archived_on, intervals)
        seen = f"上次走访 {r.last_visit.isoformat()}" if r.last_visit else "建档后没有走访记录"
        out.append(IndicatorException(
            "visit_overdue", f"{r.archive_no} {r.name}（{CATEGORY_NAMES.get(r.category, r.category)}）"
            f"应于 {due.isoformat()} 前走访，{seen}，截至 {as_of.isoformat()} 逾期 {(as_of - due).days} 天",
            r.id, None, None))
    months = "、".join(f"{CATEGORY_NAMES.get(c, c)}每 {m} 个月" for c, m in intervals.items())
    return indicator("visits_on_time", "走访核查按时率",
                     f"期末在档且走访未逾期的户数 ÷ 期末在档户数（{months}走访一次）",
                     "报告002 附件3（深度困难户每年核查 1 次，相对和意外户 2 次）", total - len(out), total, out)


def archive_updates(s: Session, start: date, end: date, units) -> Indicator:
    """Visits of the period entered into the archive within 30 days of the visit.  Counted in the
    database; only the visits entered 30 or more days later by the UTC date are read, and of
    those the ones more than 30 days later by the local date fall short (the local date is at
    most a day later)."""
    of_period = (Visit.visit_date >= start, Visit.visit_date <= end, _in_units(Household.unit_id, units))
    total = int(s.execute(select(func.count(Visit.id)).join(Household, Household.id == Visit.household_id)
                          .where(*of_period)).scalar_one())
    rows = s.execute(
        select(Visit.household_id, Visit.visit_date, Visit.created_at, Household.name, Household.archive_no)
        .join(Household, Household.id == Visit.household_id)
        .where(*of_period, Visit.created_at >= days_after(Visit.visit_date, UPDATE_DAYS))
        .order_by(Visit.visit_date, Visit.id)).all()
    out = []
    for r in rows:
        entered = clock.local_date(r.created_at)
        days = (entered - r.visit_date).days
        if days > UPDATE_DAYS:
            out.append(IndicatorException(
                "late_update", f"{r.archive_no} {r.name} {r.visit_date.isoformat()} 的走访 {entered.isoformat()} 才录入，"
                f"晚 {days - UPDATE_DAYS} 天（应在 {UPDATE_DAYS} 日内）", r.household_id, None, None))
    return indicator("archive_updates", "档案及时更新率",
                     f"走访后 {UPDATE_DAYS} 日内录入档案的走访记录数 ÷ 期内走访记录数",
                     "报告002 附件3（变化及时更新，30日内）；报告000（发放后30天内录入）", total - len(out),
                     total, out)


def phase_out(s: Session, start: date, end: date, units) -> Indicator:
    """Households that left the archive in the period after a full 渐退期."""
    rows = s.execute(
        select(Household.id, Household.name, Household.archive_no, Household.exited_on, Household.phase_out_until,
               Household.exit_decided_on, Household.exit_reason)
        .where(Household.exited_on >= start, Household.exited_on <= end, _in_units(Household.unit_id, units))
        .order_by(Household.exited_on, Household.id)).all()
    out = []
    for r in rows:
        if r.phase_out_until is not None and r.exited_on >= r.phase_out_until:
            continue
        got = (f"渐退期至 {r.phase_out_until.isoformat()}，{r.exited_on.isoformat()} 提前退档"
               if r.phase_out_until else f"{r.exited_on.isoformat()} 直接退档，没有渐退期")
        out.append(IndicatorException("no_phase_out", f"{r.archive_no} {r.name}：{got}", r.id, None, None,
                                      r.exit_reason or ""))
    return indicator("phase_out", "渐退期落实率",
                     "期内退档时已过满 6 个月渐退期的户数 ÷ 期内退档户数（死亡、迁出等直接退档的列为例外并附原因）",
                     "报告002 附件3（脱困给予 6 个月渐退期）", len(rows) - len(out), len(rows), out)
