"""Chinese labels of the archive fields and their display texts for the audit trail.

Audit texts never carry a full ID number or bank/card number (DESIGN.md §6): both are
masked here, so every caller that diffs snapshots gets masked changes for free.
"""
from __future__ import annotations

from ...domain.cards import mask_account
from ...domain.household import (
    ASSISTANCE_STATUSES, CATEGORIES, EXCLUSIONS, SCHOOLING_STAGES, VISIT_METHODS,
)
from ...domain.archive_form import CODED_FIELDS, area_text, label_of
from ...domain.idnumber import mask_id_number
from ...domain.money import format_yuan
from .types import HouseholdInput, MemberInput, VisitInput

#: the 档案表 fields added to the archive, in the form's order
FORM_LABELS: dict[str, str] = {
    "political_status": "政治面貌",
    "marital_status": "婚姻状况",
    "housing_type": "住房类型",
    "housing_area_x100": "建筑面积（平方米）",
    "disability_category": "残疾类别",
    "disability_grade": "残疾等级",
    "employer_nature": "单位性质",
    "enterprise_status": "企业状况",
    "medical_insurance": "医保状况",
    "zero_employment": "零就业家庭",
    "archived_by": "建档人",
    "reviewed_by": "审核人",
    "grassroots_opinion": "基层工会意见",
    "grassroots_opinion_on": "基层工会意见日期",
    "upper_opinion": "上级工会意见",
    "upper_opinion_on": "上级工会意见日期",
}
FORM_FIELDS: tuple[str, ...] = tuple(FORM_LABELS)

HOUSEHOLD_LABELS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号",
    "unit_id": "所属工会",
    "category": "困难类别",
    "phone": "联系电话",
    "address": "家庭住址",
    "hukou_type": "户口类型",
    "hukou_region": "户口所在地",
    "employer": "工作单位",
    "ethnicity": "民族",
    "health": "健康状况",
    "union_member": "工会会员",
    "member_no": "会员证号",
    "model_worker": "劳模",
    "single_parent": "单亲家庭",
    "causes": "致困原因",
    "household_size": "家庭人口",
    "head_income_fen": "本人月收入",
    "other_income_fen": "家庭其他月收入",
    "assistance_status": "低保情况",
    "bank_name": "开户银行",
    "bank_account": "银行账号/社保卡号",
    "account_kind": "账户类型",
    "exclusions": "排除条件核查",
    "exclusion_override": "排除条件书面说明",
    "remarks": "备注",
    **FORM_LABELS,
    "members": "家庭成员",
}

MEMBER_LABELS: dict[str, str] = {
    "name": "姓名",
    "relation": "与户主关系",
    "id_number": "身份证号",
    "health": "健康状况",
    "disability": "残疾情况",
    "schooling": "就学阶段",
    "job_or_school": "工作单位或学校",
    "monthly_income_fen": "月收入",
}

VISIT_LABELS: dict[str, str] = {
    "visit_date": "走访日期",
    "method": "核查方式",
    "visitor": "走访人",
    "findings": "核查情况",
    "outcome": "处理意见",
}

ACCOUNT_KINDS: dict[str, str] = {"bank": "银行卡", "social_security": "社保卡"}

STATUS_FIELD_LABELS: dict[str, str] = {
    "status": "状态",
    "archived_on": "建档日期",
    "exit_decided_on": "退档决定日期",
    "phase_out_until": "渐退期截止",
    "exited_on": "退档日期",
    "exit_reason": "退档原因",
    "next_visit_due": "下次走访日期",
    "last_visit_on": "最近走访日期",
}

_MONEY_FIELDS = {"head_income_fen", "other_income_fen", "monthly_income_fen"}


def yuan_text(fen: int | None) -> str:
    return "" if fen is None else f"{format_yuan(int(fen))}元"


def exclusions_text(exclusions: dict[str, bool] | None) -> str:
    exclusions = exclusions or {}
    answered = [code for code in EXCLUSIONS if code in exclusions]
    if not answered:
        return "未核查"
    applies = [EXCLUSIONS[c] for c in EXCLUSIONS if exclusions.get(c)]
    text = ("存在：" + "、".join(applies)) if applies else "均不存在"
    if len(answered) < len(EXCLUSIONS):
        text += f"（已核查 {len(answered)}/{len(EXCLUSIONS)} 项）"
    return text


def show(field: str, value, unit_names: dict[int, str] | None = None) -> str:
    """The display text of one field value, masked where needed."""
    if value is None or value == "":
        return ""
    if field == "id_number":
        return mask_id_number(str(value))
    if field == "bank_account":
        return mask_account(str(value))
    if field in _MONEY_FIELDS:
        return yuan_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "category":
        return CATEGORIES.get(value, str(value))
    if field == "assistance_status":
        return ASSISTANCE_STATUSES.get(value, str(value))
    if field == "schooling":
        return SCHOOLING_STAGES.get(value, str(value))
    if field == "method":
        return VISIT_METHODS.get(value, str(value))
    if field == "account_kind":
        return ACCOUNT_KINDS.get(value, str(value))
    if field in CODED_FIELDS:
        return label_of(field, value)
    if field == "housing_area_x100":
        return f"{area_text(value)} 平方米"
    if field == "unit_id":
        return (unit_names or {}).get(value, f"工会#{value}")
    if field == "causes":
        return "、".join(value)
    if field == "exclusions":
        return exclusions_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _same(old, new) -> bool:
    empty = (None, "", [], {}, ())
    if old in empty and new in empty:
        return True
    return old == new


def field_changes(old, new, labels: dict[str, str], unit_names: dict[int, str] | None = None) -> list[list[str]]:
    """[[label, old text, new text], ...] for the fields whose raw values differ.

    `old` or `new` may be None (creation, deletion). Values are compared raw, shown masked.
    """
    changes = []
    for field, label in labels.items():
        if field == "members":
            continue
        o = getattr(old, field, None) if old is not None else None
        n = getattr(new, field, None) if new is not None else None
        if _same(o, n):
            continue
        o_text, n_text = show(field, o, unit_names), show(field, n, unit_names)
        if old is None and not n_text or new is None and not o_text:
            continue
        changes.append([label, o_text, n_text])
    return changes


def household_diff(old: HouseholdInput | None, new: HouseholdInput | None,
                      unit_names: dict[int, str] | None = None) -> list[list[str]]:
    return field_changes(old, new, HOUSEHOLD_LABELS, unit_names)


def member_diff(old: MemberInput | None, new: MemberInput | None) -> list[list[str]]:
    return field_changes(old, new, MEMBER_LABELS)


def visit_diff(old: VisitInput | None, new: VisitInput | None) -> list[list[str]]:
    return field_changes(old, new, VISIT_LABELS)
