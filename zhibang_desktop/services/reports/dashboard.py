"""The dashboard (工作概览), the first page the head sees: a year's payouts month by month and
relief type by type, execution per fund source, requests by state, reviews overdue and
visits due — each figure computed with the same filter the list behind it uses, so that a
click on a bar opens exactly the rows it counts.

Scope: a user bound to a union sees only its subtree (payments and requests by the
request's union, households by their own, budget lines by the funds services' scope).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, exists, extract, func, or_, select, true
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.household import CATEGORIES
from ...storage.models import Household, Payment, PolicyVersion, ReliefRequest, Review
from .. import funds
from ..admin.visit_intervals import visit_intervals
from ..archive.store import VISIT_STATUSES
from ..context import AppContext, one_snapshot
from ..relief.calendar import work_calendar
from ..relief.policies import policy_of
from ..relief.store import OPEN
from ..relief.types import STATUS_LABELS
from .common import report_units

READ = "report.read"
DUE_SOON_DAYS = 30  # as the 走访核查 page's "due soon" view
OTHER_TYPE = "其他类型"


@dataclass(frozen=True)
class MonthlyPayouts:
    """One relief type's payments of the year, month by month (index 0 = January)."""

    relief_type: str
    name: str
    amounts_fen: tuple[int, ...]
    counts: tuple[int, ...]

    @property
    def total_fen(self) -> int:
        return sum(self.amounts_fen)


@dataclass(frozen=True)
class SourceExecution:
    code: str
    name: str
    budget_fen: int
    spent_fen: int  # paid + allocated to lower unions
    committed_fen: int  # approved or in a batch, not paid yet
    rate_bp: int | None  # spent ÷ budget in basis points


@dataclass(frozen=True)
class StateCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class OverdueLevel:
    """Open requests at one review level that the relief list calls overdue."""

    level: str
    name: str
    count: int
    late_now: int  # of these, the level they wait at is itself past its due date
    most_working_days_late: int


@dataclass(frozen=True)
class VisitsDue:
    category: str
    label: str
    interval_months: int | None
    overdue: int
    due_soon: int  # due within DUE_SOON_DAYS days, not yet overdue


@dataclass(frozen=True)
class Dashboard:
    year: int
    as_of: date
    payouts: tuple[MonthlyPayouts, ...]
    execution: tuple[SourceExecution, ...]
    execution_total: SourceExecution
    requests_by_state: tuple[StateCount, ...]
    overdue_reviews: tuple[OverdueLevel, ...]
    visits: tuple[VisitsDue, ...]
    due_soon_days: int = DUE_SOON_DAYS

    @property
    def payout_total_fen(self) -> int:
        return sum(p.total_fen for p in self.payouts)

    def month_total_fen(self, month: int) -> int:
        return sum(p.amounts_fen[month - 1] for p in self.payouts)

    @property
    def overdue_total(self) -> int:
        return sum(o.count for o in self.overdue_reviews)


@one_snapshot
def dashboard(ctx: AppContext, year: int, unit_id: int | None = None) -> Dashboard:
    """The dashboard of `year` within the user's scope (today's figures for the open work);
    with `unit_id` that union's subtree only (in city mode: one county)."""
    today = clock.today()
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        units = report_units(s, ctx.actor, unit_id)
        payouts = _monthly_payouts(s, year, units)
        states = _requests_by_state(s, year, units)
        overdue = _overdue_reviews(s, units, today)
        visits = _visits_due(s, units, today)
    report = funds.execution(ctx, year, min(today, date(year, 12, 31)), unit_id)  # its own read, same scope rules
    sources = tuple(_source(row.key, row.label, row.figures) for row in report.by_source)
    return Dashboard(year, today, payouts, sources, _source("", "合计", report.total), states, overdue, visits)


def _source(code: str, name: str, f) -> SourceExecution:
    return SourceExecution(code, name, f.budget_fen, f.spent_fen, f.committed_fen, f.rate_bp)


def _in_units(column, units: set[int] | None):
    return true() if units is None else column.in_(sorted(units))


def _monthly_payouts(s: Session, year: int, units: set[int] | None) -> tuple[MonthlyPayouts, ...]:
    """Payments made in `year` (by payout date), per relief type and month. A payment belongs to
    its request's union, or its household's when it has no request (ledger imports)."""
    unit = func.coalesce(ReliefRequest.unit_id, Household.unit_id)
    month = extract("month", Payment.paid_on)
    q = (select(Payment.relief_type, month, func.count(), func.sum(Payment.amount_fen))
         .outerjoin(ReliefRequest, ReliefRequest.id == Payment.request_id)
         .outerjoin(Household, Household.id == Payment.household_id)
         .where(Payment.paid_on >= date(year, 1, 1), Payment.paid_on <= date(year, 12, 31))
         .group_by(Payment.relief_type, month))
    if units is not None:
        q = q.where(unit.in_(sorted(units)))
    amounts: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for code, m, count, amount in s.execute(q):
        amounts[code][int(m) - 1] += int(amount or 0)
        counts[code][int(m) - 1] += int(count)
    names = _type_names(s, year)
    order = {code: i for i, code in enumerate(names)}
    codes = sorted(amounts, key=lambda c: (order.get(c, len(order)), c))
    return tuple(MonthlyPayouts(c, names.get(c, OTHER_TYPE), tuple(amounts[c]), tuple(counts[c])) for c in codes)


def _type_names(s: Session, year: int) -> dict[str, str]:
    """Relief type code -> name: the year's policy in force first, then any other version."""
    names: dict[str, str] = {}
    rows = s.execute(select(PolicyVersion).order_by(
        (PolicyVersion.year == year).desc(), PolicyVersion.in_force.desc(), PolicyVersion.year.desc(),
        PolicyVersion.version.desc())).scalars()
    for row in rows:
        for rt in policy_of(row).relief_types:
            names.setdefault(rt.code, rt.name)
    return names


def _requests_by_state(s: Session, year: int, units: set[int] | None) -> tuple[StateCount, ...]:
    q = (select(ReliefRequest.status, func.count())
         .where(ReliefRequest.period_year == year, _in_units(ReliefRequest.unit_id, units))
         .group_by(ReliefRequest.status))
    found = dict(s.execute(q).all())
    return tuple(StateCount(code, label, int(found.get(code, 0))) for code, label in STATUS_LABELS.items())


def _overdue_reviews(s: Session, units: set[int] | None, today: date) -> tuple[OverdueLevel, ...]:
    """Open requests the relief list shows as 审核超期 (its filter: the level waiting is past its
    due date, or a level was decided late), by the level they wait at."""
    late = or_(ReliefRequest.due_date < today,
               exists().where(Review.request_id == ReliefRequest.id, Review.overdue.is_(True)))
    q = (select(ReliefRequest.current_level, ReliefRequest.level_index, ReliefRequest.chain, ReliefRequest.due_date)
         .where(ReliefRequest.status.in_(OPEN), late, _in_units(ReliefRequest.unit_id, units)))
    cal = None
    acc: dict[str, dict] = {}
    for level, index, chain, due in s.execute(q):
        step = (chain or [])[index] if chain and index is not None and index < len(chain) else {}
        code = level or ""
        entry = acc.setdefault(code, {"name": step.get("name") or "审核中", "count": 0, "late": 0, "most": 0,
                                      "order": index if index is not None else 99})
        entry["count"] += 1
        if due is not None and due < today:
            cal = cal or work_calendar(s)
            entry["late"] += 1
            entry["most"] = max(entry["most"], cal.working_days_between(due, today))
    return tuple(OverdueLevel(code, e["name"], e["count"], e["late"], e["most"])
                 for code, e in sorted(acc.items(), key=lambda kv: (kv[1]["order"], kv[0])))


def _visits_due(s: Session, units: set[int] | None, today: date) -> tuple[VisitsDue, ...]:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    q = (select(Household.category,
                func.sum(case((Household.next_visit_due < today, 1), else_=0)),
                func.sum(case((Household.next_visit_due >= today, 1), else_=0)))
         .where(Household.status.in_(VISIT_STATUSES), Household.next_visit_due.is_not(None),
                Household.next_visit_due <= soon, _in_units(Household.unit_id, units))
         .group_by(Household.category))
    found = {cat: (int(late or 0), int(due or 0)) for cat, late, due in s.execute(q)}
    intervals = visit_intervals(s)
    return tuple(VisitsDue(code, label, intervals.get(code), *found.get(code, (0, 0)))
                 for code, label in CATEGORIES.items())
