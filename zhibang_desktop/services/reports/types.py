"""What the reports services return: plain dataclasses, money in integer fen."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..funds.types import rate_bp, rate_text


@dataclass(frozen=True)
class IndicatorException:
    """One record behind an indicator that fell short (a payment, a review, a household)."""

    kind: str  # stable key, e.g. "over_standard", "no_archive", "late_review"
    description: str  # one Chinese line: what is wrong, with the figure (e.g. 晚 3 个工作日)
    household_id: int | None
    request_id: int | None
    payment_id: int | None  # the payout line (disbursement_lines.id), where there is one
    justification: str = ""  # the written justification recorded in the data, if any


@dataclass(frozen=True)
class Indicator:
    """One auditor's figure (DESIGN.md §3), computed live for a period and a union subtree."""

    key: str  # stable, e.g. "standard_compliance"
    name: str  # Chinese name
    definition: str  # Chinese definition shown to the user (numerator ÷ denominator)
    seed: str  # where it comes from, e.g. "报告000 C13"
    numerator: int | None
    denominator: int | None
    value: float | None  # 0..1 for rates; None when not answerable or denominator 0
    answerable: bool
    reason: str  # why it cannot be answered ("" when answerable)
    # the records that fell short; for an indicator taken from the counties' reports (``source``),
    # one line per county with its reported figure (the records stay with the county)
    exceptions: tuple[IndicatorException, ...]
    source: str = ""  # "" computed from this database; 据区县上报 in a city's (reports/county_reported.py)
    reported_exceptions: int | None = None  # with ``source``: the counties' count of records that fell short

    @property
    def shortfalls(self) -> int:
        """How many records fell short."""
        return (self.reported_exceptions or 0) if self.source else len(self.exceptions)

    @property
    def value_text(self) -> str:
        """98.44% (two decimals, rounded half up on the exact fraction), or — ."""
        if not self.answerable or not self.denominator or self.numerator is None:
            return "—"
        return rate_text(rate_bp(self.numerator, self.denominator))


@dataclass(frozen=True)
class TypeRow:
    """One line of seed 000's table 1-3: a relief type's (or the total's) payouts in the year.

    ``households``: distinct households (a person not in the archive counts as one);
    ``persons``: distinct people aided (a member's medical or school aid counts the member);
    ``average_fen``, ``min_fen``, ``max_fen``: per household over the year (seed 000: 平均每户
    10,864.08 元，最低 4,583 元，最高 34,700 元)."""

    type: str  # relief type code ("" for the total)
    name: str
    households: int
    persons: int
    payments: int
    amount_fen: int
    average_fen: int | None
    min_fen: int | None
    max_fen: int | None


@dataclass(frozen=True)
class SourceRow:
    """A fund source's budget and execution at the report date (from the funds service)."""

    code: str
    name: str
    budget_fen: int
    spent_fen: int  # paid + allocated to lower unions
    paid_fen: int
    allocated_fen: int
    remaining_fen: int
    execution_rate: float | None


@dataclass(frozen=True)
class UnionRow:
    """The payouts of one union (with its subtree) directly below the report's root."""

    unit_id: int | None
    name: str
    households: int
    payments: int
    amount_fen: int
    archived_households: int  # in the archive at the end of the year


@dataclass(frozen=True)
class AnnualReport:
    year: int
    office: str
    unit_name: str  # the union reported on ("" = the whole office)
    start: date
    end: date
    as_of: date  # the day the figures were taken (the year's end, or today during the year)
    by_type: tuple[TypeRow, ...]
    total: TypeRow
    by_source: tuple[SourceRow, ...]
    budget_fen: int
    spent_fen: int
    execution_rate: float | None
    by_union: tuple[UnionRow, ...]
    indicators: tuple[Indicator, ...]
    prepared_by: str  # 制表人: the user who made the report
