"""The household archive (困难职工档案): households, members, visits, attachments, search,
the archive lifecycle and the household ledger import/export.

The use cases are re-exported here; `types` holds the plain data they take and return."""

from .households import (
    validate_household, create_household, update_household, get_household, find_by_id_number,
    delete_draft, search_households, archive_counts, archive_household, begin_exit, complete_exit,
    reactivate, add_visit, delete_visit, add_attachment, attachment_content, remove_attachment,
    household_changes, household_history
)
from .types import (
    MemberInput, HouseholdInput, MemberView, VisitView, AttachmentView, HouseholdView, HouseholdRow,
    HouseholdFilter, Page, ArchiveCounts, VisitInput, ChangeEntry
)

__all__ = [
    "ArchiveCounts", "AttachmentView", "ChangeEntry", "HouseholdFilter", "HouseholdInput",
    "HouseholdRow", "HouseholdView", "MemberInput", "MemberView", "Page", "VisitInput", "VisitView",
    "add_attachment", "add_visit", "archive_counts", "archive_household", "attachment_content",
    "begin_exit", "complete_exit", "create_household", "delete_draft", "delete_visit",
    "find_by_id_number", "get_household", "household_changes", "household_history", "reactivate",
    "remove_attachment", "search_households", "update_household", "validate_household"
]
