"""Reports follow the union scope: a street-union user gets its own subtree only; ``unit_id``
narrows within it; a union outside it is refused."""
from __future__ import annotations

from datetime import date

import pytest

from tests.admin_helpers import admin_context, user_context
from zhibang_desktop.services.errors import PermissionDenied
from zhibang_desktop.services.reports import annual_report, compute_indicators

from .reports_year import STREET1, STREET2, YEAR, build_year

START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)


@pytest.fixture
def world(ctx):
    y = build_year(ctx)
    admin = admin_context(ctx)
    street = user_context(admin, "lc_clerk", ["clerk"], scope_unit_id=y.units[STREET1])
    head = user_context(admin, "head1", ["head"])
    return y, street, head


def by_key(found):
    return {i.key: i for i in found}


def test_street_user_sees_its_subtree_only(world):
    y, street, _ = world
    found = by_key(compute_indicators(street, START, END))
    # payouts 1, 2, 3, 5, 6, 7 and ledger 9: not 赵四 (新塘镇) nor 周七 (district ledger)
    assert found["archive_coverage"].denominator == 7
    assert [e.household_id for e in found["archive_coverage"].exceptions] == [y.households["C"]]
    assert found["notice_before_payout"].numerator == 5 and found["notice_before_payout"].denominator == 6
    assert found["review_timeliness"].exceptions == ()  # the late review was 新塘镇's
    assert found["visits_on_time"].denominator == 3
    all_households = {e.household_id for i in found.values() for e in i.exceptions} - {None}
    assert y.households["D"] not in all_households
    # the budget line is the district's: a street user has none to report on
    assert not found["budget_execution"].answerable and "预算" in found["budget_execution"].reason


def test_unit_outside_the_scope_is_refused(world):
    y, street, _ = world
    with pytest.raises(PermissionDenied, match="管辖范围"):
        compute_indicators(street, START, END, unit_id=y.units[STREET2])


def test_unit_narrows_an_office_wide_user(world):
    y, _, head = world
    found = by_key(compute_indicators(head, START, END, unit_id=y.units[STREET2]))
    assert (found["archive_coverage"].numerator, found["archive_coverage"].denominator) == (1, 1)
    assert [e.kind for e in found["review_timeliness"].exceptions] == ["late_review"]
    assert [e.request_id for e in found["notice_before_payout"].exceptions] == [y.requests[4]]
    assert not found["budget_execution"].answerable  # no budget line of 新塘镇's own


@pytest.mark.parametrize("role", ["clerk", "head", "auditor", "reviewer"])
def test_report_readers(ctx, role):
    admin = admin_context(ctx)
    user = user_context(admin, f"u_{role}", [role])
    assert len(compute_indicators(user, START, END)) >= 13


def test_annual_report_of_a_street_user(world):
    y, street, head = world
    rep = annual_report(street, YEAR)
    assert rep.unit_name == STREET1 and rep.total.payments == 7
    assert [u.name for u in rep.by_union] == ["荔城街某某电子厂工会"]
    assert rep.by_source == () and rep.execution_rate is None
    with pytest.raises(PermissionDenied, match="管辖范围"):
        annual_report(street, YEAR, unit_id=y.units[STREET2])
    assert annual_report(head, YEAR, unit_id=y.units[STREET2]).total.amount_fen == 50000
