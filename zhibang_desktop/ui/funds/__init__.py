"""资金: fund sources, budgets, allocations, execution and the budget planner (issue 12)."""
