"""The indexed search finds exactly what the old rule found — `query in search_text`, the name's
characters, pinyin (surnames read right) and initials, the ID (or its tail), the archive number
and the phone — by each of its three paths (trigrams, short grams, reading in order), within
the user's scope, and the index follows every write (create, edit, delete, bulk insert)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, insert, select

from tests.archive_helpers import FACTORY, JEANS, household, id_no, scoped
from zhibang_desktop.domain.pinyin_search import normalize_query
from zhibang_desktop.domain.search_grams import short_grams, uses_short_grams
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter as F
from zhibang_desktop.storage.models import Household

PEOPLE = [  # name, unit, phone
    ("曾志明", FACTORY, "13800138000"),
    ("单丽", FACTORY, "020-82712345"),
    ("覃国强", JEANS, None),
    ("区小凤", JEANS, "13912345678"),
    ("长孙无忌", FACTORY, None),
    ("阿卜杜拉·买买提", JEANS, None),
    ("Tom李", FACTORY, "0755 8888 6666"),
    ("张伟", FACTORY, None),
]


@pytest.fixture
def people(ctx):
    return {name: archive.create_household(ctx, household(ctx, name=name, seq=seq, unit=unit, phone=phone))
            for seq, (name, unit, phone) in enumerate(PEOPLE, start=1)}


def found(ctx, query: str) -> set[str]:
    page = archive.search_households(ctx, F(text=query), limit=1000)
    assert page.total == len(page.rows)
    return {r.name for r in page.rows}


def old_rule(ctx, query: str) -> set[str]:
    """What the search found before the index: the query anywhere in the stored keys."""
    q = normalize_query(query)
    with ctx.db.session() as s:
        return {name for name, text in s.execute(select(Household.name, Household.search_text)) if q in text}


@pytest.mark.parametrize("query,expected,path", [
    # surname readings (pypinyin's own reading too) — grams for two letters, trigrams beyond
    ("zeng", {"曾志明"}, "trigram"), ("ceng", {"曾志明"}, "trigram"), ("shanli", {"单丽"}, "trigram"),
    ("qinguoqiang", {"覃国强"}, "trigram"), ("ouxiaofeng", {"区小凤"}, "trigram"),
    ("zhangsunwuji", {"长孙无忌"}, "trigram"),
    # initials, whole or any part
    ("zzm", {"曾志明"}, "trigram"), ("sl", {"单丽"}, "grams"), ("qgq", {"覃国强"}, "trigram"),
    ("gq", {"覃国强"}, "grams"), ("zw", {"张伟"}, "grams"),
    # characters: one, two, a middle piece
    ("曾", {"曾志明"}, "grams"), ("伟", {"张伟"}, "grams"), ("志明", {"曾志明"}, "grams"),
    ("孙无", {"长孙无忌"}, "grams"), ("拉买", {"阿卜杜拉·买买提"}, "grams"), ("卜杜拉·买", {"阿卜杜拉·买买提"}, "trigram"),
    ("tomli", {"Tom李"}, "trigram"), ("m李", {"Tom李"}, "grams"),
    # phone: whole, a group, spaces typed
    ("82712345", {"单丽"}, "trigram"), ("138 0013 8000", {"曾志明"}, "trigram"), ("6666", {"Tom李"}, "trigram"),
    # one letter or digit, two digits: read in order
    ("z", None, "scan"), ("7", None, "scan"), ("45", None, "scan"),
    # nothing
    ("wang", set(), "trigram"), ("曾伟", set(), "grams"), ("qz", set(), "grams"),
])
def test_each_kind_of_query_finds_what_the_old_rule_found(ctx, people, query, expected, path):
    q = normalize_query(query)
    assert path == ("grams" if uses_short_grams(q) else "trigram" if len(q) >= 3 else "scan")
    result = found(ctx, query)
    assert result == old_rule(ctx, query)
    if expected is not None:
        assert result == expected


def test_id_number_whole_head_tail_and_archive_number(ctx, people):
    zeng = people["曾志明"]
    number = id_no(1)
    for query in (number, number[-4:], number[-6:], number[:6], zeng.archive_no, zeng.archive_no.lower(), "zc"):
        assert "曾志明" in found(ctx, query), query
        assert found(ctx, query) == old_rule(ctx, query), query


def test_every_piece_of_every_key_finds_the_same_households_as_before(ctx, people):
    """Exhaustive over one- to four-character pieces of the stored keys (and a few misses)."""
    with ctx.db.session() as s:
        texts = list(s.execute(select(Household.search_text)).scalars())
    pieces = {key[i:i + n] for text in texts for key in text.split(" ") for n in (1, 2, 3, 4)
              for i in range(len(key) - n + 1)}
    pieces |= {"%", "_", "\\", "z%", "x_", "qq", "曾丽", "zzzz"}
    with ctx.db.session() as s:
        stored = list(s.execute(select(Household.name, Household.search_text)))
    for piece in sorted(pieces):
        assert found(ctx, piece) == {name for name, text in stored if piece in text}, piece


def test_scope_limits_every_path(ctx, people):
    xintang = scoped(ctx, "新塘镇总工会", roles=("reviewer",))
    for query in ("zeng", "zzm", "曾", "z", "覃", "qgq", "qin"):
        expected = old_rule(ctx, query) & {"覃国强", "区小凤", "阿卜杜拉·买买提"}
        assert found(xintang, query) == expected, query
    assert archive.archive_counts(xintang, F(text="q")).total == len(old_rule(ctx, "q") & {"覃国强", "区小凤",
                                                                                        "阿卜杜拉·买买提"})


def test_the_index_follows_edits_deletes_and_bulk_inserts(ctx, people):
    view = people["张伟"]
    archive.update_household(ctx, view.id, view.version, replace(view.data, name="查海"))
    assert found(ctx, "zhahai") == {"查海"} and found(ctx, "查") == {"查海"} and found(ctx, "zh") >= {"查海"}
    assert found(ctx, "zhangwei") == set() and found(ctx, "zw") == set()
    with ctx.db.session() as s:
        s.execute(delete(Household).where(Household.id == people["单丽"].id))
    assert found(ctx, "shanli") == set() and found(ctx, "单") == set()
    with ctx.db.session() as s:  # a Core insert, as the demo and bulk paths do: the triggers index it
        row = s.execute(select(Household).where(Household.id == people["曾志明"].id)).scalar_one()
        values = {c.key: getattr(row, c.key) for c in Household.__table__.columns if c.key != "id"}
        text = "钱多多 qianduoduo qdd 440183198005060000 zc-bulk-1"
        values.update(name="钱多多", id_number="440183198005060000", archive_no="ZC-BULK-1", search_text=text,
                      search_grams=short_grams(text))
        s.execute(insert(Household.__table__), [values])
    assert found(ctx, "qianduo") == {"钱多多"} and found(ctx, "qd") == {"钱多多"} and found(ctx, "钱") == {"钱多多"}


def test_counts_use_the_same_match(ctx, people):
    for query in ("zeng", "zw", "曾", "z", ""):
        counts = archive.archive_counts(ctx, F(text=query))
        page = archive.search_households(ctx, F(text=query), limit=1000)
        assert counts.total == page.total == len(page.rows), query
        assert sum(counts.by_status.values()) == counts.total


@pytest.mark.sqlite_only  # takes the file back to the schema before the index
def test_a_database_from_before_the_index_is_indexed_when_migrated(ctx, people, db_path):
    from alembic import command

    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.storage.migrate import alembic_config

    before = {q: found(ctx, q) for q in ("zeng", "sl", "曾", "覃国", "z", "6666")}
    with ctx.db.engine.connect() as conn:
        # as migrate.py does (outside any transaction): later revisions rebuild tables on the way down
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            command.downgrade(alembic_config(conn), "0005")
            assert "households_fts" not in {r[0] for r in conn.exec_driver_sql("select name from sqlite_master")}
    ctx.db.close()
    reopened = open_database(db_path)  # migrates to head: grams computed, index built from the rows
    try:
        again = replace(ctx, db=reopened)
        assert {q: found(again, q) for q in before} == before
        with reopened.session() as s:
            assert all(g == short_grams(t) for t, g in s.execute(select(Household.search_text,
                                                                        Household.search_grams)))
    finally:
        reopened.close()
