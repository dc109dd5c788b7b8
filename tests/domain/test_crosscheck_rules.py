"""What a cross-check list row says against the archive, one case per rule (domain/crosscheck_rules.py)."""
from __future__ import annotations

from datetime import date

import pytest

from zhibang_desktop.domain.crosscheck_rules import Person, Says, dibao_finding, person_findings

HEAD = Person("440183198005060011", "张三", True, 0, "", False, False, False)
MEMBER = Person("440183200104010012", "张小", False, 180000, "肢体残疾三级", True, None, None)


@pytest.mark.parametrize("person, says, expected", [
    (HEAD, Says(), []),
    (HEAD, Says(deceased=True, deceased_on=date(2026, 8, 3)), [("deceased", "已死亡（2026-08-03）", "户主在档")]),
    (MEMBER, Says(deceased=True), [("deceased", "已死亡", "家庭成员在档")]),
    (HEAD, Says(vehicles=2), [("vehicle", "名下机动车 2 辆", "排除条件核查：无机动车")]),
    (MEMBER, Says(vehicles=1), [("vehicle", "名下机动车 1 辆", "排除条件未核查车辆")]),
    (HEAD, Says(vehicles=0), []),
    (HEAD, Says(properties=1), []),  # one home is no exclusion (seed 000: two or more)
    (HEAD, Says(properties=2), [("property", "名下房产 2 套", "排除条件核查：无两套以上住房")]),
    (HEAD, Says(employer="某物流公司"), [("employed", "就业（某物流公司）", "档案记月收入 0 元")]),
    (MEMBER, Says(employer="某厂", monthly_income_fen=150000), []),  # the archive records more
    (MEMBER, Says(monthly_income_fen=250000), [("employed", "就业，月收入 2,500 元", "档案记月收入 1,800 元")]),
    (MEMBER, Says(disability_grade="三级"), []),
    (MEMBER, Says(disability_grade="二级"), [("disability", "残疾等级 二级", "档案记：肢体残疾三级")]),
    (HEAD, Says(disability_grade="四级"), [("disability", "残疾等级 四级", "档案未记残疾")]),
])
def test_person_rules(person, says, expected):
    assert [(f.kind, f.list_says, f.archive_says) for f in person_findings(person, says)] == expected


@pytest.mark.parametrize("on_list, expected", [
    ({"A": True}, None),
    ({"B": True}, None),  # a member on the list is enough
    ({"A": False}, "名单注明不是低保对象"),
    ({}, "户主及家庭成员均不在名单上"),
])
def test_dibao_rule(on_list, expected):
    found = dibao_finding(on_list, ["A", "B"])
    assert (found.list_says if found else None) == expected
