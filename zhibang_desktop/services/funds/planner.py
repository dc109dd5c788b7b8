"""预算测算: next year's need from the active archive × the policy's standards, plus the
recent rate of emergency relief, against this year's budget and execution — with its working.

Seed 000: the 2018 budget was still computed "按 500元*9400人" after the standards had
changed (deep hardship: living 5,000 per household, education 9,700 / 4,850 per student,
medical up to 20,000 per person), and only 35.52 % of it was spent.  The planner counts
the households, students and ill people actually in the archive and prices them at the
policy in force, so each figure of the request can be checked line by line.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...domain.household import CATEGORIES, SCHOOLING_STAGES
from ...domain.policy import Policy, ReliefType
from ...storage.models import BudgetLine, Household, Payment
from ..context import AppContext
from ..errors import NotFound
from ..admin.org import visible_unit_ids
from ..relief.policies import no_policy_message, policy_in_force
from .common import READ, line_figures, yuan
from .types import BudgetPlan, Figures, PlanItem

HEALTHY = {"", "健康", "良好", "较好", "一般"}
HISTORY_YEARS = 2


def _ill(text: str | None) -> bool:
    return (text or "").strip() not in HEALTHY


def _standard_fen(rt: ReliefType) -> tuple[int | None, str]:
    """The policy's amount for one payment of this type, and how it was read."""
    rule = rt.amount
    if rule.fixed_fen is not None:
        return rule.fixed_fen, f"标准 {yuan(rule.fixed_fen)} 元"
    if rule.rule == "range" and rule.min_fen is not None and rule.max_fen is not None:
        mid = (rule.min_fen + rule.max_fen) // 2
        return mid, f"标准 {yuan(rule.min_fen)}–{yuan(rule.max_fen)} 元取中 {yuan(mid)} 元"
    if rule.rule == "per_person_month" and rule.per_person_month_fen is not None:
        return rule.per_person_month_fen * 12, f"每人每月 {yuan(rule.per_person_month_fen)} 元 × 12 个月"
    return None, ""


def _history(s, relief_type: str, plan_year: int, allowed: set[int] | None, households: set[int] | None):
    """(count per year, total fen) of payments of this type in the years before `plan_year`."""
    years = list(range(plan_year - HISTORY_YEARS, plan_year))
    q = select(Payment.period_year, Payment.amount_fen, Payment.household_id).where(
        Payment.relief_type == relief_type, Payment.period_year.in_(years))
    counts, total = Counter(), 0
    for year, amount, household_id in s.execute(q):
        if allowed is not None and household_id not in (households or set()):
            continue
        counts[year] += 1
        total += amount
    return years, counts, total


def plan_budget(ctx: AppContext, year: int) -> BudgetPlan:
    """The estimated need for `year` (normally next year), with the working of every line."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        found = policy_in_force(s, year) or policy_in_force(s, year - 1)
        if found is None:
            raise NotFound(no_policy_message(year))
        policy: Policy = found[1]
        allowed = visible_unit_ids(s, ctx.actor)
        q = (select(Household).where(Household.status == "active").options(selectinload(Household.members))
             .order_by(Household.id))
        if allowed is not None:
            q = q.where(Household.unit_id.in_(allowed))
        households = list(s.execute(q).scalars())
        ids = {h.id for h in households}
        by_category = Counter(h.category for h in households)
        items, notes = [], []
        if policy.year != year:
            notes.append(f"{year} 年尚无救助政策，按 {policy.year} 年政策（{policy.name}）测算")
        for rt in policy.relief_types:
            eligible = [h for h in households if not rt.categories or h.category in rt.categories]
            who = ("、".join(CATEGORIES.get(c, c) for c in rt.categories) if rt.categories else "在档") + "家庭"
            items.extend(_items_for(s, rt, eligible, who, year, allowed, ids, notes))
        students = Counter(m.schooling for h in households for m in h.members if m.schooling and m.schooling != "none")
        chronic = sum(_ill(h.health) for h in households) + sum(_ill(m.health) for h in households for m in h.members)
        prev_lines = list(s.execute(select(BudgetLine).where(BudgetLine.year == year - 1)).scalars())
        if allowed is not None:
            prev_lines = [line for line in prev_lines if line.unit_id in allowed]
        previous = sum(line_figures(s, prev_lines, None).values(), Figures())
        total = sum(i.amount_fen for i in items)
        return BudgetPlan(year, policy.name, policy.year, {c: by_category.get(c, 0) for c in CATEGORIES},
                          {SCHOOLING_STAGES.get(k, k): v for k, v in sorted(students.items())}, chronic,
                          tuple(items), total, year - 1, previous, tuple(notes))


def _items_for(s, rt: ReliefType, eligible: list[Household], who: str, year: int, allowed, ids, notes) -> list[PlanItem]:
    rule = rt.amount
    n = len(eligible)
    if rule.rule == "per_student" and rule.per_student_fen:
        out = []
        for stage, fen in rule.per_student_fen:
            count = sum(1 for h in eligible for m in h.members if m.schooling == stage)
            label = SCHOOLING_STAGES.get(stage, stage)
            out.append(PlanItem(rt.code, f"{rt.name}（{label}）", f"{who}在读{label}学生", count, 1, fen, count * fen,
                                f"在读{label} {count} 人 × 每生每年 {yuan(fen)} 元 = {yuan(count * fen)} 元"))
        return out
    years, counts, hist_total = _history(s, rt.code, year, allowed, ids)
    hist_count = sum(counts.values())
    average = hist_total // hist_count if hist_count else None
    history_text = "、".join(f"{y}年 {counts.get(y, 0)} 次" for y in years)
    if rt.kind == "emergency":
        per_year = (hist_count + len(years) - 1) // len(years) if hist_count else 0
        unit, basis = _standard_fen(rt)
        unit = average if average is not None else unit or 0
        how = f"平均每次 {yuan(average)} 元" if average is not None else basis or "无标准金额"
        return [PlanItem(rt.code, rt.name, f"近 {len(years)} 年紧急救助", per_year, 1, unit, per_year * unit,
                         f"近 {len(years)} 年（{history_text}）平均每年 {per_year} 次 × {how} = "
                         f"{yuan(per_year * unit)} 元")]
    if rule.rule == "medical_copay":
        ill = sum(_ill(h.health) for h in eligible) + sum(_ill(m.health) for h in eligible for m in h.members)
        unit = average if average is not None else (rule.max_fen or 0)
        how = (f"近 {len(years)} 年平均每次 {yuan(unit)} 元" if average is not None
               else f"每人每年上限 {yuan(unit)} 元（无往年记录）")
        return [PlanItem(rt.code, rt.name, f"{who}中患病（慢性病、大病）人员", ill, 1, unit, ill * unit,
                         f"患病 {ill} 人 × {how} = {yuan(ill * unit)} 元")]
    times = 1
    if rt.kind == "quarterly":
        limits = [c.max_count for c in rt.count_limits if c.period == "year"]
        times = min(limits + [4])
    unit, basis = _standard_fen(rt)
    if unit is None:
        if average is None:
            notes.append(f"{rt.name}没有标准金额，也没有近 {len(years)} 年的发放记录，未计入测算")
            return []
        unit, basis = average, f"近 {len(years)} 年平均每次 {yuan(average)} 元"
    amount = n * times * unit
    per = f" × 每年 {times} 次" if times > 1 else ""
    return [PlanItem(rt.code, rt.name, who, n, times, unit, amount,
                     f"{who} {n} 户{per} × {basis} = {yuan(amount)} 元")]
