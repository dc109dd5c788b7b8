"""Plain data the relief, review, policy, holiday, ledger and compliance services
take and return (never ORM objects).  This is the API the GUI and the CLI share.

Money is integer fen; dates are ``datetime.date``; timestamps are timezone-aware
UTC ``datetime`` (show them in local time).  Codes are English (``quarterly``,
``approve``…); every view also carries the Chinese label to show.

Service functions (all take an ``AppContext`` first):

* ``services.relief.policies``: ``preset_choices()``, ``list_policies(ctx, year=None)``,
  ``show_policy(ctx, year=None, policy_id=None)``, ``policy_options(ctx, year) -> PolicyOptions``
  (the new-request dialog's choices), ``policy_document(ctx, year=None, policy_id=None) -> dict``,
  ``in_force_policy(ctx, year) -> domain Policy | None`` (for the policy editor),
  ``use_preset(ctx, preset, year=None)``, ``import_policy(ctx, path_or_json_text, year=None)``,
  ``save_policy(ctx, policy)`` (always a new version, in force), ``activate_policy(ctx, policy_id)``,
  ``export_policy(ctx, year=None, policy_id=None, path=None) -> str``.
* ``services.relief.holidays``: ``list_days(ctx, year=None)``, ``add_day(ctx, day, is_workday, name='')``,
  ``add_days(ctx, [HolidayView], complete_year=None)``, ``remove_day(ctx, day)``,
  ``mark_year_complete(ctx, year, complete=True)``, ``calendar_years(ctx, years=None)``;
  ``calendar.work_calendar(session)`` for services.
* ``services.relief`` (requests): ``evaluate_draft(ctx, RequestInput, request_id=None) -> EvaluationView``
  (no write, never raises for incomplete input), ``create_request(ctx, RequestInput) -> RequestView``,
  ``update_request(ctx, id, RequestInput)``, ``submit_request(ctx, id, justification=None)``,
  ``withdraw(ctx, id, comment='')``, ``get_request(ctx, id_or_number) -> RequestView``,
  ``list_requests(ctx, RequestFilter) -> RequestPage``, ``add_request_attachment(ctx, id, filename,
  data, kind='')``, ``remove_request_attachment(ctx, attachment_id)``,
  ``request_attachment_content(ctx, attachment_id) -> (filename, bytes)``,
  ``print_approval(ctx, id_or_number, path) -> Path``.
* ``services.relief.review``: ``review_queue(ctx) -> list[RequestSummary]`` (待我审核),
  ``decide(ctx, id_or_number, 'approve'|'reject'|'return', opinion, amount_fen=None,
  justification='') -> RequestView`` (time taken from the clock).
* ``services.relief.ledger_import``: ``import_ledger(ctx, path, report_path=None, progress=None,
  cancel=None) -> LedgerImportResult``.
* ``services.relief.compliance``: ``compliance_report(ctx, year) -> ComplianceReport``.

Errors: ``ValidationFailed`` (field problems; for a submit the rule errors carry the
policy rule path as ``field``), ``PermissionDenied``, ``NotFound``,
``relief_store.InvalidTransition`` (a ServiceError: the state machine refused the move).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# --------------------------------------------------------------------------- codes

STATUS_LABELS = {"draft": "草稿", "submitted": "已提交", "in_review": "审核中", "approved": "已审批",
                 "rejected": "未通过", "returned": "已退回", "withdrawn": "已撤回"}
DECISIONS = ("approve", "reject", "return")
DECISION_LABELS = {"approve": "同意", "reject": "不同意", "return": "退回修改"}
SOURCES = {"entered": "录入", "ledger": "历史台账导入"}
PAYMENT_SOURCES = {"ledger": "历史台账导入", "disbursement": "发放批次"}
SEVERITY_LABELS = {"error": "不符合", "warning": "须说明"}


# --------------------------------------------------------------------------- policies

@dataclass(frozen=True)
class Option:
    """A code with its Chinese label (sub-cases, conditions, fund sources, levels)."""

    code: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class ReliefTypeInfo:
    """What the new-request dialog needs to build its form for one relief type."""

    code: str
    name: str
    kind: str  # quarterly | emergency | annual | standing
    amount_rule: str  # range | fixed | medical_copay | per_student | per_person_month | open
    standard_text: str  # '400–600 元'
    subcases: tuple[Option, ...] = ()  # note = that sub-case's standard text
    conditions: tuple[Option, ...] = ()
    min_conditions: int = 0
    attachments: tuple[str, ...] = ()  # required attachment kinds
    fund_sources: tuple[Option, ...] = ()
    requires_archive: bool = True  # False: a worker not in the archive may receive it
    members_only: bool = False
    goods_allowed: bool = False
    needs_quarter: bool = False
    needs_self_paid: bool = False  # medical_copay
    needs_students: bool = False  # per_student
    needs_months: bool = False  # per_person_month
    review_levels: tuple[Option, ...] = ()  # the chain, in order; note = days allowed
    note: str = ""


@dataclass(frozen=True)
class PolicyVersionView:
    id: int
    office: str
    year: int
    version: int
    name: str
    in_force: bool
    created_at: datetime
    created_by: str
    self_approval_allowed: bool
    relief_types: tuple[ReliefTypeInfo, ...] = ()
    several_levels_per_reviewer_allowed: bool = False
    visit_interval_months: tuple[tuple[str, int], ...] = ()  # (category code, months)
    source: str = ""
    note: str = ""
    used_by_requests: int = 0  # requests judged under this exact version


@dataclass(frozen=True)
class PolicyOptions:
    """The in-force policy of a year, as the dialog's choices; ``policy_id`` is None
    (and ``relief_types`` empty) when no policy is in force for that year."""

    year: int
    policy_id: int | None
    policy_name: str
    relief_types: tuple[ReliefTypeInfo, ...] = ()
    fund_sources: tuple[Option, ...] = ()
    self_approval_allowed: bool = False


# --------------------------------------------------------------------------- holidays

@dataclass(frozen=True)
class HolidayView:
    day: date
    is_workday: bool  # True: a make-up workday (调休上班); False: a holiday
    name: str = ""


@dataclass(frozen=True)
class CalendarYearView:
    year: int
    known: bool  # True when working days of the year are reliable
    source: str  # 'admin' (declared complete) | 'package' (built-in data) | 'none'
    entries: int  # admin-entered rows in that year


# --------------------------------------------------------------------------- requests

@dataclass
class RequestInput:
    """Everything the clerk types in the new-request dialog (or an edit of a draft).

    For an archived household give ``household_id``; for a worker not in the
    archive (only where the relief type allows it) give ``worker_name``,
    ``worker_id_number`` and ``unit_id``.  ``person_id_number`` names the family
    member the aid is for when it is not the head (medical aid per person).
    ``attachment_kinds`` lists the required-attachment kinds the clerk has
    (``None``: not checked yet).  ``justification`` answers the warnings.
    """

    relief_type: str
    year: int
    requested_amount_fen: int
    household_id: int | None = None
    worker_name: str | None = None
    worker_id_number: str | None = None
    unit_id: int | None = None
    person_id_number: str | None = None
    subcase: str | None = None
    quarter: int | None = None
    request_date: date | None = None  # default: today
    conditions: tuple[str, ...] = ()
    reason: str = ""  # 申请事由 / the case
    justification: str = ""
    self_paid_medical_fen: int | None = None
    students: tuple[str, ...] = ()  # schooling stage per student
    months: int | None = None
    persons: int | None = None
    batch_no: int | None = None
    goods: bool = False
    fund_source: str | None = None
    attachment_kinds: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str  # 'error' | 'warning'
    message: str  # Chinese
    rule: str = ""  # policy path, e.g. 'quarterly.count_limits[0]'

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)


@dataclass(frozen=True)
class EvaluationView:
    """The live result for the new-request dialog (nothing is written)."""

    policy_id: int | None
    policy_name: str
    suggested_amount_fen: int
    max_allowed_fen: int | None  # largest amount no hard cap forbids; None = no cap
    remaining_year_allowance_fen: int | None  # before this request; None = no yearly cap
    standard_min_fen: int | None
    standard_max_fen: int | None
    standard_text: str
    findings: tuple[FindingView, ...] = ()
    history_count_year: int = 0  # approved/paid aids of the household this year
    history_total_year_fen: int = 0

    @property
    def errors(self) -> tuple[FindingView, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[FindingView, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def blocking(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def needs_justification(self) -> bool:
        return any(f.severity == "warning" for f in self.findings)


@dataclass(frozen=True)
class ReviewView:
    """One level's decision (a Review row)."""

    id: int
    level: str  # grassroots | street | district
    level_name: str
    level_index: int
    decision: str  # approve | reject | return
    decision_label: str
    opinion: str
    reviewer_id: int | None
    reviewer_name: str
    amount_fen: int | None  # the amount this level approved (None for reject/return)
    justification: str
    received_at: datetime  # when the request reached this level
    decided_at: datetime  # automatic (UTC), never typed
    due_date: date
    overdue: bool  # decided after the due date
    self_approved: bool = False
    due_warning: str | None = None  # the due date relied on weekends only (year without holiday data)


@dataclass(frozen=True)
class PendingLevel:
    """The level whose turn it is, for a request under review."""

    level: str
    level_name: str
    level_index: int
    received_at: datetime
    due_date: date
    overdue: bool
    working_days_allowed: int
    due_warning: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # created | submitted | approve | reject | return | withdrawn | imported | paid | printed
    label: str  # Chinese, e.g. '镇街工会 同意'
    actor: str
    detail: str = ""


@dataclass(frozen=True)
class RequestAttachmentView:
    id: int
    filename: str
    kind: str
    size: int
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class RequestSummary:
    """A row of the request list or the reviewer's queue."""

    id: int
    number: str
    status: str
    status_label: str
    source: str  # entered | ledger
    household_id: int | None
    archived: bool  # False: a worker not in the archive (flagged)
    name: str
    id_number: str
    unit_id: int | None
    unit_name: str
    relief_type: str
    relief_type_name: str
    subcase: str | None
    subcase_name: str
    year: int
    quarter: int | None
    requested_amount_fen: int
    approved_amount_fen: int | None
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    current_level: str | None = None
    current_level_name: str = ""
    received_at: datetime | None = None
    due_date: date | None = None
    overdue: bool = False  # the pending level is past its due date, or a level decided late
    due_warning: str | None = None


@dataclass(frozen=True)
class RequestView:
    """A request with everything the request view and the approval form show."""

    id: int
    number: str
    status: str
    status_label: str
    source: str
    household_id: int | None
    archive_no: str | None
    archived: bool
    name: str
    id_number: str
    sex: str | None
    household_size: int | None
    hukou: str  # hukou type + region
    address: str
    phone: str
    unit_id: int | None
    unit_name: str
    person_id_number: str | None
    relief_type: str
    relief_type_name: str
    subcase: str | None
    subcase_name: str
    year: int
    quarter: int | None
    request_date: date
    conditions: tuple[Option, ...]
    reason: str
    justification: str
    requested_amount_fen: int
    suggested_amount_fen: int
    approved_amount_fen: int | None
    self_paid_medical_fen: int | None
    students: tuple[str, ...]
    months: int | None
    persons: int | None
    batch_no: int | None
    goods: bool
    fund_source: str | None
    fund_source_name: str
    findings: tuple[FindingView, ...]  # snapshot at the last evaluation (submission)
    standard_text: str
    policy_id: int
    policy_name: str
    policy_year: int
    policy_version: int
    self_approved: bool
    creator_id: int | None
    creator_name: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    reviews: tuple[ReviewView, ...]
    pending: PendingLevel | None
    chain: tuple[Option, ...]  # the review levels in order (note = days allowed)
    timeline: tuple[TimelineEntry, ...]
    attachments: tuple[RequestAttachmentView, ...]
    attachment_kinds: tuple[str, ...] | None
    paid_on: date | None  # payout date (ledger / disbursement)
    remark: str
    # previous aid of the household (approved or paid, before this request)
    previous_aid: tuple["PastAidView", ...] = ()
    year_count: int = 0  # this year's approved/paid aids of the household, this one excluded
    year_total_fen: int = 0
    # what the acting user may do now
    can_edit: bool = False
    can_submit: bool = False
    can_withdraw: bool = False
    can_review: bool = False


@dataclass(frozen=True)
class PastAidView:
    on: date
    relief_type: str
    relief_type_name: str
    amount_fen: int
    source: str  # request | ledger | disbursement
    number: str = ""


@dataclass
class RequestFilter:
    status: str | None = None  # a STATUS_LABELS code; 'open' = submitted or in review
    relief_type: str | None = None
    year: int | None = None
    quarter: int | None = None
    unit_id: int | None = None  # that union and its subtree
    overdue: bool | None = None
    source: str | None = None
    text: str | None = None  # name, ID number or request number
    household_id: int | None = None
    offset: int = 0
    limit: int = 200


@dataclass(frozen=True)
class RequestPage:
    rows: tuple[RequestSummary, ...]
    total: int
    offset: int
    limit: int


# --------------------------------------------------------------------------- ledger import

@dataclass(frozen=True)
class LedgerProblem:
    row: int  # spreadsheet row number (1-based, as Excel shows it)
    column: str  # header text as found, or ''
    value: str
    reason: str


@dataclass(frozen=True)
class LedgerImportResult:
    """``ok`` False: nothing was imported; ``problems`` says why, row by row."""

    ok: bool
    rows: int
    imported: int
    total_fen: int
    not_in_archive: tuple[tuple[int, str, str], ...] = ()  # (row, name, masked id) — flagged, allowed
    problems: tuple[LedgerProblem, ...] = ()
    report_path: str | None = None
    sheet: str = ""


# --------------------------------------------------------------------------- compliance

@dataclass(frozen=True)
class Violation:
    id_number: str
    name: str
    type: str  # relief type code
    date: date  # payout date (ledger) or decision date (request)
    amount_fen: int
    rule: str  # policy rule path, e.g. 'emergency.subcases.illness_surgery'
    message: str  # Chinese
    code: str = ""  # finding code
    record: str = ""  # 'request:12' | 'payment:7'
    type_name: str = ""
    subcase: str | None = None
    rule_label: str = ""  # the rule in Chinese: 紧急救助·突发重大疾病或意外伤害住院手术
    justification: str = ""  # the written justification recorded with the request (申请时、各级审核)


@dataclass(frozen=True)
class NotCheckable:
    id_number: str
    name: str
    type: str
    date: date
    amount_fen: int
    rule: str  # the rule that could not be checked
    message: str  # what data is missing
    record: str = ""
    type_name: str = ""
    rule_label: str = ""


@dataclass(frozen=True)
class ComplianceReport:
    year: int
    policy_name: str
    checked: int  # records examined (approved requests + payments not linked to one)
    violations: tuple[Violation, ...] = ()
    not_checkable: tuple[NotCheckable, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def compliant(self) -> int:
        """Records checked that break no rule (a record breaking two rules counts once)."""
        return self.checked - len({v.record for v in self.violations})

    @property
    def rate(self) -> float | None:
        """compliant ÷ checked (seed 000 C13: 发放标准合规户数 ÷ 全部发放户数); None when nothing was checked."""
        return self.compliant / self.checked if self.checked else None
