"""The last visit that makes a household overdue on a given day (domain/household.py): the day
a query compares last visits with, instead of computing each household's due date."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from zhibang_desktop.domain.household import add_months, last_visit_overdue_by


@pytest.mark.parametrize("as_of, months, latest", [
    (date(2025, 12, 31), 6, date(2025, 6, 30)),  # 1 Jul + 6 = 31 Dec, due that day: not overdue
    (date(2025, 12, 31), 12, date(2024, 12, 30)),
    (date(2026, 2, 28), 6, date(2025, 8, 27)),  # 28–31 Aug + 6 are all 28 Feb
    (date(2026, 3, 1), 6, date(2025, 8, 31)),
    (date(2024, 2, 29), 12, date(2023, 2, 28)),  # leap day: 28 Feb + a year is the 28th
    (date(2024, 3, 1), 12, date(2023, 2, 28)),  # …and 1 Mar + a year is 1 Mar
    (date(2025, 3, 31), 1, date(2025, 2, 28)),  # 28 Feb + 1 = 28 Mar, still before; 1 Mar + 1 = 1 Apr
    (date(2025, 3, 28), 1, date(2025, 2, 27)),
    (date(2025, 1, 1), 0, date(2024, 12, 31)),
])
def test_known_days(as_of, months, latest):
    assert last_visit_overdue_by(as_of, months) == latest


@pytest.mark.parametrize("months", [1, 2, 3, 6, 12, 24])
def test_agrees_with_the_due_date_on_every_day_of_two_years(months):
    day = date(2023, 1, 1)
    while day <= date(2024, 12, 31):
        latest = last_visit_overdue_by(day, months)
        for visit in (latest + timedelta(days=k) for k in range(-40, 41)):
            assert (add_months(visit, months) < day) == (visit <= latest), (day, months, visit)
        day += timedelta(days=1)
