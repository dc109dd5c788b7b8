"""What a cross-check list says that the archive does not (数据比对): one rule per finding kind.

A finding is a disagreement, not a verdict: the clerk decides (属实 / 不属实) and the decision
is recorded as a data-check visit. The archive is never changed by a list.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .money import yuan_text


@dataclass(frozen=True)
class Person:
    """A head or member as the archive has them."""

    id_number: str
    name: str
    is_head: bool
    monthly_income_fen: int
    disability: str  # the archive's text (member: 残疾; head: the archive form's 残疾等级 and 健康状况), "" when none
    household_dibao: bool  # the household is registered as a 低保户
    household_vehicle: bool | None  # the exclusion checklist's answer (None: not answered)
    household_homes: bool | None


@dataclass(frozen=True)
class Says:
    """One row of a list."""

    dibao: bool | None = None
    vehicles: int | None = None
    properties: int | None = None
    deceased: bool | None = None
    deceased_on: date | None = None
    employer: str | None = None
    monthly_income_fen: int | None = None
    disability_grade: str | None = None


@dataclass(frozen=True)
class Finding:
    kind: str
    list_says: str
    archive_says: str


def person_findings(p: Person, s: Says) -> list[Finding]:
    """Findings about one matched person (the 低保 mismatch is per household: see below)."""
    out = []
    if s.deceased:
        when = f"（{s.deceased_on.isoformat()}）" if s.deceased_on else ""
        out.append(Finding("deceased", f"已死亡{when}", "户主在档" if p.is_head else "家庭成员在档"))
    if s.vehicles and not p.household_vehicle:
        out.append(Finding("vehicle", f"名下机动车 {s.vehicles} 辆",
                           "排除条件核查：无机动车" if p.household_vehicle is False else "排除条件未核查车辆"))
    if s.properties is not None and s.properties >= 2 and not p.household_homes:
        out.append(Finding("property", f"名下房产 {s.properties} 套",
                           "排除条件核查：无两套以上住房" if p.household_homes is False else "排除条件未核查住房"))
    if s.employer or s.monthly_income_fen:
        listed = s.monthly_income_fen or 0
        if (listed and p.monthly_income_fen < listed) or (not listed and p.monthly_income_fen == 0):
            says = "就业" + (f"（{s.employer}）" if s.employer else "")
            says += f"，月收入 {yuan_text(listed)} 元" if listed else ""
            out.append(Finding("employed", says, f"档案记月收入 {yuan_text(p.monthly_income_fen)} 元"))
    if s.disability_grade and s.disability_grade not in p.disability:
        out.append(Finding("disability", f"残疾等级 {s.disability_grade}",
                           f"档案记：{p.disability}" if p.disability else "档案未记残疾"))
    return out


def dibao_finding(on_list: dict[str, bool | None], people: list[str]) -> Finding | None:
    """A 低保户 none of whose people the 民政 list names as a 低保 recipient."""
    said = [on_list.get(pid) for pid in people]
    if any(v is True for v in said):
        return None
    why = "名单注明不是低保对象" if any(v is False for v in said) else "户主及家庭成员均不在名单上"
    return Finding("dibao_missing", why, "档案登记为低保户")
