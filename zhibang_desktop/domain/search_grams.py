"""The short-query index of the archive search.

The list's search matches a query anywhere in a household's keys (``search_text``: the name's
characters, full pinyin and initials, the ID, archive and phone numbers): see pinyin_search.
An index of three-character pieces (trigrams: FTS5 on SQLite, pg_trgm on PostgreSQL) finds any
query of three characters or more; a query of one or two characters has no trigram. For those,
``short_grams`` lists, for each key, every two-character piece written after one mark
(``MARK``) and every Chinese character written after two, so that the query's own pattern
(``short_pattern``) is exactly one trigram of the index: q (two characters, or one Chinese
character) is a piece of a key exactly when that trigram is in the household's grams.

Pieces of digits only are left out, and one-letter or one-digit queries do not use the grams:
they match a large part of any archive and are answered faster by reading the list in order
until a page is full.
"""
from __future__ import annotations

MARK = "\x01"


def short_grams(search_text: str | None) -> str:
    """Space-separated grams: MARK + each two-character piece of each key unless it is all
    digits, and MARK * 2 + each character that is not ASCII; each once."""
    grams: dict[str, None] = {}
    for key in (search_text or "").split(" "):
        for start, char in enumerate(key):
            piece = key[start:start + 2]
            if len(piece) == 2 and not piece.isdigit():
                grams.setdefault(MARK + piece, None)
            if not char.isascii():
                grams.setdefault(MARK * 2 + char, None)
    return " ".join(grams)


def short_pattern(query: str) -> str:
    """The one trigram a short query (see `uses_short_grams`) looks for among the grams."""
    return (MARK if len(query) == 2 else MARK * 2) + query


def uses_short_grams(query: str) -> bool:
    """Two characters not both digits, or one that is neither a digit nor a Latin letter (a
    Chinese character): the queries the grams answer."""
    if len(query) == 2:
        return not query.isdigit()
    return len(query) == 1 and not query.isascii()
