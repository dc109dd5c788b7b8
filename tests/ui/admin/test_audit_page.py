"""审计日志 page: rows, filters, lazy loading, chain head, verify OK / broken, export."""
from __future__ import annotations

import sqlite3

import openpyxl
from PySide6.QtCore import Qt

from zhibang_desktop.domain import clock
from zhibang_desktop.services.admin import audit
from zhibang_desktop.ui.admin.audit_page import AuditPage

from ..waiting import settle


def make_page(ctx, qtbot) -> AuditPage:
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    settle(qtbot, page)
    return page


def test_shows_rows_newest_first_and_the_head(admin, qtbot):
    page = make_page(admin, qtbot)
    total = audit.query_audit(admin).total
    assert page.model.total == total > 200
    assert page.model.rowCount() == 200  # one page; more as the user scrolls
    assert page.model.canFetchMore()
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == min(400, total), timeout=3000)
    first = page.model.row_at(0)
    assert first.action == "login" and first.username == "admin"  # the admin fixture's own login
    assert page.model.index(0, 3).data() == "登录"
    assert f"共 {total} 条" in page.count_label.text()
    head = audit.chain_head(admin)
    assert head.hash in page.head_label.text() and f"第 {head.seq} 条" in page.head_label.text()


def test_filters(admin, qtbot):
    page = make_page(admin, qtbot)
    assert page.action_box.findData("login") >= 0 and page.user_box.findText("admin") >= 0
    page.set_filter(user="admin", action="login")
    qtbot.mouseClick(page.search_button, Qt.LeftButton)
    settle(qtbot, page)
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert rows and all(r.username == "admin" and r.action == "login" for r in rows)
    page.set_filter(entity="household")
    qtbot.mouseClick(page.search_button, Qt.LeftButton)
    settle(qtbot, page)
    assert page.model.row_at(0).entity == "household"
    from datetime import timedelta

    page.set_filter(date_from=clock.today() + timedelta(days=1))
    qtbot.mouseClick(page.search_button, Qt.LeftButton)
    settle(qtbot, page)
    assert page.model.rowCount() == 0 and "共 0 条" in page.count_label.text()
    qtbot.mouseClick(page.clear_button, Qt.LeftButton)
    settle(qtbot, page)
    assert page.model.total == audit.query_audit(admin).total


def test_verify_ok(admin, qtbot):
    page = make_page(admin, qtbot)
    with qtbot.waitSignal(page.verified, timeout=30000) as signal:
        qtbot.mouseClick(page.verify_button, Qt.LeftButton)
    report = signal.args[0]
    assert report.ok
    assert page.verify_label.text().startswith("✓ 审计链完整") and f"共 {report.rows} 条" in page.verify_label.text()


def test_verify_reports_a_tampered_row(admin, qtbot, boxes):
    con = sqlite3.connect(admin.db.path)
    con.execute("update audit_log set summary='改过了' where seq=10")
    con.commit()
    con.close()
    page = make_page(admin, qtbot)
    with qtbot.waitSignal(page.verified, timeout=30000) as signal:
        qtbot.mouseClick(page.verify_button, Qt.LeftButton)
    report = signal.args[0]
    assert not report.ok and report.first_broken_seq == 10
    assert "第 10 条记录处断开" in page.verify_label.text()
    assert boxes.shown[-1][0] == "error" and "第 10 条" in boxes.shown[-1][2]


def test_export(admin, qtbot, tmp_path, boxes, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    page = make_page(admin, qtbot)
    page.set_filter(action="login")
    qtbot.mouseClick(page.search_button, Qt.LeftButton)
    settle(qtbot, page)
    shown = page.model.total
    out = tmp_path / "导出" / "审计.xlsx"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    settle(qtbot, page)
    assert out.exists()
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == shown + 1 and all(r[3] == "登录" for r in rows[1:])
    assert boxes.shown[-1][0] == "info" and "已导出" in boxes.shown[-1][2]
    assert page.model.row_at(0).action == "login"  # the filter is kept after the refresh
    assert audit.query_audit(admin, limit=1).rows[0].action == "export"


def test_auditor_can_use_it_a_clerk_cannot(demo_db, qtbot, boxes):
    from zhibang_desktop.services.admin import users
    from zhibang_desktop.services.context import AppContext
    from zhibang_desktop.demo.office import DEMO_PASSWORD

    auditor = AppContext(demo_db, users.authenticate(demo_db, "auditor", DEMO_PASSWORD))
    assert make_page(auditor, qtbot).model.rowCount() > 0
    clerk = AppContext(demo_db, users.authenticate(demo_db, "clerk", DEMO_PASSWORD))
    page = make_page(clerk, qtbot)
    assert page.model.rowCount() == 0 and "查看审计日志" in boxes.texts()
