"""Objections to a published notice (an upheld one sends the request back), and when a request
may be paid: after its notice ended with no open objection, or by an admin's audited override."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...domain import clock
from ...storage.models import Notice, NoticeEntry, Objection, PayoutOverride, ReliefRequest
from . import common as pc
from . import scope
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed
from .types import OBJECTION_RESULT_LABELS, ObjectionInput, ObjectionView, Payability
from .notice_rules import MANAGE, OVERRIDE, READ, NoticeStateError
from .notice_views import _objection_view


def record_objection(ctx: AppContext, inp: ObjectionInput) -> ObjectionView:
    problems = []
    if not (inp.objector or "").strip():
        problems.append(FieldProblem("objector", "异议人", "请填写（不愿具名的写“匿名”）"))
    if not (inp.content or "").strip():
        problems.append(FieldProblem("content", "异议内容", "不能为空"))
    if not isinstance(inp.received_on, date):
        problems.append(FieldProblem("received_on", "收到日期", "请填写日期"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        entry = pc.get_or_404(s, NoticeEntry, inp.entry_id, "公示名单条目")
        scope.require_entry(s, ctx.actor, entry)
        notice = s.get(Notice, entry.notice_id)
        if notice.status == "draft":
            raise NoticeStateError("公示尚未发布，不能登记异议")
        if entry.state != "listed":
            raise NoticeStateError(f"{entry.name} 已从公示名单中撤下")
        if inp.received_on < notice.start_date:
            raise ValidationFailed([FieldProblem("received_on", "收到日期", "早于公示开始日期")])
        row = Objection(notice_id=notice.id, entry_id=entry.id, objector=inp.objector.strip(),
                        contact=(inp.contact or "").strip(), channel=(inp.channel or "").strip(),
                        received_on=inp.received_on, content=inp.content.strip(),
                        recorded_by=ctx.actor.username, recorded_at=clock.now(), result="open")
        s.add(row)
        s.flush()
        tx.audit("create", "objection", row.id,
                 summary=f"登记异议：公示“{notice.title}”中的 {entry.name}（{row.channel or '未注明方式'}）")
        return _objection_view(row, entry)


def handle_objection(ctx: AppContext, objection_id: int, result: str, handling: str) -> ObjectionView:
    """``upheld``: the entry comes off and the request goes back (returned); ``dismissed``: stays."""
    if result not in ("upheld", "dismissed"):
        raise ValidationFailed([FieldProblem("result", "处理结果", "应为“异议成立”或“异议不成立”")])
    if not (handling or "").strip():
        raise ValidationFailed([FieldProblem("handling", "核查处理情况", "请写明如何核查、结论是什么")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        row = pc.get_or_404(s, Objection, objection_id, "异议")
        if row.result != "open":
            raise NoticeStateError("该异议已处理")
        entry = s.get(NoticeEntry, row.entry_id)
        scope.require_entry(s, ctx.actor, entry)
        notice = s.get(Notice, row.notice_id)
        at = clock.now()
        row.result, row.handling, row.handled_by, row.handled_at = result, handling.strip(), ctx.actor.username, at
        if result == "upheld":
            claim = pc.claimed(s, entry.request_id)
            if claim is not None or pc.has_payment(s, entry.request_id):
                raise NoticeStateError(f"{entry.name} 的救助金已列入发放批次，请先在发放明细中处理")
            entry.state, entry.removed_reason = "removed", f"异议成立：{handling.strip()}"
            r = s.get(ReliefRequest, entry.request_id)
            if r is not None and r.status == "approved":
                _send_back(r, ctx, f"公示异议成立：{handling.strip()}", at)
        s.flush()
        tx.audit("update", "objection", row.id,
                 summary=f"处理公示“{notice.title}”的异议（{entry.name}）：{OBJECTION_RESULT_LABELS[result]}"
                         + ("，撤出公示名单并退回申请" if result == "upheld" else ""),
                 changes=[["处理情况", "", handling.strip()]])
        return _objection_view(row, entry)


def _send_back(r: ReliefRequest, ctx: AppContext, detail: str, at) -> None:
    """An upheld objection returns the approved request to the clerk (it is no longer payable)."""
    r.status = "returned"
    r.level_index = None
    r.current_level = None
    r.received_at = None
    r.due_date = None
    r.updated_at = at
    r.events = list(r.events or []) + [[at.isoformat(), "objection_upheld", ctx.actor.username,
                                        ctx.actor.display_name, detail]]


# ------------------------------------------------------------------ payability

def payability(ctx: AppContext, request_id: int, on: date | None = None) -> Payability:
    with ctx.tx(READ, read_only=True) as tx:
        r = pc.get_or_404(tx.session, ReliefRequest, request_id, "救助申请")
        scope.require_request(tx.session, ctx.actor, r.id)
        return pc.payability_of(tx.session, r, on or clock.today())


def override_payability(ctx: AppContext, request_id: int, reason: str) -> Payability:
    """Admin: allow paying before the notice ended (or without one); the reason is stored and audited."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationFailed([FieldProblem("reason", "特批理由", "请写明理由（至少 4 个字）")])
    with ctx.tx(OVERRIDE) as tx:
        s = tx.session
        r = pc.get_or_404(s, ReliefRequest, request_id, "救助申请")
        scope.require_request(s, ctx.actor, r.id)
        if r.status != "approved":
            raise NoticeStateError("只有已审批的申请可以特批发放")
        row = s.execute(select(PayoutOverride).where(PayoutOverride.request_id == r.id)).scalar_one_or_none()
        old = row.reason if row else ""
        if row is None:
            row = PayoutOverride(request_id=r.id, reason=reason, by_username=ctx.actor.username,
                                 by_name=ctx.actor.display_name, at=clock.now())
            s.add(row)
        else:
            row.reason, row.by_username, row.by_name, row.at = reason, ctx.actor.username, ctx.actor.display_name, clock.now()
        s.flush()
        tx.audit("update", "relief_request", r.id, household_id=r.household_id,
                 summary=f"特批发放 {r.number}（{r.name}）：不待公示期满", changes=[["特批理由", old, reason]])
        return pc.payability_of(s, r, clock.today())
