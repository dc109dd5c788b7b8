"""The auditors' indicators on a hand-made year whose every figure is known (reports_year.py):
numerator, denominator, value and the exceptions behind each, one case per exception kind."""
from __future__ import annotations

from datetime import date

import pytest

from zhibang_desktop.services.reports import Indicator, compute_indicators

from .reports_year import YEAR, build_year


@pytest.fixture
def year(ctx):
    return build_year(ctx)


@pytest.fixture
def found(ctx, year) -> dict[str, Indicator]:
    return {i.key: i for i in compute_indicators(ctx, date(YEAR, 1, 1), date(YEAR, 12, 31))}


# key: numerator, denominator, the exception kinds in order
EXPECTED = {
    "plan_completion": (7, 8, ["not_paid"]),
    "archive_coverage": (7, 9, ["no_archive", "no_archive"]),
    "standard_compliance": (7, 9, ["below_standard", "below_standard"]),
    "account_payout": (4, 7, ["not_to_account"] * 3),
    "real_name_payout": (5, 7, ["cash_unsigned", "not_real_name"]),
    "cash_signed": (1, 2, ["cash_unsigned"]),
    "notice_before_payout": (5, 7, ["paid_without_notice", "paid_before_notice_end"]),
    "payout_timeliness": (6, 7, ["late_payout"]),
    "review_timeliness": (8, 9, ["late_review"]),
    "budget_execution": (26580000, 27000000, ["unspent_budget"]),
    "visits_on_time": (3, 4, ["visit_overdue"]),
    "archive_updates": (3, 4, ["late_update"]),
    "phase_out": (1, 2, ["no_phase_out"]),
    "followup_reach": (0, 7, ["followup_missing"] * 7),  # nobody followed up, as seed 001 found
    "complaints": (0, 6, []),  # no complaint registered: 0 ÷ the 6 households aided
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_figure_of_the_hand_made_year(found, key):
    numerator, denominator, kinds = EXPECTED[key]
    ind = found[key]
    assert (ind.numerator, ind.denominator) == (numerator, denominator)
    assert ind.value == pytest.approx(numerator / denominator)
    assert ind.answerable and ind.reason == ""
    assert [e.kind for e in ind.exceptions] == kinds
    assert ind.name and ind.definition and "÷" in ind.definition and ind.seed.startswith("报告")


def test_budget_execution_is_seed_001s_98_44_percent(found):
    ind = found["budget_execution"]
    assert (ind.numerator, ind.denominator, ind.value_text) == (265800_00, 270000_00, "98.44%")
    assert "结余 4,200 元" in ind.exceptions[0].description


def test_indicators_the_data_cannot_answer_say_why(found):
    for key in ("satisfaction", "targeting_accuracy"):
        ind = found[key]
        assert not ind.answerable and ind.value is None and ind.numerator is None and ind.exceptions == ()
        assert ind.reason and ind.value_text == "—"
    assert "回访" in found["satisfaction"].reason


def test_out_of_standard_payments_carry_their_justification(found, year):
    knee, ledger = found["standard_compliance"].exceptions
    assert knee.request_id == year.requests[2] and knee.payment_id == year.lines[2]
    assert "1,000 元" in knee.description and "低于标准（2,000–5,000 元）" in knee.description
    assert knee.justification == "申请时：自付手术费用高，家庭困难"
    # a ledger payment without its sub-case: below every emergency sub-case of the policy
    assert ledger.request_id == year.requests[8] and ledger.household_id is None and ledger.payment_id is None
    assert "周七" in ledger.description and "800 元" in ledger.description


def test_recipients_without_archive_when_paid(found, year):
    late, none = found["archive_coverage"].exceptions
    assert late.household_id == year.households["C"] and f"{YEAR}-05-01 才建档" in late.description
    assert none.household_id is None and "不在档案中" in none.description


def test_late_review_in_working_days(found, year):
    (late,) = found["review_timeliness"].exceptions
    assert late.request_id == year.requests[4] and late.household_id == year.households["D"]
    assert "晚 3 个工作日" in late.description and "审核人小林" in late.description


def test_late_payout_counts_from_the_first_batch_of_a_reissue(found, year):
    (late,) = found["payout_timeliness"].exceptions
    assert late.payment_id == year.lines[6] and late.request_id == year.requests[6]
    assert "晚 10 个工作日" in late.description and f"{YEAR}-09-10" in late.description


def test_payouts_before_the_notice_ended(found, year):
    no_notice, early = found["notice_before_payout"].exceptions
    assert no_notice.request_id == year.requests[4] and no_notice.justification == "管理员 特批：住院急需先行发放"
    assert early.request_id == year.requests[5] and f"{YEAR}-09-12 才结束" in early.description
    assert early.justification == ""


def test_cash_without_a_signed_list(found, year):
    (unsigned,) = found["cash_signed"].exceptions
    assert unsigned.payment_id == year.lines[3] and "未附签字的签领表扫描件" in unsigned.description


def test_not_paid_lists_the_renounced_request_with_its_reason(found, year):
    (x,) = found["plan_completion"].exceptions
    assert x.request_id == year.requests[10] and "本人放弃" in x.description and x.justification == "本人放弃"


def test_a_period_still_running_is_judged_as_of_today(ctx, year):
    from datetime import timedelta

    from zhibang_desktop.domain import clock

    today = clock.today()
    running = {i.key: i for i in compute_indicators(ctx, date(YEAR, 1, 1), today + timedelta(days=40))}
    (x,) = running["plan_completion"].exceptions
    assert f"截至 {today.isoformat()} 未发放" in x.description


def test_households_overdue_and_late_updates(found, year):
    (overdue,) = found["visits_on_time"].exceptions
    assert overdue.household_id == year.households["B"] and "逾期 119 天" in overdue.description
    (late,) = found["archive_updates"].exceptions
    assert late.household_id == year.households["C"] and "晚 15 天" in late.description
    (exit_,) = found["phase_out"].exceptions
    assert exit_.household_id == year.households["E"] and exit_.justification == "死亡"


def test_a_period_narrows_every_count(ctx, year):
    first_quarter = {i.key: i for i in compute_indicators(ctx, date(YEAR, 1, 1), date(YEAR, 3, 31))}
    # payouts 1, 2, 7 (B1, 20 March) and the ledger payment 9 (10 February)
    assert first_quarter["archive_coverage"].denominator == 4
    assert first_quarter["standard_compliance"].numerator == 3
    assert first_quarter["payout_timeliness"].exceptions == ()


def test_a_bad_period_is_refused(ctx):
    from zhibang_desktop.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="结束日期"):
        compute_indicators(ctx, date(YEAR, 12, 31), date(YEAR, 1, 1))


@pytest.mark.parametrize("due, done, text", [
    (date(2026, 11, 13), date(2026, 11, 16), "晚 1 个工作日"),  # Friday's deadline, Monday's decision
    (date(2026, 11, 13), date(2026, 11, 18), "晚 3 个工作日"),
    (date(2026, 11, 13), date(2026, 11, 14), "晚 1 天（截止后的休息日，未满 1 个工作日）"),  # that Saturday
    (date(2026, 11, 13), date(2026, 11, 15), "晚 2 天（截止后的休息日，未满 1 个工作日）"),  # that Sunday
])
def test_lateness_is_told_in_working_days_and_rest_days_are_named(due, done, text):
    """A deadline passed only by the weekend after it read 晚 0 个工作日 (5 of the demo year's 26 late reviews)."""
    from zhibang_desktop.domain.workdays import WorkCalendar
    from zhibang_desktop.services.reports.common import late_text

    assert late_text(WorkCalendar([], []), due, done) == text


def test_a_saturday_declared_a_working_day_counts_as_one():
    from zhibang_desktop.domain.workdays import DayOverride, WorkCalendar
    from zhibang_desktop.services.reports.common import late_text

    make_up = WorkCalendar([DayOverride(date(2026, 11, 14), True, "调休上班")], [2026])
    assert late_text(make_up, date(2026, 11, 13), date(2026, 11, 14)) == "晚 1 个工作日"


def test_the_demo_year_says_no_late_decision_is_0_working_days_late(demo_copy):
    from zhibang_desktop.services.context import SYSTEM, AppContext
    from zhibang_desktop.storage.database import open_database
    from tests.pinned import TEST_TODAY

    db = open_database(demo_copy)
    try:
        year = TEST_TODAY.year
        found = compute_indicators(AppContext(db, SYSTEM), date(year, 1, 1), date(year, 12, 31))
    finally:
        db.close()
    late = [e.description for i in found for e in i.exceptions if e.kind in ("late_review", "late_payout")]
    assert late and not [d for d in late if "晚 0 个工作日" in d]
