"""单位与组织: office settings, yearly standards, union tree."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from zhibang_desktop.services.admin import org, settings
from zhibang_desktop.ui.main_window import MainWindow
from zhibang_desktop.ui.common.session import UiSession
from zhibang_desktop.ui.admin.union_tree import UnitNameDialog
from zhibang_desktop.ui.admin.year_standards import StandardDialog

from ..waiting import click, click_ok, when_opened


def settings_page(admin, qtbot):
    window = MainWindow(UiSession(admin))
    qtbot.addWidget(window)
    return window, window.show_page("settings")


def test_office_form_saves_and_shows_field_errors(admin, qtbot, boxes):
    window, page = settings_page(admin, qtbot)
    form = page.office
    before = settings.get_settings(admin)
    form.edits["archive_no_pattern"].setText("{prefix}{year}")
    click(qtbot, form.save_button)
    assert form.errors.label("archive_no_pattern").text()
    assert settings.get_settings(admin) == before and "已保存。" not in boxes.texts()
    form.edits["archive_no_pattern"].setText("{prefix}{year}{seq:05d}")
    form.edits["phone"].setText("020-12345678")
    form.causes.setPlainText("因病\n因残\n因学\n其他")
    click(qtbot, form.save_button)
    assert "已保存。" in boxes.texts()
    stored = settings.get_settings(admin)
    assert stored.phone == "020-12345678" and stored.hardship_causes == ("因病", "因残", "因学", "其他")


def test_add_a_year_standard(admin, qtbot, monkeypatch):
    window, page = settings_page(admin, qtbot)
    years = {s.year for s in settings.list_year_standards(admin)}
    new_year = max(years) + 1

    def fill(dialog):
        dialog.year.setValue(new_year)
        dialog.dibao.setText("1,300")
        dialog.low.setText("1950元")
        return QDialog.Accepted

    monkeypatch.setattr(StandardDialog, "exec", fill)
    qtbot.mouseClick(page.standards.add_button, Qt.LeftButton)
    stored = {s.year: s for s in settings.list_year_standards(admin)}
    assert (stored[new_year].dibao_fen, stored[new_year].low_income_fen) == (130_000, 195_000)
    assert page.standards.table.item(0, 1).text() == "1,300.00"


def test_union_tree_add_rename_deactivate(admin, qtbot, monkeypatch):
    window, page = settings_page(admin, qtbot)
    tree = page.unions
    district = tree.tree.topLevelItem(0)
    tree.tree.setCurrentItem(district)
    named = iter(["小楼新区总工会", "小楼新区某某厂工会", "小楼新区某某纸品厂工会"])

    def type_name(dialog):
        dialog.name.setText(next(named))
        click_ok(qtbot, dialog)

    when_opened(monkeypatch, UnitNameDialog, type_name)
    click(qtbot, tree.add_street)
    added = tree.selected()
    assert added.name == "小楼新区总工会" and added.level == "street"
    click(qtbot, tree.add_grassroots)
    child = tree.selected()
    assert child.parent_id == added.id
    click(qtbot, tree.rename)
    tree.toggle.click()
    units = {u.id: u for u in org.list_units(admin)}
    assert units[child.id].name == "小楼新区某某纸品厂工会" and not units[child.id].active
    assert tree.toggle.text() == "启用"
