"""Rule engine, table-driven with the seeds' figures (000 Shanghai, 001 Zengcheng,
002 Haikou, 003 Kunming).  Amounts are fen: Y(400) == 40000."""
from dataclasses import replace
from datetime import date

import pytest

from zhibang_desktop.domain.policy import CopayTier
from zhibang_desktop.domain.policy_io import load_preset
from zhibang_desktop.domain.rules import (
    HouseholdFacts,
    PastAid,
    RequestDraft,
    Standards,
    copay_amount,
    evaluate,
)


def Y(yuan):
    return round(yuan * 100)


ZC, SH, HK, KM = (load_preset(n) for n in ("zengcheng", "shanghai", "haikou", "kunming"))
PID, OTHER = "440183199001011234", "440183199202023456"
HH = HouseholdFacts(category="relative", union_member=True, assistance_status="dibao", head_id_number=PID)
DEEP = replace(HH, category="deep")
GZ = Standards(dibao_monthly_fen=Y(1330))  # a Guangzhou-like 低保 standard
SH_STD = Standards(dibao_monthly_fen=Y(970))  # seed 000: 970 yuan/month in 2018


def aid(rt, amount, year=2023, quarter=None, person=PID, subcase=None, on=None, goods=False, rid=None, batch=None):
    on = on or date(year, 3 * (quarter or 1), 1)
    return PastAid(rid, person, rt, subcase, year, quarter, on, Y(amount), goods, batch)


def quarterly(amount=500, quarter=3, year=2023, conditions=("dibao_low_income",), **kw):
    return RequestDraft("quarterly", None, year, quarter, date(year, 3 * quarter - 1, 10), Y(amount),
                        person_id_number=PID, conditions=conditions, **kw)


def codes(ev):
    return set(ev.codes())


# ------------------------------------------------------------ medical (000)
@pytest.mark.parametrize("self_paid, expected", [
    (0, 0), (1000, 900), (10000, 9000), (15000, 12500), (30000, 23000), (0.01, 0.01),
])
def test_copay_formula(self_paid, expected):
    tiers = (CopayTier(Y(10000), 9000), CopayTier(None, 7000))
    assert copay_amount(Y(self_paid), tiers) == Y(expected)


def medical(self_paid, requested=None, **kw):
    return RequestDraft("medical", None, 2018, None, date(2018, 6, 1),
                        Y(requested if requested is not None else 1), self_paid_medical_fen=Y(self_paid),
                        person_id_number=PID, conditions=("below_dibao",), **kw)


@pytest.mark.parametrize("self_paid, suggested", [(15000, 12500), (30000, 20000), (5000, 4500)])
def test_medical_suggestion(self_paid, suggested):
    ev = evaluate(SH, medical(self_paid, suggested), DEEP, [], SH_STD)
    assert ev.suggested_amount_fen == Y(suggested)
    assert ev.findings == ()


def test_medical_over_annual_cap_is_error():
    ev = evaluate(SH, medical(30000, 23000), DEEP, [], SH_STD)
    assert "cap_person_year" in codes(ev) and ev.blocking


def test_medical_yearly_remaining_uses_history():
    ev = evaluate(SH, medical(15000, 12500), DEEP, [aid("medical", 15000, 2018)], SH_STD)
    assert ev.remaining_year_allowance_fen == Y(5000)
    assert ev.suggested_amount_fen == Y(5000)
    assert "cap_person_year" in codes(ev)


def test_medical_needs_self_paid():
    d = replace(medical(1000, 900), self_paid_medical_fen=None)
    assert "missing_self_paid" in codes(evaluate(SH, d, DEEP, [], SH_STD))


def test_shanghai_household_maximum_34700():  # 000: highest payment 34,700 = 5,000 + 9,700 + 20,000
    drafts = [
        RequestDraft("living", None, 2018, None, date(2018, 6, 1), Y(5000), person_id_number=PID,
                     conditions=("below_dibao",)),
        RequestDraft("education", None, 2018, None, date(2018, 6, 1), Y(9700), students=("university",),
                     person_id_number=PID, conditions=("below_dibao",)),
        medical(30000, 20000),
    ]
    evs = [evaluate(SH, d, DEEP, [], SH_STD) for d in drafts]
    assert [e.findings for e in evs] == [(), (), ()]
    assert sum(e.suggested_amount_fen for e in evs) == Y(34700)


# 000: "3 项帮扶项目叠加，最高标准 34,700 元/户/年" — a household cap in the policy, whoever is ill.
@pytest.mark.parametrize("history, person, amount, blocked", [
    ([aid("living", 5000, 2018), aid("education", 9700, 2018)], PID, 20000, False),
    ([aid("living", 5000, 2018), aid("education", 9700, 2018), aid("medical", 20000, 2018)], OTHER, 1, True),
    ([aid("living", 5000, 2018), aid("education", 14550, 2018)], PID, 20000, True),
    ([aid("medical", 20000, 2018)], OTHER, 14700, False),
    ([aid("medical", 20000, 2018)], OTHER, 14700.01, True),
    ([aid("living", 5000, 2017), aid("education", 9700, 2017)], PID, 20000, False),  # last year's aid
])
def test_shanghai_household_year_cap_34700(history, person, amount, blocked):
    d = RequestDraft("medical", None, 2018, None, date(2018, 6, 1), Y(amount), self_paid_medical_fen=Y(40000),
                     person_id_number=person, conditions=("below_dibao",))
    ev = evaluate(SH, d, DEEP, history, SH_STD)
    assert ("cap_household_year" in codes(ev)) is blocked
    assert ev.blocking is blocked


@pytest.mark.parametrize("students, expected, code", [
    (("university",), 9700, None),
    (("high_school", "special"), 9700, None),
    (("university", "vocational"), 14550, None),
    (("primary",), 0, "stage_not_covered"),
    ((), 0, "missing_students"),
])
def test_education_per_student(students, expected, code):
    d = RequestDraft("education", None, 2018, None, date(2018, 9, 1), Y(expected or 1), students=students,
                     person_id_number=PID, conditions=("below_dibao",))
    ev = evaluate(SH, d, DEEP, [], SH_STD)
    assert ev.suggested_amount_fen == Y(expected)
    assert (code in codes(ev)) if code else not ev.findings


def test_education_capped_by_ten_months_of_dibao():
    d = RequestDraft("education", None, 2018, None, date(2018, 9, 1), Y(9700), students=("university",),
                     person_id_number=PID, conditions=("below_dibao",))
    ev = evaluate(SH, d, DEEP, [], Standards(dibao_monthly_fen=Y(900)))
    assert "cap_dibao_months" in codes(ev) and ev.max_allowed_fen == Y(9000)


@pytest.mark.parametrize("household, history, expected", [
    (DEEP, [], set()),
    (DEEP, [aid("living", 5000, 2018)], {"count_limit"}),
    (HH, [], {"category_not_allowed"}),
    (replace(DEEP, exclusion_passed=False), [], {"exclusion_failed"}),
    (replace(DEEP, exclusion_passed=False, exclusion_override=True), [], {"exclusion_overridden"}),
    (None, [], {"no_archive", "category_not_allowed", "exclusion_failed"}),
])
def test_shanghai_living(household, history, expected):
    d = RequestDraft("living", None, 2018, None, date(2018, 6, 1), Y(5000), person_id_number=PID,
                     conditions=("below_dibao",))
    assert codes(evaluate(SH, d, household, history, SH_STD)) == expected


def test_missing_dibao_standard_is_a_warning():
    d = RequestDraft("living", None, 2018, None, date(2018, 6, 1), Y(5000), person_id_number=PID,
                     conditions=("accident",))
    ev = evaluate(SH, d, DEEP, [], Standards())
    assert codes(ev) == {"dibao_standard_missing"} and not ev.blocking


# ------------------------------------------------------------ quarterly (001)
@pytest.mark.parametrize("history, quarter, expected", [
    ([], 1, set()),
    ([aid("quarterly", 500, quarter=1)], 3, set()),  # Q1 then Q3: allowed
    ([aid("quarterly", 500, quarter=1)], 2, {"consecutive_quarter"}),  # Q1 then Q2
    ([aid("quarterly", 500, quarter=3)], 2, {"consecutive_quarter"}),  # entered out of order
    ([aid("quarterly", 500, 2022, quarter=4)], 1, {"consecutive_quarter"}),  # Q4 last year, Q1
    ([aid("quarterly", 500, 2022, quarter=3)], 1, set()),
    ([aid("quarterly", 500, quarter=1)], 1, {"duplicate_period"}),
    ([aid("quarterly", 500, quarter=1), aid("quarterly", 600, quarter=3)], 4,
     {"count_limit", "consecutive_quarter"}),  # third in a year
    ([aid("quarterly", 500, quarter=1, rid=1), aid("quarterly", 600, quarter=3, rid=2)], 4,
     {"count_limit", "consecutive_quarter"}),
    ([aid("quarterly", 500, quarter=1, person=OTHER)], 2, set()),  # another family member
    ([aid("emergency", 3000, quarter=None)], 2, set()),  # other types do not count
])
def test_quarterly_count_and_spacing(history, quarter, expected):
    ev = evaluate(ZC, quarterly(quarter=quarter), HH, history, GZ)
    assert codes(ev) == expected
    assert ev.blocking == bool(expected)


def test_third_request_message_lists_quarters():
    hist = [aid("quarterly", 500, quarter=1, rid=1), aid("quarterly", 600, quarter=3, rid=2)]
    f = next(f for f in evaluate(ZC, quarterly(quarter=4), HH, hist, GZ).findings if f.code == "count_limit")
    assert "第一季度" in f.message and "第三季度" in f.message and f.rule == "quarterly.count_limits[0]"


@pytest.mark.parametrize("amount, expected, suggested", [
    (500, set(), 500), (400, set(), 400), (600, set(), 600),
    (700, {"amount_above_standard"}, 600),  # flagged: needs justification
    (300, {"amount_below_standard"}, 400),
    (0, {"amount_not_positive"}, 400),
])
def test_quarterly_amounts(amount, expected, suggested):
    ev = evaluate(ZC, quarterly(amount), HH, [], GZ)
    assert codes(ev) == expected
    assert ev.suggested_amount_fen == Y(suggested)
    if expected == {"amount_above_standard"}:
        assert ev.needs_justification and not ev.blocking


@pytest.mark.parametrize("household, conditions, quarter, expected", [
    (replace(HH, union_member=False), ("dibao_low_income",), 1, {"not_member"}),
    (HH, (), 1, {"condition_missing"}),
    (HH, ("lottery",), 1, {"condition_unknown", "condition_missing"}),
    (HH, ("model_worker",), 1, {"condition_unsupported"}),
    (replace(HH, model_worker=True), ("model_worker",), 1, set()),
    (replace(HH, assistance_status=None), ("dibao_low_income",), 1, {"condition_unsupported"}),
    (HH, ("serious_illness", "disaster"), 1, set()),
    (HH, ("dibao_low_income",), None, {"quarter_required"}),
    (None, ("dibao_low_income",), 1, {"no_archive", "membership_unverified"}),
    (replace(HH, archived=False, status=None), ("dibao_low_income",), 1, {"no_archive"}),
    (replace(HH, status="exited"), ("dibao_low_income",), 1, {"archive_exited"}),
    (replace(HH, status="draft"), ("dibao_low_income",), 1, {"archive_draft"}),
    (replace(HH, status="phasing_out"), ("dibao_low_income",), 1, {"archive_phasing_out"}),
])
def test_quarterly_eligibility(household, conditions, quarter, expected):
    d = quarterly(quarter=quarter or 1, conditions=conditions)
    if quarter is None:
        d = replace(d, quarter=None)
    assert codes(evaluate(ZC, d, household, [], GZ)) == expected


def test_policy_year_and_unknown_type():
    assert "policy_year_mismatch" in codes(evaluate(ZC, quarterly(year=2024), HH, [], GZ))
    ev = evaluate(ZC, replace(quarterly(), relief_type="living"), HH, [], GZ)
    assert codes(ev) == {"unknown_relief_type"} and ev.blocking


def test_reevaluating_an_existing_request_ignores_its_own_rows():
    hist = [aid("quarterly", 500, quarter=3, rid=42)]
    assert codes(evaluate(ZC, quarterly(quarter=3, request_id=42), HH, hist, GZ)) == set()


# ------------------------------------------------------------ emergency (001)
def emergency(subcase, amount, on=date(2023, 7, 1)):
    return RequestDraft("emergency", subcase, 2023, None, on, Y(amount), person_id_number=PID)


@pytest.mark.parametrize("subcase, amount, expected", [
    ("illness_surgery", 1000, {"amount_below_standard"}),  # 001 audit: knee operation, 1,000 yuan
    ("illness_surgery", 3000, set()),
    ("illness_surgery", 6000, {"amount_above_standard"}),
    ("house_destroyed", 2000, set()),
    ("house_destroyed", 1500, {"amount_below_standard"}),
    ("house_damaged", 1500, set()),
    ("bravery", 5000, set()),
    (None, 2000, {"subcase_required"}),
    ("earthquake", 2000, {"subcase_unknown"}),
])
def test_emergency_subcases(subcase, amount, expected):
    assert codes(evaluate(ZC, emergency(subcase, amount), HH, [], GZ)) == expected


def test_knee_operation_finding_is_printable():
    ev = evaluate(ZC, emergency("illness_surgery", 1000), HH, [], GZ)
    (f,) = ev.findings
    assert f.severity == "warning" and "2,000–5,000" in f.message and "1,000" in f.message
    assert ev.needs_justification and not ev.blocking
    assert (ev.standard_min_fen, ev.standard_max_fen) == (Y(2000), Y(5000))


def test_emergency_possible_duplicate_is_warning():
    hist = [aid("emergency", 3000, subcase="illness_surgery", on=date(2023, 6, 20))]
    ev = evaluate(ZC, emergency("illness_surgery", 3000), HH, hist, GZ)
    assert codes(ev) == {"possible_duplicate"} and not ev.blocking
    hist = [aid("emergency", 3000, subcase="illness_surgery", on=date(2023, 3, 1))]
    assert codes(evaluate(ZC, emergency("illness_surgery", 3000), HH, hist, GZ)) == set()


def test_policy_household_cap_ten_months_of_dibao():  # 001: ≤ 10 months of 低保 per household per year
    hist = [aid("quarterly", 600, quarter=1), aid("emergency", 5000, on=date(2023, 2, 1), subcase="bravery")]
    ev = evaluate(ZC, emergency("disaster_severe", 5000), HH, hist, Standards(dibao_monthly_fen=Y(1000)))
    assert "cap_dibao_months" in codes(ev)
    assert ev.remaining_year_allowance_fen == Y(10000 - 5600) == ev.max_allowed_fen


# ------------------------------------------------------------ 送温暖 (001, Guangzhou caps)
def seasonal(amount, goods=False, on=date(2023, 12, 20)):
    return RequestDraft("seasonal", None, 2023, None, on, Y(amount), person_id_number=PID, goods=goods)


@pytest.mark.parametrize("history, amount, goods, expected", [
    ([], 3000, False, set()),
    ([], 3500, False, {"cap_person_time"}),  # over 3,000 per person per time
    ([aid("seasonal", 3000), aid("seasonal", 2000)], 2000, False, {"cap_household_year"}),  # 7,000 > 6,000
    ([aid("seasonal", 3000, person=OTHER), aid("seasonal", 2000)], 1000, False, set()),  # exactly 6,000
    ([aid("seasonal", 3000, person=OTHER), aid("seasonal", 2500)], 1000, False, {"cap_household_year"}),
    ([], 600, True, {"cap_goods_household_time"}),  # goods over 500
    ([], 500, True, set()),
    ([aid("seasonal", 3000), aid("seasonal", 2500), aid("seasonal", 500, goods=True)], 500, True, set()),
    ([aid("seasonal", 500, goods=True), aid("seasonal", 3000)], 3000, False, set()),  # goods don't count
])
def test_seasonal_caps(history, amount, goods, expected):
    assert codes(evaluate(ZC, seasonal(amount, goods), HH, history, GZ)) == expected


def test_seasonal_remaining_allowance():
    ev = evaluate(ZC, seasonal(1000), HH, [aid("seasonal", 2500)], GZ)
    assert ev.remaining_year_allowance_fen == Y(3500)
    assert ev.max_allowed_fen == Y(3000)  # per-time cap binds


def test_seasonal_dibao_months_cap_binds_when_low():
    ev = evaluate(ZC, seasonal(3000), HH, [aid("seasonal", 2500)], Standards(dibao_monthly_fen=Y(500)))
    assert "cap_dibao_months" in codes(ev)  # 10 × 500 = 5,000 per household per year


def test_goods_not_allowed_for_quarterly():
    assert "goods_not_allowed" in codes(evaluate(ZC, quarterly(goods=True), HH, [], GZ))


# ------------------------------------------------------------ Haikou (002) and Kunming (003)
@pytest.mark.parametrize("rt, fund, expected", [
    ("living", "provincial", set()),
    ("medical", "provincial", set()),
    ("seasonal", "provincial", {"fund_source_not_allowed"}),
    ("autumn_education", "provincial", {"fund_source_not_allowed"}),
    ("seasonal", "city", set()),
    ("living", "lottery", {"fund_source_unknown"}),
])
def test_haikou_fund_sources(rt, fund, expected):
    d = RequestDraft(rt, None, 2022, None, date(2022, 9, 1), Y(1000), person_id_number=PID, fund_source=fund)
    assert codes(evaluate(HK, d, HH, [], Standards())) == expected


def test_haikou_attachments_checked_when_given():
    d = RequestDraft("living", None, 2022, None, date(2022, 9, 1), Y(1000), person_id_number=PID,
                     attachments=("入户走访记录（先家访、后建档、再帮扶）",))
    ev = evaluate(HK, d, HH, [], Standards())
    assert codes(ev) == {"attachment_missing"} and "社会保障卡" in ev.findings[0].message
    assert codes(evaluate(HK, d, None, [], Standards())) == {"no_archive", "attachment_missing"}


def kunming(months=4, amount=None, batch=30, **kw):
    return RequestDraft("monthly_subsidy", None, 2017, None, date(2017, 4, 1),
                        Y(amount if amount is not None else 130 * months), person_id_number=PID,
                        months=months, batch_no=batch, **kw)


@pytest.mark.parametrize("draft, history, expected, suggested", [
    (kunming(4), [], set(), 520),
    (kunming(5, batch=31), [aid("monthly_subsidy", 520, 2017, batch=30)], set(), 650),
    (kunming(4), [aid("monthly_subsidy", 520, 2017, batch=30)], {"duplicate_period"}, 520),
    (kunming(4, batch=32), [aid("monthly_subsidy", 650, 2017, batch=30), aid("monthly_subsidy", 650, 2017,
                                                                              batch=31)],
     {"cap_person_year"}, 260),
    (kunming(None, amount=520), [], {"missing_months"}, 0),
    (kunming(4, amount=600), [], {"amount_above_standard"}, 520),
    (kunming(3, amount=780, persons=2), [], set(), 780),
])
def test_kunming_standing_subsidy(draft, history, expected, suggested):
    ev = evaluate(KM, draft, None, history, Standards())  # no archive needed
    assert codes(ev) == expected
    assert ev.suggested_amount_fen == Y(suggested)
