"""The archive list: text search, filters, sorting and counts.

`search_text` holds the name, its full pinyin and initials (surnames read right: 曾 zeng,
单 shan, 覃 qin), the ID number, the archive number and the phone, all lower case, so a
query matches anywhere in the name, pinyin, initials, the ID number (in full or its trailing
digits), the archive number and the phone.

Built to stay fast at 100,000 households and more. A query of three characters or more is
looked up in a trigram index of `search_text` (SQLite: the FTS5 table `households_fts`;
PostgreSQL: a pg_trgm index where the server has the extension, else the table is read); one
or two characters that are not all digits (a surname, initials such as "zx") are looked up the
same way among `search_grams` (domain/search_grams.py); a single letter or digit, or two
digits, match so much that reading the list in order until the page is full is fastest. The
matches are a small set, so the page sorts them instead of walking the whole list in order; when
the text is the only condition, they are sorted by archive number and counted from narrow
(id, …) indexes, and only the rows of the page are read (storage/search_index.narrow_households).
Reads run in a deferred transaction (they neither wait for nor block a save).

A list pages on by keyset (`after` = the sort value and id of the last row shown, given as
`Page.next_after`) without counting again. The counts (`archive_counts`) are kept per
database, scope, filter, day and data version (the audit chain's head, moved by every write);
a caller that must not wait asks with `quick=True` and gets None instead of a count over most
of the table. Both take `stop`, a callable that ends the query early once a newer search has
made it useless.
"""
from __future__ import annotations

import sys
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Callable

from sqlalchemy import Date, Integer, Select, and_, bindparam, case, func, or_, select, true
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.idnumber import mask_id_number
from ...domain.pinyin_search import normalize_query
from ...domain.search_grams import short_pattern, uses_short_grams
from ...storage.models import AuditHead, Household, OrgUnit
from ...storage.search_index import (PATTERN_PARAM, QueryStopped, SubstringMatch, narrow_households,  # noqa: F401  (QueryStopped: what `stop` raises)
                                     stoppable, substring_match)
from .store import VISIT_STATUSES, is_overdue
from .types import ArchiveCounts, HouseholdFilter, HouseholdRow, Page
from ..context import AppContext
from ..errors import PermissionDenied
from ..admin.org import subtree_ids, visible_unit_ids

MAX_LIMIT = 1000

_PER_CAPITA = Household.total_income_fen / func.nullif(Household.household_size, 0)

SORT_KEYS = {
    "archive_no": Household.archive_no,
    "name": Household.name,
    "id_number": Household.id_number,
    "sex": Household.sex,
    "category": Household.category,
    "status": Household.status,
    "unit_name": OrgUnit.name,
    "phone": Household.phone,
    "household_size": Household.household_size,
    "per_capita_income": _PER_CAPITA,
    "next_visit_due": Household.next_visit_due,
    "archived_on": Household.archived_on,
    "last_visit_on": Household.last_visit_on,
    "updated_at": Household.updated_at,
}


def text_match(session: Session, query: str) -> tuple[SubstringMatch, str]:
    """The match for a normalised, non-empty query, and the value of its pattern parameter."""
    if uses_short_grams(query):
        match, pattern = substring_match(session, "search_grams"), short_pattern(query)
    elif len(query) >= 3:
        match, pattern = substring_match(session, "search_text"), query
    else:
        match, pattern = substring_match(session, "search_text", indexed=False), query
    return match, match.value(pattern)


_SCOPE = object()


@dataclass(frozen=True)
class FilterShape:
    """Which conditions a filter sets, whatever their values: the key of the statements built
    for it (`_where`), whose bound parameters (FilterValues) take the values at each search."""
    units: bool = False
    text: SubstringMatch | None = None
    categories: bool = False
    statuses: bool = False
    visit_overdue: bool = False
    visit_due: bool = False

    def text_only(self) -> bool:
        return self.text is not None and self == FilterShape(text=self.text)

    def indexed_text_only(self) -> bool:
        """The text is the only condition and the search index gives its matches' ids alone: the
        matches are counted, ordered and counted by status from the indexes, not the rows."""
        return self.text_only() and self.text.ids is not None


FilterValues = dict  # the bound parameters' values, by name


def filter_values(session: Session, actor, filt: HouseholdFilter, today: date,
                  units=_SCOPE) -> tuple[FilterShape, FilterValues] | None:
    """The shape of `filt` inside the actor's scope and the values of its parameters
    (`units`: the actor's visible unit ids when already read); None when nothing can match."""
    values: FilterValues = {}
    if units is _SCOPE:
        units = visible_unit_ids(session, actor)
    if filt.unit_id is not None:
        if units is not None and filt.unit_id not in units:
            raise PermissionDenied("所选工会不在当前用户的管辖范围内")
        units = subtree_ids(session, filt.unit_id)
    if units is not None:
        if not units:
            return None
        values["units"] = sorted(units)
    query = normalize_query(filt.text)
    match = None
    if query:
        match, values[PATTERN_PARAM] = text_match(session, query)
    if filt.categories:
        values["categories"] = sorted(filt.categories)
    if filt.statuses:
        values["statuses"] = sorted(filt.statuses)
    if filt.visit_overdue:
        values["today"] = today
    if filt.visit_due_within_days is not None:
        # "due soon" includes those already overdue: both need a visit in the next N days.
        values["due_until"] = today + timedelta(days=max(0, filt.visit_due_within_days))
    shape = FilterShape(units="units" in values, text=match, categories=bool(filt.categories),
                        statuses=bool(filt.statuses), visit_overdue=filt.visit_overdue,
                        visit_due="due_until" in values)
    return shape, values


@lru_cache(maxsize=256)
def _where(shape: FilterShape):
    clauses = []
    if shape.units:
        clauses.append(Household.unit_id.in_(bindparam("units", expanding=True)))
    if shape.text is not None:
        clauses.append(shape.text.clause)
    if shape.categories:
        clauses.append(Household.category.in_(bindparam("categories", expanding=True)))
    if shape.statuses:
        clauses.append(Household.status.in_(bindparam("statuses", expanding=True)))
    if shape.visit_overdue or shape.visit_due:
        clauses.append(Household.status.in_(VISIT_STATUSES))
        clauses.append(Household.next_visit_due.is_not(None))
    if shape.visit_overdue:
        clauses.append(Household.next_visit_due < bindparam("today", type_=Date()))
    if shape.visit_due:
        clauses.append(Household.next_visit_due <= bindparam("due_until", type_=Date()))
    return and_(true(), *clauses)


def filtered_ids_query(session: Session, actor, filt: HouseholdFilter, today: date | None = None) -> Select | None:
    """SELECT Household.id for the filter, its values bound (used by exports)."""
    found = filter_values(session, actor, filt, today or clock.today())
    if found is None:
        return None
    shape, values = found
    return select(Household.id).where(_where(shape)).params(values)


def _sort_column(sort: str):
    return SORT_KEYS.get(sort, Household.archive_no)


def _nullable(column) -> bool:
    return getattr(getattr(column, "expression", column), "nullable", True)


def _order(sort: str, descending: bool):
    """ORDER BY the sort column, then the id; NULLs first going up and last going down on
    every engine (said explicitly only for columns that can be NULL: PostgreSQL's index on
    a NOT NULL column serves the plain order)."""
    return _order_in(_sort_column(sort), Household.id, descending)


def _order_in(column, id_column, descending: bool):
    first = column.desc() if descending else column.asc()
    if _nullable(column):
        first = first.nulls_last() if descending else first.nulls_first()
    return [first, id_column.desc() if descending else id_column.asc()]


def _after(sort: str, descending: bool, value_is_null: bool):
    """The rows that come after the bound (after_value, after_id) in `_order` (keyset
    pagination: the next page is a range of the sort column's index, not an OFFSET that reads
    and skips every row before it, and a row saved meanwhile neither repeats a row nor hides one)."""
    return _after_in(_sort_column(sort), Household.id, descending, value_is_null)


def _after_in(column, id_column, descending: bool, value_is_null: bool):
    value, last_id = bindparam("after_value", type_=column.type), bindparam("after_id", type_=Integer())
    if not descending:
        if value_is_null:
            return or_(and_(column.is_(None), id_column > last_id), column.is_not(None))
        return and_(column >= value, or_(column > value, id_column > last_id))
    if value_is_null:
        return and_(column.is_(None), id_column < last_id)
    return or_(and_(column <= value, or_(column < value, id_column < last_id)), column.is_(None))


@lru_cache(maxsize=256)
def _count_statement(shape: FilterShape) -> Select:
    """COUNT of the matches: from the search index alone when the text is the only condition."""
    if shape.indexed_text_only():
        return select(func.count()).select_from(shape.text.ids.subquery())
    return select(func.count()).select_from(Household).where(_where(shape))


@lru_cache(maxsize=512)
def _page_statement(shape: FilterShape, sort: str, descending: bool, after: bool | None, limit: int,
                    offset: int) -> Select:
    """One page's SELECT (limit + 1 rows: whether a next page exists). `after`: None for the
    first page, else whether the last row's sort value is NULL."""
    stmt = (
        select(Household.id, Household.archive_no, Household.name, Household.id_number, Household.sex,
               Household.category, Household.status, OrgUnit.name, Household.phone,
               Household.household_size, Household.total_income_fen, Household.next_visit_due,
               _sort_column(sort).label("sort_value"))
        .join(OrgUnit, OrgUnit.id == Household.unit_id)
        .order_by(*_order(sort, descending)).limit(limit + 1)
    )
    if _ordered_from_narrow_index(shape, sort, offset):
        return stmt.where(Household.id.in_(_first_matches(shape.text.ids, descending, after, limit + 1)))
    stmt = stmt.where(_where(shape))
    if after is not None:
        return stmt.where(_after(sort, descending, after))
    return stmt.offset(offset) if offset else stmt


def _ordered_from_narrow_index(shape: FilterShape, sort: str, offset: int) -> bool:
    """The matches of an indexed text alone, in archive-number order: the page's ids come from the
    narrow (id, archive_no) index and only the page's rows are read (storage/search_index.py)."""
    return shape.indexed_text_only() and sort == "archive_no" and not offset


def _first_matches(ids: Select, descending: bool, after: bool | None, limit: int) -> Select:
    narrow = narrow_households("households_by_archive_no")
    first = (select(narrow.c.id).where(narrow.c.id.in_(ids))
             .order_by(*_order_in(narrow.c.archive_no, narrow.c.id, descending)).limit(limit))
    if after is not None:
        first = first.where(_after_in(narrow.c.archive_no, narrow.c.id, descending, after))
    return first


def search_households(ctx: AppContext, filt: HouseholdFilter, sort: str = "archive_no", descending: bool = False,
                      offset: int = 0, limit: int = 200, *, after: tuple | None = None, count: bool = True,
                      stop: Callable[[], bool] | None = None) -> Page:
    """One page of the list and the number of households matching `filt`.

    sort: one of SORT_KEYS (archive_no, name, category, status, unit_name, phone,
    household_size, per_capita_income, next_visit_due, archived_on, …).
    after: the `next_after` of the page before: this page starts there (keyset pagination;
    `offset` then only labels the page). count=False: leave the total out (None) — a list
    that pages on by `next_after` needs no COUNT per page. stop: the query ends with
    QueryStopped once `stop()` is true (a newer search made this one useless).
    """
    today = clock.today()
    offset, limit = max(0, int(offset)), max(1, min(int(limit), MAX_LIMIT))
    sort = sort if sort in SORT_KEYS else "archive_no"
    with ctx.tx("archive.read", read_only=True) as tx:
        s = tx.session
        found_filter = filter_values(s, ctx.actor, filt, today)
        if found_filter is None:
            return Page((), 0 if count else None, offset)
        shape, values = found_filter
        rows_of = s.connection().execute  # plain rows: no ORM entity is loaded, so none of its result set-up
        total = rows_of(_count_statement(shape), values).scalar_one() if count else None
        if total == 0 or (total is not None and after is None and offset >= total):
            return Page((), total, offset)
        if after is not None:
            values = {**values, "after_value": after[0], "after_id": after[1]}
        stmt = _page_statement(shape, sort, bool(descending), None if after is None else after[0] is None, limit,
                               0 if after is not None else offset)
        with stoppable(s, stop):
            found = rows_of(stmt, values).all()
        rows = tuple(
            HouseholdRow(
                # the few distinct codes and union names shared, not one copy per row
                id=r[0], archive_no=r[1], name=r[2], id_number_masked=mask_id_number(r[3]), sex=_shared(r[4]),
                category=_shared(r[5]), status=_shared(r[6]), unit_name=_shared(r[7]), phone=r[8], household_size=r[9],
                per_capita_income_fen=r[10] // r[9] if r[9] else None, next_visit_due=r[11],
                visit_overdue=is_overdue(r[6], r[11], today),
            )
            for r in found[:limit]
        )
        next_after = (found[limit - 1][12], found[limit - 1][0]) if len(found) > limit else None
        return Page(rows, total, offset, next_after)


def _shared(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


# The counts of recent filters, per database: a count is kept as long as nothing was written
# (the audit chain's head moves with every write) and the day is the same (overdue visits).
_COUNTS_KEPT = 64
_counts_cache: "weakref.WeakKeyDictionary[object, OrderedDict]" = weakref.WeakKeyDictionary()
_counts_lock = threading.Lock()


_DATA_VERSION = select(AuditHead.seq).where(AuditHead.id == 1)


def _data_version(session: Session) -> int:
    """The audit chain's sequence number: it moves with every write, by anyone."""
    return session.connection().execute(_DATA_VERSION).scalar() or 0


def _broad(session: Session, filt: HouseholdFilter) -> bool:
    """Counting reads most of the table: no text, or one the search index does not answer."""
    query = normalize_query(filt.text)
    return not query or text_match(session, query)[0].ids is None


def archive_counts(ctx: AppContext, filt: HouseholdFilter | None = None, *, quick: bool = False,
                   stop: Callable[[], bool] | None = None) -> ArchiveCounts | None:
    """Counts for the status bar: total, per status, per category, visits overdue (within `filt`).

    Kept per (database, scope, filter, day, data version): asking again with nothing written
    meanwhile costs one indexed read. `quick`: None instead of counting over most of the table
    (no text, or a letter or digit the index does not answer) when no kept count fits — the
    list shows its first rows at once and asks for the exact counts afterwards."""
    filt = filt or HouseholdFilter()
    today = clock.today()
    with ctx.tx("archive.read", read_only=True) as tx:
        s = tx.session
        units = visible_unit_ids(s, ctx.actor)
        key = (None if units is None else frozenset(units), filt, today, _data_version(s))
        with _counts_lock:
            kept = _counts_cache.setdefault(ctx.db.engine, OrderedDict())
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        if quick and _broad(s, filt):
            return None
        with stoppable(s, stop):
            counts = _count_by_status(s, ctx.actor, filt, today, units)
        with _counts_lock:
            kept[key] = counts
            while len(kept) > _COUNTS_KEPT:
                kept.popitem(last=False)
        return counts


def _count_by_status(s: Session, actor, filt: HouseholdFilter, today: date, units) -> ArchiveCounts:
    found = filter_values(s, actor, filt, today, units)
    if found is None:
        return ArchiveCounts(0, {}, {}, 0)
    shape, values = found
    by_status: dict[str, int] = {}
    by_category: dict[str, int] = {}
    overdue = 0
    if shape.indexed_text_only():  # from the narrow index alone
        t = narrow_households("households_counted")
        where = t.c.id.in_(shape.text.ids)
    else:
        t, where = Household.__table__, _where(shape)
    stmt = (select(t.c.status, t.c.category, func.count(), func.sum(case((t.c.next_visit_due < today, 1), else_=0)))
            .where(where).group_by(t.c.status, t.c.category))
    for status, category, count, late in s.connection().execute(stmt, values):
        by_status[status] = by_status.get(status, 0) + count
        by_category[category] = by_category.get(category, 0) + count
        if status in VISIT_STATUSES:
            overdue += int(late or 0)
    return ArchiveCounts(sum(by_status.values()), by_status, by_category, overdue)
