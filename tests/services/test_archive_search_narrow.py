"""A search that matches by the text alone orders its matches and counts them from the narrow
(id, …) indexes instead of the households' rows (services/archive/search.py,
storage/search_index.narrow_households): the same pages, in the same order, and the same counts
as the statements that read the rows, on the demo year; on SQLite the plan names the indexes."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from zhibang_desktop.domain.household import STATUSES
from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.archive.types import HouseholdFilter as F
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database

# initials and names (short grams), longer pieces and digits (trigrams): the indexed texts
QUERIES = ("l", "zh", "wang", "li", "陈", "华", "13", "2026", "44", "zzz")


@pytest.fixture
def clerk(demo_copy):
    db = open_database(demo_copy)
    yield AppContext(db, users.authenticate(db, "clerk", "demo1234"))
    db.close()


def through_rows(text: str) -> F:
    """The same filter with every status allowed: not the text alone, so it reads the rows."""
    return F(text=text, statuses=frozenset(STATUSES))


def pages(ctx, filt: F, descending: bool, size: int = 7) -> list[list[str]]:
    """Every page of `size` rows, each after the one before (keyset)."""
    out, after = [], None
    while True:
        page = archive.search_households(ctx, filt, "archive_no", descending, limit=size, after=after, count=False)
        out.append([r.archive_no for r in page.rows])
        if page.next_after is None:
            return out
        after = page.next_after


@pytest.mark.parametrize("descending", [False, True])
def test_pages_by_the_narrow_index_are_the_pages_through_the_rows(clerk, descending):
    seen_many = False
    for text in QUERIES:
        narrow = pages(clerk, F(text=text), descending)
        assert narrow == pages(clerk, through_rows(text), descending), text
        flat = [n for page in narrow for n in page]
        assert flat == sorted(flat, reverse=descending) and len(set(flat)) == len(flat), text
        seen_many |= len(narrow) > 2
    assert seen_many  # some query had several pages: the keyset path was exercised


def test_counts_by_the_narrow_index_are_the_counts_through_the_rows(clerk):
    for text in QUERIES:
        assert archive.archive_counts(clerk, F(text=text)) == archive.archive_counts(clerk, through_rows(text)), text


@pytest.mark.sqlite_only  # SQLite's plan; PostgreSQL's planner chooses for itself
def test_sqlite_reads_the_narrow_indexes_not_the_rows(clerk):
    executed = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        executed.append((statement, parameters))

    event.listen(clerk.db.engine, "before_cursor_execute", keep)
    try:
        archive.search_households(clerk, F(text="zh"), count=False)
        archive.archive_counts(clerk, F(text="wang"))
    finally:
        event.remove(clerk.db.engine, "before_cursor_execute", keep)
    plans = []
    with clerk.db.engine.connect() as conn:
        for statement, parameters in executed:
            if "INDEXED BY" in statement:
                plans.append(" | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                           parameters)))
    assert len(plans) == 2
    assert "COVERING INDEX ix_households_id_archive_no" in plans[0]
    assert "COVERING INDEX ix_households_id_counted" in plans[1]
