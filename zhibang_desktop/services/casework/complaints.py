"""信访/投诉: received when and how, about which household, request or payment, how it was
handled, the result and whether the office was at fault (seed 000 C15 有责投诉率).

The deadline for the handling result is ``complaint_working_days`` working days after receipt
(系统设置, default 15) on the office's holiday calendar (调休 included); a year without holiday
data is counted over weekends only and the complaint carries the calendar's warning.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.casework import COMPLAINT_CHANNELS, COMPLAINT_STATUSES
from ...storage.models import Complaint, Counter, Household, OrgUnit, ReliefRequest
from ...storage.write_lock import serialize_writes
from ..admin.org import district_unit, visible_unit_ids
from ..admin.settings import read_settings
from ..context import AppContext
from ..errors import Ambiguous, Conflict, FieldProblem, PermissionDenied, ValidationFailed
from ..payout.common import get_or_404
from ..relief.calendar import work_calendar
from ..relief.store import request_by_number
from .types import ComplaintInput, ComplaintView

MANAGE = "complaint.manage"
READ = "relief.read"
OUT_OF_SCOPE = "不在当前用户的管辖范围内"
LABELS = {"received_on": "收到日期", "channel": "来源方式", "complainant": "投诉人", "contact": "联系方式",
          "content": "投诉内容", "household_id": "涉及档案", "request_number": "涉及申请", "unit_id": "涉及工会",
          "handling": "办理情况", "result": "办理结果", "at_fault": "是否有责", "closed_on": "办结日期"}


def _problem(field: str, message: str) -> FieldProblem:
    return FieldProblem(field, LABELS[field], message)


def complaint_problems(c: ComplaintInput) -> list[FieldProblem]:
    problems = []
    if not isinstance(c.received_on, date):
        problems.append(_problem("received_on", "请填写日期"))
    elif c.received_on > clock.today():
        problems.append(_problem("received_on", "不能晚于今天"))
    if c.channel not in COMPLAINT_CHANNELS:
        problems.append(_problem("channel", "请选择：" + "、".join(COMPLAINT_CHANNELS.values())))
    if not c.complainant:
        problems.append(_problem("complainant", "请填写投诉人（不愿留名的写“匿名”）"))
    elif len(c.complainant) > 100:
        problems.append(_problem("complainant", "不能超过 100 个字"))
    if len(c.contact) > 100:
        problems.append(_problem("contact", "不能超过 100 个字"))
    if not c.content:
        problems.append(_problem("content", "请填写投诉内容"))
    return problems


def _in_scope(session: Session, actor, unit_id: int | None, what: str) -> None:
    allowed = visible_unit_ids(session, actor)
    if allowed is not None and unit_id not in allowed:
        raise PermissionDenied(f"{what}{OUT_OF_SCOPE}")


def _next_number(session: Session, year: int) -> str:
    serialize_writes(session)
    name = f"complaint_no:{year}"
    counter = session.execute(select(Counter).where(Counter.name == name).with_for_update()).scalar_one_or_none()
    if counter is None:
        counter = Counter(name=name, value=0)
        session.add(counter)
    counter.value += 1
    session.flush()
    return f"TS{year}-{counter.value:03d}"


def _view(session: Session, c: Complaint) -> ComplaintView:
    unit = session.get(OrgUnit, c.unit_id)
    hh = session.get(Household, c.household_id) if c.household_id else None
    req = session.get(ReliefRequest, c.request_id) if c.request_id else None
    return ComplaintView(c.id, c.number, c.received_on, c.channel, c.complainant, c.contact, c.unit_id,
                         unit.name if unit else "", c.household_id, hh.name if hh else "", c.request_id,
                         req.number if req else "", c.content, c.due_date, c.due_warning, c.status, c.handling,
                         c.result, c.at_fault, c.closed_on, c.handled_by, c.version)


def add_complaint(ctx: AppContext, complaint: ComplaintInput) -> ComplaintView:
    """Register a complaint; its deadline is counted on the working-day calendar."""
    complaint = replace(complaint, complainant=(complaint.complainant or "").strip(),
                        contact=(complaint.contact or "").strip(), content=(complaint.content or "").strip(),
                        request_number=(complaint.request_number or "").strip())
    problems = complaint_problems(complaint)
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        household_id = request_id = None
        unit_id = complaint.unit_id
        if complaint.request_number:
            try:
                req = request_by_number(s, ctx.actor, complaint.request_number)
            except Ambiguous as exc:  # the number is on file in two counties of a city's database
                raise ValidationFailed([_problem("request_number", str(exc))]) from exc
            if req is None:
                raise ValidationFailed([_problem("request_number", f"没有编号为 {complaint.request_number} 的救助申请")])
            _in_scope(s, ctx.actor, req.unit_id, "该救助申请")
            request_id, household_id, unit_id = req.id, req.household_id, req.unit_id
        if complaint.household_id is not None:
            hh = get_or_404(s, Household, complaint.household_id, "档案")
            if household_id is not None and household_id != hh.id:
                raise ValidationFailed([_problem("household_id", "与所填救助申请的户主不是同一户")])
            _in_scope(s, ctx.actor, hh.unit_id, "该档案")
            household_id, unit_id = hh.id, unit_id or hh.unit_id
        if unit_id is None:
            unit_id = ctx.actor.scope_unit_id or getattr(district_unit(s), "id", None)
        if unit_id is None or s.get(OrgUnit, unit_id) is None:
            raise ValidationFailed([_problem("unit_id", "请选择涉及的工会")])
        _in_scope(s, ctx.actor, unit_id, "该工会")
        days = read_settings(s).complaint_working_days
        due = work_calendar(s).add_working_days(complaint.received_on, days)
        row = Complaint(number=_next_number(s, complaint.received_on.year), received_on=complaint.received_on,
                        channel=complaint.channel, complainant=complaint.complainant, contact=complaint.contact,
                        unit_id=unit_id, household_id=household_id, request_id=request_id, content=complaint.content,
                        due_date=due.date, due_warning=due.warning, status="open", created_at=clock.now(),
                        created_by=ctx.actor.username)
        s.add(row)
        s.flush()
        tx.audit("create", "complaint", row.id, household_id=household_id,
                 summary=f"登记投诉 {row.number}（{COMPLAINT_CHANNELS[row.channel]}，{row.received_on.isoformat()}），"
                         f"办理期限 {due.date.isoformat()}",
                 changes=[[LABELS["complainant"], "", row.complainant], [LABELS["content"], "", row.content]])
        return _view(s, row)


def handle_complaint(ctx: AppContext, complaint_id: int, version: int, handling: str, result: str = "",
                     at_fault: bool | None = None, close: bool = False, closed_on: date | None = None) -> ComplaintView:
    """Record how the complaint is being handled; ``close`` concludes it with a result and the
    office's fault (有责 or not), both required then."""
    handling, result = (handling or "").strip(), (result or "").strip()
    problems = []
    if not handling:
        problems.append(_problem("handling", "请填写办理情况"))
    if close:
        if not result:
            problems.append(_problem("result", "办结时请填写办理结果"))
        if at_fault is None:
            problems.append(_problem("at_fault", "办结时请选择本单位是否有责"))
        closed_on = closed_on or clock.today()
        if closed_on > clock.today():
            problems.append(_problem("closed_on", "不能晚于今天"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        row = get_or_404(s, Complaint, complaint_id, "投诉")
        _in_scope(s, ctx.actor, row.unit_id, f"投诉 {row.number} ")
        if row.version != version:
            raise Conflict(f"投诉 {row.number} 在您打开后已被他人修改，请刷新后再办理")
        if row.status == "closed":
            raise ValidationFailed([_problem("closed_on", f"投诉 {row.number} 已于 {row.closed_on.isoformat()} 办结")])
        if close and closed_on < row.received_on:
            raise ValidationFailed([_problem("closed_on", f"不能早于收到日期 {row.received_on.isoformat()}")])
        old = [row.handling, row.result, _fault(row.at_fault), COMPLAINT_STATUSES[row.status]]
        row.handling, row.result, row.at_fault = handling, result or row.result, at_fault
        row.handled_by = ctx.actor.display_name or ctx.actor.username
        if close:
            row.status, row.closed_on = "closed", closed_on
        s.flush()
        new = [row.handling, row.result, _fault(row.at_fault), COMPLAINT_STATUSES[row.status]]
        tx.audit("update", "complaint", row.id, household_id=row.household_id,
                 summary=f"{'办结' if close else '办理'}投诉 {row.number}" + (f"（{_fault(at_fault)}）" if close else ""),
                 changes=[[label, a, b] for label, a, b in zip(
                     (LABELS["handling"], LABELS["result"], LABELS["at_fault"], "状态"), old, new) if a != b])
        return _view(s, row)


def _fault(at_fault: bool | None) -> str:
    return "" if at_fault is None else ("有责" if at_fault else "无责")


def list_complaints(ctx: AppContext, *, status: str | None = None, overdue_only: bool = False,
                    year: int | None = None) -> list[ComplaintView]:
    """Complaints of the user's unions, newest first; ``overdue_only``: open past the deadline."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        q = select(Complaint).order_by(Complaint.received_on.desc(), Complaint.id.desc())
        allowed = visible_unit_ids(s, ctx.actor)
        if allowed is not None:
            q = q.where(Complaint.unit_id.in_(allowed))
        if status is not None:
            q = q.where(Complaint.status == status)
        if overdue_only:
            q = q.where(Complaint.status == "open", Complaint.due_date < clock.today())
        if year is not None:
            q = q.where(Complaint.received_on >= date(year, 1, 1), Complaint.received_on <= date(year, 12, 31))
        return [_view(s, c) for c in s.execute(q).scalars()]
