"""Reports (issue 13): the auditors' indicators computed live (DESIGN.md §3), the annual
report, the 绩效自评表, the compliance report with its rate, and the dashboard of a year.

Anyone with ``report.read`` (clerk, reviewer, head, auditor, admin) reads them, within their
union scope.
"""
from .annual import annual_report
from .dashboard import Dashboard, MonthlyPayouts, OverdueLevel, SourceExecution, StateCount, VisitsDue, dashboard
from .annual_document import annual_document, build_annual_document, export_annual
from .indicators import compute_indicators
from .types import AnnualReport, Indicator, IndicatorException, SourceRow, TypeRow, UnionRow

__all__ = [
    "AnnualReport", "Indicator", "IndicatorException", "SourceRow", "TypeRow", "UnionRow", "annual_document",
    "annual_report", "build_annual_document", "compute_indicators", "export_annual",
    "Dashboard", "MonthlyPayouts", "OverdueLevel", "SourceExecution", "StateCount", "VisitsDue", "dashboard",
]
