"""Funds and budgets (issue 12): fund sources with their allowed relief types, budget lines
per year × source × programme with dated adjustments, allocations to lower unions, the
year-end carry-over, payment lines drawing on budget lines, execution at any date, and the
budget planner with its printed working.

Roles: the admin or the head sets budgets (funds.manage); the clerk draws on them when
making a batch (payout.manage); anyone with report.read sees them, within their scope.
"""
from .allocations import allocate, list_allocations, report_allocation
from .budgets import add_budget, adjust_budget, get_budget, list_budgets
from .carry_over import carry_over_proposals, confirm_carry_over
from .draws import (
    OVERDRAW_PREFIX, OverdrawNeedsReason, budget_choices, draw_lines_in, draw_reissue_in, overdraw_note,
)
from .execution import execution, execution_payments
from .planner import plan_budget
from .printing import build_plan, plan_document, print_plan
from .sources import add_source, list_sources, update_source
from .types import (
    AdjustmentView, AllocationView, BudgetChoice, BudgetLineView, BudgetPlan, CarryOverProposal, CarryOverView,
    DrawView, ExecutionReport, ExecutionRow, Figures, PlanItem, SourceView, rate_bp, rate_text,
)

__all__ = [
    "allocate", "list_allocations", "report_allocation",
    "add_budget", "adjust_budget", "get_budget", "list_budgets",
    "carry_over_proposals", "confirm_carry_over",
    "OVERDRAW_PREFIX", "OverdrawNeedsReason", "budget_choices", "draw_lines_in", "draw_reissue_in", "overdraw_note",
    "execution", "execution_payments", "plan_budget", "build_plan", "plan_document", "print_plan",
    "add_source", "list_sources", "update_source",
    "AdjustmentView", "AllocationView", "BudgetChoice", "BudgetLineView", "BudgetPlan", "CarryOverProposal",
    "CarryOverView", "DrawView", "ExecutionReport", "ExecutionRow", "Figures", "PlanItem", "SourceView",
    "rate_bp", "rate_text",
]
