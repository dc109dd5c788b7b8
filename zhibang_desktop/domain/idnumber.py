"""Citizen ID numbers (GB 11643-1999): validation, parsing, masking."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from . import clock

__all__ = [
    "InvalidIdNumber",
    "IdInfo",
    "parse_id_number",
    "is_valid_id_number",
    "mask_id_number",
    "make_id_number",
    "check_digit",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
_SHAPE = re.compile(r"\d{17}[\dX]")
_WHITESPACE = re.compile(r"\s+")
_STORED = re.compile(r"[0-9]{17}[0-9X]")  # an ID as the archive stores it (ASCII, upper-case X)


class InvalidIdNumber(ValueError):
    """An ID number that fails GB 11643; ``reason`` is shown to the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IdInfo:
    number: str
    region: str
    birth_date: dt.date
    sex: str


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).upper()


def parse_id_number(text: str, today: dt.date | None = None) -> IdInfo:
    """Validate an 18-digit ID number and return what it encodes."""
    number = _clean(text)
    if not number:
        raise InvalidIdNumber("身份证号为空")
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise InvalidIdNumber("15位旧身份证号已停用，请填写18位号码")
    if len(number) != 18:
        raise InvalidIdNumber(f"身份证号应为18位，现为{len(number)}位")
    if not (number.isascii() and _SHAPE.fullmatch(number)):
        raise InvalidIdNumber("身份证号只能包含数字，末位可为X")

    birth_text = number[6:14]
    try:
        birth_date = dt.date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise InvalidIdNumber(f"身份证号第7-14位出生日期{birth_text}无效") from None
    if birth_date < _EARLIEST_BIRTH:
        raise InvalidIdNumber(f"出生日期早于1900年（{birth_text}）")
    if birth_date > (today or clock.today()):
        raise InvalidIdNumber(f"出生日期晚于今天（{birth_text}）")

    expected = check_digit(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(f"校验位应为{expected}，实为{number[17]}")

    sex = "M" if int(number[16]) % 2 else "F"
    return IdInfo(number=number, region=number[:6], birth_date=birth_date, sex=sex)


def is_valid_id_number(text: str) -> bool:
    try:
        parse_id_number(text)
    except InvalidIdNumber:
        return False
    return True


def mask_id_number(text: str) -> str:
    """``440183********1234`` for 18 characters; otherwise at most 2+2 shown."""
    if isinstance(text, str) and len(text) == 18 and _STORED.fullmatch(text):  # as stored: nothing to clean
        return text[:6] + "********" + text[14:]
    number = _clean(text)
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def make_id_number(region: str, birth_date: dt.date, seq3: int, sex: str) -> str:
    """Build a valid ID number.

    The sequence's last digit carries the sex (odd = male); when ``seq3`` has
    the wrong parity its lowest bit is flipped (123 -> 122 for ``"F"``), so any
    0-999 works.
    """
    if not (isinstance(region, str) and len(region) == 6 and region.isascii() and region.isdigit()):
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"seq3 must be 0-999, got {seq3}")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if not _EARLIEST_BIRTH <= birth_date <= dt.date(9999, 12, 31):
        raise ValueError(f"birth_date out of range: {birth_date}")
    if (seq3 % 2 == 1) != (sex == "M"):
        seq3 ^= 1
    first17 = f"{region}{birth_date:%Y%m%d}{seq3:03d}"
    return first17 + check_digit(first17)


_LONG_NUMBER = re.compile(r"(?<![0-9０-９])[0-9０-９](?:[\s\-－]?[0-9０-９]){14,18}[0-9０-９XxＸｘ]?(?![0-9０-９])")


def mask_numbers_in_text(text: str) -> str:
    """Every ID- or card-shaped number (15–19 digits, spaces or dashes between) in ``text``
    masked like ``440183********1234`` / ``6222*********1234``: messages and error reports
    never echo a full ID or account number."""
    def mask(match: re.Match) -> str:
        digits = re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", match.group()))
        if len(digits) == 18:
            return mask_id_number(digits)
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    return _LONG_NUMBER.sub(mask, text) if text else text
