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
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, and_, case, func, select, true
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.idnumber import mask_id_number
from ...domain.pinyin_search import normalize_query
from ...domain.search_grams import short_pattern, uses_short_grams
from ...storage.models import Household, OrgUnit
from ...storage.search_index import indexed_substring, like_substring
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


def filter_clauses(session: Session, actor, filt: HouseholdFilter, today: date) -> list | None:
    """WHERE clauses for `filt` inside the actor's scope; None when nothing can match."""
    clauses = []
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


def _order(sort: str, descending: bool):
    column = SORT_KEYS.get(sort, Household.archive_no)
    first = column.desc() if descending else column.asc()
    tie = Household.id.desc() if descending else Household.id.asc()
    return [first, tie]


def _count(session: Session, filt: HouseholdFilter, clauses: list, where) -> Select:
    """COUNT of the matches: from the search index alone when the text is the only condition."""
    query = normalize_query(filt.text)
    if query and len(clauses) == 1:
        ids = text_match(session, query)[1]
        if ids is not None:
            return select(func.count()).select_from(ids.subquery())
    return select(func.count()).select_from(Household).where(where)


def search_households(ctx: AppContext, filt: HouseholdFilter, sort: str = "archive_no", descending: bool = False,
                      offset: int = 0, limit: int = 200) -> Page:
    """One page of the list and the number of households matching `filt`.

    sort: one of SORT_KEYS (archive_no, name, category, status, unit_name, phone,
    household_size, per_capita_income, next_visit_due, archived_on, …).
    """
    today = clock.today()
    offset, limit = max(0, int(offset)), max(1, min(int(limit), MAX_LIMIT))
    with ctx.tx("archive.read", read_only=True) as tx:
        s = tx.session
        clauses = filter_clauses(s, ctx.actor, filt, today)
        if clauses is None:
            return Page((), 0, offset)
        where = and_(true(), *clauses)
        total = s.execute(_count(s, filt, clauses, where)).scalar_one()
        if total == 0 or offset >= total:
            return Page((), total, offset)
        stmt = (
            select(Household.id, Household.archive_no, Household.name, Household.id_number, Household.sex,
                   Household.category, Household.status, OrgUnit.name, Household.phone,
                   Household.household_size, Household.total_income_fen, Household.next_visit_due)
            .join(OrgUnit, OrgUnit.id == Household.unit_id)
            .where(where).order_by(*_order(sort, descending)).offset(offset).limit(limit)
        )
        rows = tuple(
            HouseholdRow(
                id=r[0], archive_no=r[1], name=r[2], id_number_masked=mask_id_number(r[3]), sex=r[4],
                category=r[5], status=r[6], unit_name=r[7], phone=r[8], household_size=r[9],
                per_capita_income_fen=r[10] // r[9] if r[9] else None, next_visit_due=r[11],
                visit_overdue=is_overdue(r[6], r[11], today),
            )
            for r in s.execute(stmt)
        )
        return Page(rows, total, offset)


def archive_counts(ctx: AppContext, filt: HouseholdFilter | None = None) -> ArchiveCounts:
    """Counts for the status bar: total, per status, per category, visits overdue (within `filt`)."""
    filt = filt or HouseholdFilter()
    today = clock.today()
    with ctx.tx("archive.read", read_only=True) as tx:
        s = tx.session
        clauses = filter_clauses(s, ctx.actor, filt, today)
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

