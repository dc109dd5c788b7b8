"""What a clerk types into the archive search, drawn from the bench database itself: for 20
households spread over the table, the first two characters of the name, the name's initials
and the last six digits of the ID number."""
from __future__ import annotations

import sqlite3
from pathlib import Path

SAMPLES = 20


def sample_people(db_path: Path) -> list[tuple[str, str, str]]:
    """(name, ID number, stored search keys) of SAMPLES households evenly spread by id."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        (count,) = con.execute("select count(*) from households").fetchone()
        step = max(1, count // SAMPLES)
        rows = con.execute("select name, id_number, search_text from households order by id").fetchall()
    finally:
        con.close()
    return [rows[i] for i in range(0, len(rows), step)][:SAMPLES]


def name_prefixes(people) -> list[str]:
    return [name[:2] for name, _, _ in people]


def initials(people) -> list[str]:
    """The initials of each name, the first the stored keys give (曾小明 → zxm)."""
    return [next((k for k in keys.split(" ") if is_initials(k, name)), name[:1]) for name, _, keys in people]


def is_initials(key: str, name: str) -> bool:
    return key.isascii() and key.isalpha() and len(key) == len(name)


def id_suffixes(people) -> list[str]:
    return [number[-6:] for _, number, _ in people]


QUERY_KINDS = {"name_prefix": ("姓名前两字", name_prefixes), "initials": ("姓名首字母", initials),
               "id_suffix": ("身份证号末六位", id_suffixes)}
