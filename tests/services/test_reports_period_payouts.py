"""What was paid in a report's period (the 报表 page's line above the indicators), on the
hand-made year of reports_year: every figure below is counted from its docstring."""
from __future__ import annotations

from datetime import date

import pytest

from tests.admin_helpers import admin_context, user_context
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed
from zhibang_desktop.services.reports import annual_report, period_payouts

from .reports_year import STREET1, STREET2, YEAR, build_year


@pytest.fixture
def world(ctx):
    y = build_year(ctx)
    admin = admin_context(ctx)
    return y, admin, user_context(admin, "lc_clerk", ["clerk"], scope_unit_id=y.units[STREET1])


def _figures(paid):
    return ((paid.total.households, paid.total.payments, paid.total.amount_fen),
            [(r.name, r.payments, r.amount_fen) for r in paid.by_type])


@pytest.mark.parametrize("who, start, end, total, kinds", [
    # payouts 1, 2, 7 on 03-20 and ledger 9 on 02-10: A twice, B, F
    ("admin", date(YEAR, 1, 1), date(YEAR, 3, 31), (3, 4, 250_000), [("季度救助", 3, 150_000), ("紧急救助", 1, 100_000)]),
    # payouts 3 (C), 4 (D, 新塘镇) on 04-15 and ledger 8 (周七) on 06-01
    ("admin", date(YEAR, 4, 1), date(YEAR, 6, 30), (3, 3, 190_000), [("季度救助", 2, 110_000), ("紧急救助", 1, 80_000)]),
    # the street's clerk: C only (D is 新塘镇's, 周七 the district's ledger)
    ("street", date(YEAR, 4, 1), date(YEAR, 6, 30), (1, 1, 60_000), [("季度救助", 1, 60_000)]),
    ("admin", date(YEAR, 3, 20), date(YEAR, 3, 20), (3, 3, 200_000), [("紧急救助", 1, 100_000), ("季度救助", 2, 100_000)]),
    ("admin", date(YEAR, 10, 1), date(YEAR, 12, 31), (0, 0, 0), []),
])
def test_a_periods_payments_by_type(world, who, start, end, total, kinds):
    _, admin, street = world
    assert _figures(period_payouts(admin if who == "admin" else street, start, end)) == (total, kinds)


def test_the_year_is_the_annual_reports_table(world):
    y, admin, street = world
    for ctx, unit in ((admin, None), (street, None), (admin, y.units[STREET2])):
        paid, report = period_payouts(ctx, date(YEAR, 1, 1), date(YEAR, 12, 31), unit), annual_report(ctx, YEAR, unit)
        assert (paid.total, paid.by_type) == (report.total, report.by_type)


def test_out_of_scope_and_backwards_periods_are_refused(world):
    y, _, street = world
    with pytest.raises(PermissionDenied):
        period_payouts(street, date(YEAR, 1, 1), date(YEAR, 12, 31), y.units[STREET2])
    with pytest.raises(ValidationFailed, match="早于开始日期"):
        period_payouts(street, date(YEAR, 2, 1), date(YEAR, 1, 1))
