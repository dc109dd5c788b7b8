"""City mode in the GUI (issue 14): on the 报表 page the city's administrator opens 区县上报与核查,
imports two files at once by clicking (one sound, one cut short: the refusal is shown, the sound
one goes in), and reads the import records, the cross-county duplicates and the allocations
check; a county's own office has no such button."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from tests.services.city_counties import city_office, hand_made_county
from tests.services.reports_year import YEAR
from zhibang_desktop import demo
from zhibang_desktop.services import exchange
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.ui.reports.city_dialog import CityExchangeDialog

from ..waiting import click, settle, when_opened
from .test_reports_page import open_window

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
