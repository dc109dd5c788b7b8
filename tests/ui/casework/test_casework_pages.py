"""回访, 投诉 and 数据比对 pages on the demo year, driven as the clerk drives them: buttons clicked,
fields typed, dialogs' OK pressed; the lists refresh themselves after each write."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.services.casework_helpers import write_list
from zhibang_desktop.domain import clock
from zhibang_desktop.services import archive, casework
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.ui.casework.complaint_dialogs import ComplaintDialog, HandleComplaintDialog
from zhibang_desktop.ui.casework.crosscheck_dialogs import DecideFindingDialog, ListSourceDialog
from zhibang_desktop.ui.casework.followup_dialog import FollowUpDialog
from zhibang_desktop.ui.common.import_dialog import ImportCheckDialog

from ..waiting import click, click_ok, settle, when_opened


def rows(table) -> list:
    model = table.rows_model()
    return [model.row_at(i) for i in range(model.rowCount())]


def test_follow_up_from_the_due_list(window, qtbot, monkeypatch, clerk):
    page = window.show_page("followups")
    settle(qtbot, window)
    due = rows(page.table)
    assert due and len(due) == len(casework.followup_list(clerk)) and not any(d.done for d in due)
    first = due[0]
    page.table.selectRow(0)

    def fill(dialog):
        dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData("basic"))
        dialog.needs.setPlainText("希望帮助孩子找工作")  # Chinese comes from the input method, not keys
        click_ok(qtbot, dialog)

    opened = when_opened(monkeypatch, FollowUpDialog, fill)
    click(qtbot, page.record_button)
    assert opened[0].result_due.done
    settle(qtbot, window)
    assert first.line_id not in [d.line_id for d in rows(page.table)]  # refreshed: no longer due
    recorded = next(d for d in casework.followup_list(clerk, due_only=False) if d.line_id == first.line_id)
    assert recorded.followups[-1].needs == "希望帮助孩子找工作" and recorded.followups[-1].satisfaction == "basic"


def test_follow_up_refused_without_an_answer(window, qtbot, monkeypatch):
    page = window.show_page("followups")
    settle(qtbot, window)
    page.table.selectRow(0)

    def refuse(dialog):
        dialog.by.clear()
        click_ok(qtbot, dialog)
        assert dialog.isVisible() and "回访人" in dialog.error.text()
        dialog.reject()

    when_opened(monkeypatch, FollowUpDialog, refuse)
    click(qtbot, page.record_button)


def test_register_and_close_a_complaint(window, qtbot, monkeypatch, clerk):
    page = window.show_page("complaints")
    settle(qtbot, window)
    head = archive.search_households(clerk, HouseholdFilter()).rows[0]
    id_number = archive.get_household(clerk, head.id).data.id_number

    def fill(dialog):
        dialog.complainant.setText("匿名")
        qtbot.keyClicks(dialog.household, id_number)
        dialog.content.setPlainText("反映救助金一直没有到账")
        dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
        click_ok(qtbot, dialog)

    opened = when_opened(monkeypatch, ComplaintDialog, fill)
    click(qtbot, page.add_button)
    added = opened[0].saved
    assert added.household_id == head.id and added.status == "open" and added.due_date > clock.today()
    settle(qtbot, window)
    assert page.table.select_key(added.id)

    def close(dialog):
        dialog.handling.setPlainText("银行退票，已更正账号重发")
        dialog.result_text.setPlainText("已到账，本人认可")
        dialog.fault.setCurrentIndex(dialog.fault.findData(False))
        dialog.close_box.setChecked(True)
        click_ok(qtbot, dialog)

    when_opened(monkeypatch, HandleComplaintDialog, close)
    click(qtbot, page.handle_button)
    settle(qtbot, window)
    done = next(c for c in rows(page.table) if c.id == added.id)
    assert (done.status, done.at_fault, done.closed_on) == ("closed", False, clock.today())
    page.table.select_key(added.id)
    assert not page.handle_button.isEnabled()  # a closed complaint is not handled again


def test_import_a_list_decide_and_see_it_on_the_household(window, qtbot, monkeypatch, tmp_path, clerk, boxes):
    households = archive.search_households(clerk, HouseholdFilter(statuses=frozenset({"active"}))).rows[:2]
    heads = [archive.get_household(clerk, h.id) for h in households]
    path = write_list(tmp_path / "公安名单.xlsx", ["姓名", "身份证号", "是否死亡", "机动车数量"],
                      [[heads[0].data.name, heads[0].data.id_number, "是", 0],
                       [heads[1].data.name, heads[1].data.id_number, "否", 2]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    ours = {h.id for h in heads}

    def listed() -> list:  # the demo year's own 公安 list has a finding of its own
        return [f for f in rows(page.findings) if f.household_id in ours]

    def police(dialog):
        dialog.source.setCurrentIndex(dialog.source.findData("公安"))
        click_ok(qtbot, dialog)

    when_opened(monkeypatch, ListSourceDialog, police)
    page = window.show_page("crosscheck")
    click(qtbot, page.import_button)
    assert boxes.shown[-1][2] == "已导入公安名单。" and "发现 2 条需核实" in boxes.shown[-1][3]
    settle(qtbot, window)
    assert [(v.source, v.filename) for v in rows(page.lists)].count(("公安", "公安名单.xlsx")) == 1
    assert sorted(f.kind for f in listed()) == ["deceased", "vehicle"]
    car = next(i for i, f in enumerate(rows(page.findings)) if f.kind == "vehicle" and f.household_id in ours)
    page.findings.selectRow(car)

    def dismiss(dialog):
        dialog.decision.setCurrentIndex(dialog.decision.findData("dismissed"))
        dialog.note.setPlainText("车辆已于去年过户，提供了过户证明")
        click_ok(qtbot, dialog)

    when_opened(monkeypatch, DecideFindingDialog, dismiss)
    click(qtbot, page.decide_button)
    settle(qtbot, window)
    assert [f.kind for f in listed()] == ["deceased"]  # only open ones shown
    view = archive.get_household(clerk, heads[1].id)
    assert view.visits[0].method == "data_check" and "过户证明" in view.visits[0].outcome
    # the household editor lists the findings
    page.open_only.setChecked(False)
    settle(qtbot, window)
    page.findings.select_key(next(f.id for f in listed() if f.kind == "vehicle"))
    click(qtbot, page.open_button)
    editor = window.session.open_editors()[0]
    tab = editor.crosscheck
    assert [f.decision for f in rows(tab.table)] == ["dismissed"] and "待处理 0 条" in tab.note.text()


def test_a_bad_list_shows_its_problems_and_imports_nothing(window, qtbot, monkeypatch, tmp_path, clerk):
    path = write_list(tmp_path / "坏名单.xlsx", ["姓名", "身份证号", "是否死亡"], [["某人", "123", "是"]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    before = casework.list_crosscheck_lists(clerk)
    when_opened(monkeypatch, ListSourceDialog, lambda dialog: click_ok(qtbot, dialog))
    shown = when_opened(monkeypatch, ImportCheckDialog, lambda dialog: dialog.reject())
    page = window.show_page("crosscheck")
    click(qtbot, page.import_button)
    assert "没有导入任何名单" in shown[0].title.text()
    assert shown[0].table.item(0, 1).text() == "2" and shown[0].table.item(0, 2).text() == "身份证号"
    assert casework.list_crosscheck_lists(clerk) == before


def test_settings_hold_the_sample_and_the_deadlines(window, qtbot, admin):
    from zhibang_desktop.services.admin.settings import get_settings
    from zhibang_desktop.ui.admin.settings_page import SettingsPage
    from zhibang_desktop.ui.common.session import UiSession

    page = SettingsPage(UiSession(admin))
    qtbot.addWidget(page)
    box = page.office.numbers["followup_sample_percent"]
    box.selectAll()
    qtbot.keyClicks(box, "30")
    qtbot.keyClick(box, Qt.Key_Tab)
    click(qtbot, page.office.save_button)
    assert get_settings(admin).followup_sample_percent == 30
