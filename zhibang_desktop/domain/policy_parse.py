"""Reading a policy from JSON data: validation with field paths.

``policy_from_dict`` validates the whole document and raises one
:class:`~.policy.PolicyError` listing every problem with its field path, e.g.
``relief_types[1].subcases[0].max_yuan：应为数字``.  Unknown keys are errors
too, so a typo does not silently drop a rule.  Amounts are yuan in JSON (at
most two decimals) and fen in memory.
"""
from __future__ import annotations

from typing import Any

from . import policy as P
from .money import AmountError, fen_from_yuan_number

FORMAT = 1
_AMOUNT_KEYS = {
    "range": ("min_yuan", "max_yuan"),
    "fixed": ("fixed_yuan",),
    "medical_copay": ("tiers", "max_yuan"),
    "per_student": ("per_student_yuan",),
    "per_person_month": ("per_person_month_yuan",),
    "open": (),
}
_ALL_AMOUNT_KEYS = {"amount_rule", "min_yuan", "max_yuan", "fixed_yuan", "tiers",
                    "per_student_yuan", "per_person_month_yuan"}


# ---------------------------------------------------------------- reading
class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def err(self, path: str, msg: str) -> None:
        self.errors.append((path, msg))

    def obj(self, value: Any, path: str, keys: set[str], required: tuple[str, ...] = ()) -> dict | None:
        if not isinstance(value, dict):
            self.err(path, "应为对象")
            return None
        for k in value:
            if k not in keys:
                self.err(f"{path}.{k}" if path else str(k), "未知字段")
        for k in required:
            if k not in value:
                self.err(f"{path}.{k}" if path else k, "缺少必填字段")
        return value

    def text(self, d: dict, key: str, path: str, required: bool = False) -> str:
        v = d.get(key)
        if v is None:
            if required and key in d:
                self.err(path, "不能为空")
            return ""
        if not isinstance(v, str):
            self.err(path, "应为文字")
            return ""
        if required and not v.strip():
            self.err(path, "不能为空")
        return v.strip() if required else v

    def code(self, d: dict, key: str, path: str) -> str:
        v = self.text(d, key, path, True)
        if v and not (v.replace("_", "").isalnum() and v.isascii() and v[0].isalpha()):
            self.err(path, "代码只能用英文字母、数字和下划线，并以字母开头")
        return v

    def integer(self, d: dict, key: str, path: str, default: int | None = None,
                minimum: int | None = None) -> int | None:
        v = d.get(key, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.err(path, "应为整数")
            return default
        if minimum is not None and v < minimum:
            self.err(path, f"不能小于 {minimum}")
        return v

    def boolean(self, d: dict, key: str, path: str, default: bool) -> bool:
        v = d.get(key, default)
        if not isinstance(v, bool):
            self.err(path, "应为 true 或 false")
            return default
        return v

    def choice(self, d: dict, key: str, path: str, choices: tuple[str, ...], default: str | None = None) -> str:
        v = d.get(key, default)
        if v not in choices:
            self.err(path, f"应为 {'、'.join(choices)} 之一")
            return default or choices[0]
        return v

    def fen(self, d: dict, key: str, path: str, positive: bool = False) -> int | None:
        v = d.get(key)
        if v is None:
            return None
        try:
            fen = fen_from_yuan_number(v)
        except AmountError as exc:
            self.err(path, str(exc))
            return None
        if fen < 0 or (positive and fen == 0):
            self.err(path, "应大于零" if positive else "不能为负数")
            return None
        return fen

    def items(self, d: dict, key: str, path: str) -> list:
        v = d.get(key, [])
        if v is None:
            return []
        if not isinstance(v, list):
            self.err(path, "应为列表")
            return []
        return v

    def strings(self, d: dict, key: str, path: str, allowed: set[str] | None = None) -> tuple[str, ...]:
        out = []
        for i, s in enumerate(self.items(d, key, path)):
            if not isinstance(s, str) or not s.strip():
                self.err(f"{path}[{i}]", "应为非空文字")
            elif allowed is not None and s not in allowed:
                self.err(f"{path}[{i}]", f"未定义的代码“{s}”")
            elif s in out:
                self.err(f"{path}[{i}]", f"重复的“{s}”")
            else:
                out.append(s.strip())
        return tuple(out)

    def percent_bp(self, d: dict, key: str, path: str) -> int:
        fen = self.fen(d, key, path)  # same two-decimal number rule
        if fen is None:
            if key not in d:
                self.err(path, "缺少必填字段")
            return 0
        if fen > 10000:
            self.err(path, "不能超过 100")
        return fen


def _amount_from(r: _Reader, d: dict, path: str, optional: bool) -> P.AmountRule | None:
    present = [k for k in d if k in _ALL_AMOUNT_KEYS]
    if optional and not present:
        return None
    rule = r.choice(d, "amount_rule", f"{path}.amount_rule", P.AMOUNT_RULES, "open")
    for k in present:
        if k != "amount_rule" and k not in _AMOUNT_KEYS[rule]:
            r.err(f"{path}.{k}", f"不适用于金额规则“{rule}”")
    mn = r.fen(d, "min_yuan", f"{path}.min_yuan") if rule == "range" else None
    mx = r.fen(d, "max_yuan", f"{path}.max_yuan", positive=True) if rule in ("range", "medical_copay") else None
    kw: dict[str, Any] = {"rule": rule, "min_fen": mn, "max_fen": mx}
    if rule == "range":
        if mn is None and mx is None and "min_yuan" not in d and "max_yuan" not in d:
            r.err(f"{path}.max_yuan", "区间规则至少要有 min_yuan 或 max_yuan")
        if mn is not None and mx is not None and mn > mx:
            r.err(f"{path}.min_yuan", "不能大于 max_yuan")
    elif rule == "fixed":
        kw["fixed_fen"] = r.fen(d, "fixed_yuan", f"{path}.fixed_yuan", positive=True)
        if "fixed_yuan" not in d:
            r.err(f"{path}.fixed_yuan", "缺少必填字段")
    elif rule == "medical_copay":
        tiers, prev = [], 0
        raw = r.items(d, "tiers", f"{path}.tiers")
        if not raw:
            r.err(f"{path}.tiers", "至少需要一档")
        for i, t in enumerate(raw):
            tp = f"{path}.tiers[{i}]"
            if r.obj(t, tp, {"up_to_yuan", "rate_percent"}, ("rate_percent",)) is None:
                continue
            up = r.fen(t, "up_to_yuan", f"{tp}.up_to_yuan", positive=True)
            if up is None and i != len(raw) - 1:
                r.err(f"{tp}.up_to_yuan", "只有最后一档可以不设上限")
            if up is not None and up <= prev:
                r.err(f"{tp}.up_to_yuan", "各档上限应递增")
            prev = up or prev
            tiers.append(P.CopayTier(up, r.percent_bp(t, "rate_percent", f"{tp}.rate_percent")))
        kw["tiers"] = tuple(tiers)
    elif rule == "per_student":
        raw = d.get("per_student_yuan")
        pairs = []
        if not isinstance(raw, dict) or not raw:
            r.err(f"{path}.per_student_yuan", "应为“学段: 金额”对象，且不能为空")
        else:
            for stage in raw:
                if stage not in P.SCHOOLING_STAGES:
                    r.err(f"{path}.per_student_yuan.{stage}", f"未知学段，应为 {'、'.join(P.SCHOOLING_STAGES)} 之一")
                    continue
                f = r.fen(raw, stage, f"{path}.per_student_yuan.{stage}", positive=True)
                if f is not None:
                    pairs.append((stage, f))
        kw["per_student_fen"] = tuple(pairs)
    elif rule == "per_person_month":
        kw["per_person_month_fen"] = r.fen(d, "per_person_month_yuan", f"{path}.per_person_month_yuan", True)
        if "per_person_month_yuan" not in d:
            r.err(f"{path}.per_person_month_yuan", "缺少必填字段")
    return P.AmountRule(**kw)


def _cap_from(r: _Reader, c: Any, path: str, policy_level: bool) -> P.Cap | None:
    keys = {"scope", "period", "max_yuan", "dibao_months", "applies_to", "note"}
    if policy_level:
        keys.add("relief_types")
    if r.obj(c, path, keys, ("scope", "period")) is None:
        return None
    cap = P.Cap(
        scope=r.choice(c, "scope", f"{path}.scope", P.CAP_SCOPES),
        period=r.choice(c, "period", f"{path}.period", P.CAP_PERIODS),
        max_fen=r.fen(c, "max_yuan", f"{path}.max_yuan", positive=True),
        dibao_months=r.integer(c, "dibao_months", f"{path}.dibao_months", None, 1),
        applies_to=r.choice(c, "applies_to", f"{path}.applies_to", P.CAP_APPLIES, "cash"),
        relief_types=r.strings(c, "relief_types", f"{path}.relief_types") if policy_level else (),
        note=r.text(c, "note", f"{path}.note"),
    )
    if c.get("max_yuan") is None and c.get("dibao_months") is None:
        r.err(path, "上限至少要有 max_yuan 或 dibao_months")
    return cap


def _chain_from(r: _Reader, raw: Any, path: str) -> tuple[P.ReviewLevel, ...]:
    if not isinstance(raw, list) or not raw:
        r.err(path, "应为非空列表")
        return ()
    out, seen = [], set()
    for i, lv in enumerate(raw):
        lp = f"{path}[{i}]"
        if r.obj(lv, lp, {"level", "name", "days_allowed"}, ("level",)) is None:
            continue
        level = r.choice(lv, "level", f"{lp}.level", P.LEVELS)
        if level in seen:
            r.err(f"{lp}.level", "同一级别不能重复")
        seen.add(level)
        out.append(P.ReviewLevel(level, r.text(lv, "name", f"{lp}.name"),
                                 r.integer(lv, "days_allowed", f"{lp}.days_allowed", 5, 1) or 5))
    return tuple(out)


def _labels_from(r: _Reader, d: dict, key: str, path: str) -> tuple[P.Labelled, ...]:
    out, seen = [], set()
    for i, it in enumerate(r.items(d, key, f"{path}{key}")):
        ip = f"{path}{key}[{i}]"
        if r.obj(it, ip, {"code", "label"}, ("code", "label")) is None:
            continue
        code = r.code(it, "code", f"{ip}.code")
        if code in seen:
            r.err(f"{ip}.code", f"重复的代码“{code}”")
        seen.add(code)
        out.append(P.Labelled(code, r.text(it, "label", f"{ip}.label", True)))
    return tuple(out)


_TYPE_KEYS = {"code", "name", "kind", "subcases", "caps", "count_limits", "min_quarter_gap",
              "members_only", "categories", "requires_archive", "exclusion_check", "goods_allowed",
              "conditions", "min_conditions", "attachments", "fund_sources", "review_chain",
              "note"} | _ALL_AMOUNT_KEYS


def _type_from(r: _Reader, t: Any, path: str, cats: set[str], funds: set[str]) -> P.ReliefType | None:
    if r.obj(t, path, _TYPE_KEYS, ("code", "name", "kind")) is None:
        return None
    subcases, seen = [], set()
    for i, s in enumerate(r.items(t, "subcases", f"{path}.subcases")):
        sp = f"{path}.subcases[{i}]"
        if r.obj(s, sp, {"code", "name", "note"} | _ALL_AMOUNT_KEYS, ("code", "name")) is None:
            continue
        code = r.code(s, "code", f"{sp}.code")
        if code in seen:
            r.err(f"{sp}.code", f"重复的子类代码“{code}”")
        seen.add(code)
        subcases.append(P.SubCase(code, r.text(s, "name", f"{sp}.name", True),
                                  _amount_from(r, s, sp, optional=True), r.text(s, "note", f"{sp}.note")))
    caps = [_cap_from(r, c, f"{path}.caps[{i}]", False) for i, c in enumerate(r.items(t, "caps", f"{path}.caps"))]
    limits = []
    for i, c in enumerate(r.items(t, "count_limits", f"{path}.count_limits")):
        cp = f"{path}.count_limits[{i}]"
        if r.obj(c, cp, {"scope", "period", "max_count"}, ("scope", "max_count")) is not None:
            limits.append(P.CountLimit(r.choice(c, "scope", f"{cp}.scope", P.COUNT_SCOPES),
                                       r.integer(c, "max_count", f"{cp}.max_count", 1, 1) or 1,
                                       r.choice(c, "period", f"{cp}.period", ("year",), "year")))
    conditions, cseen = [], set()
    for i, c in enumerate(r.items(t, "conditions", f"{path}.conditions")):
        cp = f"{path}.conditions[{i}]"
        if r.obj(c, cp, {"code", "label", "check"}, ("code", "label")) is None:
            continue
        code = r.code(c, "code", f"{cp}.code")
        if code in cseen:
            r.err(f"{cp}.code", f"重复的条件代码“{code}”")
        cseen.add(code)
        check = c.get("check")
        if check is not None and check not in P.CONDITION_CHECKS:
            r.err(f"{cp}.check", f"应为 {'、'.join(P.CONDITION_CHECKS)} 之一或 null")
            check = None
        conditions.append(P.Condition(code, r.text(c, "label", f"{cp}.label", True), check))
    chain = t.get("review_chain")
    rt = P.ReliefType(
        code=r.code(t, "code", f"{path}.code"),
        name=r.text(t, "name", f"{path}.name", True),
        kind=r.choice(t, "kind", f"{path}.kind", P.KINDS),
        amount=_amount_from(r, t, path, optional=False) or P.AmountRule(),
        subcases=tuple(subcases),
        caps=tuple(c for c in caps if c is not None),
        count_limits=tuple(limits),
        min_quarter_gap=r.integer(t, "min_quarter_gap", f"{path}.min_quarter_gap", None, 1),
        members_only=r.boolean(t, "members_only", f"{path}.members_only", False),
        categories=r.strings(t, "categories", f"{path}.categories", cats),
        requires_archive=r.boolean(t, "requires_archive", f"{path}.requires_archive", True),
        exclusion_check=r.boolean(t, "exclusion_check", f"{path}.exclusion_check", False),
        goods_allowed=r.boolean(t, "goods_allowed", f"{path}.goods_allowed", False),
        conditions=tuple(conditions),
        min_conditions=r.integer(t, "min_conditions", f"{path}.min_conditions", 1, 0) or 0,
        attachments=r.strings(t, "attachments", f"{path}.attachments"),
        fund_sources=r.strings(t, "fund_sources", f"{path}.fund_sources", funds),
        review_chain=None if chain is None else _chain_from(r, chain, f"{path}.review_chain"),
        note=r.text(t, "note", f"{path}.note"),
    )
    if rt.min_conditions > len(rt.conditions) and rt.conditions:
        r.err(f"{path}.min_conditions", "不能多于条件个数")
    return rt


_POLICY_KEYS = {"format", "office", "year", "name", "version", "source", "note",
                "self_approval_allowed", "several_levels_per_reviewer_allowed", "visit_interval_months",
                "review_chain", "categories", "fund_sources",
                "exclusion_checklist", "household_year_caps", "relief_types"}


def _visit_intervals_from(r: _Reader, data: dict, categories: set[str]) -> tuple[tuple[str, int], ...]:
    """``{"deep": 12, "relative": 6}``: months between visits per category; absent in a
    policy stored before this was policy data, which then gets seed 002's intervals."""
    if "visit_interval_months" not in data:
        return P.DEFAULT_VISIT_INTERVALS
    raw = data["visit_interval_months"]
    if not isinstance(raw, dict):
        r.err("visit_interval_months", "应为对象，如 {\"deep\": 12, \"relative\": 6}")
        return P.DEFAULT_VISIT_INTERVALS
    out = []
    for code, months in raw.items():
        path = f"visit_interval_months.{code}"
        if code not in categories:
            r.err(path, f"未定义的困难类别“{code}”")
        elif isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 60:
            r.err(path, "应为 1 到 60 之间的整数（月）")
        else:
            out.append((code, months))
    return tuple(out)


def policy_from_dict(data: Any) -> P.Policy:
    """Validate and build a :class:`Policy`; raise :class:`PolicyError` listing all problems."""
    r = _Reader()
    if r.obj(data, "", _POLICY_KEYS, ("office", "year", "name", "relief_types", "review_chain")) is None:
        raise P.PolicyError(r.errors)
    if data.get("format", FORMAT) != FORMAT:
        r.err("format", f"不支持的格式版本，应为 {FORMAT}")
    cats = _labels_from(r, data, "categories", "") if "categories" in data else \
        tuple(P.Labelled(c, n) for c, n in P.DEFAULT_CATEGORIES.items())
    funds = _labels_from(r, data, "fund_sources", "")
    fund_codes = {f.code for f in funds} or set(P.KNOWN_FUND_SOURCES)
    types, seen = [], set()
    raw_types = r.items(data, "relief_types", "relief_types")
    if not raw_types:
        r.err("relief_types", "至少需要一种救助类型")
    for i, t in enumerate(raw_types):
        rt = _type_from(r, t, f"relief_types[{i}]", {c.code for c in cats}, fund_codes)
        if rt is None:
            continue
        if rt.code in seen:
            r.err(f"relief_types[{i}].code", f"重复的救助类型代码“{rt.code}”")
        seen.add(rt.code)
        types.append(rt)
    caps = []
    for i, c in enumerate(r.items(data, "household_year_caps", "household_year_caps")):
        cap = _cap_from(r, c, f"household_year_caps[{i}]", True)
        if cap is None:
            continue
        for j, code in enumerate(cap.relief_types):
            if code not in seen:
                r.err(f"household_year_caps[{i}].relief_types[{j}]", f"未定义的救助类型“{code}”")
        caps.append(cap)
    year = r.integer(data, "year", "year", 0, 2000) or 0
    if year > 2100:
        r.err("year", "年度不合理")
    policy = P.Policy(
        office=r.text(data, "office", "office", True),
        year=year,
        name=r.text(data, "name", "name", True),
        version=r.integer(data, "version", "version", 1, 1) or 1,
        relief_types=tuple(types),
        review_chain=_chain_from(r, data.get("review_chain"), "review_chain"),
        self_approval_allowed=r.boolean(data, "self_approval_allowed", "self_approval_allowed", False),
        several_levels_per_reviewer_allowed=r.boolean(data, "several_levels_per_reviewer_allowed",
                                                      "several_levels_per_reviewer_allowed", False),
        visit_interval_months=_visit_intervals_from(r, data, {c.code for c in cats}),
        household_year_caps=tuple(caps),
        exclusion_checklist=_labels_from(r, data, "exclusion_checklist", ""),
        categories=cats,
        fund_sources=funds,
        source=r.text(data, "source", "source"),
        note=r.text(data, "note", "note"),
    )
    if r.errors:
        raise P.PolicyError(r.errors)
    return policy
