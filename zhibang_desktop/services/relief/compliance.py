"""The compliance report: every approved request and payment of a year that breaks
the policy it fell under, with the rule and the reason — and nothing else.

* An entered request is judged under the exact policy version it was submitted
  under; a ledger payment (or a payment without a request) under the policy in
  force for its year.
* Each record is re-evaluated by the rule engine against the records of the
  same household / person that came BEFORE it (by payout or decision date), so
  a third quarterly payment in a year, a payment in the quarter right after
  another, or the payment that crosses a yearly cap is the one listed.
* Departing from the standard amount is a violation here even when a
  justification was written (seed 001: the auditors listed the 1,000-yuan
  emergency payment for a knee operation against the 2,000–5,000 standard).
* Rules that need data a record lacks go to ``not_checkable``, never to the
  violations — an imported payment without its sub-case, a medical payment
  without the self-paid costs, a yearly cap in months of 低保 without the year's
  standard, 先建档后帮扶 for a person not in this archive.  But an amount outside
  the range of EVERY sub-case of its type is a violation even without one.
* Facts judged at submission that may have changed since (archive status,
  membership, category, the exclusion checklist, ticked conditions) are not
  re-judged; a ledger records no conditions, so they are not checked there.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...domain.money import yuan_text
from ...domain.policy import Policy, ReliefType
from ...domain.rule_labels import rule_label
from ...domain.rules import PastAid, RequestDraft, describe_rule, evaluate
from ...storage.models import Household, Payment, ReliefRequest, Review
from . import store as st
from ..admin.org import require_whole_office
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed
from .policies import policy_in_force, policy_of, version_row
from .types import ComplianceReport, NotCheckable, Violation

PERMISSION = "report.read"

VIOLATION_CODES = {
    "amount_below_standard", "amount_above_standard", "amount_not_positive", "count_limit",
    "consecutive_quarter", "duplicate_period", "fund_source_not_allowed", "fund_source_unknown",
    "goods_not_allowed", "subcase_unknown", "stage_not_covered", "unknown_relief_type",
}
# code -> what is missing
NOT_CHECKABLE_CODES = {
    "quarter_required": "未记录季度",
    "missing_self_paid": "未记录个人自付医疗费用",
    "missing_students": "未记录在读子女及学段",
    "missing_months": "未记录发放月数",
    "missing_persons": "未记录人数",
    "dibao_standard_missing": "未设置该年度低保标准",
}


@dataclass
class _Record:
    key: tuple
    kind: str  # request | payment
    row_id: int
    source: str
    household_id: int | None
    id_number: str
    name: str
    aid: PastAid
    on: date
    policy_id: int | None  # the version it was judged under (entered requests)
    draft: RequestDraft


def _type_ranges(rt: ReliefType) -> list[tuple[int | None, int | None]] | None:
    """(min, max) of every sub-case's standard; None when some sub-case has no
    bounded standard (then no amount is outside all of them)."""
    out = []
    for sc in rt.subcases:
        rule = sc.amount or rt.amount
        if rule.rule == "fixed":
            out.append((rule.fixed_fen, rule.fixed_fen))
        elif rule.rule == "range":
            out.append((rule.min_fen, rule.max_fen))
        else:
            return None
    return out


def _outside_every_subcase(rt: ReliefType, amount: int) -> bool:
    ranges = _type_ranges(rt)
    if not ranges:
        return False
    return all((lo is not None and amount < lo) or (hi is not None and amount > hi) for lo, hi in ranges)


def _records(session, year: int) -> list[_Record]:
    reqs = list(session.execute(select(ReliefRequest).where(
        ReliefRequest.status == "approved", ReliefRequest.period_year.in_([year - 1, year]))).scalars())
    pays = list(session.execute(select(Payment).where(
        Payment.request_id.is_(None), Payment.period_year.in_([year - 1, year]))).scalars())
    paid = st._paid_dates(session, [r.id for r in reqs])
    out = []
    for r in reqs:
        aid = st.past_aid_of_request(r, paid)
        draft = replace(st.draft_of_row(r, aid.amount_fen), request_date=aid.paid_or_approved_on
                        if r.source == "ledger" else r.request_date)
        out.append(_Record((aid.paid_or_approved_on, 0, r.id), "request", r.id, r.source, r.household_id,
                           r.person_id_number or r.id_number, r.name, aid, aid.paid_or_approved_on,
                           r.policy_version_id if r.source == "entered" else None, draft))
    for p in pays:
        aid = st.past_aid_of_payment(p)
        draft = RequestDraft(relief_type=p.relief_type, subcase=p.subcase, year=p.period_year,
                             quarter=p.period_quarter, request_date=p.paid_on, requested_amount_fen=p.amount_fen,
                             person_id_number=st.clean_id(p.id_number), fund_source=p.fund_source,
                             request_id=aid.request_id)
        out.append(_Record((p.paid_on, 1, p.id), "payment", p.id, p.source, p.household_id, p.id_number, p.name,
                           aid, p.paid_on, None, draft))
    out.sort(key=lambda x: x.key)
    return out


def compliance_report(ctx: AppContext, year: int) -> ComplianceReport:
    """Violations and not-checkable records of ``year`` (see the module doc)."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"“{year}”不是有效年度")])
    require_whole_office(ctx.actor, "合规报告")
    with ctx.tx(PERMISSION, read_only=True) as tx:
        s = tx.session
        records = _records(s, year)
        in_force = policy_in_force(s, year)
        versions: dict[int, Policy] = {}
        hh_ids = {r.household_id for r in records if r.household_id is not None}
        households = {h.id: h for h in s.execute(select(Household).where(Household.id.in_(hh_ids))
                                                 .options(selectinload(Household.members))).scalars()} if hh_ids else {}
        by_person: dict[str, list[_Record]] = defaultdict(list)
        by_household: dict[int, list[_Record]] = defaultdict(list)
        for rec in records:
            by_person[st.clean_id(rec.aid.person_id_number)].append(rec)
            if rec.household_id is not None:
                by_household[rec.household_id].append(rec)
        std = st.standards(s, year)
        violations: list[Violation] = []
        unknown: list[NotCheckable] = []
        notes: list[str] = []
        checked = 0
        ledger_seen = False
        for rec in records:
            if rec.aid.period_year != year:
                continue
            checked += 1
            if rec.policy_id is not None:
                if rec.policy_id not in versions:
                    versions[rec.policy_id] = policy_of(version_row(s, rec.policy_id))
                policy = versions[rec.policy_id]
            elif in_force is not None:
                policy = in_force[1]
            else:
                unknown.append(_nc(None, rec, "", "policy", f"{year} 年没有生效的救助政策，无法核对"))
                continue
            if rec.source == "ledger" or rec.kind == "payment":
                ledger_seen = True
            hh = households.get(rec.household_id) if rec.household_id else None
            ids = st.household_ids(hh, [rec.id_number, rec.aid.person_id_number])
            pool = {id(o): o for i in ids for o in by_person.get(i, ())}
            if rec.household_id is not None:
                pool.update({id(o): o for o in by_household.get(rec.household_id, ())})
            prior = [o.aid for o in sorted(pool.values(), key=lambda o: o.key) if o.key < rec.key]
            facts = st.household_facts(hh) if hh is not None else None
            draft = rec.draft
            if rec.source == "ledger" or rec.kind == "payment":
                # conditions were never recorded in a ledger: do not judge them
                rt0 = policy.relief_type(draft.relief_type)
                if rt0 is not None and rt0.conditions:
                    draft = replace(draft, conditions=tuple(c.code for c in rt0.conditions[: rt0.min_conditions]))
            if draft.year != policy.year:  # a version stored under another year cannot judge this one
                policy = replace(policy, year=draft.year)
            ev = evaluate(policy, draft, facts, prior, std)
            rt = policy.relief_type(draft.relief_type)
            type_name = rt.name if rt else draft.relief_type
            for f in ev.findings:
                if f.code in VIOLATION_CODES or f.code.startswith("cap_"):
                    violations.append(_violation(policy, rec, f.rule, f.message, f.code, type_name))
                elif f.code == "subcase_required" and rt is not None:
                    if _outside_every_subcase(rt, draft.requested_amount_fen):
                        stds = "；".join(f"{sc.name} {describe(sc, rt)}" for sc in rt.subcases)
                        violations.append(_violation(
                            policy, rec, f"{rt.code}.subcases",
                            f"金额 {yuan_text(draft.requested_amount_fen)} 元不在{rt.name}任何具体情形的标准内（{stds}）",
                            "amount_outside_all_subcases", type_name))
                    else:
                        unknown.append(_nc(policy, rec, type_name, f"{rt.code}.subcases",
                                           f"未记录救助事由（具体情形），无法核对{rt.name}具体情形的金额标准"))
                elif f.code in NOT_CHECKABLE_CODES:
                    unknown.append(_nc(policy, rec, type_name, f.rule, f"{NOT_CHECKABLE_CODES[f.code]}，无法核对：{f.message}"))
                elif f.code == "no_archive" and rec.household_id is None:
                    unknown.append(_nc(policy, rec, type_name, f.rule,
                                       "该人员不在本系统的档案中，无法核对“先建档、后帮扶”"))
        if ledger_seen:
            notes.append("历史台账未记录申请条件，未核对申请条件。")
        if not std.dibao_monthly_fen:
            notes.append(f"未设置 {year} 年低保标准，按低保月数计算的上限未核对。")
        why = request_justifications(s, [int(v.record.split(":")[1]) for v in violations
                                         if v.record.startswith("request:")])
        violations = [replace(v, justification=why.get(int(v.record.split(":")[1]), ""))
                      if v.record.startswith("request:") else v for v in violations]
        return ComplianceReport(year=year, policy_name=in_force[1].name if in_force else "", checked=checked,
                                violations=tuple(violations), not_checkable=tuple(unknown), notes=tuple(notes))


def request_justifications(session, request_ids) -> dict[int, str]:
    """The written justifications of requests: the clerk's at submission, then each level's."""
    parts: dict[int, list[str]] = defaultdict(list)
    ids = sorted(set(request_ids))
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for rid, text in session.execute(select(ReliefRequest.id, ReliefRequest.justification)
                                         .where(ReliefRequest.id.in_(part))):
            if (text or "").strip():
                parts[rid].append(f"申请时：{text.strip()}")
        for rid, level, text in session.execute(
                select(Review.request_id, Review.level_name, Review.justification)
                .where(Review.request_id.in_(part), Review.justification != "").order_by(Review.id)):
            parts[rid].append(f"{level or '审核'}：{text.strip()}")
    return {rid: "；".join(p) for rid, p in parts.items()}


def describe(sc, rt: ReliefType) -> str:
    return describe_rule(sc.amount or rt.amount)


def _record_ref(rec: _Record) -> str:
    return f"{rec.kind}:{rec.row_id}"


def _violation(policy, rec: _Record, rule: str, message: str, code: str, type_name: str) -> Violation:
    return Violation(id_number=rec.id_number, name=rec.name, type=rec.draft.relief_type, date=rec.on,
                     amount_fen=rec.draft.requested_amount_fen, rule=rule, message=message, code=code,
                     record=_record_ref(rec), type_name=type_name, subcase=rec.draft.subcase,
                     rule_label=rule_label(policy, rule))


def _nc(policy, rec: _Record, type_name: str, rule: str, message: str) -> NotCheckable:
    return NotCheckable(id_number=rec.id_number, name=rec.name, type=rec.draft.relief_type, date=rec.on,
                        amount_fen=rec.draft.requested_amount_fen, rule=rule, message=message,
                        record=_record_ref(rec), type_name=type_name, rule_label=rule_label(policy, rule))
