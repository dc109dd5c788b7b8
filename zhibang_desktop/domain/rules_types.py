"""Input and output value types of the rule engine (re-exported by :mod:`.rules`).

All money is integer fen.  These are plain frozen dataclasses so that services
can build them from database rows and tests can write them inline.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ERROR = "error"
WARNING = "warning"
HOUSEHOLD_STATUSES = ("draft", "active", "phasing_out", "exited")
# HouseholdFacts.assistance_status values that count as 低保/低收入/特困
# (codes of household.ASSISTANCE_STATUSES).
ASSISTANCE_STATUSES = ("dibao", "low_income", "tekun")


@dataclass(frozen=True)
class MemberFacts:
    id_number: str | None = None
    schooling: str | None = None  # a policy.SCHOOLING_STAGES code, or None


@dataclass(frozen=True)
class HouseholdFacts:
    """What the engine needs to know about the applicant's household archive."""

    archived: bool = True
    status: str | None = "active"  # draft | active | phasing_out | exited | None
    category: str | None = None  # deep | relative | accident (policy vocabulary)
    union_member: bool = True
    exclusion_passed: bool = True  # the policy's exclusion checklist passed
    exclusion_override: bool = False  # failed but overridden with a justification
    model_worker: bool = False
    assistance_status: str | None = None  # none | dibao | low_income | tekun | None
    household_size: int = 1
    members: tuple[MemberFacts, ...] = ()
    head_id_number: str | None = None


@dataclass(frozen=True)
class PastAid:
    """One approved or paid aid of the household (the history the limits use).

    ``period_year`` is the year the aid counts against; ``period_quarter`` is
    set for quarterly relief; ``batch_no`` for standing subsidies paid in
    numbered batches (Kunming 第30/31/32次).
    """

    request_id: int | str | None
    person_id_number: str | None
    relief_type: str
    subcase: str | None
    period_year: int
    period_quarter: int | None
    paid_or_approved_on: date
    amount_fen: int
    goods: bool = False
    batch_no: int | None = None


@dataclass(frozen=True)
class RequestDraft:
    """The request being evaluated.

    ``request_id`` (optional) excludes the request's own rows from the history
    when an existing request is re-evaluated.  ``fund_source`` and
    ``attachments`` are checked only when given (``None`` = not yet known).
    A request is either cash or goods (``goods=True``: the amount is the value
    of the goods); a mixed 送温暖 visit is two requests.
    """

    relief_type: str
    subcase: str | None
    year: int
    quarter: int | None
    request_date: date
    requested_amount_fen: int
    self_paid_medical_fen: int | None = None
    students: tuple[str, ...] = ()  # schooling stage per student
    person_id_number: str | None = None
    conditions: tuple[str, ...] = ()
    goods: bool = False
    months: int | None = None
    persons: int | None = None
    batch_no: int | None = None
    fund_source: str | None = None
    attachments: tuple[str, ...] | None = None
    request_id: int | str | None = None


@dataclass(frozen=True)
class Standards:
    """Local standards for the request's year (a setting per year)."""

    dibao_monthly_fen: int | None = None  # 低保标准, per person per month
    low_income_monthly_fen: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str  # stable English code, e.g. 'amount_below_standard'
    severity: str  # 'error' | 'warning'
    message: str  # Chinese, shown to the clerk and printed on the approval form
    rule: str = ""  # the policy rule it comes from, e.g. 'quarterly.count_limits[0]'


@dataclass(frozen=True)
class Evaluation:
    suggested_amount_fen: int
    max_allowed_fen: int | None  # largest amount that breaks no hard cap; None = no cap
    remaining_year_allowance_fen: int | None  # before this request; None = no yearly cap
    findings: tuple[Finding, ...] = ()
    standard_min_fen: int | None = None  # the standard for this type/sub-case
    standard_max_fen: int | None = None
    standard_text: str = ""  # e.g. '400–600 元'

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == WARNING)

    @property
    def blocking(self) -> bool:
        """Any error: the request cannot be submitted."""
        return any(f.severity == ERROR for f in self.findings)

    @property
    def needs_justification(self) -> bool:
        """Any warning: a written justification must be stored and printed."""
        return any(f.severity == WARNING for f in self.findings)

    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)
