"""预算执行: budget, committed, paid, returned, remaining and rate at any date — per budget
line, source, programme, relief type and in total — with the payments behind each figure.

Seed 001: 265,800 ÷ 270,000 = 98.44 %.  Seed 000: 801.77万 ÷ 2,257万 = 35.52 %.
Rate = (paid + allocated to lower unions) ÷ budget.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from ...domain import clock
from ...domain.payout_states import LINE_STATE_LABELS
from ...storage.models import BudgetDraw, BudgetLine, Disbursement, DisbursementLine, FundSource
from ..context import AppContext
from ..admin.org import units_within, visible_unit_ids
from .common import (
    PAID_STATES, READ, draw_bucket, draws_of, imported_paid, line_figures, line_label, undrawn_approved,
)
from .types import DrawView, ExecutionReport, ExecutionRow, Figures


def _lines(s, actor, year: int, unit_id: int | None = None) -> list[BudgetLine]:
    q = select(BudgetLine).where(BudgetLine.year == year).order_by(BudgetLine.source_id, BudgetLine.programme,
                                                                   BudgetLine.id)
    allowed = units_within(s, actor, unit_id)
    if allowed is not None:
        q = q.where(BudgetLine.unit_id.in_(allowed))
    return list(s.execute(q).scalars())


def execution(ctx: AppContext, year: int, as_of: date | None = None, unit_id: int | None = None) -> ExecutionReport:
    """The year's execution within the actor's scope; with `unit_id` the budget lines of that
    union's subtree only (in a city's database: one county)."""
    as_of = as_of or clock.today()
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        lines = _lines(s, ctx.actor, year, unit_id)
        sources = {src.id: src for src in s.execute(select(FundSource)).scalars()}
        figures = line_figures(s, lines, as_of)
        by_line = tuple(ExecutionRow(str(line.id), line_label(line, sources[line.source_id]), figures[line.id])
                        for line in lines)
        by_source: dict[int, Figures] = {}
        by_programme: dict[str, Figures] = {}
        for line in lines:
            by_source[line.source_id] = by_source.get(line.source_id, Figures()) + figures[line.id]
            by_programme[line.programme] = by_programme.get(line.programme, Figures()) + figures[line.id]
        total = sum(figures.values(), Figures())
        unbudgeted, count = _unbudgeted(s, ctx.actor, year, as_of) if unit_id is None else (0, 0)
        return ExecutionReport(
            year, as_of, total, by_line,
            tuple(ExecutionRow(sources[i].code, sources[i].name, f) for i, f in by_source.items()),
            tuple(ExecutionRow(p, p or "（未分项目）", f) for p, f in sorted(by_programme.items())),
            _by_relief_type(s, lines, as_of), unbudgeted, count)


def _by_relief_type(s, lines: list[BudgetLine], as_of: date) -> tuple[ExecutionRow, ...]:
    acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    labels: dict[str, str] = {}
    for _draw, pl in draws_of(s, [line.id for line in lines], as_of):
        acc[pl.relief_type][draw_bucket(pl, as_of)] += pl.amount_fen
        labels.setdefault(pl.relief_type, pl.relief_type_label or pl.relief_type)
    for _line_id, amount, relief_type in undrawn_approved(s, lines, as_of):
        acc[relief_type]["committed"] += amount
    for _line_id, amount, relief_type in imported_paid(s, [line.id for line in lines], as_of):
        acc[relief_type]["paid"] += amount
    return tuple(ExecutionRow(t, labels.get(t, t), Figures(0, 0, a["committed"], a["paid"], a["returned"]), False)
                 for t, a in sorted(acc.items()))


def _unbudgeted(s, actor, year: int, as_of: date) -> tuple[int, int]:
    """Money paid in `year` by payment lines that draw on no budget line (office-wide users only)."""
    if visible_unit_ids(s, actor) is not None:
        return 0, 0
    q = (select(func.coalesce(func.sum(DisbursementLine.amount_fen), 0), func.count(DisbursementLine.id))
         .join(Disbursement, Disbursement.id == DisbursementLine.batch_id)
         .outerjoin(BudgetDraw, BudgetDraw.line_id == DisbursementLine.id)
         .where(BudgetDraw.line_id.is_(None), DisbursementLine.state.in_(sorted(PAID_STATES)),
                DisbursementLine.paid_on <= as_of, DisbursementLine.paid_on >= date(year, 1, 1),
                DisbursementLine.paid_on <= date(year, 12, 31)))
    amount, count = s.execute(q).one()  # an aggregate: a 100,000-line year is not loaded row by row
    return int(amount), int(count)


def execution_payments(ctx: AppContext, year: int, *, budget_line_id: int | None = None,
                       source_code: str | None = None, programme: str | None = None,
                       relief_type: str | None = None, as_of: date | None = None,
                       unit_id: int | None = None) -> list[DrawView]:
    """The payment lines behind an execution row (drill-down); `unit_id` as for :func:`execution`."""
    as_of = as_of or clock.today()
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        lines = _lines(s, ctx.actor, year, unit_id)
        sources = {src.id: src for src in s.execute(select(FundSource)).scalars()}
        if budget_line_id is not None:
            lines = [line for line in lines if line.id == budget_line_id]
        if source_code is not None:
            lines = [line for line in lines if sources[line.source_id].code == source_code]
        if programme is not None:
            lines = [line for line in lines if line.programme == programme]
        by_id = {line.id: line for line in lines}
        out = []
        for draw, pl in draws_of(s, list(by_id), as_of):
            if relief_type is not None and pl.relief_type != relief_type:
                continue
            batch = s.get(Disbursement, pl.batch_id)
            line = by_id[draw.budget_line_id]
            state_label = {"paid": "已发放", "returned": "已退回", "committed": "待发放"}[draw_bucket(pl, as_of)]
            if pl.state not in PAID_STATES and draw_bucket(pl, as_of) == "returned":
                state_label = LINE_STATE_LABELS.get(pl.state, state_label)
            out.append(DrawView(pl.id, line.id, line_label(line, sources[line.source_id]), batch.number,
                                batch.pay_date, pl.name, pl.unit_name, pl.relief_type,
                                pl.relief_type_label or pl.relief_type, pl.amount_fen, pl.state, state_label,
                                pl.paid_on, draw.overdraw_reason))
        out.sort(key=lambda d: (d.pay_date, d.batch_number, d.line_id))
        return out
