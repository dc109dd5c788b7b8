"""Shared pieces of the relief services: request numbers, the history and
household facts the rule engine needs, scope checks and the views.

Session-level helpers only; the public API is in :mod:`.requests`, :mod:`.review`,
:mod:`.ledger_import` and :mod:`.compliance`.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from ...domain.policy import Policy
from ...domain.request_state import RequestState
from ...domain.rules import Evaluation, Finding, HouseholdFacts, MemberFacts, PastAid, RequestDraft, Standards
from ...domain.workdays import WorkCalendar
from ...domain.money import format_yuan
from ...storage.write_lock import serialize_writes
from ...storage.models import (
    Counter, DisbursementLine, Household, OrgUnit, Payment, ReliefRequest, RequestAttachment,
    RequestPayoutClaim, Review, ReviewerScope,
)
from ..errors import NotFound, PermissionDenied, ServiceError
from ..admin.org import one_in_scope, subtree_ids, visible_unit_ids
from ..archive.store import household_by_id_number
from ..people import name_of
from .policies import policy_of, version_row
from .types import (
    DECISION_LABELS, STATUS_LABELS, EvaluationView, FindingView, Option, PastAidView, PendingLevel,
    RequestAttachmentView, RequestSummary, RequestView, ReviewView, TimelineEntry,
)
from ..admin.settings import standard_for

OPEN = ("submitted", "in_review")
EDITABLE = ("draft", "returned")
COUNTED = ("approved",)  # statuses whose amount counts as aid received
DEFAULT_DAYS = 5  # working days per level (seed 001)


class InvalidTransition(ServiceError):
    """The request cannot make this move (message from the state machine, Chinese)."""


# ------------------------------------------------------------------ numbers

def next_number(session: Session, year: int, prefix: str = "JZ") -> str:
    serialize_writes(session)  # two clerks creating at once get different numbers
    name = f"relief_no:{year}"
    counter = session.execute(select(Counter).where(Counter.name == name).with_for_update()).scalar_one_or_none()
    if counter is None:
        counter = Counter(name=name, value=0)
        session.add(counter)
    while True:
        counter.value += 1
        number = f"{prefix}{year}-{counter.value:05d}"
        taken = session.execute(select(ReliefRequest.id).where(ReliefRequest.number == number)).first()
        if taken is None:
            session.flush()
            return number


# ------------------------------------------------------------------ identity, history

def clean_id(text: str | None) -> str:
    return (text or "").strip().upper()


def sex_from_id(id_number: str | None) -> str | None:
    try:
        return parse_id_number(id_number or "").sex
    except InvalidIdNumber:
        return None


def household_facts(hh: Household) -> HouseholdFacts:
    failed = any(bool(v) for v in (hh.exclusions or {}).values())
    return HouseholdFacts(
        archived=True, status=hh.status, category=hh.category, union_member=bool(hh.union_member),
        exclusion_passed=not failed, exclusion_override=failed and bool((hh.exclusion_override or "").strip()),
        model_worker=bool(hh.model_worker), assistance_status=hh.assistance_status,
        household_size=hh.household_size or 1,
        members=tuple(MemberFacts(clean_id(m.id_number) or None,
                                  None if m.schooling in (None, "", "none") else m.schooling) for m in hh.members),
        head_id_number=clean_id(hh.id_number),
    )


def household_ids(hh: Household | None, extra: Iterable[str | None] = ()) -> set[str]:
    """The ID numbers whose aid counts for this household (head and members)."""
    ids = {clean_id(x) for x in extra if x}
    if hh is not None:
        ids.add(clean_id(hh.id_number))
        ids.update(clean_id(m.id_number) for m in hh.members if m.id_number)
    ids.discard("")
    return ids


def find_household_by_id(session: Session, actor, id_number: str) -> tuple[Household | None, bool]:
    """(household, is_head) for an ID number of a head or of a family member; in a city's database
    a number on file in two counties is decided by the actor's subtree, else refused (Ambiguous)."""
    return household_by_id_number(session, actor, clean_id(id_number), members=True)


def _paid_dates(session: Session, request_ids: list[int]) -> dict[int, date]:
    if not request_ids:
        return {}
    out: dict[int, date] = {}
    for rid, paid_on in session.execute(select(Payment.request_id, Payment.paid_on)
                                        .where(Payment.request_id.in_(request_ids))):
        out[rid] = min(out.get(rid, paid_on), paid_on)
    return out


def aid_date(r: ReliefRequest, paid: dict[int, date]) -> date:
    if r.id in paid:
        return paid[r.id]
    if r.status == "approved" and r.decided_at is not None:
        return clock.local_date(r.decided_at)
    return r.request_date


def history_rows(session: Session, household_id: int | None, ids: set[str], *,
                 include_pending: bool, years: Sequence[int] | None = None
                 ) -> tuple[list[ReliefRequest], list[Payment]]:
    statuses = COUNTED + (OPEN if include_pending else ())
    conds = []
    if household_id is not None:
        conds.append(ReliefRequest.household_id == household_id)
    if ids:
        conds += [ReliefRequest.id_number.in_(ids), ReliefRequest.person_id_number.in_(ids)]
    requests: list[ReliefRequest] = []
    payments: list[Payment] = []
    if conds:
        q = select(ReliefRequest).where(or_(*conds), ReliefRequest.status.in_(statuses))
        if years is not None:
            q = q.where(ReliefRequest.period_year.in_(list(years)))
        requests = list(session.execute(q.order_by(ReliefRequest.id)).scalars())
    pconds = []
    if household_id is not None:
        pconds.append(Payment.household_id == household_id)
    if ids:
        pconds.append(Payment.id_number.in_(ids))
    if pconds:
        q = select(Payment).where(or_(*pconds), Payment.request_id.is_(None))
        if years is not None:
            q = q.where(Payment.period_year.in_(list(years)))
        payments = list(session.execute(q.order_by(Payment.id)).scalars())
    return requests, payments


def past_aid_of_request(r: ReliefRequest, paid: dict[int, date]) -> PastAid:
    amount = r.approved_fen if r.status == "approved" and r.approved_fen is not None else r.current_fen
    return PastAid(request_id=r.id, person_id_number=clean_id(r.person_id_number or r.id_number),
                   relief_type=r.relief_type, subcase=r.subcase, period_year=r.period_year,
                   period_quarter=r.period_quarter, paid_or_approved_on=aid_date(r, paid),
                   amount_fen=amount, goods=bool(r.goods), batch_no=r.batch_no)


def past_aid_of_payment(p: Payment) -> PastAid:
    return PastAid(request_id=f"payment:{p.id}", person_id_number=clean_id(p.id_number),
                   relief_type=p.relief_type, subcase=p.subcase, period_year=p.period_year,
                   period_quarter=p.period_quarter, paid_or_approved_on=p.paid_on, amount_fen=p.amount_fen)


def history(session: Session, household_id: int | None, ids: set[str], *, include_pending: bool = True,
            years: Sequence[int] | None = None) -> list[PastAid]:
    """Approved requests (and, for a new request, those still under review) and
    payments not linked to a request, of the household and its members' ID numbers."""
    requests, payments = history_rows(session, household_id, ids, include_pending=include_pending, years=years)
    renounced = renounced_request_ids(session, [r.id for r in requests])
    requests = [r for r in requests if r.id not in renounced]
    paid = _paid_dates(session, [r.id for r in requests])
    return [past_aid_of_request(r, paid) for r in requests] + [past_aid_of_payment(p) for p in payments]


def renounced_request_ids(session: Session, request_ids: list[int]) -> set[int]:
    """Requests whose payout the worker renounced (the money went back to its source):
    they use up none of the year's counts or caps."""
    if not request_ids:
        return set()
    q = (select(RequestPayoutClaim.request_id)
         .join(DisbursementLine, DisbursementLine.id == RequestPayoutClaim.line_id)
         .where(RequestPayoutClaim.request_id.in_(request_ids), DisbursementLine.state == "renounced"))
    return set(session.execute(q).scalars())


def standards(session: Session, year: int) -> Standards:
    s = standard_for(session, year)
    return Standards() if s is None else Standards(s.dibao_fen, s.low_income_fen)


def draft_of_row(r: ReliefRequest, amount_fen: int | None = None) -> RequestDraft:
    return RequestDraft(
        relief_type=r.relief_type, subcase=r.subcase, year=r.period_year, quarter=r.period_quarter,
        request_date=r.request_date, requested_amount_fen=r.current_fen if amount_fen is None else amount_fen,
        self_paid_medical_fen=r.self_paid_medical_fen, students=tuple(r.students or ()),
        person_id_number=clean_id(r.person_id_number or r.id_number) or None,
        conditions=tuple(r.conditions or ()), goods=bool(r.goods), months=r.months, persons=r.persons,
        batch_no=r.batch_no, fund_source=r.fund_source,
        attachments=None if r.attachment_kinds is None else tuple(r.attachment_kinds),
        request_id=r.id,
    )


def finding_views(findings: Iterable[Finding]) -> tuple[FindingView, ...]:
    return tuple(FindingView(f.code, f.severity, f.message, f.rule) for f in findings)


def findings_json(ev: Evaluation) -> list[dict]:
    return [{"code": f.code, "severity": f.severity, "message": f.message, "rule": f.rule} for f in ev.findings]


def evaluation_view(policy_id: int | None, policy: Policy | None, ev: Evaluation,
                    hist: Sequence[PastAid], year: int) -> EvaluationView:
    this_year = [a for a in hist if a.period_year == year]
    return EvaluationView(
        policy_id=policy_id, policy_name=policy.name if policy else "",
        suggested_amount_fen=ev.suggested_amount_fen, max_allowed_fen=ev.max_allowed_fen,
        remaining_year_allowance_fen=ev.remaining_year_allowance_fen,
        standard_min_fen=ev.standard_min_fen, standard_max_fen=ev.standard_max_fen,
        standard_text=ev.standard_text, findings=finding_views(ev.findings),
        history_count_year=len(this_year), history_total_year_fen=sum(a.amount_fen for a in this_year),
    )


def deciders_of(r: ReliefRequest) -> tuple[str, ...]:
    """Who passed each level since the request was last (re)submitted: a return ends a round."""
    out: list[str] = []
    for review in r.reviews:
        if review.decision == "return":
            out = []
        elif review.decision == "approve":
            out.append(review.reviewer_username)
    return tuple(out)


def state_of(r: ReliefRequest) -> RequestState:
    return RequestState(
        status=r.status, creator=r.creator_username, amount_fen=r.current_fen,
        chain=tuple(c["level"] for c in (r.chain or ())), level_index=r.level_index,
        standard_min_fen=r.standard_min_fen, standard_max_fen=r.standard_max_fen,
        justification=r.justification or "", self_approved=bool(r.self_approved), deciders=deciders_of(r),
    )


def chain_json(policy: Policy, relief_type: str) -> list[dict]:
    return [{"level": lv.level, "name": lv.display_name, "days": lv.days_allowed}
            for lv in policy.chain_for(relief_type)]


# ------------------------------------------------------------------ scope

def load_request(session: Session, actor, request_id: int) -> ReliefRequest:
    r = session.get(ReliefRequest, request_id)
    if r is None:
        raise NotFound(f"救助申请（编号 {request_id}）不存在")
    allowed = visible_unit_ids(session, actor)
    # outside the user's union scope, a reviewer still sees what reaches their review scopes
    if allowed is not None and r.unit_id not in allowed and r.unit_id not in _reviewer_units(session, actor):
        raise PermissionDenied("该救助申请不在当前用户的管辖范围内")
    return r


def find_request(session: Session, actor, key: int | str) -> ReliefRequest:
    """By id or by number ('JZ2026-00001')."""
    text = str(key).strip()
    if text.isdigit():
        return load_request(session, actor, int(text))
    r = request_by_number(session, actor, text)
    if r is None:
        raise NotFound(f"没有编号为“{text}”的救助申请")
    return load_request(session, actor, r.id)


def request_by_number(session: Session, actor, number: str) -> ReliefRequest | None:
    """The request with this number; in a city's database numbers repeat across counties (see
    :func:`one_in_scope`)."""
    key = (number or "").strip().upper()
    found = list(session.execute(select(ReliefRequest).where(ReliefRequest.number == key)
                                 .order_by(ReliefRequest.id).limit(20)).scalars())
    return one_in_scope(session, actor, found, f"救助申请编号 {key} ", lambda r: f"申请人 {r.name}")


def _reviewer_units(session: Session, actor) -> set[int]:
    if actor.user_id is None:
        return set()
    units: set[int] = set()
    for sc in session.execute(select(ReviewerScope).where(ReviewerScope.user_id == actor.user_id)).scalars():
        units |= subtree_ids(session, sc.unit_id)
    return units


def reviewer_scopes(session: Session, actor) -> list[tuple[str, set[int]]]:
    """(level, unit subtree) pairs the actor reviews."""
    if actor.user_id is None:
        return []
    return [(sc.level, subtree_ids(session, sc.unit_id)) for sc in
            session.execute(select(ReviewerScope).where(ReviewerScope.user_id == actor.user_id)).scalars()]


def may_review(session: Session, actor, r: ReliefRequest) -> bool:
    """The actor reviews at the request's current level for its union."""
    if r.status not in OPEN or r.current_level is None:
        return False
    if not (actor.can("relief.review") or actor.can("relief.approve")):
        return False
    if actor.user_id is None:  # the built-in system actor (scripts, set-up)
        return True
    return any(level == r.current_level and r.unit_id in units for level, units in reviewer_scopes(session, actor))


# ------------------------------------------------------------------ views

def unit_names(session: Session) -> dict[int, str]:
    return {uid: name for uid, name in session.execute(select(OrgUnit.id, OrgUnit.name))}


def _rt_name(policy: Policy | None, code: str) -> str:
    rt = policy.relief_type(code) if policy else None
    return rt.name if rt else code


def _sub_name(policy: Policy | None, code: str, sub: str | None) -> str:
    rt = policy.relief_type(code) if policy else None
    sc = rt.subcase(sub) if rt and sub else None
    return sc.name if sc else (sub or "")


IMPORTED_POLICY = "区县的救助政策（未随年度上报文件报送）"


class PolicyCache:
    """Parsed policies by version id (a list page touches a handful)."""

    def __init__(self, session: Session):
        self.session = session
        self._by_id: dict[int, Policy] = {}

    def get(self, policy_id: int | None) -> Policy | None:
        """None for a county's request imported by a city union (its policy stays at the county)."""
        if policy_id is None:
            return None
        if policy_id not in self._by_id:
            self._by_id[policy_id] = policy_of(version_row(self.session, policy_id))
        return self._by_id[policy_id]


def pending_level(r: ReliefRequest, cal: WorkCalendar, on: date) -> PendingLevel | None:
    if r.status not in OPEN or r.level_index is None or r.received_at is None:
        return None
    step = (r.chain or [])[r.level_index]
    days = int(step.get("days") or DEFAULT_DAYS)
    due = cal.add_working_days(clock.local_date(r.received_at), days)
    return PendingLevel(level=step["level"], level_name=step.get("name") or step["level"],
                        level_index=r.level_index, received_at=r.received_at, due_date=due.date,
                        overdue=on > due.date, working_days_allowed=days, due_warning=due.warning)


def review_view(v: Review) -> ReviewView:
    return ReviewView(
        id=v.id, level=v.level, level_name=v.level_name or v.level, level_index=v.level_index,
        decision=v.decision, decision_label=DECISION_LABELS.get(v.decision, v.decision), opinion=v.opinion,
        reviewer_id=v.reviewer_id, reviewer_name=v.reviewer_name, amount_fen=v.amount_fen,
        justification=v.justification or "", received_at=v.received_at, decided_at=v.decided_at,
        due_date=v.due_date, overdue=bool(v.overdue), self_approved=bool(v.self_approved),
        due_warning=v.due_warning,
    )


def summary(r: ReliefRequest, policy: Policy | None, units: dict[int, str], cal: WorkCalendar,
            on: date) -> RequestSummary:
    pend = pending_level(r, cal, on)
    late_review = any(v.overdue for v in r.reviews)
    return RequestSummary(
        id=r.id, number=r.number, status=r.status, status_label=STATUS_LABELS.get(r.status, r.status),
        source=r.source, household_id=r.household_id, archived=r.household_id is not None, name=r.name,
        id_number=r.id_number, unit_id=r.unit_id, unit_name=units.get(r.unit_id, "") if r.unit_id else "",
        relief_type=r.relief_type, relief_type_name=_rt_name(policy, r.relief_type), subcase=r.subcase,
        subcase_name=_sub_name(policy, r.relief_type, r.subcase), year=r.period_year, quarter=r.period_quarter,
        requested_amount_fen=r.requested_fen, approved_amount_fen=r.approved_fen, created_at=r.created_at,
        submitted_at=r.submitted_at, decided_at=r.decided_at,
        current_level=pend.level if pend else None, current_level_name=pend.level_name if pend else "",
        received_at=pend.received_at if pend else None, due_date=pend.due_date if pend else None,
        overdue=(pend.overdue if pend else False) or late_review, due_warning=pend.due_warning if pend else None,
    )


def _event_time(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def timeline(r: ReliefRequest, payments: list[Payment], person=lambda username: username or "") -> tuple[TimelineEntry, ...]:
    out = [TimelineEntry(r.created_at, "imported" if r.source == "ledger" else "created",
                         "从历史台账导入" if r.source == "ledger" else "录入申请", r.creator_name)]
    for ev in r.events or ():
        at, kind, _username, name, detail = (list(ev) + ["", "", "", "", ""])[:5]
        label = {"submitted": "提交审核", "withdrawn": "撤回", "updated": "修改申请"}.get(kind, kind)
        out.append(TimelineEntry(_event_time(at), kind, label, name, detail))
    for v in r.reviews:
        detail = v.opinion + (f"（核定 {format_yuan(v.amount_fen)} 元）" if v.amount_fen is not None else "")
        out.append(TimelineEntry(v.decided_at, v.decision,
                                 f"{v.level_name or v.level} {DECISION_LABELS.get(v.decision, v.decision)}"
                                 + ("（本人审批）" if v.self_approved else ""), v.reviewer_name, detail))
    for p in payments:
        at = datetime.combine(p.paid_on, time(12)).astimezone()
        out.append(TimelineEntry(at, "paid", "发放", person(p.created_by),
                                 f"{format_yuan(p.amount_fen)} 元" + (f"，{p.remark}" if p.remark else "")))
    return tuple(sorted(out, key=lambda e: e.at))


def full_view(session: Session, actor, r: ReliefRequest, cal: WorkCalendar) -> RequestView:
    pv = version_row(session, r.policy_version_id) if r.policy_version_id is not None else None
    policy = policy_of(pv) if pv is not None else None  # None: a county's request in a city's database
    hh = session.get(Household, r.household_id) if r.household_id else None
    units = unit_names(session)
    rt = policy.relief_type(r.relief_type) if policy is not None else None
    conds = {c.code: c.label for c in (rt.conditions if rt else ())}
    payments = list(session.execute(select(Payment).where(Payment.request_id == r.id)
                                    .order_by(Payment.paid_on)).scalars())
    atts = session.execute(select(RequestAttachment).where(RequestAttachment.request_id == r.id)
                           .order_by(RequestAttachment.id)).scalars()
    # previous aid of the household (approved or paid), this request excluded
    ids = household_ids(hh, [r.id_number, r.person_id_number])
    reqs, pays = history_rows(session, r.household_id, ids, include_pending=False)
    paid = _paid_dates(session, [x.id for x in reqs])
    prev: list[PastAidView] = []
    cache = PolicyCache(session)
    for x in reqs:
        if x.id == r.id:
            continue
        amount = x.approved_fen if x.approved_fen is not None else x.current_fen
        prev.append(PastAidView(aid_date(x, paid), x.relief_type, _rt_name(cache.get(x.policy_version_id),
                                x.relief_type), amount, "ledger" if x.source == "ledger" else "request", x.number))
    for p in pays:
        prev.append(PastAidView(p.paid_on, p.relief_type, _rt_name(policy, p.relief_type), p.amount_fen, p.source))
    prev.sort(key=lambda a: a.on)
    same_year = [a for a in prev if a.on.year == r.period_year]
    on = clock.today()
    editable = r.status in EDITABLE and actor.can("relief.create")
    id_number = r.id_number
    return RequestView(
        id=r.id, number=r.number, status=r.status, status_label=STATUS_LABELS.get(r.status, r.status),
        source=r.source, household_id=r.household_id, archive_no=hh.archive_no if hh else None,
        archived=hh is not None, name=r.name, id_number=id_number,
        sex=(hh.sex if hh and hh.sex else sex_from_id(id_number)),
        household_size=hh.household_size if hh else None,
        hukou=" ".join(x for x in ((hh.hukou_type or "") if hh else "", (hh.hukou_region or "") if hh else "") if x),
        address=(hh.address or "") if hh else "", phone=(hh.phone or "") if hh else "",
        unit_id=r.unit_id, unit_name=units.get(r.unit_id, "") if r.unit_id else "",
        person_id_number=r.person_id_number, relief_type=r.relief_type, relief_type_name=_rt_name(policy, r.relief_type),
        subcase=r.subcase, subcase_name=_sub_name(policy, r.relief_type, r.subcase), year=r.period_year,
        quarter=r.period_quarter, request_date=r.request_date,
        conditions=tuple(Option(c, conds.get(c, c)) for c in (r.conditions or ())),
        reason=r.reason or "", justification=r.justification or "", requested_amount_fen=r.requested_fen,
        suggested_amount_fen=r.suggested_fen, approved_amount_fen=r.approved_fen,
        self_paid_medical_fen=r.self_paid_medical_fen, students=tuple(r.students or ()), months=r.months,
        persons=r.persons, batch_no=r.batch_no, goods=bool(r.goods), fund_source=r.fund_source,
        fund_source_name=(policy.fund_source_name(r.fund_source) if policy else r.fund_source) if r.fund_source else "",
        findings=tuple(FindingView(f["code"], f["severity"], f["message"], f.get("rule", ""))
                       for f in (r.findings or ())),
        standard_text=r.standard_text or "", policy_id=pv.id if pv else 0,
        policy_name=pv.name if pv else IMPORTED_POLICY, policy_year=pv.year if pv else r.period_year,
        policy_version=pv.version if pv else 0, self_approved=bool(r.self_approved), creator_id=r.creator_id,
        creator_name=r.creator_name, created_at=r.created_at, submitted_at=r.submitted_at,
        decided_at=r.decided_at, reviews=tuple(review_view(v) for v in r.reviews),
        pending=pending_level(r, cal, on),
        chain=tuple(Option(c["level"], c.get("name") or c["level"], str(c.get("days") or DEFAULT_DAYS))
                    for c in (r.chain or (chain_json(policy, r.relief_type) if policy else ()))),
        timeline=timeline(r, payments, name_of(session)),
        attachments=tuple(RequestAttachmentView(a.id, a.filename, a.kind, a.size, a.added_at, name_of(session)(a.added_by))
                          for a in atts),
        attachment_kinds=None if r.attachment_kinds is None else tuple(r.attachment_kinds),
        paid_on=payments[0].paid_on if payments else None, remark=r.remark or "",
        previous_aid=tuple(prev), year_count=len(same_year), year_total_fen=sum(a.amount_fen for a in same_year),
        can_edit=editable, can_submit=editable,
        can_withdraw=r.status in ("draft", "returned", *OPEN) and actor.username == r.creator_username,
        can_review=may_review(session, actor, r),
    )


def masked(id_number: str) -> str:
    return mask_id_number(id_number)
