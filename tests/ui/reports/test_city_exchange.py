"""City mode in the GUI (issue 14): on the 报表 page the city's administrator opens 区县上报与核查,
imports two files at once by clicking (one sound, one cut short: the refusal is shown, the sound
one goes in), and reads the import records, the cross-county duplicates, the allocations check
with its 核对说明 and the indicators only the counties can compute (据区县上报); a county's own
office has no such button."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from tests.services.city_counties import city_office, hand_made_county
from tests.services.reports_year import YEAR
from zhibang_desktop import demo
from zhibang_desktop.services import exchange, funds
from zhibang_desktop.services.admin import org, users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.ui.common.widgets.rows_table import RowsTable
from zhibang_desktop.ui.reports.city_dialog import CityExchangeDialog

from ..waiting import choose, click, settle, when_opened
from .test_reports_page import click_row, open_window

PASSWORD = "Secret123"


@pytest.fixture
def city(tmp_path):
    zc = hand_made_county(tmp_path, "增城区总工会", "ZC")
    ch = hand_made_county(tmp_path, "从化区总工会", "CH")
    db = open_database(tmp_path / "city.sqlite3")
    exchange.import_annual_workbook(city_office(db), zc.file)
    users.create_admin(db, "admin", PASSWORD, display_name="市总管理员")
    yield AppContext(db, users.authenticate(db, "admin", PASSWORD)), ch.file
    db.close()


def _reports_page(qtbot, window):
    nav = window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "报表")
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    page = window.current_page()
    settle(qtbot, window, 30000)
    return page


def test_the_city_imports_several_files_and_reads_the_checks(city, qtbot, monkeypatch, tmp_path, boxes):
    ctx, sound = city
    spoiled = tmp_path / "坏文件.xlsx"
    shutil.copyfile(sound, spoiled)
    spoiled.write_bytes(spoiled.read_bytes()[:4000])
    window = open_window(qtbot, ctx)
    page = _reports_page(qtbot, window)
    assert page.city_button.isVisible()
    page.year.setCurrentIndex(page.year.findData(YEAR))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(spoiled), str(sound)], "")))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))
    seen = {}

    def interact(dialog):
        qtbot.waitUntil(lambda: dialog.loaded is not None, timeout=30000)
        seen["before"] = len(dialog.records.rows())
        click(qtbot, dialog.import_button)
        settle(qtbot, dialog.session, 60000)
        qtbot.waitUntil(lambda: dialog.loaded is not None, timeout=30000)
        seen["records"] = dialog.records.rows()
        seen["twice"] = dialog.twice.rows()
        seen["tabs"] = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        seen["indicator_headers"] = [c.header for c in dialog.indicators.columns]
        seen["indicators"] = dialog.indicators.rows()
        dialog.close()

    opened = when_opened(monkeypatch, CityExchangeDialog, interact)
    click(qtbot, page.city_button)
    assert len(opened) == 1 and seen["before"] == 1
    assert sorted(r.county for r in seen["records"]) == ["从化区总工会", "增城区总工会"]
    assert seen["twice"] and all(len(t.counties) == 2 for t in seen["twice"])  # the same people in both
    assert seen["tabs"] == ["导入记录", "跨区县重复", "下拨核对", "区县上报指标"]
    assert seen["indicator_headers"] == ["指标", "全市", "从化区总工会", "增城区总工会"] and seen["indicators"]
    text = boxes.texts()
    assert "已导入 1 个文件，拒绝 1 个" in text and "坏文件.xlsx：拒绝导入，未做任何更改" in text
    assert "不完整或已损坏" in text and "已导入从化区总工会（CH）" in text


def test_a_county_office_has_no_city_button(demo_db, qtbot):
    window = open_window(qtbot, AppContext(demo_db, users.authenticate(demo_db, "admin", demo.DEMO_PASSWORD)))
    page = _reports_page(qtbot, window)
    assert not page.city_button.isVisible()


def test_the_dashboard_reads_one_county_or_all(city, qtbot):
    ctx, other = city
    exchange.import_annual_workbook(ctx, other)  # two counties with the same hand-made year
    window = open_window(qtbot, ctx)
    nav = window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "工作概览")
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    page = window.pages["dashboard"]
    assert page.union.isVisible()
    page.year.setCurrentIndex(page.year.findData(YEAR))
    qtbot.waitUntil(lambda: page.data is not None and page.data.year == YEAR, timeout=30000)
    settle(qtbot, window, 30000)
    whole = page.data.payout_total_fen
    county = next(i for i in range(page.union.count()) if page.union.itemText(i).strip() == "增城区总工会")
    page.union.setCurrentIndex(county)
    settle(qtbot, window, 30000)
    from zhibang_desktop.services.reports import dashboard

    own = dashboard(ctx, YEAR, page.union.unit_id())
    assert page.data.payout_total_fen == own.payout_total_fen == whole // 2 > 0
    assert [p.amounts_fen for p in page.data.payouts] == [p.amounts_fen for p in own.payouts]


def _text(view, row: int, header: str) -> str:
    """The text the clerk reads in `header`'s column of `row`."""
    model = view.model()
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Horizontal) == header)
    return model.index(row, column).data()


def test_the_allocations_check_says_why_each_row_is_not_reconciled(city, qtbot, monkeypatch):
    """下拨核对: one row per county and source, its 核对说明 in the clerk's words — 一致, a source only
    the city has, a county whose file is not in yet — and the totals under the table."""
    ctx, _ = city
    sources = {s.code: s.name for s in funds.list_sources(ctx)}
    union_name = sources.get("union") or funds.add_source(ctx, "工会经费", code="union").name
    assert union_name == "工会经费"  # the county's own name for code "union": the row is reconciled
    funds.add_source(ctx, "市级财政专项", code="cityfin")
    with ctx.db.session() as s:
        root = org.district_unit(s).id
    zc = next(u.id for u in org.list_units(ctx) if u.name == "增城区总工会")
    by = org.add_unit(ctx, "白云区总工会", "district", root).id
    union_line = funds.add_budget(ctx, YEAR, "工会经费", 5_000_000, "帮扶", unit_id=root, set_on=date(YEAR, 1, 5))
    city_line = funds.add_budget(ctx, YEAR, "市级财政专项", 2_000_000, "帮扶", unit_id=root, set_on=date(YEAR, 1, 5))
    for line, unit, amount in ((union_line, zc, 1_000_000), (city_line, zc, 300_000), (union_line, by, 200_000)):
        funds.allocate(ctx, line.id, unit, amount, "穗工〔2026〕5号", date(YEAR, 3, 1))
    window = open_window(qtbot, ctx)
    page = _reports_page(qtbot, window)
    page.year.setCurrentIndex(page.year.findData(YEAR))
    seen = {}

    def interact(dialog):
        qtbot.waitUntil(lambda: dialog.loaded is not None, timeout=30000)
        bar = dialog.tabs.tabBar()
        tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "下拨核对")
        qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(tab).center())
        view = dialog.tabs.currentWidget().findChild(RowsTable)
        assert view.isVisible()
        seen["rows"] = {(_text(view, r, "区县"), _text(view, r, "资金来源")): (_text(view, r, "市下拨（元）"),
                                                                         _text(view, r, "核对说明"))
                        for r in range(view.model().rowCount())}
        seen["total"] = dialog.reconcile_label.text()
        dialog.close()

    when_opened(monkeypatch, CityExchangeDialog, interact)
    click(qtbot, page.city_button)
    rows = seen["rows"]
    assert rows[("增城区总工会", "工会经费")] == ("10,000.00", "一致")
    assert rows[("增城区总工会", "市级财政专项")][0] == "3,000.00"
    assert rows[("增城区总工会", "市级财政专项")][1].startswith("仅市总有：区县上报文件的预算和发放中都没有代码为“cityfin”")
    assert rows[("白云区总工会", "工会经费")] == ("2,000.00", "上报文件未导入")
    assert "合计：市下拨 15,000.00 元" in seen["total"]


def test_the_city_reads_the_counties_indicators_as_reported(city, qtbot):
    """报表 in a city database: the indicators only a county can compute are marked 据区县上报, and
    choosing one says the county figures are below (the records stay in the counties)."""
    ctx, _ = city
    window = open_window(qtbot, ctx)
    page = _reports_page(qtbot, window)
    choose(qtbot, page.year, YEAR)
    qtbot.waitUntil(lambda: page.result is not None and page.shown_period[0].year == YEAR, timeout=30000)
    settle(qtbot, window, 30000)
    reported = [r for r, i in enumerate(page.indicators.rows()) if i.source == "据区县上报"]
    assert reported, "no indicator read from the counties' files"
    row = reported[0]
    click_row(qtbot, page.table, row)
    name = page.indicators.rows()[row].name
    assert _text(page.table, row, "数值").endswith("（据区县上报）")
    assert page.exception_label.text().startswith(f"{name}：据区县上报，各区县的数字如下")
