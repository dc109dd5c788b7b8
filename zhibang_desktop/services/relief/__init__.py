"""Relief (帮扶救助): requests and their evaluation, the review chain, policies, the holiday
table, the compliance report, the ledger import and the printed approval form.

The request use cases are re-exported here; `types` holds the plain data."""

from .requests import (
    evaluate_draft, create_request, update_request, submit_request, withdraw, get_request,
    list_requests, add_request_attachment, remove_request_attachment, request_attachment_content,
    build_approval, print_approval
)
from .types import (
    Option, ReliefTypeInfo, PolicyVersionView, PolicyOptions, HolidayView, CalendarYearView,
    RequestInput, FindingView, EvaluationView, ReviewView, PendingLevel, TimelineEntry,
    RequestAttachmentView, RequestSummary, RequestView, PastAidView, RequestFilter, RequestPage,
    LedgerProblem, LedgerImportResult, Violation, NotCheckable, ComplianceReport
)

__all__ = [
    "CalendarYearView", "ComplianceReport", "EvaluationView", "FindingView", "HolidayView",
    "LedgerImportResult", "LedgerProblem", "NotCheckable", "Option", "PastAidView", "PendingLevel",
    "PolicyOptions", "PolicyVersionView", "ReliefTypeInfo", "RequestAttachmentView",
    "RequestFilter", "RequestInput", "RequestPage", "RequestSummary", "RequestView", "ReviewView",
    "TimelineEntry", "Violation", "add_request_attachment", "build_approval", "create_request",
    "evaluate_draft", "get_request", "list_requests", "print_approval", "remove_request_attachment",
    "request_attachment_content", "submit_request", "update_request", "withdraw"
]
