"""The compliance report (seed 001's audit findings): violations, not checkable, nothing else."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from zhibang_desktop.services.relief import compliance, ledger_import

from .relief_helpers import (
    Clock, add_household, emergency, office, person_id, quarterly, set_dibao, submit_and_approve, yuan, zengcheng,
)
from .test_ledger_import import write_ledger


@pytest.fixture
def o(ctx, monkeypatch):
    o = office(ctx)
    o["clock"] = Clock(monkeypatch, datetime(2023, 3, 1, 2, tzinfo=timezone.utc))
    zengcheng(o["admin"], 2023)
    set_dibao(o, 2023)
    return o


def ledger(o, tmp_path, rows):
    if "clock" in o:
        o["clock"].set(2024, 1, 10)  # the ledger is imported after the year it records
    res = ledger_import.import_ledger(o["clerk"], write_ledger(tmp_path / "ledger.xlsx", rows))
    assert res.ok, res.problems
    return res


def test_clean_records_give_nothing(o, ctx, tmp_path):
    hh = add_household(ctx, "张三", 101)
    submit_and_approve(o, quarterly(hh, 500, quarter=1, year=2023))
    submit_and_approve(o, emergency(hh, 3000, year=2023, request_date=date(2023, 3, 1)), justification="")
    ledger(o, tmp_path, [
        ("张三", person_id(101), "季度救助", None, 600, date(2023, 8, 10), "工会经费", ""),
        ("赵六", person_id(102), "紧急救助", "见义勇为或为保护国家财产受伤，家庭收入不高", 5000, date(2023, 6, 1), "", ""),
    ])
    report = compliance.compliance_report(o["admin"], 2023)
    assert report.checked == 4
    assert report.violations == ()
    # the non-archived person: 先建档后帮扶 cannot be verified from a ledger
    assert [(n.name, n.rule) for n in report.not_checkable] == [("赵六", "emergency.requires_archive")]


def test_knee_operation_emergency_1000_is_a_violation_even_with_a_justification(o, ctx):
    """Seed 001: '有 1 个申请人因膝关节受伤自付手术费用高造成经济困难给予补助 1,000 元，不符合实施办法中相关救助标准'."""
    hh = add_household(ctx, "膝伤职工", 103)
    v = submit_and_approve(o, emergency(hh, 1000, year=2023, request_date=date(2023, 3, 1)),
                           justification="自付手术费用高，家庭困难")
    assert v.status == "approved"
    report = compliance.compliance_report(o["admin"], 2023)
    assert len(report.violations) == 1
    x = report.violations[0]
    assert (x.name, x.type, x.amount_fen, x.rule, x.code) == (
        "膝伤职工", "emergency", yuan(1000), "emergency.subcases.illness_surgery", "amount_below_standard")
    assert "2,000–5,000" in x.message and x.date == date(2023, 3, 1)
    # the written justification travels with the violation (it is listed, not excused)
    assert x.justification == "申请时：自付手术费用高，家庭困难"
    assert (report.checked, report.compliant) == (1, 0) and report.rate == 0


@pytest.mark.parametrize("amount, outcome", [
    (1000, "not_checkable"),  # inside 住房部分冲毁… 1,000–2,000
    (1500, "not_checkable"),
    (2000, "not_checkable"),  # the fixed 2,000 of 房屋全部冲毁
    (4000, "not_checkable"),
    (800, "violation"),  # below every sub-case
    (6000, "violation"),  # above every sub-case
])
def test_ledger_emergency_without_subcase(o, ctx, tmp_path, amount, outcome):
    add_household(ctx, "王五", 104)
    ledger(o, tmp_path, [("王五", person_id(104), "紧急救助", None, amount, date(2023, 5, 6), None, "")])
    report = compliance.compliance_report(o["admin"], 2023)
    if outcome == "violation":
        assert [(v.rule, v.code) for v in report.violations] == [("emergency.subcases", "amount_outside_all_subcases")]
        assert report.not_checkable == ()
    else:
        assert report.violations == ()
        assert [n.rule for n in report.not_checkable] == ["emergency.subcases"]
        assert "具体情形" in report.not_checkable[0].message


def test_quarterly_700_is_a_violation(o, ctx, tmp_path):
    add_household(ctx, "季度", 105)
    ledger(o, tmp_path, [("季度", person_id(105), "季度救助", None, 700, date(2023, 2, 1), None, "")])
    report = compliance.compliance_report(o["admin"], 2023)
    assert [(v.code, v.rule, v.amount_fen) for v in report.violations] == [
        ("amount_above_standard", "quarterly.amount", yuan(700))]


def test_third_quarterly_in_a_year_and_consecutive_quarters(o, ctx, tmp_path):
    add_household(ctx, "三次", 106)
    pid = person_id(106)
    ledger(o, tmp_path, [
        ("三次", pid, "季度救助", None, 500, date(2023, 1, 15), None, ""),  # Q1
        ("三次", pid, "季度救助", None, 500, date(2023, 7, 15), None, ""),  # Q3: fine (隔一季度)
        ("三次", pid, "季度救助", None, 500, date(2023, 11, 15), None, ""),  # Q4: third, and right after Q3
    ])
    report = compliance.compliance_report(o["admin"], 2023)
    assert {v.date for v in report.violations} == {date(2023, 11, 15)}
    assert {v.code for v in report.violations} == {"count_limit", "consecutive_quarter"}
    assert {v.rule for v in report.violations} == {"quarterly.count_limits[0]", "quarterly.min_quarter_gap"}


def test_previous_years_q4_makes_q1_consecutive(o, ctx, tmp_path):
    zengcheng(o["admin"], 2022)
    add_household(ctx, "跨年", 107)
    pid = person_id(107)
    ledger(o, tmp_path, [
        ("跨年", pid, "季度救助", None, 500, date(2022, 11, 15), None, ""),
        ("跨年", pid, "季度救助", None, 500, date(2023, 1, 15), None, ""),
    ])
    assert [v.code for v in compliance.compliance_report(o["admin"], 2023).violations] == ["consecutive_quarter"]
    assert compliance.compliance_report(o["admin"], 2022).violations == ()


def test_household_year_cap_in_months_of_dibao(o, ctx, tmp_path):
    """Guangzhou 送温暖: per household per year ≤ 10 months of 低保 (13,300 with 1,330/month)."""
    add_household(ctx, "封顶", 108)
    pid = person_id(108)
    ledger(o, tmp_path, [
        ("封顶", pid, "紧急救助", "受损、受伤特别严重", 5000, date(2023, 3, 1), None, ""),
        ("封顶", pid, "紧急救助", "受损、受伤特别严重", 5000, date(2023, 6, 1), None, ""),
        ("封顶", pid, "紧急救助", "受损、受伤特别严重", 5000, date(2023, 9, 1), None, ""),
    ])
    report = compliance.compliance_report(o["admin"], 2023)
    assert [(v.date, v.code) for v in report.violations] == [(date(2023, 9, 1), "cap_dibao_months")]


def test_without_the_dibao_standard_the_cap_is_not_checkable(ctx, monkeypatch, tmp_path):
    o = office(ctx)
    zengcheng(o["admin"], 2023)
    add_household(ctx, "无标准", 109)
    ledger(o, tmp_path, [("无标准", person_id(109), "季度救助", None, 500, date(2023, 2, 1), None, "")])
    report = compliance.compliance_report(o["admin"], 2023)
    assert report.violations == ()
    assert [n.rule for n in report.not_checkable] == ["household_year_caps[0]"]
    assert any("低保标准" in n for n in report.notes)


def test_request_is_judged_under_its_own_policy_version(o, ctx):
    """Tightening the policy afterwards does not turn a past approval into a violation."""
    import dataclasses

    from zhibang_desktop.domain.policy import AmountRule
    from zhibang_desktop.services.relief import policies

    hh = add_household(ctx, "旧政策", 110)
    submit_and_approve(o, quarterly(hh, 600, quarter=1, year=2023))
    p = policies.in_force_policy(o["admin"], 2023)
    q = p.relief_type("quarterly")
    tighter = dataclasses.replace(q, amount=AmountRule("range", min_fen=yuan(400), max_fen=yuan(500)))
    policies.save_policy(o["admin"], dataclasses.replace(p, relief_types=tuple(
        tighter if t.code == "quarterly" else t for t in p.relief_types)))
    assert compliance.compliance_report(o["admin"], 2023).violations == ()


def test_report_needs_permission_and_a_valid_year(o):
    from zhibang_desktop.services.errors import ValidationFailed
    with pytest.raises(ValidationFailed):
        compliance.compliance_report(o["admin"], 1800)
