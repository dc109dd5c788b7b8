"""Amount standards: what a relief type or sub-case pays, and the findings when
a requested amount departs from it.

Departing from the *standard* (below the minimum, above the maximum, not the
fixed amount, not what the formula gives) is a WARNING that needs a written
justification (seed 001: auditors flagged an emergency payment of 1,000 yuan
for a knee operation against the 2,000–5,000 standard).  Hard ceilings are
checked in :mod:`.rules_limits` and are errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from .money import yuan_text
from .policy import SCHOOLING_STAGES, AmountRule, CopayTier, ReliefType
from .rules_types import ERROR, WARNING, Finding, RequestDraft


@dataclass(frozen=True)
class Standard:
    min_fen: int | None
    max_fen: int | None
    suggested_fen: int
    text: str  # '400–600 元', '2,000 元', '12,500 元（个人自付医疗费…）', '' (open)


def copay_amount(self_paid_fen: int, tiers: tuple[CopayTier, ...]) -> int:
    """Tiered share of self-paid costs, rounded half up to the fen.

    Seed 000: 90 % of the first 10,000 yuan and 70 % of the rest, so
    15,000 → 9,000 + 3,500 = 12,500.  A part above the last bounded tier gets 0.
    """
    total_bp, lower = 0, 0
    for tier in tiers:
        upper = self_paid_fen if tier.up_to_fen is None else min(self_paid_fen, tier.up_to_fen)
        if upper > lower:
            total_bp += (upper - lower) * tier.rate_bp
        if tier.up_to_fen is None or self_paid_fen <= tier.up_to_fen:
            break
        lower = tier.up_to_fen
    return (total_bp + 5000) // 10000


def describe_rule(rule: AmountRule) -> str:
    """A short Chinese description of the rule itself (no request data)."""
    if rule.rule == "range":
        if rule.min_fen is not None and rule.max_fen is not None:
            return f"{yuan_text(rule.min_fen)}–{yuan_text(rule.max_fen)} 元"
        if rule.min_fen is not None:
            return f"不低于 {yuan_text(rule.min_fen)} 元"
        return f"不超过 {yuan_text(rule.max_fen or 0)} 元"
    if rule.rule == "fixed":
        return f"{yuan_text(rule.fixed_fen or 0)} 元"
    if rule.rule == "medical_copay":
        parts, lower = [], 0
        for t in rule.tiers:
            pct = f"{t.rate_bp / 100:g}%"
            if t.up_to_fen is None:
                parts.append(f"{yuan_text(lower)} 元以上部分 {pct}")
            else:
                parts.append(f"{yuan_text(t.up_to_fen)} 元以下部分 {pct}" if lower == 0
                             else f"{yuan_text(lower)}–{yuan_text(t.up_to_fen)} 元部分 {pct}")
                lower = t.up_to_fen
        cap = f"，最高 {yuan_text(rule.max_fen)} 元" if rule.max_fen else ""
        return "个人自付医疗费 " + "、".join(parts) + cap
    if rule.rule == "per_student":
        return "每生 " + "、".join(f"{SCHOOLING_STAGES.get(s, s)} {yuan_text(f)} 元"
                                   for s, f in rule.per_student_fen)
    if rule.rule == "per_person_month":
        return f"每人每月 {yuan_text(rule.per_person_month_fen or 0)} 元"
    return ""


def standard_for(rt: ReliefType, rule: AmountRule, rule_path: str, draft: RequestDraft,
                 findings: list[Finding]) -> Standard:
    """The standard for this request; missing inputs are reported as errors."""
    requested = draft.requested_amount_fen
    if rule.rule == "range":
        lo, hi = rule.min_fen, rule.max_fen
        s = requested if requested > 0 else (lo if lo is not None else hi or 0)
        if lo is not None:
            s = max(s, lo)
        if hi is not None:
            s = min(s, hi)
        return Standard(lo, hi, s, describe_rule(rule))
    if rule.rule == "fixed":
        f = rule.fixed_fen or 0
        return Standard(f, f, f, describe_rule(rule))
    computed: int | None = None
    if rule.rule == "medical_copay":
        paid = draft.self_paid_medical_fen
        if paid is None or paid <= 0:
            findings.append(Finding("missing_self_paid", ERROR,
                                    f"{rt.name}须填写个人自付医疗费用金额", rule_path))
        else:
            computed = copay_amount(paid, rule.tiers)
            if rule.max_fen is not None:
                computed = min(computed, rule.max_fen)
    elif rule.rule == "per_student":
        if not draft.students:
            findings.append(Finding("missing_students", ERROR,
                                    f"{rt.name}须填写在读子女及其学段", rule_path))
        else:
            computed = 0
            for stage in draft.students:
                fen = rule.stage_amount(stage)
                if fen is None:
                    findings.append(Finding(
                        "stage_not_covered", ERROR,
                        f"{rt.name}不包括“{SCHOOLING_STAGES.get(stage, stage)}”学段"
                        f"（标准：{describe_rule(rule)}）", rule_path))
                else:
                    computed += fen
    elif rule.rule == "per_person_month":
        persons = draft.persons if draft.persons is not None else 1
        if not draft.months or draft.months <= 0 or draft.months > 12:
            findings.append(Finding("missing_months", ERROR,
                                    f"{rt.name}须填写本次发放的月数（1–12）", rule_path))
        elif persons <= 0:
            findings.append(Finding("missing_persons", ERROR, f"{rt.name}的人数应大于零", rule_path))
        else:
            computed = (rule.per_person_month_fen or 0) * persons * draft.months
    else:  # open: the policy sets no standard amount
        return Standard(None, None, max(requested, 0), "")
    if computed is None:
        return Standard(None, None, 0, describe_rule(rule))
    return Standard(computed, computed, computed, f"{yuan_text(computed)} 元（{describe_rule(rule)}）")


def amount_findings(rt: ReliefType, subcase_name: str | None, std: Standard, rule_path: str,
                    draft: RequestDraft) -> list[Finding]:
    requested = draft.requested_amount_fen
    if requested <= 0:
        return [Finding("amount_not_positive", ERROR, "申请金额应大于零", rule_path)]
    what = rt.name + (f"（{subcase_name}）" if subcase_name else "")
    tail = "，须书面说明理由（将打印在审批表上）"
    if std.min_fen is not None and requested < std.min_fen:
        return [Finding("amount_below_standard", WARNING,
                        f"申请金额 {yuan_text(requested)} 元低于{what}标准 {std.text}{tail}", rule_path)]
    if std.max_fen is not None and requested > std.max_fen:
        return [Finding("amount_above_standard", WARNING,
                        f"申请金额 {yuan_text(requested)} 元高于{what}标准 {std.text}{tail}", rule_path)]
    return []
