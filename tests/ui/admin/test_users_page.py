"""用户管理 page: list, add, edit, reviewer scopes, disable, reset password — real widgets, real database."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog

from zhibang_desktop.services.admin import users
from zhibang_desktop.ui.admin import users_page
from zhibang_desktop.ui.admin.users_page import (
    ResetPasswordDialog, ReviewerScopesDialog, UserEditDialog, UsersPage,
)

from ..waiting import click, click_ok, settle


def usernames(page) -> list[str]:
    return [page.model.user(r).username for r in range(page.model.rowCount())]


def make_page(admin, qtbot) -> UsersPage:
    page = UsersPage(admin)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    settle(qtbot, page)
    return page


def test_lists_users(admin, qtbot):
    page = make_page(admin, qtbot)
    assert usernames(page) == ["admin", "clerk", "reviewer", "reviewer2", "head", "auditor"]
    assert page.model.index(1, 2).data() == "经办人"
    assert page.model.index(1, 3).data() == "全单位" and page.model.index(1, 4).data() == "启用"
    assert not page.edit_button.isEnabled()
    page.select_username("reviewer")
    assert page.edit_button.isEnabled() and page.scopes_button.isEnabled()
    page.select_username("clerk")
    assert not page.scopes_button.isEnabled()


def test_add_user_through_the_page(admin, qtbot, monkeypatch):
    page = make_page(admin, qtbot)
    street = next(u for u in users_page.org.list_units(admin) if u.level == "street")

    def fill_and_save(dialog):
        dialog.username.setText("lina")
        dialog.display_name.setText("李娜")
        dialog.password.setText("Passw0rd1")
        dialog.confirm.setText("Passw0rd1")
        dialog.roles["clerk"].setChecked(True)
        dialog.roles["reviewer"].setChecked(True)
        dialog.scope.set_unit_id(street.id)
        click_ok(qtbot, dialog)
        return dialog.result()

    monkeypatch.setattr(UserEditDialog, "exec", fill_and_save)
    with qtbot.waitSignal(page.users_changed):
        click(qtbot, page.add_button)
    assert "lina" in usernames(page)
    assert page.selected_user().username == "lina"
    row = page.model.row_of(page.selected_user().id)
    assert page.model.index(row, 2).data() == "经办人、审核人"
    assert page.model.index(row, 3).data() == street.name
    actor = users.authenticate(admin.db, "lina", "Passw0rd1")
    assert actor.scope_unit_id == street.id


def test_add_user_dialog_shows_problems(admin, qtbot):
    dialog = UserEditDialog(admin)
    qtbot.addWidget(dialog)
    dialog.username.setText("clerk")  # taken
    dialog.password.setText("abc")
    dialog.confirm.setText("abc")
    click_ok(qtbot, dialog)
    assert dialog.result() != QDialog.Accepted
    assert "“clerk”已存在" in dialog.error.text() and "至少 8 位" in dialog.error.text()
    assert "至少选择一个有效角色" in dialog.error.text()


def test_edit_roles_disable_and_reset(admin, qtbot, monkeypatch, boxes):
    page = make_page(admin, qtbot)
    page.select_username("clerk")
    target = page.selected_user()
    dialog = UserEditDialog(admin, target)
    qtbot.addWidget(dialog)
    assert dialog.username.isReadOnly() and dialog.roles["clerk"].isChecked()
    dialog.roles["auditor"].setChecked(True)
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.Accepted
    assert users.get_user(admin, target.id).roles == ("auditor", "clerk")

    page.refresh()
    settle(qtbot, page)
    page.select_username("clerk")
    assert page.toggle_button.text() == "停用"
    with qtbot.waitSignal(page.users_changed):
        click(qtbot, page.toggle_button)
    assert boxes.shown[-1][0] == "ask"
    row = page.model.row_of(target.id)
    assert page.model.index(row, 4).data() == "停用"
    assert page.toggle_button.text() == "启用"
    with qtbot.waitSignal(page.users_changed):
        click(qtbot, page.toggle_button)
    assert page.model.index(row, 4).data() == "启用"

    reset = ResetPasswordDialog(admin, page.selected_user())  # as shown now, after the edits above
    qtbot.addWidget(reset)
    reset.password.setText("Fresh2026")
    reset.confirm.setText("Fresh2026")
    click_ok(qtbot, reset)
    assert reset.result() == QDialog.Accepted
    assert users.authenticate(admin.db, "clerk", "Fresh2026").username == "clerk"


def test_last_admin_cannot_be_disabled_from_the_page(admin, qtbot, boxes):
    page = make_page(admin, qtbot)
    page.select_username("admin")
    click(qtbot, page.toggle_button)
    assert boxes.shown[-1][0] == "warn" and "当前登录" in boxes.texts()
    assert page.model.index(page.model.row_of(admin.actor.user_id), 4).data() == "启用"


def test_reviewer_scopes_dialog(admin, qtbot):
    reviewer = users.find_user(admin, "reviewer")
    dialog = ReviewerScopesDialog(admin, reviewer)
    qtbot.addWidget(dialog)
    existing = users.reviewer_scopes(admin, reviewer.id)  # the demo reviewer has some already
    assert dialog.table.rowCount() == len(existing) > 0
    assert dialog.scopes() == [(s.unit_id, s.level) for s in existing]
    dialog.table.selectAll()
    click(qtbot, dialog.remove_button)
    assert dialog.table.rowCount() == 0
    click(qtbot, dialog.add_button)
    click(qtbot, dialog.add_button)
    street = next(u for u, _ in dialog.units if u.level == "street")
    dialog.table.cellWidget(1, 0).setCurrentIndex(dialog.table.cellWidget(1, 0).findData(street.id))
    dialog.table.cellWidget(1, 1).setCurrentIndex(dialog.table.cellWidget(1, 1).findData("street"))
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.Accepted
    saved = users.reviewer_scopes(admin, reviewer.id)
    assert [(s.level) for s in saved] == ["district", "street"] and saved[1].unit_id == street.id


def test_page_accepts_a_ui_session(admin, qtbot):
    from zhibang_desktop.ui.common.session import UiSession

    session = UiSession(admin)
    page = UsersPage(session)
    qtbot.addWidget(page)
    settle(qtbot, page)
    assert page.ctx is admin and page.model.rowCount() == 6


def test_non_admin_is_refused_by_the_service(clerk, qtbot, boxes):
    page = UsersPage(clerk)
    qtbot.addWidget(page)
    settle(qtbot, page)
    assert page.model.rowCount() == 0
    assert "管理用户" in boxes.texts()


def test_a_union_administrator_sees_and_gives_only_its_subtree(admin, qtbot, monkeypatch):
    """Bound to a street union: the list holds its users, the scope list its subtree without
    全单位, and a user added through the page lands there."""
    from tests.admin_helpers import user_context

    street = next(u for u in users_page.org.list_units(admin) if u.level == "street")
    below = users_page.org.subtree(users_page.org.list_units(admin), street.id)
    local = user_context(admin, "street_admin", ["admin"], scope_unit_id=street.id)
    page = make_page(local, qtbot)
    assert usernames(page) == ["street_admin"]
    seen = {}

    def fill_and_save(dialog):
        combo = dialog.scope
        seen["offered"] = {combo.itemData(i) for i in range(combo.count())}
        seen["first"] = combo.unit_id()
        dialog.username.setText("street_clerk")
        dialog.display_name.setText("街道经办")
        dialog.password.setText("Passw0rd1")
        dialog.confirm.setText("Passw0rd1")
        dialog.roles["clerk"].setChecked(True)
        click_ok(qtbot, dialog)
        return dialog.result()

    monkeypatch.setattr(UserEditDialog, "exec", fill_and_save)
    with qtbot.waitSignal(page.users_changed):
        click(qtbot, page.add_button)
    assert seen["offered"] == {u.id for u in below if u.active} and seen["first"] == street.id
    assert usernames(page) == ["street_admin", "street_clerk"]
    assert users.authenticate(admin.db, "street_clerk", "Passw0rd1").scope_unit_id == street.id


def test_the_user_dialog_says_what_a_scope_takes_away(admin, qtbot):
    """A scoped user has no office-wide right whatever its roles (domain/permissions.OFFICE_WIDE):
    the dialog's note under 管辖范围 names each of them."""
    from PySide6.QtWidgets import QLabel

    from zhibang_desktop.domain.permissions import OFFICE_WIDE, PERMISSIONS

    dialog = UserEditDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    notes = [w.text() for w in dialog.findChildren(QLabel) if "设了管辖范围" in w.text() and w.isVisible()]
    assert len(notes) == 1 and "只能查看和编辑该工会及其下级工会的档案" in notes[0]
    assert all(PERMISSIONS[code] in notes[0] for code in OFFICE_WIDE)
