"""The archive search's index objects that the models do not describe (created by migration
0006): the FTS5 table on SQLite with its shadow tables, the pg_trgm indexes on PostgreSQL.
Schema comparisons leave them out. `substring_match` is the one place that queries them, so
that no engine-specific SQL is written above storage."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

from sqlalchemy import Alias, ColumnElement, Select, String, bindparam, column, literal_column, select, table
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from .models import Household

FTS_TABLE = "households_fts"
TRGM_INDEXES = ("ix_households_search_text_trgm", "ix_households_search_grams_trgm")


def is_search_index(name: str | None, type_: str) -> bool:
    if type_ == "table":
        return bool(name) and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    return type_ == "index" and name in TRGM_INDEXES


def include_object(_object, name, type_, _reflected, _compare_to) -> bool:
    """Alembic's filter: everything but the search index objects."""
    return not is_search_index(name, type_)


_FTS = table(FTS_TABLE, column("rowid"))

PATTERN_PARAM = "search_pattern"  # the bound parameter a SubstringMatch's statements take


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, eq=False)
class SubstringMatch:
    """Households whose `search_text` or `search_grams` contains a pattern, as statements built
    once and bound at each search: `clause` (for a WHERE), `ids` (the SELECT of their ids when an
    index answers alone, else None), both taking the bound parameter PATTERN_PARAM, whose value
    for a pattern is `value(pattern)`. Built once per engine kind, column and way, so a search
    binds values into the same statement objects (SQLAlchemy keys its compiled-statement cache
    on a statement's structure; building and keying it afresh was a third of a search's time)."""
    clause: ColumnElement
    ids: Select | None
    value: Callable[[str], str]


def _like_value(pattern: str) -> str:
    return f"%{_escape_like(pattern)}%"


def _like(name: str) -> ColumnElement:
    return getattr(Household, name).like(bindparam(PATTERN_PARAM, type_=String()), escape="\\")


@lru_cache(maxsize=None)
def _match(dialect: str, name: str, indexed: bool) -> SubstringMatch:
    if not indexed:
        return SubstringMatch(_like(name), None, _like_value)
    if dialect == "sqlite":
        # A trigram phrase in the FTS5 table is exactly the substring, found from the index
        # alone (LIKE would read every candidate row back to check it: ten times slower for a
        # common piece).
        ids = select(_FTS.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(bindparam(PATTERN_PARAM, type_=String())))
        return SubstringMatch(Household.id.in_(ids), ids,
                              lambda pattern: f'{name} : "{pattern.replace(chr(34), chr(34) * 2)}"')
    # PostgreSQL: LIKE, which the pg_trgm index serves; its ids are the rows the same LIKE
    # finds, so a count there is as quick as the search itself.
    clause = _like(name)
    return SubstringMatch(clause, select(Household.id).where(clause), _like_value)


def substring_match(session: Session, name: str, *, indexed: bool = True) -> SubstringMatch:
    """The match of households whose `name` column (search_text or search_grams) contains a
    pattern: through the engine's search index, or (`indexed=False`) a plain escaped LIKE that
    reads the rows (any engine)."""
    return _match(session.get_bind().dialect.name, name, indexed)


# The narrow indexes a search reads once it has matched a set of ids (migration 0011): the ids
# ordered by archive number, and the status, category and next visit of each for the counts. A
# household's row takes a page of the file to itself at worst and an index entry about 30 bytes,
# so ordering 2,800 matches read 2,800 scattered pages of rows and now reads a few dozen of the
# index, and on a cold disk no longer waits for each. SQLite's planner looks an id up in the
# table whenever it can, so the statements name the index (INDEXED BY); PostgreSQL's planner
# chooses for itself.
NARROW_INDEXES = {"households_by_archive_no": "ix_households_id_archive_no",
                  "households_counted": "ix_households_id_counted"}


def narrow_households(use: str) -> Alias:
    """The households as read through one narrow index: "households_by_archive_no" (id,
    archive_no) or "households_counted" (id, status, category, next_visit_due). Only those
    columns may be used."""
    if use not in NARROW_INDEXES:
        raise ValueError(f"no narrow index for {use!r}")
    return Household.__table__.alias(use)


@compiles(Alias, "sqlite")
def _indexed_by(element, compiler, **kw):
    sql = compiler.visit_alias(element, **kw)
    index = NARROW_INDEXES.get(element.name) if kw.get("asfrom") else None
    return f"{sql} INDEXED BY {index}" if index else sql


STOP_CHECK_STEPS = 2000  # SQLite virtual-machine steps between two looks at `should_stop`


class QueryStopped(Exception):
    """A list query stopped because nobody wants its answer any more (a newer search)."""


@contextmanager
def stoppable(session: Session, should_stop: Callable[[], bool] | None) -> Iterator[None]:
    """The body's queries stop with QueryStopped soon after `should_stop()` turns true.

    SQLite looks at it every STOP_CHECK_STEPS steps of its virtual machine (a progress
    handler on the connection, removed afterwards: connections are pooled); on PostgreSQL the
    query runs to its end and its answer is dropped by the caller."""
    if should_stop is None or session.get_bind().dialect.name != "sqlite":
        yield
        return
    raw = session.connection().connection.dbapi_connection
    raw.set_progress_handler(lambda: 1 if should_stop() else 0, STOP_CHECK_STEPS)
    try:
        yield
    except OperationalError as exc:
        if "interrupt" in str(exc).lower() and should_stop():
            raise QueryStopped() from exc
        raise
    finally:
        raw.set_progress_handler(None, STOP_CHECK_STEPS)
