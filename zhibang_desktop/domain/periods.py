"""Quarters (季度) of the relief year."""
from __future__ import annotations

from datetime import date

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


def quarter_of(d: date) -> int:
    """1–4: the quarter ``d`` falls in."""
    return (d.month - 1) // 3 + 1


def quarter_has_passed(year: int, quarter: int, today: date) -> bool:
    """True when the whole quarter lies before ``today``'s quarter."""
    return (year, quarter) < (today.year, quarter_of(today))
