"""The household editor in the real window: open, edit, validate inline, save, history, new."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from zhibang_desktop.domain import clock
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.ui.archive.household_editor import HouseholdEditor

from ..waiting import click, settle


def open_first(window, qtbot, filt=None) -> HouseholdEditor:
    page = window.pages["archive"]
    if filt:
        page.status.setCurrentIndex(page.status.findData(filt))
        settle(qtbot, window)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key_Return)  # Enter opens, like a double-click
    editors = window.session.open_editors()
    assert len(editors) == 1
    return activate(editors[0], qtbot)


def activate(editor, qtbot) -> HouseholdEditor:
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)  # shortcuts go to the active window
    return editor


def test_edit_phone_save_with_ctrl_s_and_see_it_in_history(window, qtbot, clerk):
    editor = open_first(window, qtbot, "active")
    hid = editor.household_id
    editor.basic.phone.setFocus()
    editor.basic.phone.selectAll()
    qtbot.keyClicks(editor.basic.phone, "13800138000")
    assert editor.is_dirty()
    qtbot.keyClick(editor.basic.phone, Qt.Key_S, Qt.ControlModifier)
    assert archive.get_household(clerk, hid).data.phone == "13800138000"
    assert not editor.is_dirty()
    table = editor.changes.table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert any(row[4] == "联系电话" and row[6] == "13800138000" and row[1] == "陈晓" for row in cells)  # the person, not the login
    settle(qtbot, window)  # the list reloads itself off the GUI thread
    assert window.pages["archive"].model.row_at(window.pages["archive"].model.row_of(hid)).phone == "13800138000"


def test_bad_id_number_shows_inline_chinese_error_and_blocks_save(window, qtbot, clerk, boxes):
    editor = open_first(window, qtbot)
    hid = editor.household_id
    before = archive.get_household(clerk, hid).data.id_number
    edit = editor.basic.id_number
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, before[:-1])  # 17 characters
    label = editor.basic.errors.label("id_number")
    qtbot.waitUntil(lambda: label.isVisible(), timeout=3000)
    assert "18位" in label.text()
    assert edit.property("invalid") is True
    assert editor.basic.id_facts.isHidden()  # no sex / birth date from an invalid number
    assert "（1处待改）" in editor.tabs.tabText(0)
    click(qtbot, editor.save_button)
    assert any(kind == "warn" and "身份证号" in detail for kind, _, _, detail in boxes.shown)
    assert archive.get_household(clerk, hid).data.id_number == before
    edit.setText(before)
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=3000)
    assert editor.tabs.tabText(0) == "基本信息"


def test_members_tab_adds_a_member_and_marks_a_bad_member_id(window, qtbot, clerk):
    editor = open_first(window, qtbot, "active")
    tab = editor.members
    editor.tabs.setCurrentWidget(tab)
    before = tab.table.rowCount()
    click(qtbot, tab.add_button)
    row = before
    tab.table.item(row, 0).setText("曾小红")
    tab.table.item(row, 1).setText("子女")
    tab.table.item(row, 2).setText("123")
    editor.basic.household_size.setValue(before + 2)
    qtbot.waitUntil(lambda: tab.problems.isVisible(), timeout=3000)
    assert "家庭成员第" in tab.problems.text()
    assert tab.table.item(row, 2).toolTip()
    tab.table.item(row, 2).setText(make_id_number("440183", date(2012, 3, 4), 321, "F"))
    click(qtbot, editor.save_button)
    assert not editor.is_dirty()
    view = archive.get_household(clerk, editor.household_id)
    assert any(m.name == "曾小红" and m.sex == "F" for m in view.members)


def test_income_summary_is_live(window, qtbot):
    editor = open_first(window, qtbot)
    editor.basic.household_size.setValue(2)
    editor.members.load([])
    editor.basic.head_income.setText("100")
    editor.basic.other_income.setText("")
    assert "人均 50.00 元" in editor.basic.income_summary.text()
    assert "低于低保标准" in editor.basic.income_summary.text()


def test_conflict_offers_to_reopen(window, qtbot, clerk, boxes):
    editor = open_first(window, qtbot, "active")
    hid = editor.household_id
    stored = archive.get_household(clerk, hid)
    data = stored.data
    data.remarks = "另一窗口的修改"
    archive.update_household(clerk, hid, stored.version, data)
    editor.basic.remarks.setPlainText("本窗口的修改")
    boxes.answer = True
    click(qtbot, editor.save_button)
    assert any(kind == "ask" and "已被他人修改" in text for kind, _, text, _ in boxes.shown)
    assert editor.basic.remarks.toPlainText() == "另一窗口的修改"  # reopened
    assert not editor.is_dirty()


def test_escape_with_unsaved_changes_asks_first(window, qtbot, boxes):
    editor = open_first(window, qtbot)
    editor.basic.address.setText("新的地址")
    boxes.answer = False
    qtbot.keyClick(editor, Qt.Key_Escape)
    assert editor.isVisible()
    assert boxes.shown[-1][0] == "ask" and "未保存" in boxes.shown[-1][2]
    boxes.answer = True
    qtbot.keyClick(editor, Qt.Key_Escape)
    assert not editor.isVisible()


def test_ctrl_n_creates_a_new_household_then_visit_and_archive(window, qtbot, clerk, monkeypatch, boxes):
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    editor = activate(next(w for w in window.findChildren(HouseholdEditor) if w.isVisible()), qtbot)
    assert editor.windowTitle() == "新建档案"
    assert not editor.tabs.isTabEnabled(editor.tabs.indexOf(editor.visits))  # visits need a stored household
    b = editor.basic
    b.name.insert("覃新华")  # QTest cannot type Chinese characters
    qtbot.keyClicks(b.id_number, make_id_number("440183", date(1979, 8, 9), 135, "M"))
    b.unit.setCurrentIndex(next(i for i in range(b.unit.count()) if b.unit.model().item(i).isEnabled()))
    b.category.setCurrentIndex(b.category.findData("relative"))
    b.cause_boxes["因病"].setChecked(True)
    qtbot.mouseClick(b.exclusions.all_no, Qt.LeftButton)
    qtbot.keyClicks(b.head_income, "1500")
    qtbot.keyClick(b.head_income, Qt.Key_S, Qt.ControlModifier)
    assert editor.household_id is not None, boxes.texts()
    view = archive.get_household(clerk, editor.household_id)
    assert view.status == "draft" and view.data.name == "覃新华"
    assert editor.windowTitle().startswith(f"档案 {view.archive_no}")
    assert editor.tabs.isTabEnabled(editor.tabs.indexOf(editor.visits))
    assert editor.session.open_editors() == [editor]  # tracked once saved
    found = archive.search_households(clerk, HouseholdFilter(text="qin")).rows
    assert view.id in [r.id for r in found]  # 覃 read as qin

    editor.tabs.setCurrentWidget(editor.visits)
    editor.visits.findings.setPlainText("入户核实，家庭收入低")
    editor.visits.add_button.click()
    assert editor.visits.table.rowCount() == 1
    assert editor.step_buttons["archive"].isVisible()

    monkeypatch.setattr("zhibang_desktop.ui.archive.editor.lifecycle.StepDialog.exec", lambda self: QDialog.Accepted)
    editor.step_buttons["archive"].click()
    view = archive.get_household(clerk, editor.household_id)
    assert view.status == "active"
    assert "在档" in editor.header.text()
    assert editor.step_buttons["begin_exit"].isVisible() and not editor.step_buttons["archive"].isVisible()


def test_archive_step_lists_blockers_in_chinese(window, qtbot, boxes):
    page = window.pages["archive"]
    page.status.setCurrentIndex(page.status.findData("draft"))
    editor = open_first(window, qtbot)
    if not editor.view.archive_blockers:
        return  # a demo draft that already meets every condition
    editor.step_buttons["archive"].click()
    kind, title, text, detail = boxes.shown[-1]
    assert title == "还不能建档" and detail.startswith("• ")


def test_begin_exit_shows_the_phase_out_end(window, qtbot, clerk, monkeypatch):
    from zhibang_desktop.ui.archive.editor.lifecycle import STEPS, StepDialog
    from zhibang_desktop.ui.common.labels import phase_out_end

    editor = open_first(window, qtbot, "active")
    step = next(s for s in STEPS if s.key == "begin_exit")
    dialog = StepDialog(step, editor.view, editor)
    assert phase_out_end(clock.today()).isoformat() in dialog.hint.text()
    monkeypatch.setattr(StepDialog, "exec", lambda self: QDialog.Accepted)
    monkeypatch.setattr(StepDialog, "values", lambda self: (clock.today(), "家庭收入已超过标准"))
    editor.step_buttons["begin_exit"].click()
    view = archive.get_household(clerk, editor.household_id)
    assert view.status == "phasing_out" and view.phase_out_until == phase_out_end(clock.today())
    assert "渐退期至" in editor.header.text()


def test_enter_moves_to_the_next_field(window, qtbot):
    editor = open_first(window, qtbot)
    editor.basic.name.setFocus()
    qtbot.keyClick(editor.basic.name, Qt.Key_Return)
    assert editor.isVisible()  # Enter does not close or save the dialog
    assert editor.basic.id_number.hasFocus()


def test_attachment_add_open_and_remove(window, qtbot, clerk, monkeypatch, boxes, tmp_path):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    editor = open_first(window, qtbot, "active")
    tab = editor.attachments
    editor.tabs.setCurrentWidget(tab)
    scan = tmp_path / "收入证明.pdf"
    scan.write_bytes(b"%PDF-1.4 demo")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(scan)], "")))
    click(qtbot, tab.add_button)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=5000)
    assert len(tab.table.item(0, 3).text()) == 64  # the sha256 is shown
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    tab.table.selectRow(0)
    click(qtbot, tab.open_button)
    path = opened[0].toLocalFile()
    assert path.endswith("收入证明.pdf") and open(path, "rb").read() == b"%PDF-1.4 demo"
    boxes.answer = True
    click(qtbot, tab.remove_button)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 0, timeout=5000)
    assert any(e.field == "附件" for e in archive.household_history(clerk, editor.household_id))


def test_tab_goes_through_every_field_and_out_of_the_text_boxes(window, qtbot):
    editor = open_first(window, qtbot)
    b = editor.basic
    b.name.setFocus()
    seen = []
    for _ in range(80):
        widget = editor.focusWidget()
        seen.append(widget)
        if widget is editor.save_button:
            break
        qtbot.keyClick(widget, Qt.Key_Tab)
    assert editor.save_button in seen  # Tab is not swallowed by 排除条件说明 or 备注
    order = [seen.index(w) for w in (b.name, b.id_number, b.phone, b.unit, b.category, b.household_size,
                                     b.head_income, b.exclusion_override, b.remarks)]
    assert order == sorted(order)
    assert b.exclusion_override.toPlainText() == "" or "\t" not in b.exclusion_override.toPlainText()
    assert "\t" not in b.remarks.toPlainText()


def test_enter_moves_on_from_check_boxes_too(window, qtbot):
    editor = open_first(window, qtbot)
    b = editor.basic
    b.model_worker.setFocus()
    before = b.model_worker.isChecked()
    qtbot.keyClick(b.model_worker, Qt.Key_Return)
    assert b.single_parent.hasFocus() and b.model_worker.isChecked() == before
    b.union_member.setFocus()
    qtbot.keyClick(b.union_member, Qt.Key_Enter, Qt.KeypadModifier)
    assert b.member_no.hasFocus()


def test_ctrl_n_inside_an_editor_opens_another_new_household(window, qtbot):
    editor = open_first(window, qtbot, "active")
    before = {id(w) for w in window.findChildren(HouseholdEditor) if w.isVisible()}
    qtbot.keyClick(editor.basic.phone, Qt.Key_N, Qt.ControlModifier)
    new = [w for w in window.findChildren(HouseholdEditor) if w.isVisible() and id(w) not in before]
    assert len(new) == 1 and new[0].windowTitle() == "新建档案"
    assert editor.isVisible()  # the one being edited stays open
    for w in new + [editor]:
        w.close()  # neither has unsaved changes: no question asked


def test_money_fields_refuse_at_the_field_instead_of_dropping_characters(window, qtbot, clerk, boxes):
    """Issue 10: the income fields dropped what their validator refused, silently: `-100` → 100,
    `1e9` → 19, `1,200.555` → 1,200.55. Now the text stays as typed and the field says why."""
    editor = open_first(window, qtbot, "active")
    hid = editor.household_id
    before = archive.get_household(clerk, hid).data.head_income_fen
    edit = editor.basic.head_income
    label = editor.basic.errors.label("head_income_fen")
    for typed, reason in (("-100", "负数"), ("1e9", "不是有效数字"), ("1,200.555", "两位小数")):
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClicks(edit, typed)
        assert edit.text() == typed  # nothing dropped
        qtbot.waitUntil(lambda: label.isVisible() and reason in label.text(), timeout=3000)
        assert edit.property("invalid") is True
        qtbot.keyClick(edit, Qt.Key_S, Qt.ControlModifier)
        assert archive.get_household(clerk, hid).data.head_income_fen == before  # refused, not saved
    edit.selectAll()
    qtbot.keyClicks(edit, "1,200.50")
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=3000)
    qtbot.keyClick(edit, Qt.Key_S, Qt.ControlModifier)
    assert archive.get_household(clerk, hid).data.head_income_fen == 120050
