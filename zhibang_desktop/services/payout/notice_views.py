"""Reading notices: the list with its counts, one notice with its entries and objections."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from ...domain import clock
from ...storage.write_lock import serialize_writes
from ...storage.models import Notice, NoticeEntry, Objection, ReliefRequest
from . import scope
from ..context import AppContext
from ..errors import NotFound
from ..people import name_of
from .types import (
    OBJECTION_RESULT_LABELS, NoticeEntryView, NoticeFilter, NoticeSummary, NoticeView, ObjectionView,
    notice_state_label,
)

from .notice_rules import READ


def _open_count(session: Session, notice_id: int) -> int:
    return session.execute(select(func.count()).select_from(Objection)
                           .where(Objection.notice_id == notice_id, Objection.result == "open")).scalar_one()


def _filter_of(notice: Notice) -> NoticeFilter:
    return NoticeFilter(tuple(notice.relief_types or ()), notice.period_year, notice.period_quarter, notice.unit_id)


def _summary(session: Session, notice: Notice, listed: int | None = None, total: int | None = None,
             visible: set[int] | None = None) -> NoticeSummary:
    if listed is None or total is None:
        q = (select(func.count(), func.coalesce(func.sum(NoticeEntry.amount_fen), 0))
             .where(NoticeEntry.notice_id == notice.id, NoticeEntry.state == "listed"))
        if visible is not None:
            q = q.where(NoticeEntry.request_id.in_(visible))
        listed, total = session.execute(q).one()
    ended = notice.status != "draft" and clock.today() > notice.end_date
    open_objections = _open_count(session, notice.id)
    return NoticeSummary(
        id=notice.id, title=notice.title, status=notice.status,
        status_label=notice_state_label(notice.status, ended, open_objections), start=notice.start_date,
        end=notice.end_date, working_days=notice.working_days, end_warning=notice.end_warning,
        entries=int(listed), total_fen=int(total), open_objections=open_objections,
        published_at=notice.published_at, published_by=name_of(session)(notice.published_by) or None,
        ended=ended, number=notice.number or "",
    )


def _next_number(session: Session, year: int) -> str:
    """GS2026-001, GS2026-002 … in the order notices of that year are made."""
    serialize_writes(session)  # two clerks creating at once get different numbers
    prefix = f"GS{year}-"
    taken = session.execute(select(Notice.number).where(Notice.number.like(f"{prefix}%"))).scalars()
    last = max((int(n[len(prefix):]) for n in taken if n[len(prefix):].isdigit()), default=0)
    return f"{prefix}{last + 1:03d}"


def _objection_view(row: Objection, entry: NoticeEntry) -> ObjectionView:
    person = name_of(object_session(row))
    return ObjectionView(
        id=row.id, notice_id=row.notice_id, entry_id=row.entry_id, request_id=entry.request_id,
        person_name=entry.name, objector=row.objector, contact=row.contact, channel=row.channel,
        received_on=row.received_on, content=row.content, recorded_by=person(row.recorded_by), recorded_at=row.recorded_at,
        result=row.result, result_label=OBJECTION_RESULT_LABELS.get(row.result, row.result), handling=row.handling,
        handled_by=person(row.handled_by) or None, handled_at=row.handled_at,
    )


def _view(session: Session, notice: Notice, actor) -> NoticeView:
    """The notice as ``actor`` may see it: a scoped user sees only its own unions' entries."""
    visible = scope.require_some_of_notice(session, actor, notice)
    entries = [e for e in notice.entries if visible is None or e.request_id in visible]
    shown = {e.id for e in entries}
    objections = [o for o in session.execute(select(Objection).where(Objection.notice_id == notice.id)
                                             .order_by(Objection.id)).scalars() if o.entry_id in shown]
    open_by_entry: dict[int, int] = {}
    for o in objections:
        if o.result == "open":
            open_by_entry[o.entry_id] = open_by_entry.get(o.entry_id, 0) + 1
    numbers = dict(session.execute(select(ReliefRequest.id, ReliefRequest.number)
                                   .where(ReliefRequest.id.in_([e.request_id for e in entries]))).all()) \
        if entries else {}
    by_id = {e.id: e for e in entries}
    listed = [e for e in entries if e.state == "listed"]
    return NoticeView(
        summary=_summary(session, notice, len(listed), sum(e.amount_fen for e in listed)),
        filter=_filter_of(notice), object_to=notice.object_to, phone=notice.phone, place=notice.place,
        intro=notice.intro, show_masked_id=notice.show_masked_id, issued_on=notice.issued_on,
        entries=tuple(NoticeEntryView(
            id=e.id, seq=e.seq, request_id=e.request_id, request_number=numbers.get(e.request_id, ""),
            name=e.name, unit_name=e.unit_name, relief_type_label=e.relief_type_label, amount_fen=e.amount_fen,
            masked_id=e.masked_id, remark=e.remark or "", state=e.state, removed_reason=e.removed_reason,
            open_objections=open_by_entry.get(e.id, 0)) for e in entries),
        objections=tuple(_objection_view(o, by_id.get(o.entry_id) or session.get(NoticeEntry, o.entry_id))
                         for o in objections),
    )


def list_notices(ctx: AppContext, status: str | None = None, year: int | None = None) -> list[NoticeSummary]:
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        q = select(Notice).order_by(Notice.start_date.desc(), Notice.id.desc())
        if status:
            q = q.where(Notice.status == status)
        if year is not None:
            q = q.where(Notice.period_year == year)
        out = []
        for n in s.execute(q).scalars():
            visible = scope.visible_notice_requests(s, ctx.actor, n.id)
            if visible is None or visible:
                out.append(_summary(s, n, visible=visible))
        return out


def get_notice(ctx: AppContext, notice_id: int) -> NoticeView:
    with ctx.tx(READ, read_only=True) as tx:
        notice = tx.session.get(Notice, notice_id)
        if notice is None:
            raise NotFound(f"公示（编号 {notice_id}）不存在")
        return _view(tx.session, notice, ctx.actor)

