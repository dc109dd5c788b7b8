"""What the casework services take and return: plain dataclasses, money in integer fen."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


# ------------------------------------------------------------------------- follow-ups

@dataclass(frozen=True)
class FollowUpInput:
    line_id: int
    method: str  # phone | visit
    followup_date: date
    by_name: str
    reached: bool = True
    money_arrived: bool | None = None
    satisfaction: str | None = None  # satisfied | basic | dissatisfied
    needs: str = ""
    remark: str = ""


@dataclass(frozen=True)
class FollowUpView:
    id: int
    line_id: int
    method: str
    followup_date: date
    by_name: str
    reached: bool
    money_arrived: bool | None
    satisfaction: str | None
    needs: str
    remark: str
    created_by: str


@dataclass(frozen=True)
class FollowUpDue:
    """A paid line that is to be followed up (all of them, or the sample drawn for it)."""

    line_id: int
    batch_number: str
    household_id: int | None
    request_id: int
    name: str
    unit_name: str
    relief_type_label: str
    amount_fen: int
    paid_on: date
    due_on: date  # paid_on + the office's follow-up days
    sample_percent: int  # the percentage in force on paid_on (100: everyone)
    followups: tuple[FollowUpView, ...]

    @property
    def done(self) -> bool:
        return any(f.reached for f in self.followups)

    def overdue_days(self, today: date) -> int:
        return 0 if self.done or today <= self.due_on else (today - self.due_on).days


# ------------------------------------------------------------------------- complaints

@dataclass(frozen=True)
class ComplaintInput:
    received_on: date
    channel: str
    complainant: str
    content: str
    contact: str = ""
    household_id: int | None = None
    request_number: str = ""  # a request's number, e.g. ZC2026-0012
    unit_id: int | None = None  # the union complained about, when no household or request says it


@dataclass(frozen=True)
class ComplaintView:
    id: int
    number: str
    received_on: date
    channel: str
    complainant: str
    contact: str
    unit_id: int
    unit_name: str
    household_id: int | None
    household_name: str
    request_id: int | None
    request_number: str
    content: str
    due_date: date
    due_warning: str | None
    status: str
    handling: str
    result: str
    at_fault: bool | None
    closed_on: date | None
    handled_by: str | None
    version: int

    def overdue_days(self, today: date) -> int:
        end = self.closed_on if self.status == "closed" else today
        return max(0, (end - self.due_date).days)


# ------------------------------------------------------------------------- cross-check lists

@dataclass(frozen=True)
class CrossCheckProblem:
    row: int | None
    column: str
    value: str
    reason: str

    @property
    def sheet(self) -> str:  # the import dialog's columns
        return ""


@dataclass(frozen=True)
class FindingView:
    id: int
    list_id: int
    source: str  # 民政 …
    list_date: date
    household_id: int
    archive_no: str
    household_name: str
    unit_id: int
    id_number: str
    name: str
    kind: str
    finding: str  # Chinese
    list_says: str
    archive_says: str
    decision: str | None
    decision_note: str
    decided_on: date | None
    decided_by: str | None


@dataclass(frozen=True)
class CrossCheckResult:
    ok: bool
    source: str
    list_date: date | None
    sha256: str
    rows: int
    replaced: bool  # an earlier import of the same list was replaced
    matched: int  # rows whose ID number is a head or member of the archive
    findings: tuple[FindingView, ...] = ()
    problems: tuple[CrossCheckProblem, ...] = ()


@dataclass(frozen=True)
class CrossCheckListView:
    id: int
    source: str
    list_date: date
    filename: str
    sha256: str
    rows: int
    imported_at: str
    imported_by: str
    open_findings: int
