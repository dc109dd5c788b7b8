"""下拨: budget money sent to a lower union, and the spending it reports back.

Seed 004 (蚌埠): 100万 of city money allocated in March 2022 — 怀远县 25万, 五河县 10万,
固镇县 5万 … — each county using it under the same rules and reporting its use.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from ...domain import clock
from ...storage.models import BudgetAllocation, BudgetLine, FundSource, OrgUnit
from ..context import AppContext
from ..errors import FieldProblem, NotFound, ValidationFailed
from ..admin.org import subtree_ids, units_within
from .budgets import allocation_view
from .common import MANAGE, READ, available_fen, line_label, own_line, unit_names, yuan
from .types import AllocationView


def allocate(ctx: AppContext, line_id: int, unit_id: int, amount_fen: int, doc_no: str = "",
             allocated_on: date | None = None, note: str = "") -> AllocationView:
    """Send `amount_fen` of a budget line to a union below the line's holder."""
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationFailed([FieldProblem("amount", "下拨金额", "应为大于 0 的金额")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line = own_line(s, ctx.actor, line_id)
        unit = s.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFound(f"工会（编号 {unit_id}）不存在")
        if unit.id == line.unit_id or unit.id not in subtree_ids(s, line.unit_id):
            raise ValidationFailed([FieldProblem("unit_id", "下拨对象", f"“{unit.name}”不是该预算所属工会的下级工会")])
        on = allocated_on or clock.today()
        if on.year != line.year:
            raise ValidationFailed([FieldProblem("allocated_on", "下拨日期", f"应在 {line.year} 年内")])
        left = available_fen(s, line)
        if amount_fen > left:
            raise ValidationFailed([FieldProblem("amount", "下拨金额",
                                                 f"超过该预算指标的可用余额 {yuan(left)} 元")])
        a = BudgetAllocation(line_id=line.id, unit_id=unit.id, allocated_on=on, amount_fen=amount_fen,
                             doc_no=(doc_no or "").strip(), note=(note or "").strip(), report_note="",
                             created_at=clock.now(), created_by=ctx.actor.username)
        s.add(a)
        s.flush()
        src = s.get(FundSource, line.source_id)
        tx.audit("create", "budget_allocation", a.id,
                 summary=f"下拨 {line_label(line, src)} 至 {unit.name}：{yuan(amount_fen)} 元（{amount_fen} 分）"
                         + (f"，文号 {a.doc_no}" if a.doc_no else ""))
        return allocation_view(s, a)


def report_allocation(ctx: AppContext, allocation_id: int, spent_fen: int, reported_on: date | None = None,
                      note: str = "") -> AllocationView:
    """Record what the lower union reported as spent of an allocation."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        a = s.get(BudgetAllocation, allocation_id)
        if a is None:
            raise NotFound(f"下拨记录（编号 {allocation_id}）不存在")
        own_line(s, ctx.actor, a.line_id)
        if not isinstance(spent_fen, int) or spent_fen < 0 or spent_fen > a.amount_fen:
            raise ValidationFailed([FieldProblem("spent", "报告支出",
                                                 f"应在 0 至下拨金额 {yuan(a.amount_fen)} 元之间")])
        before = a.reported_spent_fen
        a.reported_spent_fen, a.reported_on = spent_fen, reported_on or clock.today()
        a.report_note, a.reported_by = (note or "").strip(), ctx.actor.username
        s.flush()
        names = unit_names(s)
        tx.audit("update", "budget_allocation", a.id,
                 summary=f"{names.get(a.unit_id, '')} 报告下拨资金支出 {yuan(spent_fen)} 元"
                         f"（下拨 {yuan(a.amount_fen)} 元）",
                 changes=[["报告支出（分）", before, spent_fen]])
        return allocation_view(s, a, names)


def list_allocations(ctx: AppContext, year: int | None = None, *, unit_id: int | None = None) -> list[AllocationView]:
    """Allocations the user may see: from a line in scope, or to a union in scope; with `unit_id`
    the same within that union's subtree (a union outside the scope is refused)."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        q = (select(BudgetAllocation).join(BudgetLine, BudgetLine.id == BudgetAllocation.line_id)
             .order_by(BudgetAllocation.allocated_on, BudgetAllocation.id))
        if year is not None:
            q = q.where(BudgetLine.year == year)
        allowed = units_within(s, ctx.actor, unit_id)
        if allowed is not None:
            q = q.where(or_(BudgetLine.unit_id.in_(allowed), BudgetAllocation.unit_id.in_(allowed)))
        names = unit_names(s)
        return [allocation_view(s, a, names) for a in s.execute(q).scalars()]

