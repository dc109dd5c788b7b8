"""Policies as data: presets, JSON round trip, validation messages.

Figures come from the seeds: 000 Shanghai, 001 Zengcheng, 002 Haikou, 003 Kunming.
"""
import copy
import json
from importlib import resources

import pytest

from zhibang_desktop.domain.policy import Policy, PolicyError
from zhibang_desktop.domain.policy_io import load_preset, policy_from_json, policy_to_dict, policy_to_json, preset_names
from zhibang_desktop.domain.policy_parse import policy_from_dict

PRESETS = ("haikou", "kunming", "shanghai", "zengcheng")


def raw(name):
    text = resources.files("zhibang_desktop").joinpath("data", "policies", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def test_preset_names():
    assert preset_names() == PRESETS


# The report each preset comes from (seeds 000–003), named as a clerk reads it: no file path.
SEED_REPORTS = {
    "shanghai": "上海市总工会 2018 年度困难职工帮扶专项资金项目绩效评价报告",  # 000
    "zengcheng": "增城区总工会 2023 年困难职工帮扶资金（送温暖）项目绩效评价报告",  # 001
    "haikou": "海口市总工会 2022 年度帮扶资金支出项目绩效评价报告",  # 002
    "kunming": "昆明市总工会 2017 年市属困难集体企业职工生活困难补助费项目支出绩效评价报告",  # 003
}


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_and_cites_its_seed(name):
    p = load_preset(name)
    assert isinstance(p, Policy)
    assert p.relief_types and p.review_chain
    assert p.source == SEED_REPORTS[name]
    assert all(lv.days_allowed == 5 for lv in p.review_chain)


@pytest.mark.parametrize("name", PRESETS)
def test_preset_round_trip(name):
    p = load_preset(name)
    assert policy_from_dict(policy_to_dict(p)) == p
    assert policy_from_json(policy_to_json(p)) == p
    # the shipped files are already in canonical form
    assert policy_to_dict(p) == raw(name)


@pytest.mark.parametrize("alias, office", [
    ("zengcheng", "增城区总工会"), ("增城", "增城区总工会"), ("Zengcheng.json", "增城区总工会"),
    ("上海", "上海市总工会"), ("shanghai", "上海市总工会"),
    ("海口", "海口市总工会"), ("海口市总工会", "海口市总工会"),
    ("昆明", "昆明市总工会"), ("kunming", "昆明市总工会"),
])
def test_load_preset_aliases(alias, office):
    assert load_preset(alias).office == office


@pytest.mark.parametrize("bad", ["", "北京", "nowhere", "总工会"])
def test_load_preset_unknown_or_ambiguous(bad):
    with pytest.raises(PolicyError):
        load_preset(bad)


def test_zengcheng_figures():  # seed 001
    p = load_preset("增城")
    q = p.relief_type("quarterly")
    assert (q.amount.rule, q.amount.min_fen, q.amount.max_fen) == ("range", 40000, 60000)
    assert q.members_only and q.requires_archive and q.min_quarter_gap == 2
    assert [(c.scope, c.max_count) for c in q.count_limits] == [("person", 2)]
    assert len(q.conditions) == 7 and q.min_conditions == 1
    e = p.relief_type("emergency")
    amounts = {s.code: (s.amount.rule, s.amount.min_fen, s.amount.max_fen, s.amount.fixed_fen) for s in e.subcases}
    assert amounts == {
        "house_destroyed": ("fixed", None, None, 200000),
        "house_damaged": ("range", 100000, 200000, None),
        "disaster_severe": ("range", 200000, 500000, None),
        "bravery": ("range", 200000, 500000, None),
        "illness_surgery": ("range", 200000, 500000, None),
    }
    assert p.chain_for("emergency")[-1].level == "district"
    s = p.relief_type("seasonal")
    caps = {(c.scope, c.period, c.applies_to, c.max_fen, c.dibao_months) for c in s.caps}
    assert caps == {("person", "time", "cash", 300000, None), ("household", "year", "cash", 600000, None),
                    ("household", "time", "goods", 50000, None), ("household", "year", "cash", None, 10)}
    assert s.goods_allowed


def test_shanghai_figures():  # seed 000
    p = load_preset("上海")
    living, edu, med = (p.relief_type(c) for c in ("living", "education", "medical"))
    assert living.amount.fixed_fen == 500000 and living.caps[0].dibao_months == 12
    assert dict(edu.amount.per_student_fen) == {"university": 970000, "high_school": 485000,
                                                "vocational": 485000, "special": 485000}
    assert edu.caps[0].scope == "student" and edu.caps[0].dibao_months == 10
    assert [(t.up_to_fen, t.rate_bp) for t in med.amount.tiers] == [(1000000, 9000), (None, 7000)]
    assert med.amount.max_fen == 2000000 and med.caps[0].max_fen == 2000000
    for rt in (living, edu, med):
        assert rt.categories == ("deep",) and rt.exclusion_check
    assert len(p.exclusion_checklist) == 6


def test_shanghai_household_year_cap_is_policy_data():  # 000: 最高标准 34,700 元/户/年
    (cap,) = load_preset("上海").household_year_caps
    assert (cap.scope, cap.period, cap.max_fen, cap.relief_types) == ("household", "year", 3470000, ())


@pytest.mark.parametrize("name", PRESETS)
def test_visit_intervals_and_one_level_per_reviewer_are_policy_data(name):  # seed 002: 深度 1 次/年，其他 2 次/年
    p = load_preset(name)
    assert dict(p.visit_interval_months) == {"deep": 12, "relative": 6, "accident": 6}
    assert (p.visit_interval("deep"), p.visit_interval("none")) == (12, None)
    assert p.several_levels_per_reviewer_allowed is False


def test_a_policy_stored_without_the_new_fields_gets_the_defaults():
    d = copy.deepcopy(raw("haikou"))
    d.pop("visit_interval_months"), d.pop("several_levels_per_reviewer_allowed")
    p = policy_from_dict(d)
    assert dict(p.visit_interval_months) == {"deep": 12, "relative": 6, "accident": 6}
    assert not p.several_levels_per_reviewer_allowed
    d["visit_interval_months"] = {"deep": 12, "relative": 3}
    assert dict(policy_from_dict(d).visit_interval_months) == {"deep": 12, "relative": 3}


def test_haikou_provincial_funds_only_for_three_measures():  # seed 002 附件3
    p = load_preset("海口")
    with_prov = {rt.code for rt in p.relief_types if "provincial" in rt.fund_sources}
    assert with_prov == {"living", "education", "medical"}
    assert {rt.code for rt in p.relief_types} == {"living", "education", "medical", "seasonal", "autumn_education"}
    assert all(rt.requires_archive for rt in p.relief_types)


def test_kunming_figures():  # seed 003
    rt = load_preset("昆明").relief_type("monthly_subsidy")
    assert rt.kind == "standing" and rt.amount.per_person_month_fen == 13000
    assert not rt.requires_archive


def _errors(data):
    with pytest.raises(PolicyError) as info:
        policy_from_dict(data)
    return info.value


def test_error_names_the_field_path():
    d = raw("zengcheng")
    d["relief_types"][1]["subcases"][1]["max_yuan"] = "两千"
    err = _errors(d)
    assert "relief_types[1].subcases[1].max_yuan：应为数字" in str(err)
    assert ("relief_types[1].subcases[1].max_yuan", "应为数字") in err.errors


@pytest.mark.parametrize("mutate, path, fragment", [
    (lambda d: d["relief_types"][0].update(min_yuan=700), "relief_types[0].min_yuan", "不能大于"),
    (lambda d: d["relief_types"][0].update(max_yuan=600.123), "relief_types[0].max_yuan", "两位小数"),
    (lambda d: d["relief_types"][0].update(max_yuan=-1), "relief_types[0].max_yuan", "应大于零"),
    (lambda d: d["relief_types"][0].update(maxyuan=600), "relief_types[0].maxyuan", "未知字段"),
    (lambda d: d["relief_types"][0].update(kind="weekly"), "relief_types[0].kind", "之一"),
    (lambda d: d["relief_types"][0].update(fixed_yuan=500), "relief_types[0].fixed_yuan", "不适用"),
    (lambda d: d["relief_types"][0].update(members_only="是"), "relief_types[0].members_only", "true"),
    (lambda d: d["relief_types"][0].update(fund_sources=["provincial"]), "relief_types[0].fund_sources[0]",
     "未定义"),
    (lambda d: d["relief_types"][1].update(code="quarterly"), "relief_types[1].code", "重复"),
    (lambda d: d["relief_types"][2]["caps"][0].pop("max_yuan"), "relief_types[2].caps[0]", "至少要有"),
    (lambda d: d["household_year_caps"][0].update(relief_types=["living"]),
     "household_year_caps[0].relief_types[0]", "未定义"),
    (lambda d: d["review_chain"][0].update(level="city"), "review_chain[0].level", "之一"),
    (lambda d: d.update(review_chain=[]), "review_chain", "非空"),
    (lambda d: d.pop("office"), "office", "缺少"),
    (lambda d: d.update(year="2023"), "year", "整数"),
    (lambda d: d["relief_types"][0]["conditions"][0].update(check="income"),
     "relief_types[0].conditions[0].check", "之一"),
    (lambda d: d["visit_interval_months"].update(deep=0), "visit_interval_months.deep", "1 到 60"),
    (lambda d: d["visit_interval_months"].update(poor=6), "visit_interval_months.poor", "未定义"),
    (lambda d: d.update(visit_interval_months=[12, 6]), "visit_interval_months", "应为对象"),
    (lambda d: d.update(several_levels_per_reviewer_allowed="否"), "several_levels_per_reviewer_allowed", "true"),
])
def test_validation_errors(mutate, path, fragment):
    d = copy.deepcopy(raw("zengcheng"))
    mutate(d)
    err = _errors(d)
    assert any(p == path and fragment in m for p, m in err.errors), err.errors


def test_all_errors_are_reported_at_once():
    d = raw("shanghai")
    d["relief_types"][0]["fixed_yuan"] = "5000"
    d["relief_types"][2]["tiers"][0]["rate_percent"] = 190
    d["year"] = 1900
    paths = {p for p, _ in _errors(d).errors}
    assert {"relief_types[0].fixed_yuan", "relief_types[2].tiers[0].rate_percent", "year"} <= paths


def test_tiers_must_ascend_and_only_last_unbounded():
    d = raw("shanghai")
    d["relief_types"][2]["tiers"] = [{"up_to_yuan": None, "rate_percent": 90},
                                     {"up_to_yuan": 5000, "rate_percent": 70}]
    paths = {p for p, _ in _errors(d).errors}
    assert "relief_types[2].tiers[0].up_to_yuan" in paths


def test_yuan_with_cents_round_trip():
    d = raw("zengcheng")
    d["relief_types"][0]["min_yuan"] = 400.5
    p = policy_from_dict(d)
    assert p.relief_type("quarterly").amount.min_fen == 40050
    assert policy_to_dict(p)["relief_types"][0]["min_yuan"] == 400.5


def test_bad_json_text():
    with pytest.raises(PolicyError, match="JSON"):
        policy_from_json("{not json")


def test_not_an_object():
    with pytest.raises(PolicyError, match="应为对象"):
        policy_from_dict([])


def test_vocabulary_matches_the_household_archive():
    """Policy codes must be the codes the archive stores (domain/household.py)."""
    from zhibang_desktop.domain import household
    from zhibang_desktop.domain.policy import DEFAULT_CATEGORIES, SCHOOLING_STAGES
    from zhibang_desktop.domain.rules import ASSISTANCE_STATUSES

    assert set(SCHOOLING_STAGES) <= set(household.SCHOOLING_STAGES)
    assert set(DEFAULT_CATEGORIES) == set(household.CATEGORIES)
    assert set(ASSISTANCE_STATUSES) <= set(household.ASSISTANCE_STATUSES)
    assert {e.code for e in load_preset("shanghai").exclusion_checklist} == set(household.EXCLUSIONS)


# Policy JSON holds yuan as int or float; in memory it is fen, converted exactly from the
# number's decimal form (1234.57 * 100 is 123456.99999999999 in binary floating point).
@pytest.mark.parametrize("max_yuan, fen", [
    (600, 60000),
    (600.0, 60000),
    (600.5, 60050),
    (600.55, 60055),
    (1234.57, 123457),
    (4000.1, 400010),
    (9007199254740.99, 900719925474099),
])
def test_yuan_in_policy_json_becomes_exact_fen(max_yuan, fen):
    d = copy.deepcopy(raw("zengcheng"))
    d["relief_types"][0]["max_yuan"] = max_yuan
    assert policy_from_dict(d).relief_types[0].amount.max_fen == fen
    again = policy_from_json(policy_to_json(policy_from_dict(d)))
    assert again.relief_types[0].amount.max_fen == fen


def test_yuan_read_from_json_text_is_exact():
    d = raw("zengcheng")
    d["relief_types"][0]["max_yuan"] = 0  # replaced in the text below
    text = json.dumps(d, ensure_ascii=False).replace('"max_yuan": 0', '"max_yuan": 1234.57', 1)
    assert policy_from_json(text).relief_types[0].amount.max_fen == 123457


@pytest.mark.parametrize("max_yuan, message", [
    (600.123, "金额最多两位小数"),
    (600.001, "金额最多两位小数"),
    (0.001, "金额最多两位小数"),
    ("600", "应为数字"),
    ("六百", "应为数字"),
    (True, "应为数字"),
    ([600], "应为数字"),
    ({"yuan": 600}, "应为数字"),
    (float("nan"), "应为数字"),
    (float("inf"), "应为数字"),
    (-600, "应大于零"),
    (0, "应大于零"),
])
def test_yuan_in_policy_json_refused_with_the_field_named(max_yuan, message):
    d = copy.deepcopy(raw("zengcheng"))
    d["relief_types"][0]["max_yuan"] = max_yuan
    err = _errors(d)
    assert ("relief_types[0].max_yuan", message) in err.errors
    assert f"relief_types[0].max_yuan：{message}" in str(err)
