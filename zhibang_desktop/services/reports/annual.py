"""The annual report (年度帮扶工作报表): per relief type as seed 000's table 1-3, per fund source
with its execution (funds service), per union, and the indicators — for the whole office or a
union subtree.  Every figure is a SQL aggregate over the year's payments."""
from __future__ import annotations

from datetime import date

from sqlalchemy import distinct, func, select

from ...domain import clock
from ...storage.models import Household, OrgUnit, Payment, ReliefRequest
from ..admin.settings import read_settings
from ..errors import FieldProblem, ValidationFailed
from ..funds import execution
from .common import READ, household_key, payment_unit, payments_in, report_units
from .indicators import indicators_with
from .labels import TypeNames
from .types import AnnualReport, SourceRow, TypeRow, UnionRow
from ..context import one_snapshot


def _person_key():
    return func.coalesce(ReliefRequest.person_id_number, Payment.id_number)


def _average(amount: int, households: int) -> int | None:
    return (amount * 2 + households) // (households * 2) if households else None


def type_rows(s, start: date, end: date, units, names: TypeNames) -> tuple[list[TypeRow], TypeRow]:
    """Payments from `start` to `end` per relief type (largest amount first) and their total."""
    hh = household_key()
    per_type = payments_in((Payment.relief_type.label("t"), hh.label("hh"), func.count(Payment.id).label("n"),
                            func.sum(Payment.amount_fen).label("amt")), start, end, units
                           ).group_by(Payment.relief_type, hh).subquery()
    persons = dict(s.execute(payments_in((Payment.relief_type, func.count(distinct(_person_key()))), start, end, units)
                             .group_by(Payment.relief_type)).all())
    rows = []
    for t, households, n, amount, lo, hi in s.execute(
            select(per_type.c.t, func.count(), func.sum(per_type.c.n), func.sum(per_type.c.amt),
                   func.min(per_type.c.amt), func.max(per_type.c.amt)).group_by(per_type.c.t)):
        rows.append(TypeRow(t, names.name(end.year, t), households, persons.get(t, 0), int(n), int(amount),
                            _average(int(amount), households), int(lo), int(hi)))
    rows.sort(key=lambda r: (-r.amount_fen, r.type))
    per_household = payments_in((hh.label("hh"), func.count(Payment.id).label("n"),
                                 func.sum(Payment.amount_fen).label("amt")), start, end, units).group_by(hh).subquery()
    households, n, amount, lo, hi = s.execute(
        select(func.count(), func.sum(per_household.c.n), func.sum(per_household.c.amt),
               func.min(per_household.c.amt), func.max(per_household.c.amt))).one()
    all_persons = s.execute(payments_in((func.count(distinct(_person_key())),), start, end, units)).scalar_one()
    amount = int(amount or 0)
    total = TypeRow("", "合计", households, all_persons, int(n or 0), amount, _average(amount, households),
                    None if lo is None else int(lo), None if hi is None else int(hi))
    return rows, total


def _union_rows(s, start: date, end: date, units, root_id: int | None) -> list[UnionRow]:
    """One row per union directly below the root (the user's union, or the district), each with its subtree."""
    tree = {uid: (name, parent, order) for uid, name, parent, order in
            s.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id, OrgUnit.sort_order))}
    if root_id is None:
        roots = [uid for uid, (_, parent, _) in tree.items() if parent is None]
        root_id = roots[0] if len(roots) == 1 else None

    def top(uid):
        """The union directly below the root on uid's path up (the root itself for its own records)."""
        path = []
        while uid is not None and uid in tree and uid not in path:
            path.append(uid)
            if uid == root_id:
                break
            uid = tree[uid][1]
        if root_id in path:
            i = path.index(root_id)
            return path[i - 1] if i > 0 else root_id
        return path[-1] if path else None

    acc: dict[int | None, list[int]] = {}
    # households once per row: one aided under two unions of the same row (moved from one factory
    # union to another, or aided by the street itself too) is one household there
    aided: dict[int | None, set] = {}
    unit, key = payment_unit(), household_key()
    for uid, household, n, amount in s.execute(
            payments_in((unit, key, func.count(Payment.id), func.sum(Payment.amount_fen)), start, end, units)
            .group_by(unit, key)):
        row_unit = top(uid)
        row = acc.setdefault(row_unit, [0, 0, 0, 0])
        row[1] += n
        row[2] += int(amount or 0)
        aided.setdefault(row_unit, set()).add(household)
    for row_unit, households in aided.items():
        acc[row_unit][0] = len(households)
    archived = (select(Household.unit_id, func.count(Household.id))
                .where(Household.archived_on.is_not(None), Household.archived_on <= end,
                       (Household.exited_on.is_(None)) | (Household.exited_on > end)))
    if units is not None:
        archived = archived.where(Household.unit_id.in_(units))
    for uid, count in s.execute(archived.group_by(Household.unit_id)):
        acc.setdefault(top(uid), [0, 0, 0, 0])[3] += count
    for uid, (_, parent, _) in tree.items():
        if parent == root_id and uid != root_id and (units is None or uid in units):
            acc.setdefault(uid, [0, 0, 0, 0])
    out = []
    for uid, (households, n, amount, in_archive) in acc.items():
        name = tree[uid][0] if uid in tree else "其他"
        if uid is not None and uid == root_id:
            name = f"{name}（本级）"
        out.append(UnionRow(uid, name, households, n, amount, in_archive))
    out.sort(key=lambda r: (r.unit_id != root_id, tree.get(r.unit_id, ("", None, 0))[2], r.unit_id or 0))
    return out


@one_snapshot
def annual_report(ctx, year: int, unit_id: int | None = None) -> AnnualReport:
    """The year's report (figures as of the year's end, or today while the year runs)."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"“{year}”不是有效年度")])
    start, end = date(year, 1, 1), date(year, 12, 31)
    as_of = min(end, clock.today())
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        units = report_units(s, ctx.actor, unit_id)
        root = unit_id if unit_id is not None else ctx.actor.scope_unit_id
        unit_name = s.get(OrgUnit, root).name if root is not None else ""
        office = read_settings(s).office_name
        by_type, total = type_rows(s, start, end, units, TypeNames(s))
        by_union = _union_rows(s, start, end, units, root)
    funds = execution(ctx, year, as_of, unit_id)
    by_source = tuple(SourceRow(r.key, r.label, r.figures.budget_fen, r.figures.spent_fen, r.figures.paid_fen,
                                r.figures.allocated_fen, r.figures.remaining_fen,
                                r.figures.spent_fen / r.figures.budget_fen if r.figures.budget_fen else None)
                      for r in funds.by_source)
    budget, spent = funds.total.budget_fen, funds.total.spent_fen
    indicators = indicators_with(ctx, start, end, unit_id, funds)
    return AnnualReport(year, office, unit_name, start, end, as_of, tuple(by_type), total, by_source, budget, spent,
                        spent / budget if budget else None, tuple(by_union), tuple(indicators),
                        ctx.actor.display_name or ctx.actor.username)
