"""What the reports services return: plain dataclasses, money in integer fen."""
from __future__ import annotations

from dataclasses import dataclass


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
    exceptions: tuple[IndicatorException, ...]

    @property
    def value_text(self) -> str:
        """98.44% (two decimals, rounded half up on the exact fraction), or — ."""
        if not self.answerable or not self.denominator or self.numerator is None:
            return "—"
        bp = (self.numerator * 10000 * 2 + self.denominator) // (self.denominator * 2)
        return f"{bp // 100}.{bp % 100:02d}%"
