"""Vocabulary of the work after payout: follow-ups (回访), complaints (信访/投诉) and the
cross-check lists other agencies hand over (数据比对).

Seeds: 000 C15 有责投诉率 and C24 受助职工满意度 (≥95 %); 001 found that nobody followed up on
the recipients (未追踪了解救助申请对象的后续需求，也未进行过满意度问卷调查) and counts 信访及投诉
次数; 002 compares households with 公安、民政、银行、住建 data; 000 with 民政 (数据比对).
"""
from __future__ import annotations

from .archive_form import DISABILITY_GRADES as ARCHIVE_FORM_GRADES

FOLLOWUP_METHODS: dict[str, str] = {"phone": "电话回访", "visit": "上门回访"}

SATISFACTION: dict[str, str] = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
#: what counts as satisfied in the rate (seed 000's questionnaire counted 满意 and 基本满意)
SATISFIED = frozenset({"satisfied", "basic"})

COMPLAINT_CHANNELS: dict[str, str] = {
    "letter": "来信", "visit": "来访", "phone": "电话", "online": "网络", "hotline": "12351热线", "other": "其他",
}
COMPLAINT_STATUSES: dict[str, str] = {"open": "办理中", "closed": "已办结"}

#: the agencies whose lists are compared with the archive (seed 002: 公安、民政、银行、住建)
CROSSCHECK_SOURCES: dict[str, str] = {
    "civil_affairs": "民政", "hrss": "人社", "disabled": "残联", "medical": "医保", "housing": "住建",
    "police": "公安",
}

FINDING_KINDS: dict[str, str] = {
    "dibao_missing": "登记为低保户，但不在民政低保名单上",
    "vehicle": "名下有机动车辆",
    "property": "名下有两套及以上房产",
    "deceased": "已死亡",
    "employed": "已就业且有收入，档案未记或记得更低",
    "disability": "残疾等级与档案不符",
}
FINDING_DECISIONS: dict[str, str] = {
    "confirmed": "属实，已据此处理档案", "dismissed": "不属实或无需处理",
}

DISABILITY_GRADES = tuple(ARCHIVE_FORM_GRADES.values())  # 一级 … 四级, as the archive form writes them


def source_code(text: str) -> str | None:
    """The agency code for 民政 / civil_affairs …; None when unknown."""
    value = (text or "").strip()
    for code, label in CROSSCHECK_SOURCES.items():
        if value in (code, label):
            return code
    return None


def sample_score(line_id: int) -> int:
    """0..9999, fixed for a payout line: it is in a p % sample when its score < p × 100.

    Deterministic (the same line is always in or out at the same percentage, on every PC) and
    spread evenly (Knuth's multiplicative hash), so anyone can recompute who was drawn."""
    return (line_id * 2654435761) % 2**32 * 10000 // 2**32


def in_sample(line_id: int, percent: int) -> bool:
    return sample_score(line_id) < percent * 100
