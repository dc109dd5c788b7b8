"""Relief requests: live evaluation, create / edit / submit / withdraw, the list and
the request view, request attachments and the printed approval form (审批表).

The rule engine (:mod:`..domain.rules`) judges each request against the policy
in force for its year and the household's history (approved and paid aid, and
requests still under review, of the head and every member's ID number).  Errors
block submission; warnings need a written justification that is stored and
printed.  At submission the request is tied to that exact policy version; the
review (:mod:`.review`) and the compliance report use that version ever after.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import and_, exists, extract, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ...domain import clock
from ...domain import request_state as sm
from ...domain.idnumber import InvalidIdNumber, parse_id_number
from ...domain.rules import Evaluation, Finding, RequestDraft, evaluate
from ...domain.money import format_yuan
from ...storage.models import (
    Household, OrgUnit, ReliefRequest, RequestAttachment, Review,
)
from . import store as st
from ..archive.blobs import checked_upload, read_blob, release_blob, store_blob
from ..archive.store import load_household
from ..archive.types import DRAFT_NO_REQUEST
from ..context import AppContext
from ..errors import Ambiguous, FieldProblem, NotFound, ValidationFailed
from .calendar import work_calendar
from .early_payout import early_payout_of
from .notice_result import notice_result_text
from ..admin.org import check_unit_in_scope, subtree_ids, visible_unit_ids
from ..admin.settings import demo_banner, read_settings
from .policies import no_policy_message, policy_in_force
from .printing import approval_form_data
from .types import (
    EvaluationView, RequestAttachmentView, RequestFilter, RequestInput, RequestPage, RequestView,
)

CREATE, READ = "relief.create", "relief.read"


# ------------------------------------------------------------------ input → engine

class _Resolved:
    """A RequestInput checked against the database: who, which union, which policy."""

    def __init__(self, household, name, id_number, unit_id, person_id_number, row, policy):
        self.household, self.name, self.id_number, self.unit_id = household, name, id_number, unit_id
        self.person_id_number, self.row, self.policy = person_id_number, row, policy


def _resolve(session: Session, actor, data: RequestInput, *, strict: bool) -> tuple[_Resolved | None, list[FieldProblem]]:
    """Look up the household (or the worker not in the archive) and the policy.

    ``strict`` (create/update) reports every missing piece; the live evaluation
    only needs what it can judge.
    """
    problems: list[FieldProblem] = []
    if not isinstance(data.year, int) or not 2000 <= data.year <= 2100:
        problems.append(FieldProblem("year", "年度", f"“{data.year}”不是有效年度"))
        return None, problems
    if data.quarter is not None and data.quarter not in (1, 2, 3, 4):
        problems.append(FieldProblem("quarter", "季度", "应为 1–4"))
    found = policy_in_force(session, data.year)
    if found is None:
        problems.append(FieldProblem("year", "救助政策", no_policy_message(data.year)))
        return None, problems
    row, policy = found
    rt = policy.relief_type(data.relief_type or "")
    if strict and rt is None:
        names = "、".join(f"{t.name}（{t.code}）" for t in policy.relief_types)
        problems.append(FieldProblem("relief_type", "救助类型", f"本年度政策没有“{data.relief_type}”，可选：{names}"))
    if strict and (not isinstance(data.requested_amount_fen, int) or data.requested_amount_fen < 0):
        problems.append(FieldProblem("requested_amount_fen", "申请金额", "不能为负数"))

    hh: Household | None = None
    person = st.clean_id(data.person_id_number) or None
    if data.household_id is not None:
        hh = load_household(session, actor, data.household_id)
        name, id_number, unit_id = hh.name, st.clean_id(hh.id_number), hh.unit_id
    else:
        name = (data.worker_name or "").strip()
        id_number = st.clean_id(data.worker_id_number)
        unit_id = data.unit_id
        if not name and strict:
            problems.append(FieldProblem("worker_name", "姓名", "未选择档案时须填写职工姓名"))
        if not id_number:
            if strict:
                problems.append(FieldProblem("worker_id_number", "身份证号", "未选择档案时须填写身份证号"))
        else:
            try:
                id_number = parse_id_number(id_number).number
            except InvalidIdNumber as exc:
                problems.append(FieldProblem("worker_id_number", "身份证号", str(exc)))
            else:
                try:
                    linked, is_head = st.find_household_by_id(session, actor, id_number)
                except Ambiguous as exc:  # on file in two counties of a city's database
                    problems.append(FieldProblem("worker_id_number", "身份证号", str(exc)))
                    linked, is_head = None, False
                if linked is not None:  # the worker is in the archive after all
                    hh = linked
                    if not is_head and person is None:
                        person = id_number
                    name, id_number, unit_id = hh.name, st.clean_id(hh.id_number), hh.unit_id
        if hh is None:
            if unit_id is None:
                if strict:
                    problems.append(FieldProblem("unit_id", "所属工会", "未选择档案时须选择职工所属工会"))
            elif session.get(OrgUnit, unit_id) is None:
                problems.append(FieldProblem("unit_id", "所属工会", "不存在"))
            else:
                check_unit_in_scope(session, actor, unit_id)
    if strict and hh is not None and hh.status == "draft":
        # a request would pin the draft household (it could no longer be deleted)
        problems.append(FieldProblem("household_id", "档案", DRAFT_NO_REQUEST))
    if person is not None:
        if hh is not None:
            if person not in st.household_ids(hh):
                problems.append(FieldProblem("person_id_number", "受助人", "不是该户户主或家庭成员的身份证号"))
        elif person != id_number:
            problems.append(FieldProblem("person_id_number", "受助人", "与职工身份证号不符"))
    return _Resolved(hh, name, id_number, unit_id, person, row, policy), problems


def _draft(data: RequestInput, res: _Resolved, request_id: int | None = None) -> RequestDraft:
    return RequestDraft(
        relief_type=data.relief_type, subcase=data.subcase or None, year=data.year, quarter=data.quarter,
        request_date=data.request_date or clock.today(), requested_amount_fen=int(data.requested_amount_fen or 0),
        self_paid_medical_fen=data.self_paid_medical_fen, students=tuple(data.students or ()),
        person_id_number=res.person_id_number or res.id_number or None, conditions=tuple(data.conditions or ()),
        goods=bool(data.goods), months=data.months, persons=data.persons, batch_no=data.batch_no,
        fund_source=data.fund_source or None,
        attachments=None if data.attachment_kinds is None else tuple(data.attachment_kinds),
        request_id=request_id,
    )


def _judge(session: Session, res: _Resolved, draft: RequestDraft):
    facts = st.household_facts(res.household) if res.household is not None else None
    ids = st.household_ids(res.household, [res.id_number, res.person_id_number])
    hist = st.history(session, res.household.id if res.household else None, ids, include_pending=True)
    ev = evaluate(res.policy, draft, facts, hist, st.standards(session, draft.year))
    return ev, hist


def evaluate_draft(ctx: AppContext, data: RequestInput, request_id: int | None = None) -> EvaluationView:
    """Findings, suggested amount and remaining allowance for the dialog, as the clerk
    types.  Writes nothing.  Input problems (an unknown household, no policy for the
    year, a bad ID number) come back as error findings, not exceptions."""
    with ctx.tx(READ, read_only=True) as tx:
        try:
            res, problems = _resolve(tx.session, ctx.actor, data, strict=False)
        except NotFound as exc:
            res, problems = None, [FieldProblem("household_id", "档案", str(exc))]
        if res is None:
            ev = Evaluation(0, None, None, tuple(Finding(f"input_{p.field}", "error", str(p), p.field)
                                                 for p in problems))
            return st.evaluation_view(None, None, ev, [], data.year)
        ev, hist = _judge(tx.session, res, _draft(data, res, request_id))
        extra = tuple(st.FindingView(f"input_{p.field}", "error", str(p), p.field) for p in problems)
        view = st.evaluation_view(res.row.id, res.policy, ev, hist, data.year)
        return replace(view, findings=extra + view.findings) if extra else view


def _apply(r: ReliefRequest, data: RequestInput, res: _Resolved, ev) -> list[list[str]]:
    """Copy the input onto the row; returns [field, old, new] changes for the audit."""
    new = {
        "household_id": res.household.id if res.household else None, "name": res.name,
        "id_number": res.id_number, "unit_id": res.unit_id, "person_id_number": res.person_id_number,
        "policy_version_id": res.row.id, "relief_type": data.relief_type, "subcase": data.subcase or None,
        "period_year": data.year, "period_quarter": data.quarter,
        "request_date": data.request_date or clock.today(), "conditions": list(data.conditions or ()),
        "reason": (data.reason or "").strip(), "justification": (data.justification or "").strip(),
        "self_paid_medical_fen": data.self_paid_medical_fen, "students": list(data.students or ()),
        "months": data.months, "persons": data.persons, "batch_no": data.batch_no, "goods": bool(data.goods),
        "fund_source": data.fund_source or None,
        "attachment_kinds": None if data.attachment_kinds is None else list(data.attachment_kinds),
        "requested_fen": int(data.requested_amount_fen), "current_fen": int(data.requested_amount_fen),
        "suggested_fen": ev.suggested_amount_fen, "findings": st.findings_json(ev),
        "standard_text": ev.standard_text, "standard_min_fen": ev.standard_min_fen,
        "standard_max_fen": ev.standard_max_fen,
    }
    changes = []
    labels = {"relief_type": "救助类型", "subcase": "具体情形", "period_year": "年度", "period_quarter": "季度",
              "requested_fen": "申请金额（分）", "reason": "申请事由", "justification": "书面说明",
              "household_id": "档案", "id_number": "身份证号", "name": "姓名", "unit_id": "所属工会",
              "fund_source": "资金来源", "conditions": "申请条件"}
    for key, value in new.items():
        old = getattr(r, key, None)
        if old != value:
            if key in labels:
                changes.append([labels[key], "" if old is None else str(old), "" if value is None else str(value)])
            setattr(r, key, value)
    return changes


def _raise(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationFailed(problems)


def _view(session: Session, ctx: AppContext, r: ReliefRequest) -> RequestView:
    session.flush()
    session.refresh(r)
    return st.full_view(session, ctx.actor, r, work_calendar(session))


def create_request(ctx: AppContext, data: RequestInput) -> RequestView:
    """Save a new request as a draft (findings stored; nothing is blocked yet)."""
    with ctx.tx(CREATE) as tx:
        s = tx.session
        res, problems = _resolve(s, ctx.actor, data, strict=True)
        _raise(problems)
        ev, _ = _judge(s, res, _draft(data, res))
        at = clock.now()
        r = ReliefRequest(number=st.next_number(s, data.year), source="entered", status="draft",
                          creator_id=ctx.actor.user_id, creator_username=ctx.actor.username,
                          creator_name=ctx.actor.display_name or ctx.actor.username,
                          created_at=at, updated_at=at, events=[], chain=[])
        _apply(r, data, res, ev)
        s.add(r)
        s.flush()
        tx.audit("create", "relief_request", r.id, household_id=r.household_id,
                 summary=f"录入救助申请 {r.number}：{r.name}，{res.policy.relief_type(r.relief_type).name}，"
                         f"{format_yuan(r.requested_fen)} 元" + ("" if r.household_id else "（未建档职工）"))
        return _view(s, ctx, r)


def update_request(ctx: AppContext, request_id: int, data: RequestInput) -> RequestView:
    """Edit a draft or a returned request; it is judged again under the policy in force."""
    with ctx.tx(CREATE) as tx:
        s = tx.session
        r = st.load_request(s, ctx.actor, request_id)
        if r.status not in st.EDITABLE:
            raise st.InvalidTransition(f"{st.STATUS_LABELS.get(r.status, r.status)}的申请不能修改")
        res, problems = _resolve(s, ctx.actor, data, strict=True)
        _raise(problems)
        ev, _ = _judge(s, res, _draft(data, res, r.id))
        changes = _apply(r, data, res, ev)
        r.updated_at = clock.now()
        if changes:
            tx.audit("update", "relief_request", r.id, household_id=r.household_id,
                     summary=f"修改救助申请 {r.number}", changes=changes)
        return _view(s, ctx, r)


def submit_request(ctx: AppContext, request_id: int, justification: str | None = None) -> RequestView:
    """Submit for review: errors block; warnings need the written justification
    (given here or stored with the draft).  The request is tied to the policy
    version in force now, and reaches the first review level."""
    with ctx.tx(CREATE) as tx:
        s = tx.session
        r = st.load_request(s, ctx.actor, request_id)
        if r.status not in st.EDITABLE:
            raise st.InvalidTransition(f"{st.STATUS_LABELS.get(r.status, r.status)}的申请不能提交")
        if justification is not None:
            r.justification = justification.strip()
        found = policy_in_force(s, r.period_year)
        if found is None:
            raise ValidationFailed([FieldProblem("year", "救助政策", no_policy_message(r.period_year))])
        row, policy = found
        hh = s.get(Household, r.household_id) if r.household_id else None
        res = _Resolved(hh, r.name, r.id_number, r.unit_id, r.person_id_number, row, policy)
        draft = replace(st.draft_of_row(r, r.requested_fen), person_id_number=r.person_id_number or r.id_number)
        ev, _ = _judge(s, res, draft)
        problems = [FieldProblem(f.rule or f.code, "规则核查", f.message) for f in ev.errors]
        if not (r.reason or "").strip():
            problems.append(FieldProblem("reason", "申请事由", "不能为空（将打印在审批表上）"))
        if ev.needs_justification and not (r.justification or "").strip():
            problems.append(FieldProblem("justification", "书面说明",
                                         "以下情况须填写书面说明后才能提交：" + "；".join(f.message for f in ev.warnings)))
        _raise(problems)
        state = replace(st.state_of(r), amount_fen=r.requested_fen, status=r.status)
        try:
            t = sm.submit(state, ctx.actor.username, policy=policy, relief_type=r.relief_type, evaluation=ev,
                          amount_fen=r.requested_fen, justification=r.justification or "")
        except sm.TransitionError as exc:
            raise st.InvalidTransition(str(exc)) from exc
        at = clock.now()
        r.policy_version_id = row.id
        r.findings, r.suggested_fen, r.standard_text = st.findings_json(ev), ev.suggested_amount_fen, ev.standard_text
        r.standard_min_fen, r.standard_max_fen = ev.standard_min_fen, ev.standard_max_fen
        r.status, r.level_index, r.current_fen = t.state.status, 0, r.requested_fen
        r.chain = st.chain_json(policy, r.relief_type)
        r.current_level = r.chain[0]["level"]
        r.received_at, r.submitted_at, r.updated_at, r.decided_at = at, at, at, None
        r.approved_fen, r.self_approved = None, False
        cal = work_calendar(s)
        r.due_date = cal.add_working_days(clock.local_date(at), int(r.chain[0]["days"])).date
        r.events = list(r.events or []) + [[at.isoformat(), "submitted", ctx.actor.username,
                                            ctx.actor.display_name or ctx.actor.username,
                                            f"书面说明：{r.justification}" if ev.warnings else ""]]
        warn = f"，{len(ev.warnings)} 项须说明的情况已附书面说明" if ev.warnings else ""
        tx.audit("submit", "relief_request", r.id, household_id=r.household_id,
                 summary=f"提交救助申请 {r.number}（政策 {row.year} 年第 {row.version} 版）{warn}",
                 changes=[["状态", st.STATUS_LABELS.get(state.status, state.status), "已提交"]])
        return _view(s, ctx, r)


def withdraw(ctx: AppContext, request_id: int, comment: str = "") -> RequestView:
    """The creator withdraws a request that is not yet decided."""
    with ctx.tx(CREATE) as tx:
        s = tx.session
        r = st.load_request(s, ctx.actor, request_id)
        try:
            t = sm.withdraw(st.state_of(r), ctx.actor.username, comment=comment)
        except sm.TransitionError as exc:
            raise st.InvalidTransition(str(exc)) from exc
        at = clock.now()
        old = r.status
        r.status, r.level_index, r.current_level, r.due_date = t.state.status, None, None, None
        r.updated_at = r.decided_at = at
        r.events = list(r.events or []) + [[at.isoformat(), "withdrawn", ctx.actor.username,
                                            ctx.actor.display_name or ctx.actor.username, (comment or "").strip()]]
        tx.audit("withdraw", "relief_request", r.id, household_id=r.household_id,
                 summary=f"撤回救助申请 {r.number}" + (f"：{comment.strip()}" if comment.strip() else ""),
                 changes=[["状态", st.STATUS_LABELS.get(old, old), "已撤回"]])
        return _view(s, ctx, r)


def get_request(ctx: AppContext, request_id: int | str) -> RequestView:
    """A request by id or number, with its reviews, timeline and history."""
    with ctx.tx(READ, read_only=True) as tx:
        r = st.find_request(tx.session, ctx.actor, request_id)
        return st.full_view(tx.session, ctx.actor, r, work_calendar(tx.session))


def list_requests(ctx: AppContext, flt: RequestFilter | None = None) -> RequestPage:
    """A page of requests, newest first, within the user's union scope."""
    flt = flt or RequestFilter()
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        q = select(ReliefRequest)
        allowed = visible_unit_ids(s, ctx.actor)
        if allowed is not None:
            q = q.where(ReliefRequest.unit_id.in_(allowed))
        if flt.status == "open":
            q = q.where(ReliefRequest.status.in_(st.OPEN))
        elif flt.status:
            q = q.where(ReliefRequest.status == flt.status)
        if flt.relief_type:
            q = q.where(ReliefRequest.relief_type == flt.relief_type)
        if flt.year is not None:
            q = q.where(ReliefRequest.period_year == flt.year)
        if flt.quarter is not None:
            # a type without a quarterly period (emergency, annual aid) falls in the quarter of its date
            month = extract("month", ReliefRequest.request_date)
            q = q.where(or_(ReliefRequest.period_quarter == flt.quarter,
                            and_(ReliefRequest.period_quarter.is_(None),
                                 month.between(3 * flt.quarter - 2, 3 * flt.quarter))))
        if flt.unit_id is not None:
            q = q.where(ReliefRequest.unit_id.in_(subtree_ids(s, flt.unit_id)))
        if flt.source:
            q = q.where(ReliefRequest.source == flt.source)
        if flt.household_id is not None:
            q = q.where(ReliefRequest.household_id == flt.household_id)
        if flt.text and flt.text.strip():
            t = flt.text.strip()
            like = f"%{t}%"
            q = q.where(or_(ReliefRequest.name.like(like), ReliefRequest.number.like(f"%{t.upper()}%"),
                            ReliefRequest.id_number.like(f"%{t.upper()}%")))
        if flt.overdue is not None:
            late = or_(
                (ReliefRequest.status.in_(st.OPEN)) & (ReliefRequest.due_date < clock.today()),
                exists().where(Review.request_id == ReliefRequest.id, Review.overdue.is_(True)),
            )
            q = q.where(late if flt.overdue else ~late)
        total = s.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = s.execute(q.options(selectinload(ReliefRequest.reviews))
                         .order_by(ReliefRequest.created_at.desc(), ReliefRequest.id.desc())
                         .offset(max(flt.offset, 0)).limit(max(flt.limit, 1))).scalars().all()
        cache, units, cal, on = st.PolicyCache(s), st.unit_names(s), work_calendar(s), clock.today()
        out = tuple(st.summary(r, cache.get(r.policy_version_id), units, cal, on) for r in rows)
        return RequestPage(out, total, flt.offset, flt.limit)


# ------------------------------------------------------------------ attachments

def add_request_attachment(ctx: AppContext, request_id: int, filename: str, data: bytes,
                           kind: str = "") -> RequestAttachmentView:
    """Attach a scan to a request (content kept in the database, shared blob table)."""
    name, data, sha = checked_upload(filename, data)
    with ctx.tx(CREATE) as tx:
        s = tx.session
        r = st.load_request(s, ctx.actor, request_id)
        store_blob(s, sha, data)
        a = RequestAttachment(request_id=r.id, filename=name, kind=(kind or "").strip()[:40], size=len(data),
                              sha256=sha, added_at=clock.now(), added_by=ctx.actor.username)
        s.add(a)
        s.flush()
        tx.audit("create", "request_attachment", a.id, household_id=r.household_id,
                 summary=f"救助申请 {r.number} 添加附件：{name}")
        return RequestAttachmentView(a.id, a.filename, a.kind, a.size, a.added_at, ctx.actor.display_name or a.added_by)


def remove_request_attachment(ctx: AppContext, attachment_id: int) -> None:
    with ctx.tx(CREATE) as tx:
        s = tx.session
        a = s.get(RequestAttachment, attachment_id)
        if a is None:
            raise NotFound(f"附件（编号 {attachment_id}）不存在")
        r = st.load_request(s, ctx.actor, a.request_id)
        if r.status not in st.EDITABLE:
            raise st.InvalidTransition("已提交的申请不能删除附件")
        sha, name = a.sha256, a.filename
        s.delete(a)
        release_blob(s, sha)
        tx.audit("delete", "request_attachment", attachment_id, household_id=r.household_id,
                 summary=f"救助申请 {r.number} 删除附件：{name}")


def request_attachment_content(ctx: AppContext, attachment_id: int) -> tuple[str, bytes]:
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        a = s.get(RequestAttachment, attachment_id)
        if a is None:
            raise NotFound(f"附件（编号 {attachment_id}）不存在")
        st.load_request(s, ctx.actor, a.request_id)
        return a.filename, read_blob(s, a.sha256, a.size, a.filename)


# ------------------------------------------------------------------ printing

def _write_approval(ctx: AppContext, request_id: int | str, path: str | Path) -> tuple[Path, int, ReliefRequest]:
    from ...documents.approval_form import write_approval_form
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        r = st.find_request(s, ctx.actor, request_id)
        view = st.full_view(s, ctx.actor, r, work_calendar(s))
        data = approval_form_data(view, read_settings(s).office_name,
                                  ctx.actor.display_name or ctx.actor.username, clock.today())
        data = replace(data, notice_result=notice_result_text(s, r.id), banner=demo_banner(s),
                       early_payout=early_payout_of(s, r.id))
        out = Path(path)
        return out, write_approval_form(data, out), r


def build_approval(ctx: AppContext, request_id: int | str, path: str | Path) -> Path:
    """The 审批表 PDF for the in-app preview; records nothing (the caller audits the real
    print or save through audit.record_event — looking at a preview prints nothing)."""
    return _write_approval(ctx, request_id, path)[0]


def print_approval(ctx: AppContext, request_id: int | str, path: str | Path) -> Path:
    """Write the 救助申请审批表 PDF of a request to ``path``; audited as a print."""
    out, pages, r = _write_approval(ctx, request_id, path)
    with ctx.tx(READ) as tx:
        tx.audit("print", "relief_request", r.id, household_id=r.household_id,
                 summary=f"打印救助申请审批表 {r.number}（{r.name}，{pages} 页）")
    return out
