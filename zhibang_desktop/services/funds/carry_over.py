"""结转: what is left on each budget line at 31 December, moved into the next year once a
person confirmed it.

Seed 002 (海口): 省总工会 money left at the end of 2022, 764,963 yuan, "已报省总工会，结转到
2023年使用".  The money keeps its source (and so its allowed uses): it lands on next year's
line of the same source and programme, created if needed.  Payment lines still pending at
year end stay on the old line; approved requests not yet in a batch will draw on next year's.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...domain import clock
from ...storage.models import BudgetCarryOver, BudgetLine, FundSource
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed
from ..admin.org import visible_unit_ids
from .budgets import carry_view
from .common import MANAGE, READ, imported_units, line_figures, line_label, yuan
from .types import CarryOverProposal, CarryOverView


def _lines(s, actor, year: int) -> list[BudgetLine]:
    q = (select(BudgetLine).where(BudgetLine.year == year, BudgetLine.unit_id.not_in(imported_units()))
         .order_by(BudgetLine.source_id, BudgetLine.programme, BudgetLine.id))  # a county carries its own over
    allowed = visible_unit_ids(s, actor)
    if allowed is not None:
        q = q.where(BudgetLine.unit_id.in_(allowed))
    return list(s.execute(q).scalars())


def _remaining_at_year_end(s, lines: list[BudgetLine], year: int) -> dict[int, int]:
    figures = line_figures(s, lines, date(year, 12, 31), include_requests=False)
    return {i: f.remaining_fen for i, f in figures.items()}


def carry_over_proposals(ctx: AppContext, year: int) -> list[CarryOverProposal]:
    """Each line of `year` with what is left at 31 December, and the confirmed carry-over if any."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        lines = _lines(s, ctx.actor, year)
        left = _remaining_at_year_end(s, lines, year)
        out = []
        for line in lines:
            done = s.execute(select(BudgetCarryOver).where(BudgetCarryOver.from_line_id == line.id)).scalars().first()
            out.append(CarryOverProposal(line.id, line_label(line, s.get(FundSource, line.source_id)), year,
                                         left[line.id], carry_view(s, done) if done else None))
        return out


def confirm_carry_over(ctx: AppContext, year: int, amounts: dict[int, int] | None = None, note: str = "",
                       doc_no: str = "") -> list[CarryOverView]:
    """Record the carry-over of `year` into `year + 1`, line by line.

    `amounts` may set a line's confirmed figure (e.g. as approved by the provincial union);
    a figure that differs from the computed one needs a note.  Lines with nothing left, or
    already carried over, are skipped.
    """
    amounts = dict(amounts or {})
    note = (note or "").strip()
    if clock.today() < date(year, 12, 31):
        raise ValidationFailed([FieldProblem("year", "结转年度", f"{year} 年尚未结束（12月31日起才能结转）")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        lines = _lines(s, ctx.actor, year)
        left = _remaining_at_year_end(s, lines, year)
        problems, out = [], []
        for line in lines:
            if s.execute(select(BudgetCarryOver.id).where(BudgetCarryOver.from_line_id == line.id)).first():
                amounts.pop(line.id, None)
                continue
            computed = left[line.id]
            amount = amounts.pop(line.id, computed)
            src = s.get(FundSource, line.source_id)
            label = line_label(line, src)
            if not isinstance(amount, int) or amount < 0 or amount > max(computed, 0):
                problems.append(FieldProblem(f"amounts[{line.id}]", "结转金额",
                                             f"{label}：应在 0 至结余 {yuan(max(computed, 0))} 元之间"))
                continue
            if amount != computed and not note:
                problems.append(FieldProblem("note", "结转说明",
                                             f"{label}：结转金额与计算结余 {yuan(computed)} 元不同，请写明原因"))
                continue
            if amount <= 0:
                continue
            target = _next_year_line(s, tx, line, src)
            c = BudgetCarryOver(from_line_id=line.id, to_line_id=target.id, computed_fen=computed, amount_fen=amount,
                                note=note, doc_no=(doc_no or "").strip(), confirmed_by=ctx.actor.username,
                                confirmed_at=clock.now())
            s.add(c)
            s.flush()
            tx.audit("create", "budget_carry_over", c.id,
                     summary=f"结转 {label} 结余 {yuan(amount)} 元（{amount} 分，计算结余 {computed} 分）"
                             f"至 {year + 1} 年" + (f"；说明：{note}" if note else ""))
            out.append(carry_view(s, c))
        if amounts:
            problems.append(FieldProblem("amounts", "结转金额",
                                         f"预算指标 {'、'.join(map(str, amounts))} 不属于 {year} 年或已结转"))
        if problems:
            raise ValidationFailed(problems)
        return out


def _next_year_line(s, tx, line: BudgetLine, src: FundSource) -> BudgetLine:
    found = s.execute(select(BudgetLine).where(BudgetLine.year == line.year + 1, BudgetLine.source_id == line.source_id,
                                               BudgetLine.programme == line.programme,
                                               BudgetLine.unit_id == line.unit_id)).scalars().first()
    if found is not None:
        return found
    new = BudgetLine(year=line.year + 1, source_id=line.source_id, programme=line.programme, unit_id=line.unit_id,
                     initial_fen=0, set_on=date(line.year + 1, 1, 1), doc_no="", note=f"由 {line.year} 年结转生成",
                     created_at=clock.now(), created_by=tx.actor.username)
    s.add(new)
    s.flush()
    tx.audit("create", "budget_line", new.id, summary=f"结转生成预算指标 {line_label(new, src)}（年初预算 0 元）")
    return new
