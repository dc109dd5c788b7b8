"""预算指标: a year's budget per source and programme, and its dated adjustments (调增/调减).

Seed 001: 2023 budget 480,000 yuan, cut to 270,000 mid-year "按财政要求压减经费".
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...storage.models import BudgetAdjustment, BudgetAllocation, BudgetCarryOver, BudgetLine, FundSource
from ..context import AppContext
from ..record_conflicts import check_version, told_who_changed
from ..errors import FieldProblem, ValidationFailed
from ..admin.org import district_unit, units_within, visible_unit_ids
from .common import (
    MANAGE, READ, get_line, line_figures, line_label, own_line, refuse_imported, require_scope, unit_names, yuan,
)
from .sources import resolve_source_in
from .types import AdjustmentView, AllocationView, BudgetLineView, CarryOverView


def _year_ok(year) -> bool:
    return isinstance(year, int) and 2000 <= year <= 2100


def add_budget(ctx: AppContext, year: int, source: str, amount_fen: int, programme: str = "", *,
               unit_id: int | None = None, set_on: date | None = None, doc_no: str = "",
               note: str = "") -> BudgetLineView:
    """A new budget line: `source` is a fund source's name or code (from the year's policy the first time)."""
    problems = []
    if not _year_ok(year):
        problems.append(FieldProblem("year", "年度", f"“{year}”不是有效年度"))
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        problems.append(FieldProblem("amount", "预算金额", "应为大于 0 的金额"))
    if problems:
        raise ValidationFailed(problems)
    programme = (programme or "").strip()
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        src = resolve_source_in(s, tx, source, year)
        if unit_id is None:
            root = district_unit(s)
            if root is None:
                raise ValidationFailed([FieldProblem("unit_id", "所属工会", "请先设置区总工会")])
            unit_id = root.id
            allowed = visible_unit_ids(s, ctx.actor)
            if allowed is not None:
                unit_id = ctx.actor.scope_unit_id
        require_scope(s, ctx.actor, unit_id, "该工会")
        refuse_imported(s, unit_id, "该工会")
        clash = s.execute(select(BudgetLine.id).where(BudgetLine.year == year, BudgetLine.source_id == src.id,
                                                      BudgetLine.programme == programme,
                                                      BudgetLine.unit_id == unit_id)).first()
        if clash:
            raise ValidationFailed([FieldProblem(
                "source", "资金来源",
                f"{year}年已有“{src.name}{('·' + programme) if programme else ''}”的预算指标（编号 {clash[0]}），"
                "请用“调整”改变其金额")])
        line = BudgetLine(year=year, source_id=src.id, programme=programme, unit_id=unit_id, initial_fen=amount_fen,
                          set_on=set_on or clock.today(), doc_no=(doc_no or "").strip(), note=(note or "").strip(),
                          created_at=clock.now(), created_by=ctx.actor.username)
        s.add(line)
        s.flush()
        tx.audit("create", "budget_line", line.id,
                 summary=f"新增预算指标 {line_label(line, src)}：{yuan(amount_fen)} 元（{amount_fen} 分）"
                         + (f"，文号 {line.doc_no}" if line.doc_no else ""))
        return line_view(s, line)


def adjust_budget(ctx: AppContext, line_id: int, amount_fen: int, reason: str, doc_no: str = "",
                  adjusted_on: date | None = None, version: int | None = None) -> BudgetLineView:
    """调增 (amount > 0) or 调减 (amount < 0) with a written reason; the budget may not go below what is used.
    `version` is the line's as the dialog showed it: adjusted by someone else since, Conflict naming who."""
    reason = (reason or "").strip()
    problems = []
    if not isinstance(amount_fen, int) or amount_fen == 0:
        problems.append(FieldProblem("amount", "调整金额", "应为非零金额（调增为正，调减为负）"))
    if not reason:
        problems.append(FieldProblem("reason", "调整原因", "请填写调整原因"))
    if problems:
        raise ValidationFailed(problems)
    with told_who_changed(ctx.db, BudgetLine, line_id, version, entity="budget_line", noun="预算指标"), \
            ctx.tx(MANAGE) as tx:
        s = tx.session
        line = own_line(s, ctx.actor, line_id)
        check_version(line, version)
        src = s.get(FundSource, line.source_id)
        on = adjusted_on or clock.today()
        if on.year != line.year:
            raise ValidationFailed([FieldProblem("adjusted_on", "调整日期", f"应在 {line.year} 年内")])
        f = line_figures(s, [line], None)[line.id]
        used = f.allocated_fen + f.committed_fen + f.paid_fen
        if f.budget_fen + amount_fen < used:
            raise ValidationFailed([FieldProblem(
                "amount", "调整金额",
                f"调整后预算 {yuan(f.budget_fen + amount_fen)} 元将少于已下拨、已发放和待发放的 {yuan(used)} 元")])
        before = f.budget_fen
        adj = BudgetAdjustment(line_id=line.id, adjusted_on=on, amount_fen=amount_fen, reason=reason,
                               doc_no=(doc_no or "").strip(), created_at=clock.now(), created_by=ctx.actor.username)
        s.add(adj)
        line.version = line.version + 1  # the adjustment changes the line's figure (models/funds.py)
        s.flush()
        kind = "调增" if amount_fen > 0 else "调减"
        tx.audit("update", "budget_line", line.id,
                 summary=f"预算{kind} {line_label(line, src)}：{yuan(abs(amount_fen))} 元，"
                         f"{yuan(before)} → {yuan(before + amount_fen)} 元；原因：{reason}"
                         + (f"；文号 {adj.doc_no}" if adj.doc_no else ""),
                 changes=[["预算（分）", before, before + amount_fen]])
        return line_view(s, line)


def list_budgets(ctx: AppContext, year: int | None = None, as_of: date | None = None, *,
                 unit_id: int | None = None) -> list[BudgetLineView]:
    """The budget lines within the actor's scope; with `unit_id` those of that union's subtree only
    (as :func:`execution`: a union outside the scope is refused)."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        q = select(BudgetLine).order_by(BudgetLine.year, BudgetLine.source_id, BudgetLine.programme, BudgetLine.id)
        if year is not None:
            q = q.where(BudgetLine.year == year)
        allowed = units_within(s, ctx.actor, unit_id)
        if allowed is not None:
            q = q.where(BudgetLine.unit_id.in_(allowed))
        lines = list(s.execute(q).scalars())
        figures = line_figures(s, lines, as_of)
        return [line_view(s, line, figures[line.id]) for line in lines]


def get_budget(ctx: AppContext, line_id: int, as_of: date | None = None) -> BudgetLineView:
    """One line with its history: adjustments, allocations, carry-over in and out."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        line = get_line(s, ctx.actor, line_id)
        return line_view(s, line, line_figures(s, [line], as_of)[line.id])


def carry_view(s: Session, c: BudgetCarryOver) -> CarryOverView:
    to = s.get(BudgetLine, c.to_line_id)
    return CarryOverView(c.from_line_id, c.to_line_id, to.year, c.computed_fen, c.amount_fen, c.note, c.doc_no,
                         c.confirmed_by, c.confirmed_at)


def allocation_view(s: Session, a: BudgetAllocation, names: dict[int, str] | None = None) -> AllocationView:
    names = names if names is not None else unit_names(s)
    line = s.get(BudgetLine, a.line_id)
    return AllocationView(a.id, a.line_id, line_label(line, s.get(FundSource, line.source_id)), a.unit_id,
                          names.get(a.unit_id, ""), a.allocated_on, a.amount_fen, a.doc_no, a.note,
                          a.reported_spent_fen, a.reported_on, a.report_note or "")


def line_view(s: Session, line: BudgetLine, figures=None) -> BudgetLineView:
    src = s.get(FundSource, line.source_id)
    names = unit_names(s)
    if figures is None:
        figures = line_figures(s, [line], None)[line.id]
    adjustments = tuple(
        AdjustmentView(a.id, a.line_id, a.adjusted_on, a.amount_fen, a.reason, a.doc_no, a.created_by, a.created_at)
        for a in s.execute(select(BudgetAdjustment).where(BudgetAdjustment.line_id == line.id)
                           .order_by(BudgetAdjustment.adjusted_on, BudgetAdjustment.id)).scalars())
    allocations = tuple(allocation_view(s, a, names) for a in s.execute(
        select(BudgetAllocation).where(BudgetAllocation.line_id == line.id)
        .order_by(BudgetAllocation.allocated_on, BudgetAllocation.id)).scalars())
    carried_in = tuple(carry_view(s, c) for c in s.execute(
        select(BudgetCarryOver).where(BudgetCarryOver.to_line_id == line.id).order_by(BudgetCarryOver.id)).scalars())
    out = s.execute(select(BudgetCarryOver).where(BudgetCarryOver.from_line_id == line.id)).scalars().first()
    return BudgetLineView(line.id, line.year, src.id, src.code, src.name, line.programme, line.unit_id,
                          names.get(line.unit_id, ""), line.initial_fen, line.set_on, line.doc_no, line.note, figures,
                          adjustments, allocations, carried_in, carry_view(s, out) if out else None, line.version)
