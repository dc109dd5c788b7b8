"""报表 page: the head exports the year's 上报 file (with a password) by clicking; the auditor
has no such button. The file is checked as the city would check it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from tests.pinned import TEST_TODAY
from zhibang_desktop import demo
from zhibang_desktop.services import exchange
from zhibang_desktop.services.admin import audit, users
from zhibang_desktop.services.context import AppContext

from ..waiting import settle
from .test_reports_page import open_window

YEAR = TEST_TODAY.year


def reports_window(demo_db, qtbot, username):
    window = open_window(qtbot, AppContext(demo_db, users.authenticate(demo_db, username, demo.DEMO_PASSWORD)))
    nav = window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "报表")
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    page = window.current_page()
    qtbot.waitUntil(lambda: page.result is not None, timeout=30000)
    settle(qtbot, window)
    return window, page


def test_the_head_exports_the_year_for_the_city(demo_db, qtbot, monkeypatch, tmp_path, boxes):
    window, page = reports_window(demo_db, qtbot, "head")
    target = tmp_path / "上报"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("市总约定密码", True)))
    assert page.exchange_button.isVisible()
    qtbot.mouseClick(page.exchange_button, Qt.LeftButton)
    settle(qtbot, window)
    out = target.with_suffix(".xlsx")
    assert out.exists() and "已导出" in boxes.texts() and "已用密码加密" in boxes.texts()
    ctx = window.session.ctx
    summary = exchange.check_annual_workbook(ctx, out, "市总约定密码")
    assert summary.year == YEAR and summary.counts["households"] > 0
    admin = AppContext(demo_db, users.authenticate(demo_db, "admin", demo.DEMO_PASSWORD))
    rows = audit.query_audit(admin, limit=5).rows
    assert any(r.action == "export" and "上报文件" in r.summary for r in rows)


@pytest.mark.parametrize("username", ["auditor", "clerk"])
def test_others_have_no_export_button(demo_db, qtbot, username):
    _, page = reports_window(demo_db, qtbot, username)
    assert not page.exchange_button.isVisible()
