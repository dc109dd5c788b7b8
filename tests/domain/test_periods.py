"""Quarters: a new request defaults to the current one; a past one is warned about (issue 8)."""
from datetime import date

import pytest

from zhibang_desktop.domain.periods import quarter_has_passed, quarter_of


@pytest.mark.parametrize("d, q", [(date(2026, 1, 1), 1), (date(2026, 3, 31), 1), (date(2026, 4, 1), 2),
                                  (date(2026, 9, 30), 3), (date(2026, 12, 2), 4), (date(2026, 12, 31), 4)])
def test_quarter_of(d, q):
    assert quarter_of(d) == q


@pytest.mark.parametrize("year, quarter, passed", [
    (2026, 1, True), (2026, 3, True), (2026, 4, False), (2025, 4, True), (2027, 1, False)])
def test_quarter_has_passed_in_december(year, quarter, passed):
    assert quarter_has_passed(year, quarter, date(2026, 12, 2)) is passed
