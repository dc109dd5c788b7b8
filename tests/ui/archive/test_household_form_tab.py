"""The 档案表信息 tab: the clerk picks, types and saves every 档案表 field; bad values are
marked at the field and nothing is saved."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.fields import FORM_FIELDS

from ..waiting import choose, click
from .test_household_editor import open_first

CHOSEN = {"political_status": "cpc_member", "marital_status": "widowed", "medical_insurance": "resident",
          "disability_category": "hearing", "disability_grade": "3", "housing_type": "public_rental",
          "employer_nature": "collective", "enterprise_status": "halted"}


def retype(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def test_every_form_field_typed_and_chosen_is_saved(window, qtbot, clerk):
    editor = open_first(window, qtbot, "active")
    tab = editor.form
    editor.tabs.setCurrentWidget(tab)
    for field, code in CHOSEN.items():
        choose(qtbot, tab.choices[field], code)
    retype(qtbot, tab.housing_area, "38.5")
    zero_before = tab.zero_employment.isChecked()
    qtbot.mouseClick(tab.zero_employment, Qt.LeftButton)
    for edit, name in ((tab.archived_by, "陈晓"), (tab.reviewed_by, "黄伟")):
        edit.setFocus()
        edit.selectAll()
        edit.insert(name)  # QTest cannot type Chinese characters
    for field, text in (("grassroots_opinion", "经入户核查，情况属实。"), ("upper_opinion", "同意。")):
        tab.opinions[field].setFocus()
        tab.opinions[field].selectAll()
        tab.opinions[field].insertPlainText(text)
    retype(qtbot, tab.opinion_dates["grassroots_opinion_on"], "2026-03-02")
    retype(qtbot, tab.opinion_dates["upper_opinion_on"], "2026/3/9")
    assert editor.is_dirty()
    qtbot.keyClick(tab.opinion_dates["upper_opinion_on"], Qt.Key_S, Qt.ControlModifier)
    assert not editor.is_dirty()
    data = archive.get_household(clerk, editor.household_id).data
    assert {f: getattr(data, f) for f in FORM_FIELDS} == {
        **CHOSEN, "housing_area_x100": 3850, "zero_employment": not zero_before, "archived_by": "陈晓", "reviewed_by": "黄伟",
        "grassroots_opinion": "经入户核查，情况属实。", "grassroots_opinion_on": date(2026, 3, 2),
        "upper_opinion": "同意。", "upper_opinion_on": date(2026, 3, 9)}
    # reopened, the tab shows what was saved
    assert tab.housing_area.text() == "38.5" and tab.choices["disability_grade"].currentText() == "三级"
    assert tab.opinion_dates["upper_opinion_on"].text() == "2026-03-09"


def test_bad_form_values_are_marked_at_the_field_and_not_saved(window, qtbot, clerk, boxes):
    editor = open_first(window, qtbot, "active")
    hid = editor.household_id
    before = archive.get_household(clerk, hid).data
    tab = editor.form
    editor.tabs.setCurrentWidget(tab)
    choose(qtbot, tab.choices["disability_category"], "none")
    choose(qtbot, tab.choices["disability_grade"], "2")
    grade = tab.errors.label("disability_grade")
    qtbot.waitUntil(lambda: "先选择残疾类别" in grade.text(), timeout=3000)  # checked as the clerk types
    retype(qtbot, tab.housing_area, "fifty")
    retype(qtbot, tab.opinion_dates["upper_opinion_on"], "2026-13-40")
    click(qtbot, editor.save_button)
    area = tab.errors.label("housing_area_x100")
    assert "不是面积" in area.text() and area.isVisible()
    assert tab.errors.label("upper_opinion_on").text()
    assert "处待改" in editor.tabs.tabText(editor.tabs.indexOf(tab))
    assert any(kind == "warn" and "建筑面积" in detail for kind, _, _, detail in boxes.shown)
    assert archive.get_household(clerk, hid).data == before
