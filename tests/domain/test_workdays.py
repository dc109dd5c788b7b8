import datetime as dt

import chinese_calendar
import pytest

from zhibang_desktop.domain.workdays import DayOverride, DueDate, WorkCalendar, package_years

D = dt.date
CAL = WorkCalendar()


def test_make_up_workdays_are_the_ones_the_package_knows():
    # 2026 调休 weekends as chinese_calendar records them (State Council notice).
    assert chinese_calendar.get_holiday_detail(D(2026, 9, 20)) == (False, "National Day")
    assert chinese_calendar.get_holiday_detail(D(2026, 10, 10)) == (False, "National Day")
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 14)) == (False, "Spring Festival")
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 28)) == (False, "Spring Festival")


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        *[(D(2026, 10, d), False) for d in range(1, 8)],
        (D(2026, 9, 30), True),
        (D(2026, 10, 8), True),
        (D(2026, 9, 20), True),
        (D(2026, 10, 10), True),
        (D(2026, 10, 11), False),
        *[(D(2026, 2, d), False) for d in range(15, 24)],
        (D(2026, 2, 14), True),
        (D(2026, 2, 28), True),
        (D(2026, 2, 24), True),
        (D(2026, 11, 21), False),
        (D(2026, 11, 23), True),
        (D(2027, 1, 1), True),
        (D(2027, 1, 2), False),
        (D(2003, 12, 31), True),
        (dt.datetime(2026, 10, 1, 9, 30), False),
    ],
)
def test_is_workday(day, workday):
    assert CAL.is_workday(day) is workday


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 11, 20), 5, D(2026, 11, 27)),
        (D(2026, 11, 20), 0, D(2026, 11, 20)),
        (D(2026, 11, 20), 1, D(2026, 11, 23)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 9, 30), 5, D(2026, 10, 13)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 12), 5, D(2026, 2, 26)),
        (D(2026, 2, 12), 30, D(2026, 4, 1)),
    ],
)
def test_add_working_days_with_package_data(start, n, due):
    result = CAL.add_working_days(start, n)
    assert result == DueDate(due, ())
    assert result.warning is None


def test_due_date_in_unknown_year_warns_instead_of_crashing():
    result = CAL.add_working_days(D(2026, 12, 28), 5)
    assert result.date == D(2027, 1, 4)
    assert result.assumed_years == (2027,)
    assert result.warning == (
        "2027年的节假日安排尚未录入，到期日仅按周末推算，请管理员在“节假日”中补录国务院通知"
    )


def test_warning_lists_every_unknown_year():
    result = CAL.add_working_days(D(2027, 12, 1), 300)
    assert result.assumed_years == (2027, 2028, 2029)
    assert result.warning.startswith("2027、2028、2029年")


def test_admin_override_adds_a_holiday_in_2027():
    calendar = WorkCalendar([DayOverride(D(2027, 1, 1), False, "元旦")], covered_years=[2027])
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.is_year_known(2027)
    assert calendar.add_working_days(D(2026, 12, 31), 1) == DueDate(D(2027, 1, 4), ())


def test_override_without_covered_year_still_warns():
    calendar = WorkCalendar([DayOverride(D(2027, 1, 1), False, "元旦")])
    result = calendar.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4)
    assert result.assumed_years == (2027,)


def test_override_beats_the_package():
    calendar = WorkCalendar(
        [DayOverride(D(2026, 10, 10), False, "调休取消"), DayOverride(D(2026, 10, 8), False, "地方假")]
    )
    assert calendar.add_working_days(D(2026, 9, 30), 2) == DueDate(D(2026, 10, 12), ())
    assert calendar.override(D(2026, 10, 8)).name == "地方假"


@pytest.mark.parametrize("year", list(range(2004, 2027)))
def test_package_years_are_known(year):
    assert year in package_years()
    assert CAL.is_year_known(year)


@pytest.mark.parametrize("year", [2003, package_years().stop, 2030])
def test_years_outside_the_package_are_unknown(year):
    assert not CAL.is_year_known(year)
    assert CAL.is_workday(D(year, 6, 1)) is (D(year, 6, 1).weekday() < 5)


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        (D(2026, 11, 20), D(2026, 11, 27), 5),
        (D(2026, 9, 30), D(2026, 10, 8), 1),
        (D(2026, 9, 30), D(2026, 10, 13), 5),
        (D(2026, 11, 20), D(2026, 11, 20), 0),
        (D(2026, 11, 27), D(2026, 11, 20), 0),
        (D(2026, 12, 31), D(2027, 1, 8), 6),
    ],
)
def test_working_days_between(a, b, count):
    assert CAL.working_days_between(a, b) == count


@pytest.mark.parametrize(
    ("a", "b", "years"),
    [
        (D(2026, 1, 1), D(2026, 12, 31), ()),
        (D(2026, 12, 31), D(2027, 1, 8), (2027,)),
        (D(2027, 1, 1), D(2026, 1, 1), ()),
    ],
)
def test_unknown_years_between(a, b, years):
    assert CAL.unknown_years_between(a, b) == years


@pytest.mark.parametrize("start", [D(2026, 11, 20), D(2026, 2, 10), D(2027, 3, 3)])
@pytest.mark.parametrize("n", [1, 5, 20])
def test_add_and_between_agree(start, n):
    due = CAL.add_working_days(start, n).date
    assert CAL.working_days_between(start, due) == n
    assert CAL.is_workday(due)


def test_negative_n_is_rejected():
    with pytest.raises(ValueError):
        CAL.add_working_days(D(2026, 11, 20), -1)
