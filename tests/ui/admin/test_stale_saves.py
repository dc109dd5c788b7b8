"""A save over someone else's newer save, in the dialogs of the records besides households that
carry a version (users, unions, budget lines, the year's policy): the administrator opens the
dialog, 王芳 (another administrator, another session) changes the same record through the
service, the administrator presses 保存 — the dialog stays open, says who changed what, keeps what
was typed, and nothing of the administrator's is stored."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.admin_helpers import PASSWORD
from tests.services.record_cases import CASES
from zhibang_desktop.services import funds
from zhibang_desktop.services.admin import org, users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.relief import policies
from zhibang_desktop.ui.admin.union_tree import UnitNameDialog
from zhibang_desktop.ui.admin.users_page import UserEditDialog, UsersPage
from zhibang_desktop.ui.common.session import UiSession
from zhibang_desktop.ui.funds import funds_dialogs as fd
from zhibang_desktop.ui.funds.funds_page import FundsPage
from zhibang_desktop.ui.main_window import MainWindow
from zhibang_desktop.ui.relief.policy_dialogs import PolicyEditDialog
from zhibang_desktop.ui.relief.policy_page import PolicyPage

from ..waiting import click, ok_button, settle, when_opened


@pytest.fixture
def wang(admin) -> AppContext:
    """王芳: a second administrator (and head), signed in on another PC."""
    users.add_user(admin, "wangfang", "王芳", PASSWORD, ["admin", "head"])
    return AppContext(admin.db, users.authenticate(admin.db, "wangfang", PASSWORD))


def _told(text: str, field: str) -> None:
    assert "已被他人修改" in text and "没有保存" in text, text
    assert "王芳" in text and field in text, text


def _save_over(qtbot, dialog, typing, behind, typed, button=None) -> dict:
    """Type into the open dialog, let 王芳 save the record behind its back, press 保存: what the
    dialog shows then (still open? its error line; what is in its fields)."""
    typing()
    behind()
    qtbot.mouseClick(button or ok_button(dialog), Qt.LeftButton)
    seen = {"open": dialog.isVisible(), "typed": typed()}
    if hasattr(dialog, "error"):
        seen["error"] = dialog.error.text()
    dialog.reject()
    return seen


def _shown(qtbot, page) -> None:
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    if hasattr(page, "activated"):
        page.activated()
    settle(qtbot, page)


def test_the_user_dialog(admin, wang, qtbot, monkeypatch):
    page = UsersPage(admin)
    _shown(qtbot, page)
    page.select_username("clerk")
    uid = page.selected_user().id
    seen = {}

    def edit(dialog):
        seen.update(_save_over(qtbot, dialog, lambda: dialog.display_name.setText("本窗口改的姓名"),
                               lambda: CASES["user"].save(wang, CASES["user"].open(wang, uid), "王芳改的姓名"),
                               dialog.display_name.text))

    when_opened(monkeypatch, UserEditDialog, edit)
    click(qtbot, page.edit_button)
    assert seen["open"] and seen["typed"] == "本窗口改的姓名"
    _told(seen["error"], "姓名")
    assert CASES["user"].stored(admin, uid) == "王芳改的姓名"


def test_the_union_dialog(admin, wang, qtbot, monkeypatch):
    window = MainWindow(UiSession(admin))
    qtbot.addWidget(window)
    tree = window.show_page("settings").unions
    unit = next(u for u in org.list_units(admin) if u.level == "grassroots")
    tree.reload(unit.id)
    assert tree.selected().id == unit.id
    seen = {}

    def rename(dialog):
        seen.update(_save_over(qtbot, dialog, lambda: dialog.name.setText("本窗口改的名称"),
                               lambda: CASES["union"].save(wang, CASES["union"].open(wang, unit.id), "王芳改的"),
                               dialog.name.text))

    when_opened(monkeypatch, UnitNameDialog, rename)
    click(qtbot, tree.rename)
    assert seen["open"] and seen["typed"] == "本窗口改的名称"
    _told(seen["error"], "名称")
    assert CASES["union"].stored(admin, unit.id) == "王芳改的工会"


def test_the_budget_line_dialog(admin, wang, qtbot, monkeypatch):
    page = FundsPage(UiSession(admin))
    _shown(qtbot, page)
    line = max(page.lines.rows(), key=lambda v: v.figures.remaining_fen)
    assert line.figures.remaining_fen > 25_000_00, [v.figures for v in page.lines.rows()]
    assert page.line_table.select_key(line.id)
    seen = {}

    def typing(dialog):
        qtbot.keyClicks(dialog.amount, "5000")
        dialog.reason.setPlainText("本窗口的压减")

    def cut(dialog):
        seen.update(_save_over(qtbot, dialog, lambda: typing(dialog),
                               lambda: CASES["budget"].save(wang, CASES["budget"].open(wang, line.id), "王芳"),  # -20,000
                               lambda: (dialog.amount.text(), dialog.reason.toPlainText())))

    when_opened(monkeypatch, fd.AdjustDialog, cut)
    click(qtbot, page.adjust_button)
    assert seen["open"] and seen["typed"] == ("5000", "本窗口的压减")
    _told(seen["error"], "预算")
    stored = funds.get_budget(admin, line.id)
    assert stored.figures.budget_fen == line.figures.budget_fen - 20_000_00  # 王芳's cut only
    assert [a.reason for a in stored.adjustments][-1:] == ["压减：王芳"]


def test_the_policy_dialog(admin, wang, qtbot, monkeypatch, boxes):
    page = PolicyPage(UiSession(admin))
    _shown(qtbot, page)
    newest = next(v for v in page.versions if v.id == page.selected_id())  # the one in force, as shown
    year, before = newest.year, len(policies.list_policies(admin))
    seen = {}

    def edit(dialog):
        typed = dialog.editor.toPlainText().replace(f"\"name\": \"{newest.name}\"", "\"name\": \"本窗口的政策\"", 1)
        assert typed != dialog.editor.toPlainText()
        seen.update(_save_over(qtbot, dialog, lambda: dialog.editor.setPlainText(typed),
                               lambda: CASES["policy"].save(wang, dialog.based_on, "王芳的政策"),
                               lambda: dialog.editor.toPlainText() == typed, dialog.save_button))
        seen["saved"] = dialog.saved_view

    when_opened(monkeypatch, PolicyEditDialog, edit)
    click(qtbot, page.edit_button)
    assert seen["open"] and seen["saved"] is None and seen["typed"]
    _told(boxes.texts(), "保存了第")
    assert len(policies.list_policies(admin)) == before + 1  # 王芳's version only
    assert policies.show_policy(admin, year).name == "王芳的政策"
