"""Money as integer fen: parsing what clerks type, formatting, 人民币大写."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["AmountError", "parse_yuan", "fen_from_yuan_number", "format_yuan", "yuan_text", "yuan_decimal",
           "yuan_number", "amount_in_words"]

FEN_PER_YUAN = 100

_NUMBER = re.compile(
    r"""
    (?P<sign>[+-])?
    \s*(?:¥\s*)?
    (?P<sign2>[+-])?
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)
    \s*(?:元整?)?
    """,
    re.VERBOSE,
)


class AmountError(ValueError):
    """An amount that cannot be accepted; the message is shown to the clerk."""


def parse_yuan(value: object, *, allow_negative: bool = False) -> int:
    """Return the amount in fen for a yuan amount typed, imported or computed."""
    if value is None:
        raise AmountError("金额为空")
    if isinstance(value, bool):
        raise AmountError(f"金额“{value}”不是有效数字")
    if isinstance(value, int):
        fen = value * FEN_PER_YUAN
    elif isinstance(value, float):
        fen = _fen_from_float(value)
    elif isinstance(value, Decimal):
        fen = _fen_from_decimal(value, str(value))
    elif isinstance(value, str):
        fen = _fen_from_text(value)
    else:
        raise AmountError(f"金额“{value}”不是有效数字")
    if fen < 0 and not allow_negative:
        raise AmountError("金额不能为负数")
    return fen


def _fen_from_float(value: float) -> int:
    if not math.isfinite(value):
        raise AmountError(f"金额“{value}”不是有效数字")
    scaled = value * FEN_PER_YUAN
    fen = round(scaled)
    if abs(scaled - fen) > max(1e-6, abs(scaled) * 1e-12):
        raise AmountError("金额最多两位小数")
    return int(fen)


def _fen_from_decimal(value: Decimal, shown: str) -> int:
    if not value.is_finite():
        raise AmountError(f"金额“{shown}”不是有效数字")
    scaled = value * FEN_PER_YUAN
    if scaled != scaled.to_integral_value():
        raise AmountError("金额最多两位小数")
    return int(scaled)


def _fen_from_text(text: str) -> int:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise AmountError("金额为空")
    match = _NUMBER.fullmatch(cleaned)
    if match is None or (match["sign"] and match["sign2"]):
        raise AmountError(f"金额“{text.strip()}”不是有效数字")
    try:
        amount = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:
        raise AmountError(f"金额“{text.strip()}”不是有效数字") from None
    if "-" in (match["sign"], match["sign2"]):
        amount = -amount
    return _fen_from_decimal(amount, text.strip())


def fen_from_yuan_number(value: object) -> int:
    """Fen for a yuan amount stored as a JSON number (int or float), converted exactly.

    A float is read in its shortest decimal form (``0.1`` → ``Decimal("0.1")``), never through
    binary arithmetic, so ``1234.56`` is 123456 fen and ``0.015`` is refused. The caller names
    the field in front of the message (it says only what is wrong)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AmountError("应为数字")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str() of an int or float always parses
        raise AmountError("应为数字") from None
    if not amount.is_finite():
        raise AmountError("应为数字")
    scaled = amount * FEN_PER_YUAN
    if scaled != scaled.to_integral_value():
        raise AmountError("金额最多两位小数")
    return int(scaled)


def format_yuan(fen: int, thousands: bool = True) -> str:
    """Format fen as yuan with two decimals, e.g. ``123450 -> "1,234.50"``."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be int, not {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    whole = f"{yuan:,}" if thousands else str(yuan)
    return f"{sign}{whole}.{cents:02d}"


def yuan_text(fen: int) -> str:
    """'1,234' or '1,234.50': whole yuan without '.00', for messages and policy texts."""
    text = format_yuan(fen)
    return text[:-3] if text.endswith(".00") else text


def yuan_decimal(fen: int) -> Decimal:
    """The exact yuan amount, for a spreadsheet cell: 123450 → Decimal('1234.5')."""
    return Decimal(fen) / FEN_PER_YUAN


def yuan_number(fen: int) -> int | float:
    """Yuan as a JSON number: an int when whole (5000), else the two-decimal float (1234.5)."""
    yuan, cents = divmod(fen, FEN_PER_YUAN)
    return yuan if cents == 0 else float(yuan_decimal(fen))


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def _group_in_words(group: int) -> str:
    words = []
    pending_zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words.append("零")
            pending_zero = False
        words.append(_DIGITS[digit] + _PLACES[place])
    return "".join(words)


def _yuan_in_words(yuan: int) -> str:
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    if len(groups) > len(_GROUPS):
        raise ValueError("金额过大，无法转换为大写")
    words: list[str] = []
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or group < 1000):
            words.append("零")
        words.append(_group_in_words(group) + _GROUPS[index])
        pending_zero = False
    return "".join(words)


def amount_in_words(fen: int) -> str:
    """人民币大写 for an amount in fen, e.g. ``120000 -> "壹仟贰佰元整"``.

    Zeros inside the yuan part are written once as 零; a zero 元 digit before
    角 is not written (``1000.50 -> 壹仟元伍角整``); a zero 角 between 元 and
    分 is (``12.03 -> 壹拾贰元零叁分``); 整 follows 元 or 角, never 分.
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be int, not {type(fen).__name__}")
    if fen == 0:
        return "零元整"
    sign = "负" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    jiao, fen_digit = divmod(cents, 10)
    words = _yuan_in_words(yuan)
    if words:
        words += "元"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif fen_digit and yuan:
        words += "零"
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    else:
        words += "整"
    return sign + words
