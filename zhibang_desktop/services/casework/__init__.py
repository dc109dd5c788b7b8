"""The work after payout and around the archive (issue 18): follow-ups (回访) with the due list,
complaints (信访/投诉) with working-day deadlines, and the other agencies' lists compared with
the archive (数据比对) with the clerk's decisions.

The use cases are re-exported here; `types` holds the plain data they take and return."""

from .complaints import add_complaint, handle_complaint, list_complaints
from .crosscheck import decide_finding, import_crosscheck, list_crosscheck_lists, list_findings
from .followups import followup_list, record_followup
from .types import (
    ComplaintInput, ComplaintView, CrossCheckListView, CrossCheckProblem, CrossCheckResult, FindingView,
    FollowUpDue, FollowUpInput, FollowUpView,
)

__all__ = [
    "ComplaintInput", "ComplaintView", "CrossCheckListView", "CrossCheckProblem", "CrossCheckResult", "FindingView",
    "FollowUpDue", "FollowUpInput", "FollowUpView", "add_complaint", "decide_finding", "followup_list",
    "handle_complaint", "import_crosscheck", "list_complaints", "list_crosscheck_lists", "list_findings",
    "record_followup",
]
