"""Plausible 档案表 fields for a demo household (政治面貌, 婚姻, 住房, 残疾, 单位, 医保, opinions).

Drawn from a generator seeded by the head's ID number, not from the office's generator, so
adding these fields left every other demo figure (names, statuses, amounts) as it was.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from ..domain.household import CATEGORIES

_NOT_ENTERPRISES = ("government", "institution", "social_org")
_AREAS = {"owned": (48, 95), "public_rental": (30, 50), "private_rental": (18, 45), "employer_dorm": (12, 25),
          "lodging": (10, 30)}


def _pick(rnd: random.Random, weights: dict[str, int]) -> str:
    return rnd.choices(list(weights), weights=list(weights.values()))[0]


def form_fields(id_number: str, category: str, status: str, single_parent: bool, archived: date | None,
                clerk: str, reviewer: str) -> dict:
    rnd = random.Random(id_number)
    marital = (_pick(rnd, {"divorced": 6, "widowed": 4}) if single_parent else
               _pick(rnd, {"married": 70, "divorced": 10, "widowed": 8, "unmarried": 12}))
    housing = _pick(rnd, {"owned": 40, "public_rental": 20, "private_rental": 30, "employer_dorm": 5, "lodging": 5})
    low, high = _AREAS[housing]
    disabled = rnd.random() < 0.12
    nature = _pick(rnd, {"private": 50, "state_owned": 14, "collective": 10, "institution": 10, "individual": 6,
                         "government": 4, "social_org": 3, "foreign": 3})
    row = dict(
        political_status=_pick(rnd, {"masses": 80, "cpc_member": 12, "league_member": 5, "democratic_party": 1,
                                     "cpc_probationary": 2}),
        marital_status=marital, housing_type=housing, housing_area_x100=rnd.randint(low * 10, high * 10) * 10,
        disability_category=_pick(rnd, {"physical": 5, "visual": 2, "hearing": 2, "mental": 1, "intellectual": 1})
        if disabled else "none",
        disability_grade=rnd.choice("1234") if disabled else None,
        employer_nature=nature,
        enterprise_status=None if nature in _NOT_ENTERPRISES else _pick(
            rnd, {"normal": 60, "difficult": 25, "halted": 10, "bankrupt": 3, "restructured": 2}),
        medical_insurance=_pick(rnd, {"employee": 70, "resident": 25, "none": 5}),
        zero_employment=rnd.random() < 0.06,
        archived_by=clerk, reviewed_by=None, grassroots_opinion=None, grassroots_opinion_on=None,
        upper_opinion=None, upper_opinion_on=None,
    )
    if status != "draft" and archived is not None:
        grassroots_on = archived - timedelta(days=rnd.randint(4, 12))
        row.update(reviewed_by=reviewer, grassroots_opinion="经入户核查，情况属实，同意建档。",
                   grassroots_opinion_on=grassroots_on,
                   upper_opinion=f"同意列为{CATEGORIES.get(category, '')}职工家庭。",
                   upper_opinion_on=grassroots_on + timedelta(days=rnd.randint(1, 4)))
    return row
