"""Reports (issue 13): the auditors' indicators computed live (DESIGN.md §3), the annual
report, the 绩效自评表, the compliance report with its rate, and the dashboard of a year.

Anyone with ``report.read`` (clerk, reviewer, head, auditor, admin) reads them, within their
union scope.

The document makers (the annual report's and the 自评表's PDF and xlsx) are imported when first
used: they bring reportlab and openpyxl (0.4 s), which the head's start on the dashboard does
not need.
"""
from ..lazy_exports import lazy_exports
from .annual import annual_report
from .dashboard import Dashboard, MonthlyPayouts, OverdueLevel, SourceExecution, StateCount, VisitsDue, dashboard
from .indicators import compute_indicators
from .period_payouts import PeriodPayouts, period_payouts
from .selfeval import FundsRow, SelfEvalLine, SelfEvaluation, score_line, self_evaluation
from .selfeval_targets import TargetLine, Targets, parse_targets, read_targets
from .types import AnnualReport, Indicator, IndicatorException, SourceRow, TypeRow, UnionRow

__all__ = [
    "AnnualReport", "Indicator", "IndicatorException", "SourceRow", "TypeRow", "UnionRow",
    "annual_report", "build_annual_document", "compute_indicators", "export_annual",
    "PeriodPayouts", "period_payouts",
    "FundsRow", "SelfEvalLine", "SelfEvaluation", "TargetLine", "Targets", "export_selfeval", "parse_targets",
    "read_targets", "score_line", "self_evaluation", "selfeval_form",
    "Dashboard", "MonthlyPayouts", "OverdueLevel", "SourceExecution", "StateCount", "VisitsDue", "dashboard",
]

_DOCUMENT_MAKERS = {
    **dict.fromkeys(("build_annual_document", "export_annual"), ".annual_document"),
    **dict.fromkeys(("export_selfeval", "selfeval_form"), ".selfeval_document"),
}
__getattr__ = lazy_exports(__name__, globals(), _DOCUMENT_MAKERS)
