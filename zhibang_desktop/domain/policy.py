"""Relief policies as data: one policy per office and year.

A :class:`Policy` describes everything the rule engine (:mod:`.rules`) needs to
judge a relief request: the relief types and their amount standards, hard caps,
count and spacing limits, eligibility conditions, required attachments, allowed
fund sources and the review chain.  Policies are edited by an admin as JSON
(:mod:`.policy_io` writes it, :mod:`.policy_parse` reads it; both build on this module);
amounts are written there in yuan and held here in integer
fen.  Presets for the seed offices ship in ``zhibang_desktop/data/policies``.

Vocabulary (see DESIGN.md glossary):

* relief type ``kind``: ``quarterly`` (the period is a quarter, e.g. Zengcheng
  季度救助), ``emergency`` (any time, event driven, 紧急救助), ``annual`` (counted
  per calendar year: living/education/medical aid, 送温暖, 金秋助学) and
  ``standing`` (a standing subsidy paid in numbered batches, Kunming).
* amount rules: ``range`` (min–max), ``fixed``, ``medical_copay`` (tiered share
  of self-paid costs), ``per_student`` (by schooling stage),
  ``per_person_month`` and ``open`` (no standard amount in the policy).
* caps: a :class:`Cap` limits the amount per ``time`` or per ``year`` for a
  ``person``, ``household`` or ``student``, as an absolute amount and/or a
  number of months of the local 低保 standard (the smaller one applies).

This module is pure Python; it imports nothing from storage, services or ui.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("quarterly", "emergency", "annual", "standing")
AMOUNT_RULES = ("range", "fixed", "medical_copay", "per_student", "per_person_month", "open")
LEVELS = ("grassroots", "street", "district")
LEVEL_NAMES = {"grassroots": "基层工会", "street": "镇街工会", "district": "区总工会"}
CAP_SCOPES = ("person", "household", "student")
CAP_PERIODS = ("time", "year")
CAP_APPLIES = ("cash", "goods", "all")
COUNT_SCOPES = ("person", "household")
# Same codes as household.SCHOOLING_STAGES (the archive's member field), minus 'none'.
SCHOOLING_STAGES = {
    "preschool": "学前",
    "primary": "小学",
    "junior": "初中",
    "high_school": "高中",
    "vocational": "中职/技校",
    "special": "特殊教育",
    "university": "大学（含大专）",
}
KNOWN_FUND_SOURCES = {
    "central": "中央财政",
    "provincial": "省财政",
    "city": "市县财政",
    "union": "工会经费",
    "provincial_union": "省总工会",
    "carry_over": "结转资金",
}
DEFAULT_CATEGORIES = {"deep": "深度困难", "relative": "相对困难", "accident": "意外致困"}
# Seed 002: deep households are visited once a year, relative and accident households twice.
# The value for a policy stored before visit intervals were policy data.
DEFAULT_VISIT_INTERVALS: tuple[tuple[str, int], ...] = (("deep", 12), ("relative", 6), ("accident", 6))
# Household facts a condition can be cross-checked against (see rules.py).
CONDITION_CHECKS = ("assistance", "model_worker")


class PolicyError(ValueError):
    """A policy file is invalid.  ``errors`` lists ``(path, message)`` pairs."""

    def __init__(self, errors: list[tuple[str, str]] | str):
        if isinstance(errors, str):
            errors = [("", errors)]
        self.errors = list(errors)
        text = "；\n".join(f"{p}：{m}" if p else m for p, m in self.errors)
        super().__init__(text)


@dataclass(frozen=True)
class Labelled:
    """A code with a Chinese label (conditions, exclusions, categories, funds)."""

    code: str
    label: str


@dataclass(frozen=True)
class Condition:
    """An eligibility condition the clerk ticks on the request.

    ``check`` optionally names a household fact that should agree with the
    tick (``assistance``: the household receives 低保/低收入/特困 assistance;
    ``model_worker``: the worker is a 劳模).  A disagreement is a warning.
    """

    code: str
    label: str
    check: str | None = None


@dataclass(frozen=True)
class CopayTier:
    """Share ``rate_bp`` (basis points, 9000 = 90 %) of self-paid costs up to
    ``up_to_fen`` (cumulative; ``None`` = everything above the previous tier)."""

    up_to_fen: int | None
    rate_bp: int


@dataclass(frozen=True)
class AmountRule:
    rule: str = "open"
    min_fen: int | None = None
    max_fen: int | None = None
    fixed_fen: int | None = None
    tiers: tuple[CopayTier, ...] = ()
    per_student_fen: tuple[tuple[str, int], ...] = ()  # (stage, fen) pairs
    per_person_month_fen: int | None = None

    def stage_amount(self, stage: str) -> int | None:
        for code, fen in self.per_student_fen:
            if code == stage:
                return fen
        return None


@dataclass(frozen=True)
class SubCase:
    """A sub-case of a relief type with its own amount standard
    (e.g. Zengcheng emergency: 房屋全部冲毁 2,000 fixed)."""

    code: str
    name: str
    amount: AmountRule | None = None  # None: the relief type's rule applies
    note: str = ""


@dataclass(frozen=True)
class Cap:
    """A hard ceiling.  Exceeding it is an error, not a warning."""

    scope: str  # person | household | student
    period: str  # time | year
    max_fen: int | None = None
    dibao_months: int | None = None  # N months of the local 低保 standard
    applies_to: str = "cash"  # cash | goods | all
    relief_types: tuple[str, ...] = ()  # policy-level caps only; () = all types
    note: str = ""

    def limit_fen(self, dibao_monthly_fen: int | None) -> int | None:
        """The effective limit; ``None`` when it cannot be computed."""
        limits = []
        if self.max_fen is not None:
            limits.append(self.max_fen)
        if self.dibao_months is not None and dibao_monthly_fen:
            limits.append(self.dibao_months * dibao_monthly_fen)
        return min(limits) if limits else None


@dataclass(frozen=True)
class CountLimit:
    scope: str  # person | household
    max_count: int
    period: str = "year"


@dataclass(frozen=True)
class ReviewLevel:
    level: str  # grassroots | street | district
    name: str = ""
    days_allowed: int = 5  # working days per level (seed 001)

    @property
    def display_name(self) -> str:
        return self.name or LEVEL_NAMES.get(self.level, self.level)


@dataclass(frozen=True)
class ReliefType:
    code: str
    name: str
    kind: str
    amount: AmountRule = field(default_factory=AmountRule)
    subcases: tuple[SubCase, ...] = ()
    caps: tuple[Cap, ...] = ()
    count_limits: tuple[CountLimit, ...] = ()
    min_quarter_gap: int | None = None  # 2 = 隔一季度 (no consecutive quarters)
    members_only: bool = False
    categories: tuple[str, ...] = ()  # () = any category
    requires_archive: bool = True  # 先建档后帮扶
    exclusion_check: bool = False  # the policy's exclusion checklist must pass
    goods_allowed: bool = False
    conditions: tuple[Condition, ...] = ()
    min_conditions: int = 1  # when conditions are listed, tick at least this many
    attachments: tuple[str, ...] = ()
    fund_sources: tuple[str, ...] = ()  # () = any of the policy's sources
    review_chain: tuple[ReviewLevel, ...] | None = None  # None = the policy's
    note: str = ""

    def subcase(self, code: str | None) -> SubCase | None:
        for sc in self.subcases:
            if sc.code == code:
                return sc
        return None

    def amount_rule(self, subcase: str | None = None) -> AmountRule:
        sc = self.subcase(subcase)
        return sc.amount if sc is not None and sc.amount is not None else self.amount


@dataclass(frozen=True)
class Policy:
    office: str
    year: int
    name: str
    version: int
    relief_types: tuple[ReliefType, ...]
    review_chain: tuple[ReviewLevel, ...]
    self_approval_allowed: bool = False
    # One person decides at most one level of a request unless this is set (a small
    # office where the same reviewer signs for the grassroots and the street union).
    several_levels_per_reviewer_allowed: bool = False
    household_year_caps: tuple[Cap, ...] = ()
    exclusion_checklist: tuple[Labelled, ...] = ()
    categories: tuple[Labelled, ...] = tuple(Labelled(c, n) for c, n in DEFAULT_CATEGORIES.items())
    fund_sources: tuple[Labelled, ...] = ()
    visit_interval_months: tuple[tuple[str, int], ...] = DEFAULT_VISIT_INTERVALS
    source: str = ""
    note: str = ""

    def visit_interval(self, category: str | None) -> int | None:
        """Months between two 走访 of a household of this category; None: no visits due."""
        for code, months in self.visit_interval_months:
            if code == category:
                return months
        return None

    def relief_type(self, code: str) -> ReliefType | None:
        for rt in self.relief_types:
            if rt.code == code:
                return rt
        return None

    def chain_for(self, relief_type: str) -> tuple[ReviewLevel, ...]:
        rt = self.relief_type(relief_type)
        if rt is not None and rt.review_chain:
            return rt.review_chain
        return self.review_chain

    def category_name(self, code: str | None) -> str:
        for c in self.categories:
            if c.code == code:
                return c.label
        return code or "未定"

    def fund_source_name(self, code: str) -> str:
        for f in self.fund_sources:
            if f.code == code:
                return f.label
        return KNOWN_FUND_SOURCES.get(code, code)


__all__ = [
    "AMOUNT_RULES", "CAP_APPLIES", "CAP_PERIODS", "CAP_SCOPES", "CONDITION_CHECKS",
    "COUNT_SCOPES", "DEFAULT_CATEGORIES", "DEFAULT_VISIT_INTERVALS", "KINDS", "KNOWN_FUND_SOURCES", "LEVELS",
    "LEVEL_NAMES", "SCHOOLING_STAGES", "AmountRule", "Cap", "Condition", "CopayTier",
    "CountLimit", "Labelled", "Policy", "PolicyError", "ReliefType", "ReviewLevel",
    "SubCase",
]
