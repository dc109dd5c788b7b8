"""Shared by the funds services: permissions, scope, look-ups and the figures of budget lines.

Figures at a date are computed from the rows, never stored: budget = initial + adjustments
dated on or before + carry-over into the line; a drawing payment line counts as paid once it
is paid (paid_on on or before the date), as returned once the bank returned it or the worker
renounced it (the money is back on the line), and as committed before that; approved
requests not yet in a batch are committed on the line they would draw on.

In a city union's database a county's lines came from its annual file (exchange/county_budgets):
no payment line draws on them, so what they paid is the county's imported payments made through
batches (方式 disbursement) of the line's fund source in its year, shown on the county's first
line of that source and year; the city's own batches never draw on them, the county's approved
requests commit nothing, and the city does not change them (:func:`refuse_imported`).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.money import format_yuan
from ...domain.payout_states import PAID_STATES
from ...storage.models import (
    BudgetAdjustment, BudgetAllocation, BudgetCarryOver, BudgetDraw, BudgetLine, Disbursement, DisbursementLine,
    FundSource, OrgUnit, Payment, ReliefRequest, RequestPayoutClaim,
)
from ..errors import FieldProblem, NotFound, PermissionDenied, ValidationFailed
from ..admin.org import visible_unit_ids
from .types import Figures

MANAGE = "funds.manage"
SOURCES = "funds.sources"  # the fund sources hold for the whole office (domain/permissions.OFFICE_WIDE)
READ = "report.read"

BACK_STATES = ("returned", "reissued", "renounced")


def yuan(fen: int) -> str:
    return format_yuan(fen)


def in_scope(s: Session, actor, unit_id: int | None) -> bool:
    allowed = visible_unit_ids(s, actor)
    return allowed is None or unit_id in allowed


def require_scope(s: Session, actor, unit_id: int | None, what: str) -> None:
    if not in_scope(s, actor, unit_id):
        raise PermissionDenied(f"{what}不在当前用户的管辖范围内")


def get_line(s: Session, actor, line_id: int) -> BudgetLine:
    line = s.get(BudgetLine, line_id)
    if line is None:
        raise NotFound(f"预算指标（编号 {line_id}）不存在")
    require_scope(s, actor, line.unit_id, "该预算指标")
    return line


def imported_units():
    """The unions of counties imported into a city's database (a select of their ids)."""
    return select(OrgUnit.id).where(OrgUnit.archive_scope != "")


def refuse_imported(s: Session, unit_id: int, what: str) -> None:
    """A county's budget in the city's database changes only by importing its file again."""
    unit = s.get(OrgUnit, unit_id)
    if unit is not None and unit.archive_scope:
        raise ValidationFailed([FieldProblem(
            "unit_id", "所属工会", f"{what}属于区县“{unit.name}”，是其年度上报文件导入的预算，市总不能在此更改；"
                                   "请区县更正后重新上报并导入")])


def own_line(s: Session, actor, line_id: int) -> BudgetLine:
    """A line the user may change: in scope, and not a county's imported line."""
    line = get_line(s, actor, line_id)
    refuse_imported(s, line.unit_id, "该预算指标")
    return line


def unit_names(s: Session) -> dict[int, str]:
    return dict(s.execute(select(OrgUnit.id, OrgUnit.name)).all())


def line_label(line: BudgetLine, source: FundSource) -> str:
    return f"{line.year}年 {source.name}" + (f"·{line.programme}" if line.programme else "")


def end_of_local_day_utc(d: date) -> datetime:
    local = datetime.combine(d, time(23, 59, 59, 999999), tzinfo=clock.local_now().tzinfo)
    return local.astimezone(timezone.utc)


def source_allows(source: FundSource, relief_type: str) -> bool:
    return not source.allowed_relief_types or relief_type in source.allowed_relief_types


def candidate_lines(s: Session, year: int, relief_type: str, fund_code: str | None) -> list[tuple[BudgetLine, FundSource]]:
    """Budget lines of `year` a payment of `relief_type` (from `fund_code`, if set) may draw on."""
    q = (select(BudgetLine, FundSource).join(FundSource, FundSource.id == BudgetLine.source_id)
         .where(BudgetLine.year == year, BudgetLine.unit_id.not_in(imported_units()))
         .order_by(FundSource.sort_order, FundSource.id, BudgetLine.id))
    if fund_code:
        q = q.where(FundSource.code == fund_code)
    return [(line, src) for line, src in s.execute(q).all() if source_allows(src, relief_type)]


def drawn_fen(s: Session, budget_line_id: int) -> int:
    """Money of payment lines on this budget line that has not come back."""
    return int(s.execute(
        select(func.coalesce(func.sum(DisbursementLine.amount_fen), 0))
        .join(BudgetDraw, BudgetDraw.line_id == DisbursementLine.id)
        .where(BudgetDraw.budget_line_id == budget_line_id, DisbursementLine.state.not_in(BACK_STATES))
    ).scalar_one())


def available_fen(s: Session, line: BudgetLine) -> int:
    """What may still be drawn now: the whole budget less allocations and money not come back."""
    f = line_figures(s, [line], None, include_requests=False)[line.id]
    return f.budget_fen - f.allocated_fen - drawn_fen(s, line.id)


def line_figures(s: Session, lines: list[BudgetLine], as_of: date | None,
                 include_requests: bool = True) -> dict[int, Figures]:
    """Figures of each line at `as_of` (None: everything recorded so far)."""
    ids = [line.id for line in lines]
    if not ids:
        return {}
    acc: dict[int, dict[str, int]] = {i: defaultdict(int) for i in ids}
    for line in lines:
        acc[line.id]["budget"] += line.initial_fen
    adj = select(BudgetAdjustment.line_id, BudgetAdjustment.amount_fen).where(BudgetAdjustment.line_id.in_(ids))
    if as_of is not None:
        adj = adj.where(BudgetAdjustment.adjusted_on <= as_of)
    for line_id, amount in s.execute(adj):
        acc[line_id]["budget"] += amount
    for to_id, amount in s.execute(select(BudgetCarryOver.to_line_id, BudgetCarryOver.amount_fen)
                                   .where(BudgetCarryOver.to_line_id.in_(ids))):
        acc[to_id]["budget"] += amount
        acc[to_id]["carried"] += amount
    alloc = select(BudgetAllocation.line_id, BudgetAllocation.amount_fen).where(BudgetAllocation.line_id.in_(ids))
    if as_of is not None:
        alloc = alloc.where(BudgetAllocation.allocated_on <= as_of)
    for line_id, amount in s.execute(alloc):
        acc[line_id]["allocated"] += amount
    for draw, pl in draws_of(s, ids, as_of):
        acc[draw.budget_line_id][draw_bucket(pl, as_of)] += pl.amount_fen
    for line_id, amount, _type in imported_paid(s, ids, as_of):
        acc[line_id]["paid"] += amount
    if include_requests:
        for line_id, amount, _type in undrawn_approved(s, lines, as_of):
            acc[line_id]["committed"] += amount
    return {i: Figures(a["budget"], a["allocated"], a["committed"], a["paid"], a["returned"], a["carried"])
            for i, a in acc.items()}


def imported_paid(s: Session, budget_line_ids: list[int], as_of: date | None) -> list[tuple[int, int, str]]:
    """(budget line id, amount, relief type) paid by the county of each imported line among
    ``budget_line_ids`` that is its county's first line of that fund source and year."""
    county_lines = (select(BudgetLine.id, BudgetLine.year, OrgUnit.archive_scope, FundSource.code)
                    .join(OrgUnit, OrgUnit.id == BudgetLine.unit_id)
                    .join(FundSource, FundSource.id == BudgetLine.source_id).where(OrgUnit.archive_scope != ""))
    wanted = s.execute(county_lines.where(BudgetLine.id.in_(budget_line_ids))).all()
    if not wanted:
        return []
    firsts: dict[tuple[int, str, str], int] = {}
    for line_id, year, scope, code in s.execute(county_lines.where(
            BudgetLine.year.in_(sorted({w.year for w in wanted})),
            OrgUnit.archive_scope.in_(sorted({w.archive_scope for w in wanted}))).order_by(BudgetLine.id)):
        firsts.setdefault((year, scope, code), line_id)
    out = []
    for line_id, year, scope, code in wanted:
        if firsts[(year, scope, code)] != line_id:
            continue
        last = date(year, 12, 31) if as_of is None else min(date(year, 12, 31), as_of)
        for relief_type, amount in s.execute(
                select(Payment.relief_type, func.sum(Payment.amount_fen))
                .where(Payment.archive_scope == scope, Payment.fund_source == code, Payment.source == "disbursement",
                       Payment.paid_on >= date(year, 1, 1), Payment.paid_on <= last)
                .group_by(Payment.relief_type).order_by(Payment.relief_type)):
            out.append((line_id, int(amount), relief_type))
    return out


def draws_of(s: Session, budget_line_ids: list[int], as_of: date | None):
    q = (select(BudgetDraw, DisbursementLine).join(DisbursementLine, DisbursementLine.id == BudgetDraw.line_id)
         .where(BudgetDraw.budget_line_id.in_(budget_line_ids)))
    if as_of is not None:
        q = q.where(BudgetDraw.drawn_on <= as_of)
    return s.execute(q).all()


def draw_bucket(pl: DisbursementLine, as_of: date | None) -> str:
    """paid | returned | committed for a drawing payment line at `as_of`."""
    if pl.state in PAID_STATES and (as_of is None or (pl.paid_on is not None and pl.paid_on <= as_of)):
        return "paid"
    if pl.state in BACK_STATES:
        back_on = pl.renounced_on if pl.state == "renounced" else pl.returned_on
        if as_of is None or back_on is None or back_on <= as_of:
            return "returned"
    return "committed"


def undrawn_approved(s: Session, lines: list[BudgetLine], as_of: date | None) -> list[tuple[int, int, str]]:
    """(budget line id, amount, relief type) of approved requests not yet drawing (not in a batch at `as_of`)."""
    years = {line.year for line in lines}
    wanted = {line.id for line in lines}
    drawn_by_then = select(RequestPayoutClaim.request_id)
    if as_of is not None:
        drawn_by_then = (select(DisbursementLine.request_id)
                         .join(BudgetDraw, BudgetDraw.line_id == DisbursementLine.id)
                         .where(BudgetDraw.drawn_on <= as_of))
    q = select(ReliefRequest).where(ReliefRequest.status == "approved", ReliefRequest.approved_fen.is_not(None),
                                    ReliefRequest.source != "ledger", ReliefRequest.archive_scope == "",
                                    ReliefRequest.period_year.in_(years),
                                    ReliefRequest.id.not_in(drawn_by_then))
    if as_of is not None:
        q = q.where(ReliefRequest.decided_at <= end_of_local_day_utc(as_of))
    else:
        q = q.where(ReliefRequest.id.not_in(select(RequestPayoutClaim.request_id)))
    out, cache = [], {}
    for r in s.execute(q).scalars():
        key = (r.period_year, r.relief_type, r.fund_source)
        if key not in cache:
            cache[key] = candidate_lines(s, *key)
        found = cache[key]
        if found and found[0][0].id in wanted:
            out.append((found[0][0].id, int(r.approved_fen), r.relief_type))
    return out


def batch_of(s: Session, pl: DisbursementLine) -> Disbursement:
    return s.get(Disbursement, pl.batch_id)
