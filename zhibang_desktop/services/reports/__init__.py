"""Reports (issue 13): the auditors' indicators computed live (DESIGN.md §3), the annual
report, the 绩效自评表, the compliance report with its rate, and the dashboard of a year.

Anyone with ``report.read`` (clerk, reviewer, head, auditor, admin) reads them, within their
union scope.
"""
from .annual import annual_report
from .dashboard import Dashboard, MonthlyPayouts, OverdueLevel, SourceExecution, StateCount, VisitsDue, dashboard
from .annual_document import annual_document, build_annual_document, export_annual
from .indicators import compute_indicators
from .selfeval import FundsRow, SelfEvalLine, SelfEvaluation, score_line, self_evaluation
from .selfeval_document import export_selfeval, selfeval_form
from .selfeval_targets import TargetLine, Targets, parse_targets, read_targets
from .types import AnnualReport, Indicator, IndicatorException, SourceRow, TypeRow, UnionRow

__all__ = [
    "AnnualReport", "Indicator", "IndicatorException", "SourceRow", "TypeRow", "UnionRow", "annual_document",
    "annual_report", "build_annual_document", "compute_indicators", "export_annual",
    "FundsRow", "SelfEvalLine", "SelfEvaluation", "TargetLine", "Targets", "export_selfeval", "parse_targets",
    "read_targets", "score_line", "self_evaluation", "selfeval_form",
    "Dashboard", "MonthlyPayouts", "OverdueLevel", "SourceExecution", "StateCount", "VisitsDue", "dashboard",
]
