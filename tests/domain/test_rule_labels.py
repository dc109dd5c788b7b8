"""Rule paths of findings read as Chinese: a clerk or auditor never sees a policy key."""
import pytest

from zhibang_desktop.domain.policy_io import load_preset
from zhibang_desktop.domain.rule_labels import rule_label

ZENGCHENG = load_preset("zengcheng")  # seed 001


@pytest.mark.parametrize("path, label", [
    ("emergency.subcases.illness_surgery", "紧急救助·突发重大疾病或意外伤害住院手术，家庭非常困难"),
    ("emergency.subcases", "紧急救助·具体情形"),
    ("quarterly.amount", "季度救助·金额标准"),
    ("quarterly.count_limits[0]", "季度救助·次数限制第1条"),
    ("quarterly.min_quarter_gap", "季度救助·申请间隔"),
    ("quarterly.kind", "季度救助·申请季度"),
    ("seasonal.caps[1]", "送温暖慰问·金额上限第2条"),
    ("household_year_caps[0]", "每户年度上限第1条"),
    ("policy", "救助政策"),
    ("", ""),
])
def test_rule_paths_become_chinese(path, label):
    assert rule_label(ZENGCHENG, path) == label


def test_an_unknown_part_is_never_shown_as_code():
    text = rule_label(ZENGCHENG, "quarterly.something_new")
    assert text == "季度救助·政策规定" and "_" not in text
    assert rule_label(None, "emergency.subcases.illness_surgery").isascii() is False
