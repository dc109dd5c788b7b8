"""City mode across counties (issue 14): the same ID number aided in two counties in one year
(with both amounts), a head who is a member of a household in another county, and the
city's allocations reconciled with what each county reports spent."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select, update

from tests.admin_helpers import admin_context, user_context
from zhibang_desktop.services import funds
from zhibang_desktop.services.admin import org
from zhibang_desktop.services.errors import PermissionDenied
from zhibang_desktop.services.exchange import (
    cross_county, export_annual_workbook, import_annual_workbook, reconcile_allocations,
)
from zhibang_desktop.storage.models import FamilyMember, Household, Payment, ReliefRequest

from .city_counties import YEAR, city_office, copy_of

IN_YEAR = (Payment.paid_on >= date(YEAR, 1, 1), Payment.paid_on <= date(YEAR, 12, 31))


def _aided(county):
    """(id number, name, amount) of the county's people paid in the year, most paid first."""
    ctx = county.context()
    try:
        with ctx.db.session() as s:
            return s.execute(select(Payment.id_number, func.min(Payment.name), func.sum(Payment.amount_fen))
                             .where(*IN_YEAR, Payment.household_id.is_not(None)).group_by(Payment.id_number)
                             .order_by(func.sum(Payment.amount_fen).desc(), Payment.id_number)).all()
    finally:
        ctx.db.close()


@pytest.fixture
def spread(counties, tmp_path):
    """County B's most-aided household carries the ID number of county A's most-aided head; a
    household of county C lists another of A's heads as a member."""
    a, b, c = counties
    (shared, _, _), (member, member_name, _) = _aided(a)[:2]
    b2, c2 = copy_of(b, tmp_path / "b"), copy_of(c, tmp_path / "c")
    ctx = b2.context()
    with ctx.db.session() as s:
        number = _aided(b)[0][0]
        hid = s.execute(select(Household.id).where(Household.id_number == number)).scalar_one()
        s.execute(update(Household).where(Household.id == hid).values(id_number=shared))
        s.execute(update(Payment).where(Payment.household_id == hid).values(id_number=shared))
        s.execute(update(ReliefRequest).where(ReliefRequest.household_id == hid).values(id_number=shared))
        b_amount = s.execute(select(func.sum(Payment.amount_fen)).where(*IN_YEAR, Payment.id_number == shared)
                             ).scalar_one()
    export_annual_workbook(ctx, YEAR, b2.file)
    ctx.db.close()
    ctx = c2.context()
    with ctx.db.session() as s:
        home = s.execute(select(Household.id, Household.name).where(Household.status == "active")
                         .order_by(Household.id)).first()
        s.execute(insert(FamilyMember), [{"household_id": home.id, "name": member_name, "id_number": member,
                                          "relation": "兄弟", "schooling": "none", "monthly_income_fen": 0}])
    export_annual_workbook(ctx, YEAR, c2.file)
    ctx.db.close()
    return (a, b2, c2), shared, b_amount, member, home.name


def test_same_person_aided_in_two_counties_and_head_member_elsewhere(db, spread):
    (a, b, c), shared, b_amount, member, home_head = spread
    city = city_office(db)
    for county in (a, b, c):
        import_annual_workbook(city, county.file)
    found = cross_county(city, YEAR)
    twice = {t.id_number: t for t in found.aided_twice}
    assert list(twice) == [shared]
    a_amount = next(amount for number, _, amount in _aided(a) if number == shared)
    assert [(x.county, x.amount_fen) for x in twice[shared].counties] == sorted(
        [(a.office, a_amount), (b.office, b_amount)])
    assert twice[shared].amount_fen == a_amount + b_amount
    elsewhere = [(h.id_number, h.head_county, h.member_county, h.member_of) for h in found.heads_members_elsewhere]
    assert (member, a.office, c.office, home_head) in elsewhere
    assert cross_county(city, YEAR - 5).aided_twice == ()


def test_cross_county_lists_are_city_wide(db, counties):
    city = city_office(db)
    unit = import_annual_workbook(city, counties[0].file).unit_id
    admin = admin_context(city)
    bound = user_context(admin, "head_zc", ["head"], scope_unit_id=unit)
    for call in (cross_county, reconcile_allocations):
        with pytest.raises(PermissionDenied):
            call(bound, YEAR)


def _spent(county, code):
    ctx = county.context()
    try:
        with ctx.db.session() as s:
            return s.execute(select(func.coalesce(func.sum(Payment.amount_fen), 0))
                             .where(*IN_YEAR, Payment.fund_source == code)).scalar_one()
    finally:
        ctx.db.close()


def test_allocations_reconcile_with_what_counties_spent(db, counties):
    city = city_office(db)
    funds.add_source(city, "财政预算资金", code="city")  # the counties call code "city" so too
    units = {c.office: import_annual_workbook(city, c.file).unit_id for c in counties[:2]}
    with db.session() as s:
        root = org.district_unit(s).id
    units["白云区总工会"] = org.add_unit(city, "白云区总工会", "district", root).id  # allocated to, file not in yet
    line = funds.add_budget(city, YEAR, "财政预算资金", 10_000_000, "困难职工帮扶", unit_id=root,
                            set_on=date(YEAR, 1, 5))
    given = {counties[0].office: 3_000_000, counties[1].office: 2_000_000, "白云区总工会": 500_000}
    for office, amount in given.items():
        funds.allocate(city, line.id, units[office], amount, "穗工〔2026〕5号", date(YEAR, 3, 1))
    rec = reconcile_allocations(city, YEAR)
    rows = {r.county: r for r in rec.rows if r.source_code == "city"}
    assert set(rows) == set(given)
    assert all(r.matched for r in rows.values())
    assert {(r.county, r.source_code) for r in rec.problems} == {(c.office, "union") for c in counties[:2]}
    for county in counties[:2]:
        r = rows[county.office]
        spent = _spent(county, "city")
        assert (r.source_code, r.allocated_fen, r.spent_fen, r.imported) == ("city", given[county.office], spent, True)
        assert r.difference_fen == given[county.office] - spent and r.county_budget_fen > 0
    late = rows["白云区总工会"]
    assert (late.imported, late.spent_fen, late.difference_fen) == (False, None, 500_000)
    assert rec.allocated_fen == sum(given.values())
    assert rec.difference_fen == rec.allocated_fen - sum(_spent(c, "city") for c in counties[:2])


def test_a_number_held_by_two_counties_is_not_printed_by_guess(db, spread):
    """`print archive` by ID number: in a city the same head may be in two counties' archives."""
    from zhibang_desktop.services.archive import printing
    from zhibang_desktop.services.errors import ServiceError

    (a, b, c), shared, _, _, _ = spread
    city = city_office(db)
    for county in (a, b):
        import_annual_workbook(city, county.file)
    with pytest.raises(ServiceError, match="各有一份，不能确定是哪一份") as exc:
        printing.find_household(city, shared)
    assert a.office in str(exc.value) and b.office in str(exc.value)  # both counties named


def test_sources_matched_by_code_and_name(db, counties):
    """A code the city and the county name differently, a source only the city allocated from and
    one only the county has: each listed with its reason, none joined into the totals."""
    city = city_office(db)
    funds.add_source(city, "市级财政帮扶资金", code="city")  # the county calls "city" 财政预算资金
    funds.add_source(city, "市总专项资金", code="city_special")
    county = counties[0]
    unit = import_annual_workbook(city, county.file).unit_id
    with db.session() as s:
        root = org.district_unit(s).id
    for source, amount in (("市级财政帮扶资金", 3_000_000), ("市总专项资金", 400_000)):
        line = funds.add_budget(city, YEAR, source, 10_000_000, "困难职工帮扶", unit_id=root, set_on=date(YEAR, 1, 5))
        funds.allocate(city, line.id, unit, amount, "穗工〔2026〕5号", date(YEAR, 3, 1))
    rec = reconcile_allocations(city, YEAR)
    rows = {r.source_code: r for r in rec.rows}
    assert set(rows) == {"city", "city_special", "union"} and not any(r.matched for r in rows.values())
    renamed = rows["city"]
    assert (renamed.source_name, renamed.county_source_name, renamed.allocated_fen) == (
        "市级财政帮扶资金", "财政预算资金", 3_000_000)
    assert "名称不同" in renamed.problem and "市级财政帮扶资金" in renamed.problem and "财政预算资金" in renamed.problem
    assert renamed.difference_fen is None and renamed.spent_fen == _spent(county, "city")
    assert rows["city_special"].problem.startswith("仅市总有") and rows["city_special"].county_budget_fen is None
    own = rows["union"]
    assert own.problem.startswith("仅区县有") and "工会经费" in own.problem
    assert (own.allocated_fen, own.spent_fen) == (0, _spent(county, "union")) and own.county_budget_fen > 0
    assert (rec.allocated_fen, rec.spent_fen) == (3_400_000, 0)  # nothing joined
