"""Plain data the archive services take and return (never ORM objects)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ...domain.archive_form import ArchiveFormFields

# why a draft household can have no relief request yet (the request service refuses it;
# the new-request commands of the archive say it before)
DRAFT_NO_REQUEST = "该户档案仍是草稿，请先完成建档（先建档、后帮扶）"


@dataclass
class MemberInput:
    name: str
    relation: str
    id_number: str | None = None
    health: str | None = None
    disability: str | None = None
    schooling: str = "none"  # domain.household.SCHOOLING_STAGES
    job_or_school: str | None = None
    monthly_income_fen: int = 0
    id: int | None = None  # existing member when editing


@dataclass
class HouseholdInput(ArchiveFormFields):
    """Everything the editor or an import can set (the 档案表 fields of ArchiveFormFields
    included). Derived fields (sex, birth date, archive number, visit due date, search keys)
    are computed by the service."""

    name: str
    id_number: str
    unit_id: int
    category: str  # deep / relative / accident
    phone: str | None = None
    address: str | None = None
    hukou_type: str | None = None
    hukou_region: str | None = None
    employer: str | None = None
    ethnicity: str | None = None
    health: str | None = None
    union_member: bool = True
    member_no: str | None = None
    model_worker: bool = False
    single_parent: bool = False
    causes: list[str] = field(default_factory=list)  # labels; "其他：text" for others
    household_size: int = 1
    head_income_fen: int = 0
    other_income_fen: int = 0
    assistance_status: str = "none"  # none / dibao / low_income / tekun
    bank_name: str | None = None
    bank_account: str | None = None
    account_kind: str | None = None  # bank / social_security
    exclusions: dict[str, bool] = field(default_factory=dict)  # code -> applies
    exclusion_override: str | None = None
    remarks: str | None = None
    members: list[MemberInput] = field(default_factory=list)


@dataclass(frozen=True)
class MemberView:
    id: int
    name: str
    relation: str
    id_number: str | None
    sex: str | None
    birth_date: date | None
    health: str | None
    disability: str | None
    schooling: str
    job_or_school: str | None
    monthly_income_fen: int


@dataclass(frozen=True)
class VisitView:
    id: int
    visit_date: date
    method: str
    visitor: str
    findings: str
    outcome: str


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    kind: str
    size: int
    sha256: str
    note: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class HouseholdView:
    id: int
    version: int  # pass back on update; a stale version raises Conflict
    archive_no: str
    status: str
    data: HouseholdInput  # the editable fields as stored (members included, with ids)
    unit_name: str
    sex: str | None
    birth_date: date | None
    archived_on: date | None
    exit_decided_on: date | None
    phase_out_until: date | None
    exited_on: date | None
    exit_reason: str | None
    last_visit_on: date | None
    next_visit_due: date | None
    total_monthly_income_fen: int
    per_capita_income_fen: int | None
    income_band: str  # domain.household.income_band
    members: tuple[MemberView, ...]
    visits: tuple[VisitView, ...]
    attachments: tuple[AttachmentView, ...]
    warnings: tuple[str, ...]  # e.g. Luhn failure, income band vs category
    archive_blockers: tuple[str, ...]  # why "建档" is not possible yet (empty if it is)


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    """One line of the archive list (slots: a list scrolled to its end holds 100,000 of them)."""

    id: int
    archive_no: str
    name: str
    id_number_masked: str
    sex: str | None
    category: str
    status: str
    unit_name: str
    phone: str | None
    household_size: int
    per_capita_income_fen: int | None
    next_visit_due: date | None
    visit_overdue: bool


@dataclass(frozen=True)
class HouseholdFilter:
    text: str = ""  # name / pinyin / initials / ID (full or trailing digits) / archive no / phone
    categories: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    unit_id: int | None = None  # this union and its subtree
    visit_overdue: bool = False
    visit_due_within_days: int | None = None  # "due soon" view


@dataclass(frozen=True)
class Page:
    rows: tuple[HouseholdRow, ...]
    total: int | None  # rows matching the filter (None: not counted, `search_households(count=False)`)
    offset: int
    # where the next page starts (pass it back as `after`); None: this page is the last
    next_after: tuple | None = None


@dataclass(frozen=True)
class ArchiveCounts:
    total: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    visits_overdue: int


@dataclass
class VisitInput:
    visit_date: date
    method: str  # home / phone / data_check
    visitor: str
    findings: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class ChangeEntry:
    """One line of the 变更记录 tab (from the audit trail)."""

    at: datetime
    username: str
    action: str
    summary: str
    field: str
    old: str
    new: str
