"""The head-of-household fields of the 全总-style 困难职工家庭档案表 (DESIGN.md §7) that have
fixed choices: the codes stored, their printed labels, and the words clerks write for them.

A field left empty stays None ("未填写"): households archived before these fields existed
keep None until a clerk fills them in.  建筑面积 is kept in hundredths of a square metre
(integers, like money), as printed on a property certificate (56.78 ㎡).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

POLITICAL_STATUSES: dict[str, str] = {
    "cpc_member": "中共党员",
    "cpc_probationary": "中共预备党员",
    "league_member": "共青团员",
    "democratic_party": "民主党派",
    "masses": "群众",
}

MARITAL_STATUSES: dict[str, str] = {
    "unmarried": "未婚",
    "married": "已婚",
    "divorced": "离异",
    "widowed": "丧偶",
}

HOUSING_TYPES: dict[str, str] = {
    "owned": "自有住房",
    "public_rental": "公租房/廉租房",
    "private_rental": "租住私房",
    "employer_dorm": "单位宿舍",
    "lodging": "借住亲友",
    "none": "无固定住所",
}

# GB/T 26341-2010 残疾人残疾分类和分级: seven categories (plus 多重), four grades.
DISABILITY_CATEGORIES: dict[str, str] = {
    "none": "无残疾",
    "visual": "视力残疾",
    "hearing": "听力残疾",
    "speech": "言语残疾",
    "physical": "肢体残疾",
    "intellectual": "智力残疾",
    "mental": "精神残疾",
    "multiple": "多重残疾",
}
DISABILITY_GRADES: dict[str, str] = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}

EMPLOYER_NATURES: dict[str, str] = {
    "government": "机关",
    "institution": "事业单位",
    "state_owned": "国有企业",
    "collective": "集体企业",
    "private": "私营企业",
    "foreign": "外资及港澳台企业",
    "individual": "个体工商户",
    "social_org": "社会组织",
    "other": "其他",
}

ENTERPRISE_STATUSES: dict[str, str] = {
    "normal": "正常经营",
    "difficult": "生产经营困难",
    "halted": "停产半停产",
    "bankrupt": "关闭破产",
    "restructured": "改制",
}

MEDICAL_INSURANCES: dict[str, str] = {
    "employee": "职工基本医疗保险",
    "resident": "城乡居民基本医疗保险",
    "public": "公费医疗",
    "none": "未参保",
}

#: field -> vocabulary, for the coded fields of the form
CODED_FIELDS: dict[str, dict[str, str]] = {
    "political_status": POLITICAL_STATUSES,
    "marital_status": MARITAL_STATUSES,
    "housing_type": HOUSING_TYPES,
    "disability_category": DISABILITY_CATEGORIES,
    "disability_grade": DISABILITY_GRADES,
    "employer_nature": EMPLOYER_NATURES,
    "enterprise_status": ENTERPRISE_STATUSES,
    "medical_insurance": MEDICAL_INSURANCES,
}

#: other words clerks write for a code (the labels themselves are always understood)
EXTRA_WORDS: dict[str, dict[str, str]] = {
    "political_status": {"党员": "cpc_member", "预备党员": "cpc_probationary", "团员": "league_member",
                         "民主党派人士": "democratic_party", "无党派": "masses", "无": "masses"},
    "marital_status": {"离婚": "divorced", "初婚": "married", "再婚": "married", "单身": "unmarried"},
    "housing_type": {"自有": "owned", "自有产权房": "owned", "自建房": "owned", "公租房": "public_rental",
                     "廉租房": "public_rental", "租房": "private_rental", "租住": "private_rental",
                     "宿舍": "employer_dorm", "借住": "lodging", "无房": "none"},
    "disability_category": {"无": "none", "否": "none", "视力": "visual", "听力": "hearing", "言语": "speech",
                            "肢体": "physical", "智力": "intellectual", "精神": "mental", "多重": "multiple"},
    "disability_grade": {"1级": "1", "2级": "2", "3级": "3", "4级": "4", "1": "1", "2": "2", "3": "3", "4": "4"},
    "employer_nature": {"国企": "state_owned", "民营企业": "private", "私企": "private", "外企": "foreign",
                        "个体": "individual", "行政机关": "government", "事业": "institution"},
    "enterprise_status": {"正常": "normal", "困难": "difficult", "经营困难": "difficult", "停产": "halted",
                          "半停产": "halted", "破产": "bankrupt", "关闭": "bankrupt"},
    "medical_insurance": {"职工医保": "employee", "城镇职工医保": "employee", "居民医保": "resident",
                          "城乡居民医保": "resident", "新农合": "resident", "无": "none", "未参加": "none"},
}

@dataclass(kw_only=True)
class ArchiveFormFields:
    """The 档案表 fields as the archive keeps them (None: not filled in); shared by the
    editor's input and a ledger row, keyword-only so they follow their own required fields."""

    political_status: str | None = None
    marital_status: str | None = None
    housing_type: str | None = None
    housing_area_x100: int | None = None  # 建筑面积 in hundredths of a square metre
    disability_category: str | None = None
    disability_grade: str | None = None  # "1".."4"
    employer_nature: str | None = None
    enterprise_status: str | None = None
    medical_insurance: str | None = None
    zero_employment: bool | None = False
    archived_by: str | None = None
    reviewed_by: str | None = None
    grassroots_opinion: str | None = None
    grassroots_opinion_on: date | None = None
    upper_opinion: str | None = None
    upper_opinion_on: date | None = None


MAX_HOUSING_AREA_X100 = 100_000  # 1,000 ㎡: a typo, not a hardship household
_AREA = re.compile(r"^(\d+(?:\.\d{1,2})?)\s*(?:㎡|m2|平方米|平米|平)?$", re.IGNORECASE)


def words_for(field: str) -> dict[str, str]:
    """Everything a clerk may write for the coded ``field`` → its code."""
    vocabulary = CODED_FIELDS[field]
    return {**{label: code for code, label in vocabulary.items()}, **EXTRA_WORDS.get(field, {})}


def label_of(field: str, code: str | None) -> str:
    if code is None:
        return ""
    return CODED_FIELDS[field].get(code, code)


class AreaError(ValueError):
    """An area that cannot be read; the message is for the clerk."""


def parse_area(text) -> int | None:
    """"56.78", "56.78㎡", "60 平方米", 56.5 → hundredths of a square metre; blank → None."""
    if text is None:
        return None
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        text = format(Decimal(str(text)).normalize(), "f")
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    if not raw:
        return None
    match = _AREA.match(raw)
    if match is None:
        raise AreaError(f"“{raw}”不是面积（平方米，最多两位小数，如 56.78）")
    try:
        value = int(Decimal(match.group(1)) * 100)
    except InvalidOperation:
        raise AreaError(f"“{raw}”不是面积") from None
    return value


def area_text(x100: int | None) -> str:
    """Hundredths of a square metre as the clerk reads it: 5678 → "56.78", 6000 → "60"."""
    if x100 is None:
        return ""
    whole, cents = divmod(int(x100), 100)
    return str(whole) if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")
