"""Bank and social-security card account numbers: soft checks and masking.

A Luhn failure is only a warning: some UnionPay debit cards do not satisfy it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_account", "luhn_ok", "check_account", "mask_account"]

MIN_LENGTH = 12
MAX_LENGTH = 19
LUHN_WARNING = "卡号未通过Luhn校验，请核对（部分银联借记卡不符合此校验，可保留）"

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―－]+")


def normalize_account(text: str) -> str:
    """Remove spaces and dashes; full-width digits become ASCII."""
    if not isinstance(text, str):
        return ""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def luhn_ok(digits: str) -> bool:
    if not _is_ascii_digits(digits):
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def check_account(text: str) -> list[str]:
    """Warnings (Chinese) about a card number; empty when it looks right."""
    account = normalize_account(text)
    if not account:
        return ["卡号为空"]
    if not _is_ascii_digits(account):
        return ["卡号应为数字"]
    warnings = []
    if not MIN_LENGTH <= len(account) <= MAX_LENGTH:
        warnings.append(f"卡号为{len(account)}位，银行卡号一般为{MIN_LENGTH}至{MAX_LENGTH}位，请核对")
    if not luhn_ok(account):
        warnings.append(LUHN_WARNING)
    return warnings


def mask_account(text: str) -> str:
    """First 4 + stars + last 4; shorter numbers show at most their last 2."""
    account = normalize_account(text)
    if len(account) > 8:
        return account[:4] + "*" * (len(account) - 8) + account[-4:]
    if len(account) > 4:
        return "*" * (len(account) - 2) + account[-2:]
    return "*" * len(account)
