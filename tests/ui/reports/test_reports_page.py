"""报表 on the demo year: the period is chosen with the keyboard, an indicator is clicked, its
records are listed with their written justification, and a double-click opens the request or
the household behind a record."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.pinned import TEST_TODAY
from zhibang_desktop import demo
from zhibang_desktop.domain.money import yuan_text
from zhibang_desktop.services import reports
from zhibang_desktop.services.admin import audit, org, users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.ui.common.session import UiSession
from zhibang_desktop.ui.main_window import MainWindow
from zhibang_desktop.ui.printing.preview_dialog import PdfPreviewDialog
from zhibang_desktop.ui.relief.request_view import RequestViewDialog
from zhibang_desktop.ui.reports.reports_page import quarter_bounds

from ..waiting import press_cancel_when_progress_shows, settle

YEAR = TEST_TODAY.year


def open_window(qtbot, ctx) -> MainWindow:
    window = MainWindow(UiSession(ctx))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, window)
    return window


@pytest.fixture
def auditor_window(demo_db, qtbot):
    window = open_window(qtbot, AppContext(demo_db, users.authenticate(demo_db, "auditor", demo.DEMO_PASSWORD)))
    nav = window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "报表")
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    page = window.current_page()
    qtbot.waitUntil(lambda: page.result is not None, timeout=30000)
    settle(qtbot, window)
    yield window
    settle(qtbot, window)
    for editor in window.session.open_editors():
        editor._baseline = None
        editor.close()


def click_row(qtbot, table, row: int, double: bool = False) -> None:
    index = table.model().index(row, 1)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    if double:
        qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=rect.center())


def test_the_year_as_the_auditors_read_it(auditor_window):
    page = auditor_window.current_page()
    assert page is auditor_window.pages["reports"]
    assert page.shown_period == (TEST_TODAY.date().replace(month=1, day=1), TEST_TODAY.date().replace(month=12, day=31),
                                 None)
    expected = reports.compute_indicators(auditor_window.session.ctx, *page.shown_period[:2])
    names = [page.indicators.index(r, 0).data() for r in range(page.indicators.rowCount())]
    assert names == [i.name for i in expected]
    assert {"帮扶标准合规率", "审核及时率"} <= set(names)  # the compliance list's rate, review timeliness
    unanswerable = next(r for r, i in enumerate(expected) if not i.answerable)
    assert page.indicators.index(unanswerable, 1).data() == f"无法计算：{expected[unanswerable].reason}"
    answered = next(r for r, i in enumerate(expected) if i.answerable and i.denominator)
    assert page.indicators.index(answered, 1).data() == expected[answered].value_text
    assert page.indicators.index(answered, 0).data(Qt.ToolTipRole) == expected[answered].definition
    paid = reports.period_payouts(auditor_window.session.ctx, *page.shown_period[:2])
    assert paid.total.payments > 0 and page.payouts == paid
    label = page.period_label.text()
    assert f"期内发放 {paid.total.households} 户 {paid.total.payments} 笔，合计 {yuan_text(paid.total.amount_fen)} 元" in label
    assert all(f"{r.name} {yuan_text(r.amount_fen)} 元" in label for r in paid.by_type)


def test_choosing_a_quarter_recomputes_for_it(auditor_window, qtbot):
    page = auditor_window.current_page()
    page.period.setFocus()
    qtbot.keyClick(page.period, Qt.Key_Down)  # 全年 → 季度
    assert page.quarter.isVisible() and not page.start.isVisible()
    quarter = page.quarter.currentData()
    qtbot.waitUntil(lambda: page.shown_period[:2] == quarter_bounds(YEAR, quarter), timeout=30000)
    settle(qtbot, auditor_window)
    page.quarter.setFocus()
    qtbot.keyClick(page.quarter, Qt.Key_Up)
    qtbot.waitUntil(lambda: page.shown_period[:2] == quarter_bounds(YEAR, quarter - 1), timeout=30000)
    assert f"{YEAR}年{3 * quarter - 5}月1日" in page.period_label.text()
    paid = reports.period_payouts(auditor_window.session.ctx, *quarter_bounds(YEAR, quarter - 1))
    assert (page.payouts.start, page.payouts.total) == (paid.start, paid.total)
    assert (f"合计 {yuan_text(paid.total.amount_fen)} 元" if paid.total.payments else "期内没有发放记录") \
        in page.period_label.text()
    qtbot.keyClick(page.period, Qt.Key_Down)  # 季度 → 自定义
    assert page.start.isVisible() and page.end.isVisible() and not page.quarter.isVisible()


def test_an_indicators_records_open_the_request_and_the_household(auditor_window, qtbot):
    page = auditor_window.current_page()
    result = page.result
    # a record behind a request, with a written justification where the data has one
    row = next(r for r, i in enumerate(result) if any(e.request_id for e in i.exceptions))
    click_row(qtbot, page.table, row)
    indicator = result[row]
    assert page.exceptions.rowCount() == len(indicator.exceptions)
    assert indicator.name in page.exception_label.text() and indicator.definition in page.detail.toPlainText()
    at = next(k for k, e in enumerate(indicator.exceptions) if e.request_id)
    wanted = indicator.exceptions[at]
    assert page.exceptions.index(at, 1).data() == wanted.description
    assert page.exceptions.index(at, 2).data() == wanted.justification
    click_row(qtbot, page.exception_table, at, double=True)
    settle(qtbot, auditor_window)
    views = [w for w in QApplication.topLevelWidgets() if isinstance(w, RequestViewDialog) and w.isVisible()]
    assert [v.view.id for v in views] == [wanted.request_id]
    for v in views:
        v.close()

    # a household's record (a visit overdue, an archive not updated) opens the household
    row = next(r for r, i in enumerate(result) if any(e.household_id and not e.request_id for e in i.exceptions))
    click_row(qtbot, page.table, row)
    at = next(k for k, e in enumerate(result[row].exceptions) if e.household_id and not e.request_id)
    click_row(qtbot, page.exception_table, at)
    assert page.open_button.isEnabled()
    qtbot.mouseClick(page.open_button, Qt.LeftButton)
    settle(qtbot, auditor_window)
    household = result[row].exceptions[at].household_id
    editor = auditor_window.session.editor_for(("household", household))
    assert editor is not None and editor.isVisible()


def test_the_justification_is_shown_for_a_payment_outside_the_standard(auditor_window, qtbot):
    page = auditor_window.current_page()
    justified = [(r, k) for r, i in enumerate(page.result) for k, e in enumerate(i.exceptions) if e.justification]
    assert justified, "the demo year records justifications"
    row, at = justified[0]
    click_row(qtbot, page.table, row)
    assert page.exceptions.index(at, 2).data() == page.result[row].exceptions[at].justification


def test_a_street_user_chooses_among_its_own_unions(demo_db, qtbot):
    admin = AppContext(demo_db, users.authenticate(demo_db, "admin", demo.DEMO_PASSWORD))
    street = next(u for u in org.list_units(admin) if u.level == "street")
    users.add_user(admin, "street_auditor", "街道审计", "Secret123", ["auditor"], street.id)
    window = open_window(qtbot, AppContext(demo_db, users.authenticate(demo_db, "street_auditor", "Secret123")))
    page = window.show_page("reports")
    qtbot.waitUntil(lambda: page.result is not None, timeout=30000)
    names = [page.union.itemText(i) for i in range(page.union.count())]
    assert names[0] == "本级及下属全部工会" and names[1] == street.name
    assert len(names) > 2 and all(u.name not in names for u in org.list_units(admin) if u.level == "district")
    assert page.result and "失败" not in page.status_text
    settle(qtbot, window)


def test_the_annual_report_opens_in_the_print_preview(auditor_window, qtbot):
    page = auditor_window.current_page()
    qtbot.mouseClick(page.annual_print_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=60000)
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    text = subprocess.run(["pdftotext", "-layout", str(preview.pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"增城区总工会{YEAR}年度" in text and "审核及时率" in text
    assert len(preview.pages) >= 1
    preview.close()


def test_the_annual_report_is_exported_to_excel(auditor_window, qtbot, monkeypatch, tmp_path, boxes):
    page = auditor_window.current_page()
    target = tmp_path / "年度报表"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(page.annual_xlsx_button, Qt.LeftButton)
    settle(qtbot, auditor_window)
    out = target.with_suffix(".xlsx")
    assert out.exists() and "已导出" in boxes.texts()
    cells = [str(c) for ws in openpyxl.load_workbook(out, read_only=True) for row in ws.iter_rows(values_only=True)
             for c in row if c is not None]
    assert any("审核及时率" in c for c in cells) and any(str(YEAR) in c for c in cells)
    rows = audit.query_audit(auditor_window.session.ctx, limit=5).rows
    assert any(r.action == "export" and "年度帮扶工作报表" in r.summary for r in rows)


def held_until_cancelled(module, name: str, monkeypatch) -> None:
    """The service's document writer waits for 取消 before writing, as a long write would."""
    real = getattr(module, name)

    def writer(doc, target, progress=None, cancelled=None):
        progress(0, 1)
        for _ in range(3000):  # 30 s at most; counted, as the shifted-date pass freezes the clocks
            if cancelled():
                break
            time.sleep(0.01)
        return real(doc, target, progress=progress, cancelled=cancelled)

    monkeypatch.setattr(module, name, writer)


@pytest.mark.parametrize("button, suffix, writer", [
    ("annual_xlsx_button", ".xlsx", "write_report_xlsx"),
    ("selfeval_button", ".xlsx", "write_grid_xlsx"),
    ("selfeval_button", ".pdf", "write_grid_pdf"),
])
def test_report_exports_can_be_cancelled_leaving_no_file_and_no_record(auditor_window, qtbot, monkeypatch, tmp_path,
                                                                       boxes, button, suffix, writer):
    import importlib

    page = auditor_window.current_page()
    module = "annual_document" if writer == "write_report_xlsx" else "selfeval_document"
    held_until_cancelled(importlib.import_module(f"zhibang_desktop.services.reports.{module}"), writer, monkeypatch)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(EXAMPLE_TARGETS), "")))
    folder = tmp_path / "导出"
    folder.mkdir()
    out = folder / f"报表{suffix}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    before = audit.query_audit(auditor_window.session.ctx, limit=1).rows[0].seq
    press_cancel_when_progress_shows()
    qtbot.mouseClick(getattr(page, button), Qt.LeftButton)
    settle(qtbot, auditor_window)
    assert list(folder.iterdir()) == []  # neither the file nor a temporary one
    assert not any(kind in ("error", "warn") for kind, *_ in boxes.shown), boxes.shown
    assert audit.query_audit(auditor_window.session.ctx, limit=1).rows[0].seq == before


EXAMPLE_TARGETS = Path(__file__).resolve().parents[3] / "resources" / "examples" / "selfeval_targets.json"


def test_the_self_evaluation_is_filled_from_the_targets_file(auditor_window, qtbot, monkeypatch, tmp_path, boxes):
    page = auditor_window.current_page()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(EXAMPLE_TARGETS), "")))
    target = tmp_path / "自评表"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "Excel 工作簿 (*.xlsx)")))
    qtbot.mouseClick(page.selfeval_button, Qt.LeftButton)
    settle(qtbot, auditor_window)
    out = target.with_suffix(".xlsx")
    assert out.exists(), boxes.texts()
    cells = [str(c) for ws in openpyxl.load_workbook(out, read_only=True) for row in ws.iter_rows(values_only=True)
             for c in row if c is not None]
    assert any("绩效自评表" in c for c in cells) and any(f"{YEAR}" in c for c in cells)

    pdf = tmp_path / "自评表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(pdf), "PDF 文件 (*.pdf)")))
    qtbot.mouseClick(page.selfeval_button, Qt.LeftButton)
    settle(qtbot, auditor_window)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "绩效自评表" in text
    actions = [r.action for r in audit.query_audit(auditor_window.session.ctx, limit=5).rows if r.entity == "self_evaluation"]
    assert actions[:2] == ["print", "export"]


def test_a_wrong_targets_file_is_explained_and_nothing_is_written(auditor_window, qtbot, monkeypatch, tmp_path, boxes):
    page = auditor_window.current_page()
    bad = tmp_path / "目标.json"
    bad.write_text('{"lines": "不是列表"}', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    out = tmp_path / "自评表.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    qtbot.mouseClick(page.selfeval_button, Qt.LeftButton)
    settle(qtbot, auditor_window)
    assert not out.exists()
    assert any(kind in ("error", "warn") and "绩效自评表" in title for kind, title, _, _ in boxes.shown), boxes.shown


def test_pages_not_looked_at_compute_nothing_until_shown(window, qtbot):
    """The clerk starts on the archive: the dashboard and the indicators wait until opened."""
    dashboard, page = window.pages["dashboard"], window.pages["reports"]
    settle(qtbot, window)
    assert dashboard.data is None and page.result is None
    window.show_page("reports")
    qtbot.waitUntil(lambda: page.result is not None, timeout=30000)
    assert dashboard.data is None
    settle(qtbot, window)
