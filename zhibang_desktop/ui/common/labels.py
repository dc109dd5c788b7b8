"""Vocabulary and formatting the screens share.

The one place in `ui/` that reads the domain's label tables and pure helpers, so that
every page shows the same words for the same codes.
"""
from __future__ import annotations

from datetime import date, datetime

from ...domain import clock
from ...domain.household import (  # noqa: F401  (re-exported for the pages)
    ASSISTANCE_STATUSES,
    CATEGORIES,
    DEFAULT_HARDSHIP_CAUSES,
    EXCLUSIONS,
    INCOME_BAND_LABELS,
    OTHER_CAUSE_PREFIX,
    RELATIONS,
    SCHOOLING_STAGES,
    STATUSES,
    VISIT_METHODS,
    income_band,
    per_capita_income_fen,
    phase_out_end,
)
from ...domain.money import AmountError, format_yuan, parse_yuan  # noqa: F401

SEX = {"M": "男", "F": "女", "男": "男", "女": "女"}
ACCOUNT_KINDS = {"bank": "银行卡", "social_security": "社保卡"}
HUKOU_TYPES = ("城镇", "农村")


def yuan(fen: int | None, empty: str = "") -> str:
    """Fen as yuan for display: 123450 → "1,234.50"."""
    return empty if fen is None else format_yuan(int(fen))


def yuan_input(fen: int | None) -> str:
    """Fen as yuan for an input field: no thousands separator, no trailing ".00"."""
    if not fen:
        return ""
    text = format_yuan(int(fen), thousands=False)
    return text[:-3] if text.endswith(".00") else text


def day(d: date | None) -> str:
    return d.isoformat() if d else ""


def moment(t: datetime | None) -> str:
    """A stored (UTC) timestamp in local time."""
    if t is None:
        return ""
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%Y-%m-%d %H:%M")


def sex(code: str | None) -> str:
    return SEX.get(code or "", code or "")


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def id_facts(id_number: str) -> str:
    """What a valid ID number encodes, e.g. "男，1980-05-02 出生（45 岁）"; "" when not valid."""
    from ...domain.idnumber import InvalidIdNumber, parse_id_number

    try:
        info = parse_id_number(id_number)
    except (InvalidIdNumber, ValueError):
        return ""
    today = clock.today()
    age = today.year - info.birth_date.year - ((today.month, today.day) < (info.birth_date.month, info.birth_date.day))
    return f"{sex(info.sex)}，{info.birth_date.isoformat()} 出生（{age} 岁）"
