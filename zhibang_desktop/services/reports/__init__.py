"""Reports (issue 13): the auditors' indicators computed live (DESIGN.md §3), the annual
report, the 绩效自评表, the compliance report with its rate, and the dashboard of a year.

Anyone with ``report.read`` (clerk, reviewer, head, auditor, admin) reads them, within their
union scope.

The document makers (the annual report's and the 自评表's PDF and xlsx) are imported when first
used: they bring reportlab and openpyxl (0.4 s), which the head's start on the dashboard does
not need.
"""
import importlib

from .annual import annual_report
from .dashboard import Dashboard, MonthlyPayouts, OverdueLevel, SourceExecution, StateCount, VisitsDue, dashboard
from .indicators import compute_indicators
from .selfeval import FundsRow, SelfEvalLine, SelfEvaluation, score_line, self_evaluation
from .selfeval_targets import TargetLine, Targets, parse_targets, read_targets
from .types import AnnualReport, Indicator, IndicatorException, SourceRow, TypeRow, UnionRow

__all__ = [
    "AnnualReport", "Indicator", "IndicatorException", "SourceRow", "TypeRow", "UnionRow", "annual_document",
    "annual_report", "build_annual_document", "compute_indicators", "export_annual",
    "FundsRow", "SelfEvalLine", "SelfEvaluation", "TargetLine", "Targets", "export_selfeval", "parse_targets",
    "read_targets", "score_line", "self_evaluation", "selfeval_form",
    "Dashboard", "MonthlyPayouts", "OverdueLevel", "SourceExecution", "StateCount", "VisitsDue", "dashboard",
]

_DOCUMENT_MAKERS = {
    "annual_document": ".annual_document", "build_annual_document": ".annual_document",
    "export_annual": ".annual_document", "export_selfeval": ".selfeval_document", "selfeval_form": ".selfeval_document",
}


def __getattr__(name: str):
    module = _DOCUMENT_MAKERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
