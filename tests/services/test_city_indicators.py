"""City mode (issue 14): the 报表 page's and the annual report's indicators in a city union's
database.  What the counties' files carry (payments, households, requests, budgets) is computed
live; the indicators that need reviews, visits, notices, payout lines or follow-ups — records
that stay with the county — are the counties' reported figures, summed over the counties
(numerators over denominators) or one county's own, and say so."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from zhibang_desktop.services.admin import org
from zhibang_desktop.services.exchange import import_annual_workbook
from zhibang_desktop.services.reports import annual_report, compute_indicators
from zhibang_desktop.services.reports.county_reported import LIVE_IN_CITY, REPORTED
from zhibang_desktop.storage.models import OrgUnit

from .city_counties import YEAR, city_office

WHOLE_YEAR = (date(YEAR, 1, 1), date(YEAR, 12, 31))


@pytest.fixture
def city(db):
    return city_office(db)


def _own_indicators(county):
    return county.read(lambda ctx: {i.key: i for i in annual_report(ctx, YEAR).indicators})


def _figure(i):
    return i.answerable, i.numerator, i.denominator


def test_indicators_from_the_counties_reports_and_live(city, counties):
    units = {c.office: import_annual_workbook(city, c.file).unit_id for c in counties}
    own = {c.office: _own_indicators(c) for c in counties}
    keys = set(next(iter(own.values())))
    assert LIVE_IN_CITY < keys and keys - LIVE_IN_CITY
    whole = {i.key: i for i in annual_report(city, YEAR).indicators}
    assert whole.keys() == keys
    for key, i in whole.items():
        if key in LIVE_IN_CITY:
            assert i.source == ""
            continue
        assert i.source == REPORTED
        theirs = [x[key] for x in own.values() if x[key].answerable]
        assert i.answerable == bool(theirs)
        if theirs:  # weighted by each county's denominator: sums over sums
            assert (i.numerator, i.denominator) == (sum(x.numerator for x in theirs),
                                                    sum(x.denominator for x in theirs))
            assert i.shortfalls == sum(len(x.exceptions) for x in theirs)
        assert sorted(e.description.split("：")[0] for e in i.exceptions) == sorted(own)  # a line per county
    assert any(whole[k].answerable for k in keys - LIVE_IN_CITY)
    for office, unit in units.items():  # one county: its own figures, reported or live
        mine = {i.key: i for i in compute_indicators(city, *WHOLE_YEAR, unit)}
        for key, x in own[office].items():
            assert _figure(mine[key]) == _figure(x), key
            assert mine[key].source == ("" if key in LIVE_IN_CITY else REPORTED)


def test_what_the_counties_reports_cannot_answer(city, counties):
    unit = import_annual_workbook(city, counties[0].file).unit_id
    with city.db.session() as s:
        root = org.district_unit(s).id
        street = s.execute(select(OrgUnit.id).where(OrgUnit.parent_id == unit).order_by(OrgUnit.id)).scalar()
    org.add_unit(city, "白云区总工会", "district", root)  # no file of the year yet
    reported = [k for k in (i.key for i in compute_indicators(city, *WHOLE_YEAR)) if k not in LIVE_IN_CITY]
    whole = {i.key: i for i in compute_indicators(city, *WHOLE_YEAR)}
    assert all("白云区总工会：" in " ".join(e.description for e in whole[k].exceptions) for k in reported)
    quarter = {i.key: i for i in compute_indicators(city, date(YEAR, 4, 1), date(YEAR, 6, 30))}
    assert all(not quarter[k].answerable and "全年" in quarter[k].reason for k in reported)
    below = {i.key: i for i in compute_indicators(city, *WHOLE_YEAR, street)}
    assert all(not below[k].answerable and "区县以下" in below[k].reason for k in reported)
    earlier = {i.key: i for i in compute_indicators(city, date(YEAR - 3, 1, 1), date(YEAR - 3, 12, 31))}
    assert all(not earlier[k].answerable and "尚未导入" in earlier[k].reason for k in reported)


def test_a_county_database_computes_every_indicator_itself(ctx):
    assert all(i.source == "" for i in compute_indicators(ctx, *WHOLE_YEAR))
