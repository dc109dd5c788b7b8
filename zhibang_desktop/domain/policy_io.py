"""JSON round trip for :class:`~.policy.Policy` and the bundled presets.

In JSON, amounts are written in yuan (numbers with at most two decimals) for
the admin who edits them; in memory they are integer fen.  An amount rule is
written flat on its relief type or sub-case (``amount_rule``, ``min_yuan``,
``max_yuan``, ``fixed_yuan``, ``tiers``, ``per_student_yuan``,
``per_person_month_yuan``).  ``policy_from_dict`` validates the whole document
and raises one :class:`PolicyError` listing every problem with its field path,
e.g. ``relief_types[1].subcases[0].max_yuan：应为数字``.  Unknown keys are
errors too, so a typo does not silently drop a rule.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from . import policy as P
from .money import yuan_number
from .policy_parse import FORMAT, policy_from_dict

__all__ = ["FORMAT", "load_preset", "policy_from_dict", "policy_from_json", "policy_to_dict",
           "policy_to_json", "preset_names"]


# ---------------------------------------------------------------- writing
def _yuan(fen: int | None) -> int | float | None:
    return None if fen is None else yuan_number(fen)


def _amount_to(rule: P.AmountRule) -> dict[str, Any]:
    d: dict[str, Any] = {"amount_rule": rule.rule}
    if rule.rule == "range":
        d["min_yuan"], d["max_yuan"] = _yuan(rule.min_fen), _yuan(rule.max_fen)
    elif rule.rule == "fixed":
        d["fixed_yuan"] = _yuan(rule.fixed_fen)
    elif rule.rule == "medical_copay":
        d["tiers"] = [{"up_to_yuan": _yuan(t.up_to_fen),
                       "rate_percent": t.rate_bp // 100 if t.rate_bp % 100 == 0 else t.rate_bp / 100}
                      for t in rule.tiers]
        d["max_yuan"] = _yuan(rule.max_fen)
    elif rule.rule == "per_student":
        d["per_student_yuan"] = {s: _yuan(f) for s, f in rule.per_student_fen}
    elif rule.rule == "per_person_month":
        d["per_person_month_yuan"] = _yuan(rule.per_person_month_fen)
    return d


def _cap_to(c: P.Cap, policy_level: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"scope": c.scope, "period": c.period, "max_yuan": _yuan(c.max_fen),
                         "dibao_months": c.dibao_months, "applies_to": c.applies_to}
    if policy_level:
        d["relief_types"] = list(c.relief_types)
    d["note"] = c.note
    return d


def _chain_to(chain: tuple[P.ReviewLevel, ...]) -> list[dict[str, Any]]:
    return [{"level": r.level, "name": r.name, "days_allowed": r.days_allowed} for r in chain]


def _labels_to(items: tuple[P.Labelled, ...]) -> list[dict[str, str]]:
    return [{"code": i.code, "label": i.label} for i in items]


def policy_to_dict(policy: P.Policy) -> dict[str, Any]:
    """A JSON-ready dict (amounts in yuan) that ``policy_from_dict`` reads back."""
    types = []
    for rt in policy.relief_types:
        d: dict[str, Any] = {"code": rt.code, "name": rt.name, "kind": rt.kind}
        d.update(_amount_to(rt.amount))
        d["subcases"] = []
        for sc in rt.subcases:
            sd: dict[str, Any] = {"code": sc.code, "name": sc.name}
            if sc.amount is not None:
                sd.update(_amount_to(sc.amount))
            sd["note"] = sc.note
            d["subcases"].append(sd)
        d.update({
            "caps": [_cap_to(c, False) for c in rt.caps],
            "count_limits": [{"scope": c.scope, "period": c.period, "max_count": c.max_count}
                             for c in rt.count_limits],
            "min_quarter_gap": rt.min_quarter_gap,
            "members_only": rt.members_only,
            "categories": list(rt.categories),
            "requires_archive": rt.requires_archive,
            "exclusion_check": rt.exclusion_check,
            "goods_allowed": rt.goods_allowed,
            "conditions": [{"code": c.code, "label": c.label, "check": c.check} for c in rt.conditions],
            "min_conditions": rt.min_conditions,
            "attachments": list(rt.attachments),
            "fund_sources": list(rt.fund_sources),
            "review_chain": None if rt.review_chain is None else _chain_to(rt.review_chain),
            "note": rt.note,
        })
        types.append(d)
    return {
        "format": FORMAT, "office": policy.office, "year": policy.year, "name": policy.name,
        "version": policy.version, "source": policy.source, "note": policy.note,
        "self_approval_allowed": policy.self_approval_allowed,
        "several_levels_per_reviewer_allowed": policy.several_levels_per_reviewer_allowed,
        "visit_interval_months": dict(policy.visit_interval_months),
        "review_chain": _chain_to(policy.review_chain),
        "categories": _labels_to(policy.categories),
        "fund_sources": _labels_to(policy.fund_sources),
        "exclusion_checklist": _labels_to(policy.exclusion_checklist),
        "household_year_caps": [_cap_to(c, True) for c in policy.household_year_caps],
        "relief_types": types,
    }


def policy_to_json(policy: P.Policy) -> str:
    return json.dumps(policy_to_dict(policy), ensure_ascii=False, indent=2) + "\n"


def policy_from_json(text: str | bytes) -> P.Policy:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise P.PolicyError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）") from None
    return policy_from_dict(data)


# ---------------------------------------------------------------- presets
def _preset_dir():
    return resources.files("zhibang_desktop").joinpath("data", "policies")


def preset_names() -> tuple[str, ...]:
    """File stems of the bundled presets, e.g. ('haikou', 'kunming', 'shanghai', 'zengcheng')."""
    return tuple(sorted(p.name[:-5] for p in _preset_dir().iterdir() if p.name.endswith(".json")))


def _read_preset(stem: str) -> P.Policy:
    text = _preset_dir().joinpath(f"{stem}.json").read_text(encoding="utf-8")
    try:
        return policy_from_json(text)
    except P.PolicyError as exc:
        raise P.PolicyError([(f"{stem}.json/{p}" if p else f"{stem}.json", m) for p, m in exc.errors]) from None


def load_preset(name: str) -> P.Policy:
    """Load a bundled preset by file stem ('zengcheng') or by part of the office
    name ('增城', '海口市总工会')."""
    key = (name or "").strip()
    if key.lower().endswith(".json"):
        key = key[:-5]
    names = preset_names()
    if key.lower() in names:
        return _read_preset(key.lower())
    if key:
        hits = [p for p in (_read_preset(n) for n in names) if key in p.office or key in p.name]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise P.PolicyError(f"“{name}”匹配多个预置政策：{'、'.join(h.office for h in hits)}")
    raise P.PolicyError(f"没有名为“{name}”的预置政策，可选：{'、'.join(names)}")
