"""Shared by the reports services: the permission, the period and the union scope of a report,
and the helpers that turn counts into an :class:`Indicator`.

Scope: a user bound to a union subtree reports on that subtree only; ``unit_id`` narrows the
report to one union's subtree within what the user may see (outside it: PermissionDenied).
A record belongs to the union of its relief request (or of its household when it has no request).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from ...storage.models import Household, Payment, ReliefRequest
from ..admin.org import narrowed, units_within  # noqa: F401 (narrowed: the reports' import)
from ..errors import FieldProblem, ValidationFailed
from .types import Indicator, IndicatorException

READ = "report.read"
OUT_OF_SCOPE = "该工会不在当前用户的管辖范围内，不能查看它的报表"


def check_period(start: date, end: date) -> None:
    problems = []
    for field, label, value in (("start", "开始日期", start), ("end", "结束日期", end)):
        if not isinstance(value, date) or isinstance(value, datetime):
            problems.append(FieldProblem(field, label, "请填写日期"))
    if not problems and end < start:
        problems.append(FieldProblem("end", "结束日期", f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}"))
    if problems:
        raise ValidationFailed(problems)


def report_units(session: Session, actor, unit_id: int | None) -> set[int] | None:
    """The unions a report covers: None = the whole office (no scope, no narrowing)."""
    return units_within(session, actor, unit_id, OUT_OF_SCOPE)


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 local, the day after end 00:00 local) in UTC, for time stamps."""
    lo = datetime.combine(start, time()).astimezone().astimezone(timezone.utc)
    hi = datetime.combine(end + timedelta(days=1), time()).astimezone().astimezone(timezone.utc)
    return lo, hi


def payment_unit():
    """The union a payment belongs to: its request's, else its household's."""
    return func.coalesce(ReliefRequest.unit_id, Household.unit_id)


def payments_in(columns, start: date, end: date, units: set[int] | None):
    """A select of ``columns`` over the payments (ledger and disbursement) paid in [start, end]
    within ``units``; Payment, ReliefRequest and Household are joined."""
    q = (select(*columns).select_from(Payment)
         .outerjoin(ReliefRequest, ReliefRequest.id == Payment.request_id)
         .outerjoin(Household, Household.id == Payment.household_id)
         .where(Payment.paid_on >= start, Payment.paid_on <= end))
    if units is not None:
        q = q.where(payment_unit().in_(units))
    return q


def household_key():
    """A household, or a person not in the archive, as one key (for counting aided households)."""
    return func.coalesce(cast(Payment.household_id, String), Payment.id_number)


def indicator(key: str, name: str, definition: str, seed: str, numerator: int, denominator: int,
              exceptions: list[IndicatorException] | tuple[IndicatorException, ...]) -> Indicator:
    value = numerator / denominator if denominator else None
    return Indicator(key, name, definition, seed, numerator, denominator, value, True, "", tuple(exceptions))


def not_answerable(key: str, name: str, definition: str, seed: str, reason: str) -> Indicator:
    return Indicator(key, name, definition, seed, None, None, None, False, reason, ())


def who_paid(name: str, on: date) -> str:
    return f"{name}（{on.isoformat()} 发放）"


def late_text(cal, due: date, done: date) -> str:
    """How late `done` is after the deadline `due`: 晚 N 个工作日. A deadline passed only by rest
    days (decided on the Saturday after a Friday deadline) is late by the date, not by a whole
    working day, and says so instead of 晚 0 个工作日."""
    days = cal.working_days_between(due, done)
    if days:
        return f"晚 {days} 个工作日"
    return f"晚 {(done - due).days} 天（截止后的休息日，未满 1 个工作日）"
