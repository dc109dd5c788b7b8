"""新建救助申请 from the household the clerk is looking at: the archive list's context menu and
button, and the household editor's button, open the new-request dialog with the household
already chosen (no second search); disabled, with the reason, for a user who may not enter
requests and for a draft household."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from zhibang_desktop import demo
from zhibang_desktop.services import archive, relief
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.archive.types import DRAFT_NO_REQUEST
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.relief.types import RequestFilter
from zhibang_desktop.ui.archive.household_editor import HouseholdEditor
from zhibang_desktop.ui.common.session import UiSession
from zhibang_desktop.ui.relief.relief_request_dialog import ReliefRequestDialog
from zhibang_desktop.ui.relief.request_from_household import NO_PERMISSION

from ..waiting import click, click_row, settle
from .test_household_editor import activate

NEW_REQUEST = "新建救助申请…"


def show_only(window, qtbot, status: str):
    """The archive list filtered to one status; the first row chosen with the mouse."""
    page = window.pages["archive"]
    page.status.setCurrentIndex(page.status.findData(status))
    settle(qtbot, window)
    assert page.model.rowCount() > 0
    click_row(qtbot, page.table, 0)
    return page, page.model.row_at(0)


def right_click_menu(qtbot, page) -> QMenu:
    """Right-click the chosen row; the context menu that pops up."""
    table = page.table
    rect = table.visualRect(table.currentIndex())
    qtbot.mouseClick(table.viewport(), Qt.RightButton, pos=rect.center())
    # the platform's context-menu event (the offscreen platform makes none from the click)
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Mouse, rect.center(),
                           table.viewport().mapToGlobal(rect.center())))
    qtbot.waitUntil(lambda: any(isinstance(w, QMenu) and w.isVisible() for w in QApplication.topLevelWidgets()))
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())


def menu_action(menu: QMenu, text: str):
    return next(a for a in menu.actions() if a.text() == text)


def new_dialogs() -> list[ReliefRequestDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ReliefRequestDialog) and w.isVisible()]


def fill_and_save(d: ReliefRequestDialog, qtbot) -> None:
    """What the clerk does after: the type, the quarter, the amount, the reason; 保存草稿."""
    d.form.type.setCurrentIndex(d.form.type.findData("quarterly"))
    assert d.form.type.currentData() == "quarterly"
    d.form.amounts.amount.clear()
    qtbot.keyClicks(d.form.amounts.amount, "500")
    d.form.reason.setPlainText("家庭生活困难，申请季度救助")
    qtbot.waitUntil(lambda: not d.check_pending(), timeout=5000)
    click(qtbot, d.save_button)
    settle(qtbot, d.session)


def requests_of(ctx, household_id: int) -> list:
    return list(relief.list_requests(ctx, RequestFilter(household_id=household_id)).rows)


def test_context_menu_opens_the_request_dialog_with_the_household_chosen_and_saves(window, qtbot, clerk):
    relief_page = window.pages["relief"]
    settle(qtbot, window)
    listed = relief_page.model.total
    page, row = show_only(window, qtbot, "active")
    before = len(requests_of(clerk, row.id))
    menu = right_click_menu(qtbot, page)
    action = menu_action(menu, NEW_REQUEST)
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: len(new_dialogs()) == 1)
    d = new_dialogs()[0]
    # as if the clerk had searched and picked it: the household, its people, the live check
    assert d.who.household.id == row.id and d.who.household_id() == row.id
    assert row.name in d.who.chosen.text() and row.archive_no in d.who.chosen.text()
    hv = archive.get_household(clerk, row.id)
    assert d.who.person.count() == 1 + sum(1 for m in hv.data.members if m.id_number)
    assert d.who.who_missing() == "" and not d.who.results.isVisible()
    assert d.evaluation is not None and "请先" not in d.check.verdict.text()  # checked at once
    assert d.has_changes()  # closing without saving asks first, as after a search
    fill_and_save(d, qtbot)
    assert d.view is not None and d.view.household_id == row.id
    mine = requests_of(clerk, row.id)
    assert len(mine) == before + 1 and any(r.id == d.view.id and r.status == "draft" for r in mine)
    # the request list learns of it as it does of any request entered
    settle(qtbot, window)
    assert relief_page.model.total == listed + 1


def test_the_page_button_opens_it_for_the_chosen_row(window, qtbot, clerk):
    page, row = show_only(window, qtbot, "phasing_out")
    assert page.request_button.isVisible()
    click(qtbot, page.request_button)
    qtbot.waitUntil(lambda: len(new_dialogs()) == 1)
    d = new_dialogs()[0]
    assert d.who.household_id() == row.id
    # a 渐退 household may still have a request, with a written reason (the policy check says so)
    d.form.type.setCurrentIndex(d.form.type.findData("quarterly"))
    d.evaluate_now()
    assert "渐退期" in d.check.findings.text()


def test_the_archive_menu_opens_it_for_the_chosen_row(window, qtbot):
    """The menu bar's 档案 menu carries the chosen household's commands too (打开, 新建救助申请)."""
    page, row = show_only(window, qtbot, "active")
    action = menu_action(window.archive_menu, NEW_REQUEST)
    assert action.isEnabled() and [a.text() for a in window.archive_menu.actions()][:2] == ["打开", NEW_REQUEST]
    action.trigger()
    qtbot.waitUntil(lambda: len(new_dialogs()) == 1)
    assert new_dialogs()[0].who.household_id() == row.id
    new_dialogs()[0].reject()
    show_only(window, qtbot, "draft")
    assert not action.isEnabled() and action.toolTip() == DRAFT_NO_REQUEST


def test_a_draft_household_cannot_and_says_why(window, qtbot, boxes):
    page, row = show_only(window, qtbot, "draft")
    assert not page.request_button.isEnabled() and page.request_button.toolTip() == DRAFT_NO_REQUEST
    menu = right_click_menu(qtbot, page)
    action = menu_action(menu, NEW_REQUEST)
    assert not action.isEnabled() and action.toolTip() == DRAFT_NO_REQUEST
    menu.close()
    assert not new_dialogs()


def test_an_exited_household_opens_and_the_policy_check_refuses_as_after_a_search(window, qtbot):
    page, row = show_only(window, qtbot, "exited")
    click(qtbot, page.request_button)
    d = new_dialogs()[0]
    d.form.type.setCurrentIndex(d.form.type.findData("quarterly"))
    d.evaluate_now()
    assert "该户已退档" in d.check.findings.text()
    assert not d.submit_button.isEnabled()


@pytest.mark.parametrize("username", ["reviewer", "auditor"])
def test_disabled_for_a_user_who_may_not_enter_requests(username, demo_db, qtbot):
    from zhibang_desktop.ui.main_window import MainWindow

    session = UiSession(AppContext(demo_db, users.authenticate(demo_db, username, demo.DEMO_PASSWORD)))
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    if "archive" not in w.pages:
        pytest.skip(f"{username} has no archive page")
    page, row = show_only(w, qtbot, "active")
    assert not page.request_button.isEnabled() and page.request_button.toolTip() == NO_PERMISSION
    menu = right_click_menu(qtbot, page)
    assert not menu_action(menu, NEW_REQUEST).isEnabled()
    menu.close()
    page.open_household(row.id)
    editor = session.editor_for(("household", row.id))
    assert not editor.request_button.isEnabled() and editor.request_button.toolTip() == NO_PERMISSION
    editor.close()


def open_editor(window, qtbot, status: str):
    page, row = show_only(window, qtbot, status)
    qtbot.keyClick(page.table, Qt.Key_Return)
    return activate(window.session.editor_for(("household", row.id)), qtbot), row


def test_the_editor_button_opens_it_for_this_household_and_it_outlives_the_editor(window, qtbot, clerk):
    editor, row = open_editor(window, qtbot, "active")
    assert editor.request_button.isEnabled() and editor.request_button.text() == "新建救助申请"
    click(qtbot, editor.request_button)
    qtbot.waitUntil(lambda: len(new_dialogs()) == 1)
    d = new_dialogs()[0]
    assert d.who.household_id() == row.id
    editor.close()  # the request goes on in its own window
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert d.isVisible()
    fill_and_save(d, qtbot)
    assert any(r.id == d.view.id for r in requests_of(clerk, row.id))


def test_the_editor_saves_an_unsaved_change_first(window, qtbot, clerk, boxes):
    editor, row = open_editor(window, qtbot, "active")
    editor.basic.phone.setFocus()
    editor.basic.phone.selectAll()
    qtbot.keyClicks(editor.basic.phone, "13800138001")
    click(qtbot, editor.request_button)
    assert any(kind == "ask" and "未保存" in text for kind, _, text, _ in boxes.shown)
    assert archive.get_household(clerk, row.id).data.phone == "13800138001"
    qtbot.waitUntil(lambda: len(new_dialogs()) == 1)


def test_the_editor_button_is_disabled_for_a_draft_and_a_new_household(window, qtbot):
    editor, _ = open_editor(window, qtbot, "draft")
    assert not editor.request_button.isEnabled() and editor.request_button.toolTip() == DRAFT_NO_REQUEST
    editor.close()
    click(qtbot, window.pages["archive"].new_button)
    new = next(e for e in QApplication.topLevelWidgets()
               if isinstance(e, HouseholdEditor) and e.household_id is None and e.isVisible())
    assert not new.request_button.isEnabled()
    assert not new_dialogs()
