"""Chinese names for the policy rules a finding comes from.

The rule engine names a rule by its path in the policy file ('quarterly.amount',
'emergency.subcases.illness_surgery', 'sending_warmth.caps[1]'); a clerk or an auditor
reads 季度救助·金额标准 or 紧急救助·突发重大疾病或意外伤害住院手术 instead.
"""
from __future__ import annotations

import re

from .policy import Policy

PART_LABELS = {
    "amount": "金额标准", "subcases": "具体情形", "count_limits": "次数限制", "caps": "金额上限",
    "min_quarter_gap": "申请间隔", "goods_allowed": "实物发放", "fund_sources": "资金来源",
    "attachments": "所需材料", "members_only": "仅限工会会员", "categories": "困难类别",
    "exclusion_check": "排除条件核查", "conditions": "申请条件", "min_conditions": "申请条件",
    "kind": "申请季度", "requires_archive": "须先建档", "household_year_caps": "每户年度上限",
    "year": "政策年度", "review_chain": "审核流程", "policy": "救助政策", "archive": "建档情况",
}
_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def rule_label(policy: Policy | None, path: str) -> str:
    """'emergency.subcases.illness_surgery' → '紧急救助·具体情形·突发重大疾病…'; never a code."""
    if not path:
        return ""
    names: list[str] = []
    rt = policy.relief_type(path.split(".", 1)[0]) if policy is not None else None
    parts = path.split(".")
    if rt is not None:
        names.append(rt.name)
        parts = parts[1:]
    after_subcases = False
    for part in parts:
        m = _PART.fullmatch(part)
        if after_subcases and rt is not None and rt.subcase(part) is not None:
            names.append(rt.subcase(part).name)
        elif m and m.group(1) in PART_LABELS:
            label = PART_LABELS[m.group(1)]
            names.append(label + (f"第{int(m.group(2)) + 1}条" if m.group(2) is not None else ""))
        else:
            names.append("政策规定")
        after_subcases = part == "subcases"
    if len(names) > 2 and names[-2] == "具体情形":
        del names[-2]  # 紧急救助·房屋全部冲毁, not 紧急救助·具体情形·房屋全部冲毁
    return "·".join(dict.fromkeys(names))
