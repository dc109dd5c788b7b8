"""救助政策 and 节假日 (admin pages): versions in force per year, presets, JSON export and
import (an invalid file names each field path and stores nothing), the structured view,
and the holiday table with its "year complete" mark."""
from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from zhibang_desktop.services.relief import holidays, policies
from zhibang_desktop.ui.relief.holidays_page import HolidaysPage
from zhibang_desktop.ui.relief.policy_dialogs import PolicyEditDialog, PresetDialog
from zhibang_desktop.ui.relief.policy_page import PolicyPage
from zhibang_desktop.ui.common.session import UiSession

from .relief_fixtures import YEAR, clock, msgs, office  # noqa: F401
from ..waiting import click, click_ok, when_opened

pytestmark = pytest.mark.usefixtures("msgs")


@pytest.fixture
def page(office, qtbot) -> PolicyPage:
    p = PolicyPage(UiSession(office.admin))
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def test_shows_the_policy_in_force_with_a_structured_view(page):
    assert page.table.rowCount() == 1
    assert page.table.item(0, 3).text() == "生效"
    text = page.policy_text()
    assert f"{YEAR} 年第 1 版" in text and "生效中" in text
    assert "季度救助" in text and "400–600 元" in text
    assert "每人每年最多 2 次" in text and "不能连续季度申请" in text
    assert "紧急救助" in text and "突发重大疾病或意外伤害住院手术，家庭非常困难：2,000–5,000 元" in text
    assert "每户每年现金不超过 6,000 元" in text  # 送温暖 caps (001)
    assert "不超过 10 个月低保标准" in text
    assert "基层工会（5 个工作日）" in text
    assert "仅限工会会员" in text
    assert "同一人只能审核同一申请的一个层级" in text
    assert "深度困难每 12 个月，相对困难每 6 个月，意外致困每 6 个月" in text  # seed 002


def test_use_a_preset_for_another_year(page, office, qtbot, monkeypatch):
    def choose(dialog):
        dialog.preset.setCurrentIndex(dialog.preset.findData("shanghai"))
        dialog.year.setValue(2027)
        click_ok(qtbot, dialog)

    when_opened(monkeypatch, PresetDialog, choose)
    click(qtbot, page.preset_button)
    view = next(v for v in policies.list_policies(office.admin) if v.year == 2027)
    assert view.in_force
    assert page.selected_id() == view.id
    assert "医疗补助" in page.policy_text() and "个人自付医疗费" in page.policy_text()
    assert "每户每年现金不超过 34,700 元" in page.policy_text()  # 000: 最高标准 34,700 元/户/年
    assert policies.policy_options(office.clerk, 2027).policy_name == view.name
    assert "2026、2027" in page.status_text


def test_export_then_import_an_edited_file(page, office, tmp_path, monkeypatch, msgs, qtbot):
    path = tmp_path / "policy.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    click(qtbot, page.export_button)
    assert "已导出政策文件" in msgs.texts()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["relief_types"][0]["max_yuan"] = 650
    data["name"] = "增城区总工会救助办法（2026 年修订）"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    click(qtbot, page.import_button)
    view = policies.show_policy(office.clerk, YEAR)
    assert view.version == 2
    assert page.table.rowCount() == 2
    assert "400–650 元" in page.policy_text()
    assert "已导入并生效" in msgs.texts()


def test_the_admin_edits_a_version_in_the_app(page, office, msgs, qtbot, monkeypatch):
    before = len(policies.list_policies(office.admin))

    def edit(dialog):
        assert "\"max_yuan\": 600" in dialog.editor.toPlainText()
        # a mistake is named by its field path and nothing is stored
        dialog.editor.setPlainText(dialog.editor.toPlainText().replace("\"max_yuan\": 600", "\"max_yuan\": \"六百\"", 1))
        click(qtbot, dialog.check_button)
        assert "relief_types[0].max_yuan" in dialog.problems.text() and "未保存" in dialog.problems.text()
        click(qtbot, dialog.save_button)
        assert dialog.saved_view is None and dialog.result() != QDialog.Accepted
        assert len(policies.list_policies(office.admin)) == before
        dialog.editor.setPlainText(dialog.editor.toPlainText().replace("\"max_yuan\": \"六百\"", "\"max_yuan\": 650", 1))
        click(qtbot, dialog.check_button)
        assert "检查通过" in dialog.problems.text()
        click(qtbot, dialog.save_button)

    opened = when_opened(monkeypatch, PolicyEditDialog, edit)
    click(qtbot, page.edit_button)
    assert len(opened) == 1
    view = opened[0].saved_view
    assert view is not None and view.version == 2 and view.in_force and opened[0].result() == QDialog.Accepted
    assert "已保存并生效" in msgs.texts()
    assert "400–650 元" in page.policy_text()
    assert policies.in_force_policy(office.clerk, YEAR).relief_type("quarterly").amount.max_fen == 65000
    # the edited version itself is unchanged (requests judged under it keep it)
    assert policies.list_policies(office.admin)[-1].version == 1
    assert "600" in json.dumps(policies.policy_document(office.admin, policy_id=1)["relief_types"][0]["max_yuan"])


def test_a_clerk_cannot_edit_policies(office, qtbot):
    p = PolicyPage(UiSession(office.clerk))
    qtbot.addWidget(p)
    assert not p.edit_button.isEnabled() and not p.import_button.isEnabled() and not p.preset_button.isEnabled()


def test_an_invalid_file_names_the_field_paths_and_stores_nothing(page, office, tmp_path, msgs, qtbot, monkeypatch):
    data = json.loads(policies.export_policy(office.admin, YEAR))
    data["relief_types"][0]["max_yuan"] = "六百"
    data["relief_types"][1]["subcases"][0]["fixd_yuan"] = 2000  # a typo
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = len(policies.list_policies(office.admin))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    click(qtbot, page.import_button)
    kind, title, text, detail = msgs.shown[-1]
    assert kind == "warn" and "未导入" in title
    assert "relief_types[0].max_yuan" in detail
    assert "relief_types[1].subcases[0]" in detail
    assert len(policies.list_policies(office.admin)) == before


def test_a_file_that_is_not_json_is_refused_in_chinese(page, tmp_path, msgs, qtbot, monkeypatch):
    path = tmp_path / "broken.json"
    path.write_text("{ 这不是 JSON", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    click(qtbot, page.import_button)
    assert "未导入" in msgs.shown[-1][1]
    assert "JSON 格式错误" in msgs.shown[-1][3]


def test_put_an_older_version_back_in_force(page, office, monkeypatch, msgs, qtbot):
    policies.use_preset(office.admin, "海口", YEAR)
    page.refresh()
    old = next(row for row in range(page.table.rowCount()) if page.table.item(row, 1).text() == "第 1 版")
    page.table.selectRow(old)
    msgs.answer = True
    click(qtbot, page.activate_button)
    assert policies.show_policy(office.clerk, YEAR).version == 1


def test_the_year_filter(page, office):
    policies.use_preset(office.admin, "昆明", 2025)
    page.refresh()
    page.year.setCurrentIndex(page.year.findData(2025))
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "2025"


# ------------------------------------------------------------------ 节假日

@pytest.fixture
def days_page(office, qtbot) -> HolidaysPage:
    p = HolidaysPage(UiSession(office.admin))
    qtbot.addWidget(p)
    p.show()
    return p


def test_2027_has_no_data_until_the_admin_enters_the_notice(days_page, office, msgs, qtbot):
    days_page.year.setValue(2027)
    assert "2027 年尚无节假日数据" in days_page.year_state_text()
    # 国庆 1–7 Oct (illustrative), make-up workday Sat 9 Oct
    days_page.start.setDate(date(2027, 10, 1))
    days_page.end.setDate(date(2027, 10, 7))
    days_page.kind.setCurrentIndex(days_page.kind.findData(False))
    days_page.name.setText("国庆节")
    click(qtbot, days_page.add_button)
    assert days_page.table.rowCount() == 7
    days_page.start.setDate(date(2027, 10, 9))
    days_page.end.setDate(date(2027, 10, 9))
    days_page.kind.setCurrentIndex(days_page.kind.findData(True))
    days_page.name.setText("国庆调休")
    click(qtbot, days_page.add_button)
    assert days_page.table.rowCount() == 8
    assert days_page.table.item(7, 2).text() == "调休上班" and days_page.table.item(7, 1).text() == "星期六"
    assert "放假 7 天，调休上班 1 天" in days_page.status_text

    days_page.complete.setChecked(True)
    assert "已录入完整" in days_page.year_state_text()
    assert holidays.calendar_years(office.admin, [2027])[0].source == "admin"

    days_page.table.selectRow(7)
    msgs.answer = True
    click(qtbot, days_page.remove_button)
    assert [d.day for d in holidays.list_days(office.admin, 2027)][-1] == date(2027, 10, 7)
    days_page.complete.setChecked(False)
    assert holidays.calendar_years(office.admin, [2027])[0].source == "none"


def test_a_year_of_the_built_in_calendar_needs_no_entries(days_page):
    days_page.year.setValue(2025)
    assert "内置日历" in days_page.year_state_text()


def test_a_range_cannot_end_before_it_starts(days_page, msgs, qtbot):
    days_page.year.setValue(2027)
    days_page.start.setDate(date(2027, 5, 5))
    days_page.end.setDate(date(2027, 5, 1))
    click(qtbot, days_page.add_button)
    assert days_page.table.rowCount() == 0
    assert "结束日期不能早于开始日期" in msgs.shown[-1][2]


def test_the_clerk_does_not_get_the_admin_pages(office, qtbot):
    from zhibang_desktop.ui.main_window import MainWindow

    w = MainWindow(UiSession(office.clerk))
    qtbot.addWidget(w)
    assert "policy" not in w.pages and "holidays" not in w.pages
