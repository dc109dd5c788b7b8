"""The printed 预算测算表 of a budget plan (documents.budget_request)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...domain import clock
from ...domain.household import CATEGORIES
from ..context import AppContext
from ..admin.settings import read_settings
from .common import READ
from .planner import plan_budget
from .types import BudgetPlan, rate_text

if TYPE_CHECKING:
    from ...documents.budget_request import BudgetRequestData


def plan_document(ctx: AppContext, year: int, plan: BudgetPlan | None = None) -> BudgetRequestData:
    from ...documents.budget_request import BudgetRequestData, PlanRow  # reportlab: when a plan is printed

    plan = plan or plan_budget(ctx, year)
    with ctx.tx(READ, read_only=True) as tx:
        office = read_settings(tx.session).office_name
    total_households = sum(plan.households.values())
    archive = (f"在档困难职工家庭 {total_households} 户（"
               + "、".join(f"{CATEGORIES.get(c, c)} {n} 户" for c, n in plan.households.items()) + "）；"
               + ("在读学生 " + "、".join(f"{k} {v} 人" for k, v in plan.students.items()) if plan.students
                  else "无在读学生") + f"；患病（慢性病、大病）{plan.chronic_ill} 人。")
    prev = plan.previous
    return BudgetRequestData(
        office_name=office, year=plan.year, policy_name=plan.policy_name, archive_text=archive,
        rows=tuple(PlanRow(i.label, i.basis, i.count, i.times, i.unit_fen, i.amount_fen, i.working) for i in plan.items),
        total_fen=plan.total_fen, previous_year=plan.previous_year, previous_budget_fen=prev.budget_fen,
        previous_paid_fen=prev.spent_fen, previous_committed_fen=prev.committed_fen,
        previous_rate_text=rate_text(prev.rate_bp), notes=plan.notes, printed_on=clock.today())


def build_plan(ctx: AppContext, year: int, path: str | Path) -> Path:
    """The 预算测算表 PDF for the in-app preview; records nothing (printing or saving is audited by the caller)."""
    return _write(ctx, year, path)[0]


def print_plan(ctx: AppContext, year: int, path: str | Path) -> Path:
    """Write the 预算测算表 PDF to `path`; audited as a print."""
    out, pages, data = _write(ctx, year, path)
    with ctx.tx(READ) as tx:
        tx.audit("print", "budget_plan", year,
                 summary=f"打印 {year} 年度预算测算表（测算需求 {data.total_fen} 分，{pages} 页）")
    return out


def _write(ctx: AppContext, year: int, path: str | Path):
    from ...documents.budget_request import write_budget_request

    data = plan_document(ctx, year)
    out = Path(path)
    pages = write_budget_request(data, out)
    return out, pages, data
