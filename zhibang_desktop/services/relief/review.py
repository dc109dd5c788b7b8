"""Review at every union level: the reviewer's queue and the decisions.

Each decision records the level, the reviewer, the decision (approve / reject /
return), an opinion (always required: auditors of seed 001 found review forms
with blank fields) and the time — taken from the clock, never typed.  A level
is due N working days (policy ``days_allowed``, 5 by default, seed 001) after
the request reached it, on the Chinese calendar with 调休 and the admin's
holiday table; in a year with no holiday data (2027) the due date counts
weekends only and says so (``due_warning``) instead of failing.

One person decides at most one level of a request unless the policy allows it
(``several_levels_per_reviewer_allowed``); such a request leaves that person's queue.
The creator of a request cannot approve it unless the policy allows self
approval (one-person offices); then the decision, the request and the audit
entry are marked.  A reviewer may lower the amount (below the standard's
minimum only with a written justification), never raise it.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...domain import clock
from ...domain import request_state as sm
from ...domain.workdays import WorkCalendar
from ...domain.money import format_yuan
from ...storage.models import ReliefRequest, Review
from . import store as st
from ..context import AppContext
from ..errors import FieldProblem, PermissionDenied, ValidationFailed
from .calendar import work_calendar
from .policies import policy_of, version_row
from .types import DECISION_LABELS, DECISIONS, RequestSummary, RequestView

# The list and the request view live in .relief; re-exported for callers that think of them as review.
from .requests import get_request, list_requests  # noqa: F401

_ACTIONS = {"approve": sm.approve, "reject": sm.reject, "return": sm.return_to_clerk}


def _require_reviewer(ctx: AppContext) -> None:
    if not (ctx.actor.can("relief.review") or ctx.actor.can("relief.approve")):
        ctx.require("relief.review")  # raises with the standard message


def refresh_pending_due_dates(session: Session, cal: WorkCalendar) -> int:
    """Recompute the stored due dates of requests under review (after a holiday edit)."""
    n = 0
    for r in session.execute(select(ReliefRequest).where(ReliefRequest.status.in_(st.OPEN))).scalars():
        pend = st.pending_level(r, cal, clock.today())
        if pend is not None and r.due_date != pend.due_date:
            r.due_date = pend.due_date
            n += 1
    return n


def review_queue(ctx: AppContext) -> list[RequestSummary]:
    """待我审核: requests at a level the user reviews, for unions in that scope's
    subtree, the most urgent first."""
    _require_reviewer(ctx)
    with ctx.tx(None, read_only=True) as tx:
        s = tx.session
        scopes = st.reviewer_scopes(s, ctx.actor)
        q = select(ReliefRequest).where(ReliefRequest.status.in_(st.OPEN)).options(selectinload(ReliefRequest.reviews))
        if ctx.actor.user_id is not None:
            if not scopes:
                return []
            levels = {lv for lv, _ in scopes}
            q = q.where(ReliefRequest.current_level.in_(levels))
        rows = [r for r in s.execute(q).scalars()
                if ctx.actor.user_id is None or any(r.current_level == lv and r.unit_id in units
                                                    for lv, units in scopes)]
        cache, units, cal, on = st.PolicyCache(s), st.unit_names(s), work_calendar(s), clock.today()
        # a request whose earlier level this user passed is another reviewer's to decide
        rows = [r for r in rows if ctx.actor.username not in st.deciders_of(r)
                or cache.get(r.policy_version_id).several_levels_per_reviewer_allowed]
        out = [st.summary(r, cache.get(r.policy_version_id), units, cal, on) for r in rows]
        return sorted(out, key=lambda x: (x.due_date or date.max, x.id))


def decide(ctx: AppContext, request_id: int | str, decision: str, opinion: str, amount_fen: int | None = None,
           justification: str = "") -> RequestView:
    """Record this level's decision on a request.

    ``decision``: 'approve' (pass this level; the last level approves the
    request), 'reject' or 'return' (back to the clerk for revision).
    ``amount_fen`` (approve only) lowers the amount; ``justification`` is needed
    when it goes below the standard's minimum.
    """
    _require_reviewer(ctx)
    problems = []
    if decision not in DECISIONS:
        problems.append(FieldProblem("decision", "审核结论", f"应为{'、'.join(DECISION_LABELS.values())}之一"))
    if not (opinion or "").strip():
        problems.append(FieldProblem("opinion", "审核意见", "不能为空（将打印在审批表上）"))
    if amount_fen is not None and decision != "approve":
        problems.append(FieldProblem("amount_fen", "核定金额", "只有同意时才能核定金额"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(None) as tx:
        s = tx.session
        r = st.find_request(s, ctx.actor, request_id)
        if r.status not in st.OPEN:
            raise st.InvalidTransition(f"{st.STATUS_LABELS.get(r.status, r.status)}的申请不能审核")
        if not st.may_review(s, ctx.actor, r):
            step = (r.chain or [])[r.level_index or 0]
            raise PermissionDenied(f"当前由{step.get('name') or step['level']}审核，您没有该级对此工会的审核权限"
                                   "（请管理员在用户管理中设置审核范围）")
        policy = policy_of(version_row(s, r.policy_version_id))  # the version it was judged under
        state = st.state_of(r)
        kwargs = dict(level=r.current_level, policy=policy)
        if decision == "approve":
            kwargs.update(amount_fen=amount_fen, justification=justification or "", comment=opinion.strip())
        else:
            kwargs.update(comment=opinion.strip())
        try:
            t = _ACTIONS[decision](state, ctx.actor.username, **kwargs)
        except sm.TransitionError as exc:
            raise st.InvalidTransition(str(exc)) from exc

        at = clock.now()
        cal = work_calendar(s)
        step = r.chain[r.level_index]
        days = int(step.get("days") or st.DEFAULT_DAYS)
        due = cal.add_working_days(clock.local_date(r.received_at), days)
        review = Review(
            request_id=r.id, level=step["level"], level_index=r.level_index, level_name=step.get("name") or "",
            reviewer_id=ctx.actor.user_id, reviewer_username=ctx.actor.username,
            reviewer_name=ctx.actor.display_name or ctx.actor.username, decision=decision,
            opinion=opinion.strip(), amount_fen=t.state.amount_fen if decision == "approve" else None,
            justification=(justification or "").strip(), received_at=r.received_at, decided_at=at,
            due_date=due.date, overdue=clock.local_date(at) > due.date, due_warning=due.warning,
            self_approved=t.self_approved,
        )
        s.add(review)
        old_status, old_amount = r.status, r.current_fen
        r.status, r.current_fen, r.self_approved = t.state.status, t.state.amount_fen, t.state.self_approved
        r.updated_at = at
        if t.state.status == "in_review":
            r.level_index = t.state.level_index
            nxt = r.chain[r.level_index]
            r.current_level, r.received_at = nxt["level"], at
            r.due_date = cal.add_working_days(clock.local_date(at), int(nxt.get("days") or st.DEFAULT_DAYS)).date
        else:
            r.level_index, r.current_level, r.due_date = None, None, None
            if t.state.status in ("approved", "rejected"):
                r.decided_at = at
            if t.state.status == "approved":
                r.approved_fen = t.state.amount_fen
        s.flush()

        label = f"{step.get('name') or step['level']}{DECISION_LABELS[decision]}"
        changes = [["状态", st.STATUS_LABELS.get(old_status, old_status), st.STATUS_LABELS.get(r.status, r.status)],
                   ["审核意见", "", opinion.strip()]]
        if old_amount != r.current_fen:
            changes.append(["金额（元）", format_yuan(old_amount), format_yuan(r.current_fen)])
        if review.overdue:
            changes.append(["超期", "", f"应于 {due.date.isoformat()} 前完成"])
        mark = "【经办人本人审批，政策允许一人办公室自审】" if t.self_approved else ""
        tx.audit(decision, "relief_request", r.id, household_id=r.household_id,
                 summary=f"{mark}救助申请 {r.number}：{label}", changes=changes)
        s.refresh(r)
        return st.full_view(s, ctx.actor, r, cal)
