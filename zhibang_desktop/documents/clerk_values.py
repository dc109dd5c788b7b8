"""Parse cell values the way clerks actually write them in Excel/WPS.

Every parser returns ``None`` for an empty cell (``None`` or blank text) and
raises :class:`ValueProblem` with a Chinese message for a value it cannot
understand; whether an empty value is allowed is the caller's decision.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

__all__ = [
    "ValueProblem",
    "parse_date",
    "parse_bool",
    "parse_int",
    "parse_text",
    "parse_choice",
    "number_text",
]

T = TypeVar("T")

# Excel stores 15 significant digits: an 18-digit ID number typed into a
# "General" cell is already damaged (…1234 becomes …1000) before we see it.
_EXACT_DIGITS_LIMIT = 10**15
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's 1900-02-29 bug
_MIN_YEAR, _MAX_YEAR = 1900, 2100


class ValueProblem(ValueError):
    """A cell value that cannot be used; ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _show(value: Any) -> str:
    text = number_text(value) if isinstance(value, float) else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _clean(text: str) -> str:
    """NFKC (full-width digits and letters to half-width) and outer whitespace removed."""
    return unicodedata.normalize("NFKC", text).strip()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


# -------------------------------------------------------------------- text


def number_text(value: int | float | Decimal) -> str:
    """A number read from Excel as the digits the clerk typed: ``13800138000.0`` ->
    ``"13800138000"``, ``2.5`` -> ``"2.5"``.

    Raises :class:`ValueProblem` for integral floats of 16+ digits, whose last
    digits Excel has already lost (ID and bank card numbers in number cells).
    """
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    if not math.isfinite(value):
        raise ValueProblem(f"“{value}”不是有效数字")
    if value.is_integer():
        if abs(value) >= _EXACT_DIGITS_LIMIT:
            raise ValueProblem(
                f"“{value:.0f}”超过 15 位，Excel 以数字保存时已丢失末尾几位"
                "（身份证号、银行卡号等请先把该列设为“文本”格式再重新填写）"
            )
        return str(int(value))
    return f"{value:.15g}"


def parse_text(value: Any) -> str | None:
    """Text as the clerk meant it: stripped, ``''`` -> ``None``; numbers without
    a spurious ``.0``; dates as ``2023-01-05``.

    A leading ``'`` that our own exports add before ``= + - @`` (formula
    neutralisation, see :mod:`.xlsx_safe`) is removed again.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace("\u00a0", " ").replace("\u3000", " ").strip()
        if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n":
            text = text[1:]
        return text or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if _is_number(value):
        return number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


# -------------------------------------------------------------------- dates

_DATE_SEP = re.compile(
    r"(\d{4})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SEPARATOR_PAIRS = {("-", "-"), ("/", "/"), (".", "."), ("年", "月")}


def _make_date(y: int, m: int, d: int, shown: str) -> dt.date:
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise ValueProblem(f"日期“{shown}”的年份 {y} 不合理")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise ValueProblem(f"日期“{shown}”不存在（{y}年{m}月{d}日）") from None


def _from_serial(serial: float, shown: str) -> dt.date:
    if not 1 <= serial < 73051:  # 1900-01-01 .. 2099-12-31
        raise ValueProblem(f"“{shown}”不是有效日期")
    days = int(serial)
    if days < 61:  # Excel counts a non-existent 1900-02-29 (serial 60)
        if days == 60:
            raise ValueProblem(f"“{shown}”不是有效日期")
        days += 1
    return _EXCEL_EPOCH + dt.timedelta(days=days)


def parse_date(value: Any) -> dt.date | None:
    """A date from an Excel date cell, an Excel serial number, or text such as
    ``2023-01-05``, ``2023/1/5``, ``2023.1.5``, ``2023年1月5日``, ``20230105``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(f"“{value}”不是日期")
    if _is_number(value):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            digits = str(int(number))
            return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)
        return _from_serial(number, _show(value))
    if not isinstance(value, str):
        raise ValueProblem(f"“{_show(value)}”不是日期")
    text = _clean(value)
    if not text:
        return None
    match = _DATE_SEP.fullmatch(text)
    if match and (match.group(2), match.group(4)) in _SEPARATOR_PAIRS:
        y, m, d = int(match.group(1)), int(match.group(3)), int(match.group(5))
        return _make_date(y, m, d, value.strip())
    match = _DATE_COMPACT.fullmatch(text)
    if match:
        y, m, d = (int(g) for g in match.groups())
        return _make_date(y, m, d, value.strip())
    raise ValueProblem(
        f"无法识别的日期“{_show(value.strip())}”，请写成 2023-01-05、2023/1/5 或 2023年1月5日"
    )


# -------------------------------------------------------------------- bools

_TRUE = {"是", "y", "yes", "√", "✓", "✔", "1", "true", "有", "t", "对"}
_FALSE = {"否", "n", "no", "×", "✗", "✘", "0", "false", "无", "f", "不是", "没有"}


def parse_bool(value: Any) -> bool | None:
    """是/否, Y/N, yes/no, √/×, 1/0, True/False, 有/无 (case-insensitive)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if _is_number(value):
        if value == 1:
            return True
        if value == 0:
            return False
        raise ValueProblem(f"“{_show(value)}”不是“是/否”，请填写 是 或 否")
    text = _clean(str(value)).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueProblem(f"“{_show(str(value).strip())}”不是“是/否”，请填写 是 或 否")


# ----------------------------------------------------------------- integers

_INT_TEXT = re.compile(r"([+-]?\d{1,3}(?:,\d{3})+|[+-]?\d+)(?:\.0*)?\s*([人口个次户名岁年月天]?)")


def parse_int(value: Any) -> int | None:
    """A whole number: ``3``, ``3.0``, ``"3"``, ``"1,200"``, ``"3人"``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"“{value}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueProblem(f"“{value}”不是整数")
        if value == int(value):
            return int(value)
        raise ValueProblem(f"“{_show(value)}”不是整数")
    if not isinstance(value, str):
        raise ValueProblem(f"“{_show(value)}”不是整数")
    text = _clean(value)
    if not text:
        return None
    match = _INT_TEXT.fullmatch(text)
    if not match:
        raise ValueProblem(f"“{_show(value.strip())}”不是整数")
    return int(match.group(1).replace(",", ""))


# ------------------------------------------------------------------ choices


@functools.lru_cache(maxsize=4096)  # a column of 50,000 rows holds a handful of distinct words
def _choice_key(text: str) -> str:
    return re.sub(r"\s+", "", _clean(text)).lower()


@functools.lru_cache(maxsize=256)
def _choice_labels(items: tuple) -> dict:
    return {_choice_key(label): code for label, code in items}


def parse_choice(value: Any, mapping: Mapping[str, T], field_label: str = "") -> T | None:
    """Map a label to its code, e.g. ``{"深度困难": "deep", "相对困难": "relative"}``.

    Matches, in order: a label exactly (ignoring spaces and full/half width),
    a code exactly (``"deep"``), then a unique label that starts with, ends
    with or contains the text, or is contained in it (``"深度"``, ``"深度困难户"``
    -> ``"deep"``).  Several labels may map to one code.  Ambiguous or unknown
    text raises :class:`ValueProblem` listing the allowed values.
    """
    if value is None:
        return None
    text = parse_text(value)
    if text is None:
        return None
    key = _choice_key(text)
    labels = _choice_labels(tuple(mapping.items()))
    if key in labels:
        return labels[key]
    for code in mapping.values():
        if isinstance(code, str) and _choice_key(code) == key:
            return code
    candidates: list[T] = []
    for label, code in labels.items():
        if label and (key in label or label in key) and code not in candidates:
            candidates.append(code)
    if len(candidates) == 1:
        return candidates[0]
    allowed = "、".join(dict.fromkeys(mapping.keys()))
    name = f"{field_label}" if field_label else "该项"
    if candidates:
        matching = "、".join(
            label for label, code in mapping.items() if code in candidates
        )
        raise ValueProblem(f"{name}“{_show(text)}”不明确，可能是：{matching}。请填写完整")
    raise ValueProblem(f"{name}“{_show(text)}”不是可选的值，可选：{allowed}")
