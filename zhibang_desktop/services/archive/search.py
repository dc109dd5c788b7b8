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
matches are a small set, so the page sorts them instead of walking the whole list in order.
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
from datetime import date, timedelta
from typing import Callable

from sqlalchemy import Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.idnumber import mask_id_number
from ...domain.pinyin_search import normalize_query
from ...domain.search_grams import short_pattern, uses_short_grams
from ...storage.models import AuditHead, Household, OrgUnit
from ...storage.search_index import QueryStopped, indexed_substring, like_substring, stoppable  # noqa: F401  (QueryStopped: what `stop` raises)
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


def text_match(session: Session, query: str):
    """(the WHERE clause for a normalised, non-empty query, the SELECT of the matching ids when
    an index answers it alone — for counting without reading the households)."""
    if uses_short_grams(query):
        return indexed_substring(session, "search_grams", short_pattern(query))
    if len(query) >= 3:
        return indexed_substring(session, "search_text", query)
    return like_substring("search_text", query), None


_SCOPE = object()


def filter_clauses(session: Session, actor, filt: HouseholdFilter, today: date, units=_SCOPE) -> list | None:
    """WHERE clauses for `filt` inside the actor's scope (`units`: the actor's visible unit
    ids when already read); None when nothing can match."""
    clauses = []
    if units is _SCOPE:
        units = visible_unit_ids(session, actor)
    if filt.unit_id is not None:
        if units is not None and filt.unit_id not in units:
            raise PermissionDenied("所选工会不在当前用户的管辖范围内")
        units = subtree_ids(session, filt.unit_id)
    if units is not None:
        if not units:
            return None
        clauses.append(Household.unit_id.in_(sorted(units)))
    query = normalize_query(filt.text)
    if query:
        clauses.append(text_match(session, query)[0])
    if filt.categories:
        clauses.append(Household.category.in_(sorted(filt.categories)))
    if filt.statuses:
        clauses.append(Household.status.in_(sorted(filt.statuses)))
    if filt.visit_overdue or filt.visit_due_within_days is not None:
        clauses.append(Household.status.in_(VISIT_STATUSES))
        clauses.append(Household.next_visit_due.is_not(None))
    if filt.visit_overdue:
        clauses.append(Household.next_visit_due < today)
    if filt.visit_due_within_days is not None:
        # "due soon" includes those already overdue: both need a visit in the next N days.
        clauses.append(Household.next_visit_due <= today + timedelta(days=max(0, filt.visit_due_within_days)))
    return clauses


def filtered_ids_query(session: Session, actor, filt: HouseholdFilter, today: date | None = None) -> Select | None:
    """SELECT Household.id for the filter (used by exports)."""
    clauses = filter_clauses(session, actor, filt, today or clock.today())
    if clauses is None:
        return None
    return select(Household.id).where(and_(true(), *clauses))


def _sort_column(sort: str):
    return SORT_KEYS.get(sort, Household.archive_no)


def _nullable(column) -> bool:
    return getattr(getattr(column, "expression", column), "nullable", True)


def _order(sort: str, descending: bool):
    """ORDER BY the sort column, then the id; NULLs first going up and last going down on
    every engine (said explicitly only for columns that can be NULL: PostgreSQL's index on
    a NOT NULL column serves the plain order)."""
    column = _sort_column(sort)
    first = column.desc() if descending else column.asc()
    if _nullable(column):
        first = first.nulls_last() if descending else first.nulls_first()
    tie = Household.id.desc() if descending else Household.id.asc()
    return [first, tie]


def _after(sort: str, descending: bool, after: tuple):
    """The rows that come after `after` = (sort value, id) in `_order` (keyset pagination:
    the next page is a range of the sort column's index, not an OFFSET that reads and skips
    every row before it, and a row saved meanwhile neither repeats a row nor hides one)."""
    column = _sort_column(sort)
    value, last_id = after
    if not descending:
        if value is None:
            return or_(and_(column.is_(None), Household.id > last_id), column.is_not(None))
        return and_(column >= value, or_(column > value, Household.id > last_id))
    if value is None:
        return and_(column.is_(None), Household.id < last_id)
    return or_(and_(column <= value, or_(column < value, Household.id < last_id)), column.is_(None))


def _count(session: Session, filt: HouseholdFilter, clauses: list, where) -> Select:
    """COUNT of the matches: from the search index alone when the text is the only condition."""
    query = normalize_query(filt.text)
    if query and len(clauses) == 1:
        ids = text_match(session, query)[1]
        if ids is not None:
            return select(func.count()).select_from(ids.subquery())
    return select(func.count()).select_from(Household).where(where)


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
    with ctx.tx("archive.read", read_only=True) as tx:
        s = tx.session
        clauses = filter_clauses(s, ctx.actor, filt, today)
        if clauses is None:
            return Page((), 0 if count else None, offset)
        where = and_(true(), *clauses)
        total = s.execute(_count(s, filt, clauses, where)).scalar_one() if count else None
        if total == 0 or (total is not None and after is None and offset >= total):
            return Page((), total, offset)
        sort_column = _sort_column(sort)
        stmt = (
            select(Household.id, Household.archive_no, Household.name, Household.id_number, Household.sex,
                   Household.category, Household.status, OrgUnit.name, Household.phone,
                   Household.household_size, Household.total_income_fen, Household.next_visit_due,
                   sort_column.label("sort_value"))
            .join(OrgUnit, OrgUnit.id == Household.unit_id)
            .where(where).order_by(*_order(sort, descending)).limit(limit + 1)
        )
        if after is not None:
            stmt = stmt.where(_after(sort, descending, after))
        elif offset:
            stmt = stmt.offset(offset)
        with stoppable(s, stop):
            found = s.execute(stmt).all()
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


def _data_version(session: Session) -> int:
    """The audit chain's sequence number: it moves with every write, by anyone."""
    return session.execute(select(AuditHead.seq).where(AuditHead.id == 1)).scalar() or 0


def _broad(session: Session, filt: HouseholdFilter) -> bool:
    """Counting reads most of the table: no text, or one the search index does not answer."""
    query = normalize_query(filt.text)
    return not query or text_match(session, query)[1] is None


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
    clauses = filter_clauses(s, actor, filt, today, units)
    if clauses is None:
        return ArchiveCounts(0, {}, {}, 0)
    where = and_(true(), *clauses)
    by_status: dict[str, int] = {}
    by_category: dict[str, int] = {}
    overdue = 0
    stmt = (select(Household.status, Household.category,
                   func.count(), func.sum(case((Household.next_visit_due < today, 1), else_=0)))
            .where(where).group_by(Household.status, Household.category))
    for status, category, count, late in s.execute(stmt):
        by_status[status] = by_status.get(status, 0) + count
        by_category[category] = by_category.get(category, 0) + count
        if status in VISIT_STATUSES:
            overdue += int(late or 0)
    return ArchiveCounts(sum(by_status.values()), by_status, by_category, overdue)
