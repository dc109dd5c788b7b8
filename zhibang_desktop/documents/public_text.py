"""Privacy guard for anything printed for the public (公示 rosters).

DESIGN.md §6: a public roster shows what its purpose needs (name, unit, relief
type, amount) and never a full ID number, a bank/card number, an illness or an
income (PIPL art. 28; 社会救助暂行办法 art. 61).  The roster writer runs every
cell through :func:`public_text_problems` and refuses to write when one looks
like an ID or account number; the notice service also checks free-text remarks
against the household's stored illnesses and hardship causes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["PrivacyError", "public_text_problems", "check_public_cells", "LONG_DIGITS"]

# 18-digit ID numbers (last char may be X), old 15-digit IDs, and 12–19 digit card
# numbers, also when written with spaces or dashes in groups (6222 0212 3456 7890 123).
LONG_DIGITS = re.compile(r"(?<![\d*])(?:\d[\s\-]?){11,18}[\dXx](?![\d*])")
# a phone number is not sensitive here (the office's 联系电话 is printed on purpose)
_PHONE = re.compile(r"^(?:1\d{10}|0\d{2,3}-?\d{7,8})$")


class PrivacyError(ValueError):
    """Something that must not be published was about to be printed on a public roster."""


def public_text_problems(text: str, forbidden_words: Iterable[str] = ()) -> list[str]:
    """Reasons why ``text`` may not appear on a public roster (empty list: it may)."""
    if not text:
        return []
    normal = unicodedata.normalize("NFKC", str(text))
    problems = []
    for match in LONG_DIGITS.finditer(normal):
        digits = re.sub(r"[\s\-]", "", match.group())
        if _PHONE.match(match.group().strip()):
            continue
        if len(digits) in (15, 18) and (digits[:-1].isdigit()):
            problems.append(f"疑似身份证号：{digits[:3]}…")
        else:
            problems.append(f"疑似银行卡号/账号：{digits[:3]}…")
    for word in forbidden_words:
        word = (word or "").strip()
        if len(word) >= 2 and word in normal:
            problems.append(f"含病情或收入等敏感信息：{word}")
    return problems


def check_public_cells(rows: Iterable[Iterable[object]], forbidden_words: Iterable[str] = ()) -> None:
    """Raise :class:`PrivacyError` naming the first offending row."""
    words = tuple(forbidden_words)
    for index, row in enumerate(rows, start=1):
        for value in row:
            if value is None or isinstance(value, int):
                continue
            problems = public_text_problems(str(value), words)
            if problems:
                raise PrivacyError(f"公示名单第 {index} 行不能公开：{'；'.join(problems)}")
