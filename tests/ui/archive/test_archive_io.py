"""Excel in and out from the archive page: export the filtered list, template, import check and import."""
from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel

from tests.services.test_household_import import rows, write_ledger
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive import household_import
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.ui.common.import_dialog import ImportCheckDialog

from ..waiting import settle


def choose(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_export_writes_the_filtered_list(window, qtbot, monkeypatch, tmp_path, boxes, clerk):
    page = window.pages["archive"]
    page.category.setCurrentIndex(page.category.findData("deep"))
    settle(qtbot, window)
    out = tmp_path / "导出"
    choose(monkeypatch, out)
    page.export_button.click()
    written = tmp_path / "导出.xlsx"
    assert written.exists()
    expected = archive.search_households(clerk, HouseholdFilter(categories=frozenset({"deep"}))).total
    assert boxes.shown[-1][2] == f"已导出 {expected} 户档案。"
    sheet = openpyxl.load_workbook(written, read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) > expected  # title/header rows plus one row per household


def test_blank_template(window, monkeypatch, tmp_path, boxes):
    choose(monkeypatch, tmp_path / "模板.xlsx")
    window.pages["archive"].template_button.click()
    assert (tmp_path / "模板.xlsx").exists()
    assert boxes.shown[-1][2] == "已保存空白导入模板。"


def test_import_with_problems_lists_them_and_saves_a_report(window, monkeypatch, tmp_path, clerk, qtbot):
    bad = rows("A")
    bad[2][1] = bad[2][1][:-1] + ("0" if bad[2][1][-1] != "0" else "1")  # wrong check digit: Excel row 5
    path = write_ledger(tmp_path / "有错的台账.xlsx", "A", bad)
    before = archive.search_households(clerk, HouseholdFilter()).total
    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        report = tmp_path / "错误报告.xlsx"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(report), "")))
        qtbot.mouseClick(dialog.report_button, Qt.LeftButton)
        assert report.exists()
        return QDialog.Rejected

    choose(monkeypatch, path)
    monkeypatch.setattr(ImportCheckDialog, "exec", fake_exec)
    window.pages["archive"].import_button.click()
    dialog = shown[0]
    assert "没有导入任何档案" in dialog.title.text()
    table = dialog.table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert ["台账", "5", "身份证号码"] in [row[:3] for row in cells]
    assert any("校验位" in row[4] for row in cells)
    assert archive.search_households(clerk, HouseholdFilter()).total == before


def test_clean_import_shows_summary_then_imports_on_confirm(window, qtbot, monkeypatch, tmp_path, clerk, boxes):
    path = write_ledger(tmp_path / "台账.xlsx", "A")
    before = archive.search_households(clerk, HouseholdFilter()).total
    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        return QDialog.Accepted

    choose(monkeypatch, path)
    monkeypatch.setattr(ImportCheckDialog, "exec", fake_exec)
    window.pages["archive"].import_button.click()
    summary = shown[0]
    assert "可以导入档案 4 户，家庭成员 2 人" in summary.title.text()
    units = [summary.units_list.item(i).text() for i in range(summary.units_list.count())]
    assert "石滩镇某某五金厂工会" in units
    assert summary.follow_list.count() >= 1
    assert boxes.shown[-1][2] == "导入完成。"
    page = window.pages["archive"]
    settle(qtbot, window)
    assert page.model.total == before + 4  # the list refreshed itself
    assert archive.search_households(clerk, HouseholdFilter(text="zengzhiming")).total == 1


def test_the_follow_up_list_shows_the_first_items_and_counts_the_rest(window, qtbot, monkeypatch, tmp_path,
                                                                      boxes):
    """Issue 15: the follow-up is a count with the first examples; the list says how many more."""
    monkeypatch.setattr(household_import, "FOLLOW_UP_EXAMPLES", 3)
    path = write_ledger(tmp_path / "台账.xlsx", "A")
    seen = []

    def confirm(dialog):
        seen.append(([dialog.follow_list.item(i).text() for i in range(dialog.follow_list.count())],
                     [label.text() for label in dialog.findChildren(QLabel)]))
        qtbot.mouseClick(dialog.confirm_button, Qt.LeftButton)
        return dialog.result()

    choose(monkeypatch, path)
    monkeypatch.setattr(ImportCheckDialog, "exec", confirm)
    boxes.answer = True  # create the union the file names
    window.pages["archive"].import_button.click()
    items, labels = seen[0]
    assert len(items) == 4 and items[-1] == "……另有 1 项"
    assert [item.split("（")[0] for item in items[:3]] == ["曾志明", "单丽", "覃国强"]
    assert "导入后需补办的工作（4 项）：" in labels
    assert boxes.shown[-1][2] == "导入完成。" and "需补办的工作 4 项" in boxes.shown[-1][3]


def test_unknown_unions_are_created_only_when_the_user_says_so(window, monkeypatch, tmp_path, clerk, boxes):
    """Issue 8: an imported ledger created unknown 工会 silently."""
    from zhibang_desktop.services.admin import org

    path = write_ledger(tmp_path / "台账.xlsx", "A")
    before = archive.search_households(clerk, HouseholdFilter()).total
    choose(monkeypatch, path)
    monkeypatch.setattr(ImportCheckDialog, "exec", lambda dialog: QDialog.Accepted)
    boxes.answer = False
    window.pages["archive"].import_button.click()
    kind, title, text, _ = next(b for b in boxes.shown if b[0] == "ask")
    assert title == "新建工会" and "个系统中没有的工会" in text and "\u3000石滩镇某某五金厂工会\n" in text
    assert archive.search_households(clerk, HouseholdFilter()).total == before  # nothing imported
    assert "石滩镇某某五金厂工会" not in {u.name for u in org.list_units(clerk)}
    boxes.answer = True
    window.pages["archive"].import_button.click()
    assert boxes.shown[-1][2] == "导入完成。"
    assert archive.search_households(clerk, HouseholdFilter()).total == before + 4
    assert "石滩镇某某五金厂工会" in {u.name for u in org.list_units(clerk)}
