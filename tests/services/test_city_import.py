"""City mode (issue 14): three demo counties' annual files imported into a city union's database.
Their figures add up exactly to the counties' own reports, a re-import replaces (never
doubles) and is recorded, a tampered, cut-short or old-layout file changes nothing, and a
county's own database refuses to import."""
from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import delete, func, select

from tests.admin_helpers import admin_context, user_context
from zhibang_desktop.documents.exchange_layout import LAYOUT_VERSION
from zhibang_desktop.services.admin import org
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.errors import PermissionDenied
from zhibang_desktop.services.exchange import (
    ExchangeFileRefused, NotACityDatabase, export_annual_workbook, import_annual_workbook, import_records,
    reported_indicators,
)
from zhibang_desktop.services.reports import annual_report, dashboard
from zhibang_desktop.storage.models import AuditEntry, ExchangeImport, FamilyMember, Household, Payment, ReliefRequest

from .city_counties import YEAR, city_office, copy_of


@pytest.fixture
def city(db):
    return city_office(db)


def _figures(report):
    """What must agree between a county's own report and the city's report on that county."""
    rows = lambda rs: sorted((r.type, r.households, r.persons, r.payments, r.amount_fen, r.average_fen, r.min_fen,
                              r.max_fen) for r in rs)
    t = report.total
    return {"total": (t.households, t.persons, t.payments, t.amount_fen, t.min_fen, t.max_fen),
            "by_type": rows(report.by_type),
            "by_union": sorted((u.name, u.households, u.payments, u.amount_fen, u.archived_households)
                               for u in report.by_union)}


def _monthly(board):
    return sorted((p.relief_type, p.amounts_fen, p.counts) for p in board.payouts)


def _own_dashboard(county):
    return county.read(lambda ctx: dashboard(ctx, YEAR))


def _own_report(county):
    return county.read(lambda ctx: annual_report(ctx, YEAR))


def _reported_indicators_add_up(city, own):
    """Each county's indicators as it computed them, and the city's sums of them."""
    reported = {i.key: i for i in reported_indicators(city, YEAR)}
    assert reported
    for key, i in reported.items():
        mine = {office: next(x for x in r.indicators if x.key == key) for office, r in own.items()}
        assert {c.county: (c.numerator, c.denominator) for c in i.counties} == {
            office: (x.numerator, x.denominator) if x.answerable else (None, None) for office, x in mine.items()}
        assert (i.numerator, i.denominator) == (sum(x.numerator for x in mine.values() if x.answerable),
                                                sum(x.denominator for x in mine.values() if x.answerable))


def _table_counts(ctx):
    with ctx.db.session() as s:
        return {m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Household, FamilyMember, ReliefRequest, Payment, ExchangeImport)}


def test_three_counties_add_up_exactly(city, counties):
    done = [import_annual_workbook(city, c.file) for c in counties]
    assert [d.county for d in done] == [c.office for c in counties]
    own = {c.office: _own_report(c) for c in counties}
    for county, imported in zip(counties, done):
        assert _figures(annual_report(city, YEAR, imported.unit_id)) == _figures(own[county.office])
        assert _monthly(dashboard(city, YEAR, imported.unit_id)) == _monthly(_own_dashboard(county))
    _reported_indicators_add_up(city, own)
    whole = annual_report(city, YEAR).total
    assert whole.amount_fen == sum(r.total.amount_fen for r in own.values()) > 0
    assert whole.payments == sum(r.total.payments for r in own.values())
    assert whole.households == sum(r.total.households for r in own.values())
    by_county = {u.name: u.amount_fen for u in annual_report(city, YEAR).by_union}
    assert by_county == {name: r.total.amount_fen for name, r in own.items()}
    with city.db.session() as s:  # each county is a subtree under the city union
        root = org.district_unit(s)
        assert root.level == "city" and root.name == "广州市总工会"
    checks = run_checks(city.db)  # every imported row sealed, the audit chain whole
    assert checks.ok, [(i.name, i.detail) for i in checks.items if not i.ok]


def test_a_reimport_replaces_and_is_recorded(city, counties, tmp_path):
    first = import_annual_workbook(city, counties[0].file)
    before = _table_counts(city)
    again = import_annual_workbook(city, counties[0].file)
    assert again.replaced_import_id == first.import_id
    after = _table_counts(city)
    assert after == before | {"exchange_imports": before["exchange_imports"] + 1}
    records = import_records(city)
    assert [(r.id, r.replaced_by) for r in records] == [(again.import_id, None), (first.import_id, again.import_id)]
    assert records[0].file_sha256 == first.sha256 and records[0].counts["payments"] == first.counts["payments"]

    changed = copy_of(counties[0], tmp_path / "changed")  # the county corrects its year and sends it again
    ctx = changed.context()
    with ctx.db.session() as s:
        gone = s.execute(select(Payment.id).order_by(Payment.id.desc()).limit(1)).scalar_one()
        s.execute(delete(Payment).where(Payment.id == gone))
    export_annual_workbook(ctx, YEAR, changed.file)
    own = annual_report(ctx, YEAR)
    ctx.db.close()
    third = import_annual_workbook(city, changed.file)
    assert _figures(annual_report(city, YEAR, third.unit_id)) == _figures(own)
    assert _table_counts(city)["payments"] == before["payments"] - 1
    with city.db.session() as s:
        audited = s.execute(select(AuditEntry.summary).where(AuditEntry.entity == "annual_exchange",
                                                             AuditEntry.action == "import")).scalars().all()
    assert len(audited) == 3 and "替换" in audited[-1] and counties[0].office in audited[-1]


def _edit(path, title, fn):
    wb = openpyxl.load_workbook(path)
    fn(wb[title])
    wb.save(path)


def _tampered(ws):
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("金额（分）") + 1)
    cell.value = cell.value + 100


def _old_layout(ws):
    for row in ws.iter_rows():
        if row[0].value == "格式版本":
            row[1].value = LAYOUT_VERSION - 1


def _cut_short(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("spoil, words", [
    (lambda p: _edit(p, "发放", _tampered), ("“发放”", "校验值")),
    (_cut_short, ("不完整或已损坏",)),
    (lambda p: _edit(p, "说明", _old_layout), (f"格式版本 {LAYOUT_VERSION - 1}",)),
], ids=["tampered-cell", "truncated", "old-layout"])
def test_a_spoiled_file_changes_nothing(city, counties, tmp_path, spoil, words):
    import_annual_workbook(city, counties[1].file)
    before = _table_counts(city)
    spoiled = copy_of(counties[0], tmp_path / "spoiled")
    spoil(spoiled.file)
    with pytest.raises(ExchangeFileRefused) as err:
        import_annual_workbook(city, spoiled.file)
    assert all(w in str(err.value) for w in words)
    assert _table_counts(city) == before


def test_a_county_database_refuses_to_import(ctx, counties):
    with pytest.raises(NotACityDatabase) as err:
        import_annual_workbook(ctx, counties[0].file)
    assert "区县单位的数据库" in str(err.value) and "--city" in str(err.value)


def test_same_code_from_another_office_is_refused(city, counties, tmp_path):
    import_annual_workbook(city, counties[0].file)
    other = copy_of(counties[1], tmp_path / "other")
    ctx = other.context()
    with ctx.db.session() as s:
        from zhibang_desktop.storage.models import Setting

        s.get(Setting, "archive_prefix").value = counties[0].code
    export_annual_workbook(ctx, YEAR, other.file)
    ctx.db.close()
    with pytest.raises(ExchangeFileRefused, match=f"单位代码“{counties[0].code}”在本库中属于“{counties[0].office}”"):
        import_annual_workbook(city, other.file)


def test_only_city_wide_importers(city, counties):
    admin = admin_context(city)
    clerk = user_context(admin, "clerk1", ["clerk"])
    with pytest.raises(PermissionDenied):
        import_annual_workbook(clerk, counties[0].file)
    head = user_context(admin, "head1", ["head"])
    assert import_annual_workbook(head, counties[0].file).counts["households"] > 0
    bound = AppContext(city.db, SYSTEM).as_actor(_bound(head.actor, import_records(head)[0].unit_id))
    with pytest.raises(PermissionDenied):
        import_annual_workbook(bound, counties[1].file)
    with pytest.raises(PermissionDenied):
        import_records(bound)


def _bound(actor, unit_id):
    from dataclasses import replace

    return replace(actor, scope_unit_id=unit_id)


def test_imported_requests_open_in_the_city(city, counties):
    """A county's request has no policy in the city's database (the policy stays home): the
    lists and the request view still work and say so."""
    from zhibang_desktop.services import relief

    import_annual_workbook(city, counties[0].file)
    rows = relief.list_requests(city).rows
    assert rows and all(r.relief_type_name for r in rows)
    view = relief.get_request(city, rows[0].id)
    assert view.policy_name.startswith("区县的救助政策") and view.number == rows[0].number
    from zhibang_desktop.services import archive
    from zhibang_desktop.services.archive.types import HouseholdFilter

    with city.db.session() as s:
        name = s.execute(select(Household.name).order_by(Household.id).limit(1)).scalar_one()
    for query in (name, name[:1]):  # the search index covers imported households (one character too)
        assert name in [h.name for h in archive.search_households(city, HouseholdFilter(text=query)).rows]
