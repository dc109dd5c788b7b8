"""The rule engine: evaluate a relief request against a policy and the history.

``evaluate(policy, draft, household, history, standards)`` returns an
:class:`Evaluation` with a suggested amount, the largest amount no hard cap
forbids, the remaining yearly allowance and a list of findings.  A finding is

* ``error`` — the request cannot be submitted, or
* ``warning`` — it may be submitted with a written justification, which the
  service stores and prints on the approval form (审批表).

Choices (DESIGN.md §2; seeds cited where a rule comes from one):

* An amount outside the *standard* (range, fixed amount, sub-case range,
  formula result) is a WARNING, not an error: policies leave room for judgement
  ("视申请人家庭经济状况…而定", 001), but every such payment is what auditors
  list as non-compliant — 001 found a 1,000-yuan emergency payment for a knee
  operation against the 2,000–5,000 standard — so it must be justified in
  writing and it lowers the "standard compliance rate" (§3).
* An amount over a HARD CAP (per time, per person per year, per household per
  year, N months of the local 低保 standard, goods per time) is an ERROR; so is
  an amount ≤ 0.  To pay more, the admin must change the policy.
* 先建档后帮扶: no archive (``household is None`` or ``archived=False``) is an
  error for types with ``requires_archive``; types without it (Kunming's
  enterprise subsidy) accept non-archived workers.  Archive ``draft`` or
  ``exited`` is an error, ``phasing_out`` (渐退期, 002) a warning.
* Membership, category and a failed exclusion checklist are errors; an
  exclusion failure overridden by a reviewer is a warning (justification).
* Eligibility conditions: fewer ticked than ``min_conditions`` is an error; a
  ticked condition the archive contradicts (劳模 without the model-worker flag,
  低保/低收入/特困 without that assistance status) is a warning.
* Count limits, "not in consecutive quarters" (隔一季度, 001: Q1→Q2 and
  Q4→next Q1 are consecutive, Q1→Q3 is not) and a second request for the same
  type and period are errors; see :mod:`.rules_limits`.
* ``fund_source`` outside the type's allowed sources (002: provincial funds only
  for living, education, medical) and missing required attachments are errors,
  checked only when the draft provides them.
* The suggested amount is the standard (the fixed amount, the formula result,
  or the requested amount clamped into the range), lowered to the hard-cap room.

Pure Python: no Qt, no SQLAlchemy, nothing from storage/services/ui.
"""
from __future__ import annotations

from collections.abc import Sequence

from .policy import Policy, ReliefType
from .rules_amounts import Standard, amount_findings, copay_amount, describe_rule, standard_for
from .rules_limits import check_caps, check_counts, check_spacing_and_duplicates, prior
from .rules_types import (
    ASSISTANCE_STATUSES,
    ERROR,
    HOUSEHOLD_STATUSES,
    WARNING,
    Evaluation,
    Finding,
    HouseholdFacts,
    MemberFacts,
    PastAid,
    RequestDraft,
    Standards,
)

__all__ = [
    "ASSISTANCE_STATUSES", "ERROR", "HOUSEHOLD_STATUSES", "WARNING", "Evaluation", "Finding",
    "HouseholdFacts", "MemberFacts", "PastAid", "RequestDraft", "Standards", "copay_amount",
    "describe_rule", "evaluate",
]


def _check_request_shape(policy: Policy, rt: ReliefType, draft: RequestDraft) -> list[Finding]:
    out = []
    if draft.year != policy.year:
        out.append(Finding("policy_year_mismatch", ERROR,
                           f"申请年度 {draft.year} 与政策年度 {policy.year} 不符，请选用 {draft.year} 年的政策",
                           "year"))
    if rt.kind == "quarterly" and draft.quarter not in (1, 2, 3, 4):
        out.append(Finding("quarter_required", ERROR, f"{rt.name}须选择申请季度（1–4）", f"{rt.code}.kind"))
    if rt.subcases:
        if not draft.subcase:
            out.append(Finding("subcase_required", ERROR,
                               f"{rt.name}须选择具体情形：{'；'.join(s.name for s in rt.subcases)}",
                               f"{rt.code}.subcases"))
        elif rt.subcase(draft.subcase) is None:
            out.append(Finding("subcase_unknown", ERROR, f"{rt.name}没有“{draft.subcase}”这一情形",
                               f"{rt.code}.subcases"))
    elif draft.subcase:
        out.append(Finding("subcase_unknown", ERROR, f"{rt.name}不分具体情形，请不要选择情形",
                           f"{rt.code}.subcases"))
    if draft.goods and not rt.goods_allowed:
        out.append(Finding("goods_not_allowed", ERROR, f"{rt.name}不能以实物发放", f"{rt.code}.goods_allowed"))
    if draft.fund_source is not None:
        known = {f.code for f in policy.fund_sources}
        if known and draft.fund_source not in known:
            out.append(Finding("fund_source_unknown", ERROR,
                               f"资金来源“{draft.fund_source}”不在本政策的资金来源中", "fund_sources"))
        elif rt.fund_sources and draft.fund_source not in rt.fund_sources:
            allowed = "、".join(policy.fund_source_name(c) for c in rt.fund_sources)
            out.append(Finding("fund_source_not_allowed", ERROR,
                               f"{policy.fund_source_name(draft.fund_source)}资金不能用于{rt.name}"
                               f"（可用：{allowed}）", f"{rt.code}.fund_sources"))
    if draft.attachments is not None:
        missing = [a for a in rt.attachments if a not in draft.attachments]
        if missing:
            out.append(Finding("attachment_missing", ERROR, f"缺少附件：{'、'.join(missing)}",
                               f"{rt.code}.attachments"))
    return out


def _check_household(policy: Policy, rt: ReliefType, household: HouseholdFacts | None) -> list[Finding]:
    out = []
    archived = household is not None and household.archived
    if not archived:
        if rt.requires_archive:
            out.append(Finding("no_archive", ERROR,
                               f"该职工尚未建立困难职工档案，{rt.name}须先建档、后帮扶",
                               f"{rt.code}.requires_archive"))
    elif household.status in ("draft", "exited") and rt.requires_archive:
        what = "档案尚未完成建档审核（草稿）" if household.status == "draft" else "该户已退档"
        out.append(Finding(f"archive_{household.status}", ERROR, f"{what}，不能申请{rt.name}",
                           f"{rt.code}.requires_archive"))
    elif household.status == "phasing_out":
        out.append(Finding("archive_phasing_out", WARNING,
                           "该户处于退档渐退期，请说明仍需帮扶的理由", f"{rt.code}.requires_archive"))
    if rt.members_only:
        if household is None:
            out.append(Finding("membership_unverified", WARNING,
                               f"{rt.name}仅限工会会员，无档案信息可核实会员身份，请说明", f"{rt.code}.members_only"))
        elif not household.union_member:
            out.append(Finding("not_member", ERROR, f"{rt.name}仅限工会会员，该职工不是工会会员",
                               f"{rt.code}.members_only"))
    if rt.categories:
        cat = household.category if household else None
        if cat not in rt.categories:
            allowed = "、".join(policy.category_name(c) for c in rt.categories)
            out.append(Finding("category_not_allowed", ERROR,
                               f"{rt.name}仅限{allowed}家庭，该户为{policy.category_name(cat)}",
                               f"{rt.code}.categories"))
    if rt.exclusion_check:
        labels = "；".join(i.label for i in policy.exclusion_checklist)
        if household is None or not household.exclusion_passed:
            if household is not None and household.exclusion_override:
                out.append(Finding("exclusion_overridden", WARNING,
                                   "排除条件核查未通过，已由审核人特批，须书面说明理由", f"{rt.code}.exclusion_check"))
            else:
                out.append(Finding("exclusion_failed", ERROR,
                                   "排除条件核查未通过，不纳入帮扶范围" + (f"（{labels}）" if labels else ""),
                                   f"{rt.code}.exclusion_check"))
    return out


def _check_conditions(rt: ReliefType, draft: RequestDraft, household: HouseholdFacts | None) -> list[Finding]:
    out = []
    codes = {c.code: c for c in rt.conditions}
    ticked = []
    for code in dict.fromkeys(draft.conditions):
        if code not in codes:
            out.append(Finding("condition_unknown", ERROR, f"{rt.name}没有“{code}”这一申请条件",
                               f"{rt.code}.conditions"))
        else:
            ticked.append(codes[code])
    if rt.conditions and len(ticked) < rt.min_conditions:
        n = rt.min_conditions
        out.append(Finding("condition_missing", ERROR,
                           f"{rt.name}须至少符合 {n} 项申请条件，请勾选申请人符合的条件",
                           f"{rt.code}.conditions"))
    if household is not None:
        for c in ticked:
            if c.check == "model_worker" and not household.model_worker:
                out.append(Finding("condition_unsupported", WARNING,
                                   f"勾选了“{c.label}”，但档案中该职工不是劳模，请说明", f"{rt.code}.conditions"))
            if c.check == "assistance" and household.assistance_status not in ASSISTANCE_STATUSES:
                out.append(Finding("condition_unsupported", WARNING,
                                   f"勾选了“{c.label}”，但档案中未登记低保、低收入或特困救助，请说明",
                                   f"{rt.code}.conditions"))
    return out


def evaluate(policy: Policy, draft: RequestDraft, household: HouseholdFacts | None,
             history: Sequence[PastAid], standards: Standards) -> Evaluation:
    """Evaluate ``draft`` for ``household`` (``None`` = a worker with no archive)
    against ``policy`` and the household's approved/paid ``history``."""
    rt = policy.relief_type(draft.relief_type)
    if rt is None:
        return Evaluation(0, None, None, (Finding(
            "unknown_relief_type", ERROR,
            f"本政策（{policy.name}）没有“{draft.relief_type}”这一救助类型", "relief_types"),))
    history = prior(history, draft)
    findings = _check_request_shape(policy, rt, draft)
    findings += _check_household(policy, rt, household)
    findings += _check_conditions(rt, draft, household)

    subcase = rt.subcase(draft.subcase)
    rule_path = f"{rt.code}.subcases.{subcase.code}" if subcase and subcase.amount else f"{rt.code}.amount"
    std: Standard = standard_for(rt, rt.amount_rule(draft.subcase), rule_path, draft, findings)
    if not rt.subcases or subcase is not None:  # no standard to compare with an unknown sub-case
        findings += amount_findings(rt, subcase.name if subcase else None, std, rule_path, draft)

    caps = check_caps(policy, rt, draft, household, history, standards)
    findings += caps.findings
    findings += check_counts(rt, draft, household, history)
    findings += check_spacing_and_duplicates(rt, draft, household, history)

    suggested = std.suggested_fen
    if caps.max_allowed_fen is not None:
        suggested = min(suggested, caps.max_allowed_fen)
    return Evaluation(
        suggested_amount_fen=max(suggested, 0),
        max_allowed_fen=caps.max_allowed_fen,
        remaining_year_allowance_fen=caps.remaining_year_fen,
        findings=tuple(findings),
        standard_min_fen=std.min_fen,
        standard_max_fen=std.max_fen,
        standard_text=std.text,
    )
