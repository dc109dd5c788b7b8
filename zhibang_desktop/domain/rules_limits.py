"""Hard caps, count limits, quarter spacing and duplicates (all against history).

Every check here is an ERROR except the "possible duplicate" of an emergency
request (same person, same sub-case within 30 days), which is a warning: two
real emergencies can follow each other, a double entry is more likely.

History rows (:class:`PastAid`) count against the year in ``period_year``.
Person-scope limits compare ``person_id_number`` (falling back to the head of
household's ID when the draft has none).  ``student`` caps are per request
(limit × number of students): the draft lists schooling stages, not students'
IDs, so per-student yearly totals are left to the count limit (Shanghai: one
education request per household per year).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .money import yuan_text
from .policy import Cap, Policy, ReliefType
from .rules_types import ERROR, WARNING, Finding, HouseholdFacts, PastAid, RequestDraft, Standards

_SCOPE = {"person": "每人", "household": "每户", "student": "每生"}
_PERIOD = {"time": "每次", "year": "每年"}
_QUARTERS = "一二三四"
EMERGENCY_DUPLICATE_DAYS = 30


def _norm(pid: str | None) -> str:
    return (pid or "").strip().upper()


def person_of(draft: RequestDraft, household: HouseholdFacts | None) -> str:
    return _norm(draft.person_id_number or (household.head_id_number if household else None))


def prior(history: Sequence[PastAid], draft: RequestDraft) -> list[PastAid]:
    """History without the draft's own rows."""
    if draft.request_id is None:
        return list(history)
    return [a for a in history if a.request_id is None or a.request_id != draft.request_id]


def cap_text(cap: Cap, dibao_monthly_fen: int | None) -> str:
    """E.g. '现金每户每年不超过 6,000 元' or '现金每户每年不超过 10 个月低保标准（13,300 元）'."""
    kind = "实物" if cap.applies_to == "goods" else ("金额" if cap.applies_to == "all" else "现金")
    parts = []
    if cap.max_fen is not None:
        parts.append(f"{yuan_text(cap.max_fen)} 元")
    if cap.dibao_months is not None:
        m = f"{cap.dibao_months} 个月低保标准"
        if dibao_monthly_fen:
            m += f"（{yuan_text(cap.dibao_months * dibao_monthly_fen)} 元）"
        parts.append(m)
    return f"{kind}{_SCOPE[cap.scope]}{_PERIOD[cap.period]}不超过{'且不超过'.join(parts)}"


@dataclass
class CapResult:
    findings: list[Finding]
    max_allowed_fen: int | None
    remaining_year_fen: int | None


def _applies(cap: Cap, goods: bool) -> bool:
    return cap.applies_to == "all" or (cap.applies_to == "goods") == goods


def check_caps(policy: Policy, rt: ReliefType, draft: RequestDraft, household: HouseholdFacts | None,
               history: Sequence[PastAid], standards: Standards) -> CapResult:
    caps = [(c, f"{rt.code}.caps[{i}]", {rt.code}) for i, c in enumerate(rt.caps)]
    caps += [(c, f"household_year_caps[{i}]", set(c.relief_types) or None)
             for i, c in enumerate(policy.household_year_caps)
             if not c.relief_types or rt.code in c.relief_types]
    out: list[Finding] = []
    max_allowed: int | None = None
    remaining_year: int | None = None
    warned_dibao = False
    pid = person_of(draft, household)
    requested = draft.requested_amount_fen
    dibao = standards.dibao_monthly_fen
    for cap, path, types in caps:
        if not _applies(cap, draft.goods):
            continue
        if cap.dibao_months is not None and not dibao and not warned_dibao:
            warned_dibao = True
            out.append(Finding("dibao_standard_missing", WARNING,
                               f"未设置 {draft.year} 年低保标准，无法核对按低保月数计算的上限，请在设置中补充",
                               path))
        limit = cap.limit_fen(dibao)
        if limit is None:
            continue
        units = max(len(draft.students), 1) if cap.scope == "student" else 1
        allowed, used = limit * units, 0
        if cap.period == "year" and cap.scope != "student":
            for a in history:
                if a.period_year != draft.year or not _applies(cap, a.goods):
                    continue
                if types is not None and a.relief_type not in types:
                    continue
                if cap.scope == "person" and _norm(a.person_id_number) != pid:
                    continue
                used += a.amount_fen
        remaining = max(allowed - used, 0)
        max_allowed = remaining if max_allowed is None else min(max_allowed, remaining)
        if cap.period == "year":
            remaining_year = remaining if remaining_year is None else min(remaining_year, remaining)
        if requested > remaining:
            by_dibao = cap.dibao_months is not None and (cap.max_fen is None or limit < cap.max_fen)
            code = "cap_dibao_months" if by_dibao else f"cap_{cap.scope}_{cap.period}"
            if cap.applies_to == "goods":
                code = f"cap_goods_{cap.scope}_{cap.period}"
            detail = (f"本年已 {yuan_text(used)} 元，剩余 {yuan_text(remaining)} 元，"
                      if cap.period == "year" and cap.scope != "student" else
                      f"{units} 名学生合计上限 {yuan_text(allowed)} 元，" if units > 1 else "")
            out.append(Finding(code, ERROR,
                               f"超过上限：{cap_text(cap, dibao)}（{detail}本次申请 {yuan_text(requested)} 元）",
                               path))
    return CapResult(out, max_allowed, remaining_year)


def check_counts(rt: ReliefType, draft: RequestDraft, household: HouseholdFacts | None,
                 history: Sequence[PastAid]) -> list[Finding]:
    out = []
    pid = person_of(draft, household)
    for i, lim in enumerate(rt.count_limits):
        seen: dict[object, PastAid] = {}
        for n, a in enumerate(history):
            if a.relief_type != rt.code or a.period_year != draft.year:
                continue
            if lim.scope == "person" and _norm(a.person_id_number) != pid:
                continue
            seen.setdefault(a.request_id if a.request_id is not None else ("row", n), a)
        if len(seen) + 1 > lim.max_count:
            when = "、".join(f"第{_QUARTERS[a.period_quarter - 1]}季度" if a.period_quarter in (1, 2, 3, 4)
                            else a.paid_or_approved_on.isoformat() for a in seen.values())
            out.append(Finding("count_limit", ERROR,
                               f"{rt.name}{_SCOPE[lim.scope]}每年最多 {lim.max_count} 次，"
                               f"{draft.year} 年已有 {len(seen)} 次（{when}）",
                               f"{rt.code}.count_limits[{i}]"))
    return out


def check_spacing_and_duplicates(rt: ReliefType, draft: RequestDraft, household: HouseholdFacts | None,
                                 history: Sequence[PastAid]) -> list[Finding]:
    out: list[Finding] = []
    pid = person_of(draft, household)
    mine = [a for a in history if a.relief_type == rt.code and _norm(a.person_id_number) == pid]
    if rt.kind == "quarterly" and draft.quarter in (1, 2, 3, 4):
        here = draft.year * 4 + draft.quarter - 1
        for a in mine:
            if a.period_quarter not in (1, 2, 3, 4):
                continue
            diff = abs(here - (a.period_year * 4 + a.period_quarter - 1))
            label = f"{a.period_year} 年第{_QUARTERS[a.period_quarter - 1]}季度"
            if diff == 0:
                out.append(Finding("duplicate_period", ERROR,
                                   f"{label}已有一笔{rt.name}（{yuan_text(a.amount_fen)} 元），不能重复申请",
                                   f"{rt.code}.kind"))
            elif rt.min_quarter_gap and diff < rt.min_quarter_gap:
                need = "须隔一季度申请" if rt.min_quarter_gap == 2 else \
                    f"两次申请须相隔至少 {rt.min_quarter_gap - 1} 个季度"
                out.append(Finding("consecutive_quarter", ERROR,
                                   f"与 {label}的{rt.name}相邻，{need}", f"{rt.code}.min_quarter_gap"))
    elif rt.kind == "standing" and draft.batch_no is not None:
        for a in mine:
            if a.period_year == draft.year and a.batch_no == draft.batch_no:
                out.append(Finding("duplicate_period", ERROR,
                                   f"第 {draft.batch_no} 次发放批次已包含此人（{yuan_text(a.amount_fen)} 元），"
                                   "不能重复发放", f"{rt.code}.kind"))
    elif rt.kind == "emergency":
        for a in mine:
            if a.subcase == draft.subcase and \
                    abs((draft.request_date - a.paid_or_approved_on).days) <= EMERGENCY_DUPLICATE_DAYS:
                out.append(Finding("possible_duplicate", WARNING,
                                   f"{a.paid_or_approved_on.isoformat()} 已有一笔同类{rt.name}"
                                   f"（{yuan_text(a.amount_fen)} 元），请确认不是重复申请",
                                   f"{rt.code}.kind"))
    return out
