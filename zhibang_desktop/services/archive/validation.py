"""Validation of a household archive: every problem in Chinese, naming the field.

`field_problems` is pure (no database) so that an import can run it on thousands of
rows; `id_owner_problems` does the cross-household duplicate check in batches.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.archive_form import CODED_FIELDS, MAX_HOUSING_AREA_X100
from ...domain.cards import normalize_account
from ...domain.household import (
    ASSISTANCE_STATUSES, CATEGORIES, EXCLUSIONS, OTHER_CAUSE_PREFIX, SCHOOLING_STAGES,
)
from ...domain.phone_numbers import bad_phone_numbers
from ...domain.idnumber import InvalidIdNumber, parse_id_number
from ...storage.models import FamilyMember, Household, OrgUnit
from .fields import ACCOUNT_KINDS, HOUSEHOLD_LABELS as HL, MEMBER_LABELS as ML
from .types import HouseholdInput, MemberInput
from ..context import AppContext
from ..errors import FieldProblem
from ..admin.org import visible_unit_ids
from ..admin.settings import read_settings

MAX_HOUSEHOLD_SIZE = 30
MAX_MONTHLY_INCOME_FEN = 10_000_000  # 100,000 yuan a month: a typo, not a hardship case
_TEXT_LIMITS = {
    "name": 50, "phone": 30, "address": 200, "hukou_type": 20, "hukou_region": 100,
    "employer": 100, "ethnicity": 20, "health": 100, "member_no": 40, "bank_name": 60,
    "archived_by": 50, "reviewed_by": 50, "grassroots_opinion": 500, "upper_opinion": 500,
}
_SPACES = re.compile(r"\s+")
ID_CHUNK = 500


def _text(value) -> str | None:
    """Free text as the clerk wrote it (full-width ，：（） are kept), trimmed."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _code(value) -> str | None:
    """Numbers and codes: full-width digits and letters folded to ASCII (NFKC)."""
    value = _text(value)
    return None if value is None else unicodedata.normalize("NFKC", value).strip() or None


def clean_id(value) -> str | None:
    value = _code(value)
    return None if value is None else _SPACES.sub("", value).upper()


def other_cause(text: str) -> str:
    return f"{OTHER_CAUSE_PREFIX}{text.strip()}"


def clean_causes(causes) -> list[str]:
    """Trimmed, without repeats; "其他:x" / "其他：x" spelled one way."""
    seen: dict[str, None] = {}
    for cause in causes or []:
        cause = _text(cause)
        if cause is None:
            continue
        for prefix in ("其他:", "其它:", "其它：", "其他："):
            if cause.startswith(prefix):
                cause = other_cause(cause[len(prefix):])
                break
        seen.setdefault(cause, None)
    return list(seen)


def clean_member(m: MemberInput) -> MemberInput:
    return replace(
        m, name=_text(m.name) or "", relation=_text(m.relation) or "", id_number=clean_id(m.id_number),
        health=_text(m.health), disability=_text(m.disability), schooling=_text(m.schooling) or "none",
        job_or_school=_text(m.job_or_school), monthly_income_fen=m.monthly_income_fen or 0,
    )


def clean_input(data: HouseholdInput) -> HouseholdInput:
    """The input as it will be stored: texts trimmed, codes NFKC-folded, blanks as None."""
    account = normalize_account(data.bank_account) if data.bank_account else None
    return replace(
        data,
        name=_text(data.name) or "", id_number=clean_id(data.id_number) or "",
        phone=_code(data.phone), address=_text(data.address), hukou_type=_text(data.hukou_type),
        hukou_region=_text(data.hukou_region), employer=_text(data.employer),
        ethnicity=_text(data.ethnicity), health=_text(data.health), member_no=_code(data.member_no),
        causes=clean_causes(data.causes), bank_name=_text(data.bank_name), bank_account=account or None,
        account_kind=_text(data.account_kind), exclusions=dict(data.exclusions or {}),
        exclusion_override=_text(data.exclusion_override), remarks=_text(data.remarks),
        head_income_fen=data.head_income_fen or 0, other_income_fen=data.other_income_fen or 0,
        members=[clean_member(m) for m in data.members],
        **{f: _text(getattr(data, f)) for f in ("archived_by", "reviewed_by", "grassroots_opinion", "upper_opinion")},
        **{f: _text(getattr(data, f)) for f in CODED_FIELDS},
        zero_employment=bool(data.zero_employment),
    )


def _p(field: str, message: str) -> FieldProblem:
    return FieldProblem(field, HL.get(field, field), message)


def _member_label(index: int, m: MemberInput, field: str) -> str:
    who = f"（{m.name}）" if m.name else ""
    return f"家庭成员第{index + 1}人{who}{ML[field]}"


def _money_problem(fen) -> str | None:
    if not isinstance(fen, int) or isinstance(fen, bool):
        return "应为金额"
    if fen < 0:
        return "不能为负数"
    if fen > MAX_MONTHLY_INCOME_FEN:
        return "金额过大，请核对（单位为元/月）"
    return None


def field_problems(data: HouseholdInput, office_causes: tuple[str, ...] | list[str]) -> list[FieldProblem]:
    """Problems found in the input alone (expects `clean_input(data)`)."""
    problems: list[FieldProblem] = []
    if not data.name:
        problems.append(_p("name", "不能为空"))
    for field, limit in _TEXT_LIMITS.items():
        value = getattr(data, field)
        if value and len(value) > limit:
            problems.append(_p(field, f"不能超过 {limit} 个字"))
    try:
        parse_id_number(data.id_number)
    except InvalidIdNumber as exc:
        problems.append(_p("id_number", exc.reason))
    if data.category not in CATEGORIES:
        problems.append(_p("category", "请选择：" + "、".join(CATEGORIES.values())))
    for piece in bad_phone_numbers(data.phone or ""):
        problems.append(_p("phone", f"“{piece}”不像电话号码（手机 11 位，座机如 020-82712345）"))
    if not data.causes:
        problems.append(_p("causes", "请至少选择一项致困原因"))
    for cause in data.causes:
        if cause.startswith(OTHER_CAUSE_PREFIX):
            if not cause[len(OTHER_CAUSE_PREFIX):].strip():
                problems.append(_p("causes", "选择“其他”时请写明具体原因"))
        elif cause not in office_causes:
            problems.append(_p("causes", f"“{cause}”不在本单位的致困原因选项中，可填写为“其他：{cause}”"))
    if not isinstance(data.household_size, int) or data.household_size < 1:
        problems.append(_p("household_size", "至少为 1 人"))
    elif data.household_size < 1 + len(data.members):
        problems.append(_p("household_size", f"家庭人口（{data.household_size}）不能少于户主加已登记的家庭成员"
                                             f"（{1 + len(data.members)} 人）"))
    elif data.household_size > MAX_HOUSEHOLD_SIZE:
        problems.append(_p("household_size", f"不能超过 {MAX_HOUSEHOLD_SIZE} 人，请核对"))
    for field in ("head_income_fen", "other_income_fen"):
        msg = _money_problem(getattr(data, field))
        if msg:
            problems.append(_p(field, msg))
    if data.assistance_status not in ASSISTANCE_STATUSES:
        problems.append(_p("assistance_status", "请选择：" + "、".join(ASSISTANCE_STATUSES.values())))
    if data.bank_account and not (data.bank_account.isascii() and data.bank_account.isdigit()):
        problems.append(_p("bank_account", "只能填写数字"))
    elif data.bank_account and len(data.bank_account) > 32:
        problems.append(_p("bank_account", "不能超过 32 位"))
    if data.account_kind is not None and data.account_kind not in ACCOUNT_KINDS:
        problems.append(_p("account_kind", "请选择：" + "、".join(ACCOUNT_KINDS.values())))
    unknown = [code for code in data.exclusions if code not in EXCLUSIONS]
    if unknown:
        problems.append(_p("exclusions", f"未知的核查项：{'、'.join(unknown)}"))
    problems.extend(form_problems(data))
    problems.extend(_member_problems(data))
    return problems


def form_problems(data: HouseholdInput) -> list[FieldProblem]:
    """The 档案表 fields: codes from their lists, a plausible area, consistent disability and dates."""
    problems: list[FieldProblem] = []
    for field, vocabulary in CODED_FIELDS.items():
        value = getattr(data, field)
        if value is not None and value not in vocabulary:
            problems.append(_p(field, f"“{value}”不是可选的值，请选择：" + "、".join(vocabulary.values())))
    area = data.housing_area_x100
    if area is not None:
        if not isinstance(area, int) or isinstance(area, bool) or area < 0:
            problems.append(_p("housing_area_x100", "应为不小于 0 的面积（平方米）"))
        elif area > MAX_HOUSING_AREA_X100:
            problems.append(_p("housing_area_x100", f"超过 {MAX_HOUSING_AREA_X100 // 100} 平方米，请核对"))
        elif data.housing_type == "none" and area > 0:
            problems.append(_p("housing_area_x100", "住房类型为“无固定住所”时不应填写建筑面积"))
    if data.disability_grade is not None and data.disability_category in (None, "none"):
        problems.append(_p("disability_grade", "填写残疾等级时请先选择残疾类别"))
    if data.disability_category not in (None, "none") and data.disability_grade is None:
        problems.append(_p("disability_grade", "有残疾时请选择残疾等级（一级至四级）"))
    if data.enterprise_status is not None and data.employer_nature in ("government", "institution", "social_org"):
        problems.append(_p("enterprise_status", "单位性质为机关、事业单位或社会组织时不填企业状况"))
    today = clock.today()
    for opinion, on in (("grassroots_opinion", "grassroots_opinion_on"), ("upper_opinion", "upper_opinion_on")):
        day = getattr(data, on)
        if day is not None and day > today:
            problems.append(_p(on, "不能晚于今天"))
        if day is not None and not getattr(data, opinion):
            problems.append(_p(opinion, "已填写意见日期，请填写意见内容"))
    if data.grassroots_opinion_on and data.upper_opinion_on and data.upper_opinion_on < data.grassroots_opinion_on:
        problems.append(_p("upper_opinion_on", "不能早于基层工会意见日期（先基层、后上级）"))
    return problems


def _member_problems(data: HouseholdInput) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for i, m in enumerate(data.members):
        def add(field: str, message: str) -> None:
            problems.append(FieldProblem(f"members[{i}].{field}", _member_label(i, m, field), message))

        if not m.name:
            add("name", "不能为空")
        elif len(m.name) > 50:
            add("name", "不能超过 50 个字")
        if not m.relation:
            add("relation", "不能为空")
        elif len(m.relation) > 20:
            add("relation", "不能超过 20 个字")
        if m.id_number:
            try:
                number = parse_id_number(m.id_number).number
            except InvalidIdNumber as exc:
                add("id_number", exc.reason)
            else:
                if number == data.id_number:
                    add("id_number", "与户主身份证号相同")
                elif number in seen:
                    add("id_number", f"与家庭成员第{seen[number] + 1}人的身份证号相同")
                else:
                    seen[number] = i
        if m.schooling not in SCHOOLING_STAGES:
            add("schooling", "请选择：" + "、".join(SCHOOLING_STAGES.values()))
        msg = _money_problem(m.monthly_income_fen)
        if msg:
            add("monthly_income_fen", msg)
        for field, limit in (("health", 100), ("disability", 100), ("job_or_school", 100)):
            value = getattr(m, field)
            if value and len(value) > limit:
                add(field, f"不能超过 {limit} 个字")
    return problems


def id_owners(session: Session, numbers, exclude_household_id: int | None = None,
              scope: str = "") -> dict[str, tuple[str, str, str]]:
    """For each number already on file elsewhere in the archive `scope` (the office's own, "";
    a county's in a city union's database — ID numbers are unique per archive scope, the same
    person may be on file in two counties): (archive_no, head name, "户主"/"家庭成员")."""
    numbers = sorted({n for n in numbers if n})
    found: dict[str, tuple[str, str, str]] = {}
    for start in range(0, len(numbers), ID_CHUNK):
        chunk = padded(numbers[start:start + ID_CHUNK], ID_CHUNK)
        heads = select(Household.id_number, Household.archive_no, Household.name).where(
            Household.id_number.in_(chunk), Household.archive_scope == scope)
        members = select(FamilyMember.id_number, Household.archive_no, Household.name).join(
            Household, FamilyMember.household_id == Household.id).where(FamilyMember.id_number.in_(chunk),
                                                                         Household.archive_scope == scope)
        if exclude_household_id is not None:
            heads = heads.where(Household.id != exclude_household_id)
            members = members.where(FamilyMember.household_id != exclude_household_id)
        for number, archive_no, name in session.execute(members):
            found[number] = (archive_no, name, "家庭成员")
        for number, archive_no, name in session.execute(heads):
            found[number] = (archive_no, name, "户主")
    return found


def padded(keys: list, most: int) -> list:
    """`keys` for an `IN (…)` list, the last one repeated up to a power of two (at most `most`):
    the connection keeps every statement it compiled (≈80 KB with 500 values), and an import's
    chunks, each ending in a list of another length, kept a hundred of them."""
    size = min(most, 1 << max(0, len(keys) - 1).bit_length())
    return keys + keys[-1:] * (size - len(keys))


def owner_message(owner: tuple[str, str, str]) -> str:
    archive_no, name, role = owner
    return f"已在档案 {archive_no}（{name}）中登记为{role}，同一身份证号不能出现在两户档案中"


def id_owner_problems(session: Session, data: HouseholdInput, household_id: int | None) -> list[FieldProblem]:
    members = [(i, m) for i, m in enumerate(data.members) if m.id_number]
    own = session.get(Household, household_id) if household_id is not None else None
    owners = id_owners(session, [data.id_number] + [m.id_number for _, m in members], household_id,
                       own.archive_scope if own is not None else "")
    problems = []
    if data.id_number in owners:
        problems.append(_p("id_number", owner_message(owners[data.id_number])))
    for i, m in members:
        if m.id_number in owners:
            problems.append(FieldProblem(f"members[{i}].id_number", _member_label(i, m, "id_number"),
                                         owner_message(owners[m.id_number])))
    return problems


def unit_problems(session: Session, actor, unit_id) -> list[FieldProblem]:
    unit = session.get(OrgUnit, unit_id) if isinstance(unit_id, int) else None
    if unit is None:
        return [_p("unit_id", "请选择所属工会")]
    if unit.level not in ("grassroots", "street"):
        return [_p("unit_id", "档案应归属基层工会或镇街/系统工会，不能直接归属区总工会")]
    if not unit.active:
        return [_p("unit_id", f"“{unit.name}”已停用")]
    allowed = visible_unit_ids(session, actor)
    if allowed is not None and unit.id not in allowed:
        return [_p("unit_id", f"“{unit.name}”不在当前用户的管辖范围内")]
    return []


def problems_in(session: Session, actor, data: HouseholdInput, household_id: int | None = None) -> list[FieldProblem]:
    """All problems of a cleaned input inside an open session."""
    causes = read_settings(session).hardship_causes
    problems = field_problems(data, causes) + unit_problems(session, actor, data.unit_id)
    return problems + id_owner_problems(session, data, household_id)


def validate_household(ctx: AppContext, data: HouseholdInput, household_id: int | None = None) -> list[FieldProblem]:
    """Every problem of `data` (for inline validation in the editor); empty when it can be saved."""
    ctx.require("archive.read")
    with ctx.db.session(read_only=True) as session:
        return problems_in(session, ctx.actor, clean_input(data), household_id)
