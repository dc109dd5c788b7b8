"""What a 联系电话 field may hold: one or more phone numbers, each one whole.

A mobile has 11 digits (1[3-9]…); a landline is 7 or 8 digits on its own (never starting
with 0 or 1, which begin area codes and mobiles) or 10–12 with its area code; 400/800
lines and 123xx hotlines (12345, 12351) are for offices. So 1381234 — a mobile with
digits missing — is refused, where counting digits alone let it through.
"""
from __future__ import annotations

import re
import unicodedata

_NUMBER = re.compile(r"(?:\+?86)?(?:1[3-9]\d{9}|0\d{9,11}|[2-9]\d{6,7}|[48]00\d{7}|123\d{2})(?:转\d{1,6})?", re.ASCII)
_BETWEEN_NUMBERS = re.compile(r"[、,，;；/／或]|\s{2,}")
_INSIDE_NUMBER = re.compile(r"[\s\-()（）]")


def is_phone_number(digits: str) -> bool:
    """One number with its separators removed (0208271234, 13800138000, 82712345转801)."""
    return _NUMBER.fullmatch(digits) is not None


def bad_phone_numbers(text: str) -> list[str]:
    """The pieces of `text` that are not whole phone numbers, as typed (full-width digits folded)."""
    bad = []
    for piece in _BETWEEN_NUMBERS.split(unicodedata.normalize("NFKC", text).strip()):
        digits = _INSIDE_NUMBER.sub("", piece)
        if digits and not is_phone_number(digits):
            bad.append(piece.strip())
    return bad
