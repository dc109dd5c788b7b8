"""Login, first administrator and change-password dialogs on a real (demo) database."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog

from zhibang_desktop.services.admin import users
from zhibang_desktop.demo.office import DEMO_PASSWORD
from zhibang_desktop.ui.login.change_password_dialog import ChangePasswordDialog
from zhibang_desktop.ui.login.first_admin_dialog import FirstAdminDialog
from zhibang_desktop.ui.login.login_dialog import LoginDialog

from ..waiting import click_ok


def login(qtbot, dialog, username, password):
    dialog.username.setText(username)
    dialog.password.setText(password)
    click_ok(qtbot, dialog)


def test_login_success(demo_db, qtbot):
    dialog = LoginDialog(demo_db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.logged_in) as signal:
        login(qtbot, dialog, "admin", DEMO_PASSWORD)
    assert dialog.result() == QDialog.Accepted
    assert dialog.actor.username == "admin" and dialog.actor.can("users.manage")
    assert signal.args[0] is dialog.actor


def test_wrong_password_message(demo_db, qtbot):
    dialog = LoginDialog(demo_db)
    qtbot.addWidget(dialog)
    login(qtbot, dialog, "clerk", "wrong-password")
    assert dialog.result() != QDialog.Accepted and dialog.actor is None
    assert dialog.error.text() == users.WRONG_LOGIN
    assert not dialog.error.isHidden()
    assert dialog.password.text() == ""  # cleared for the next try
    login(qtbot, dialog, "nobody", "whatever1")
    assert dialog.error.text() == users.WRONG_LOGIN  # an unknown name reads the same
    login(qtbot, dialog, "", "")
    assert dialog.error.text() == "请输入用户名"


def test_lock_out_message(demo_db, qtbot):
    dialog = LoginDialog(demo_db)
    qtbot.addWidget(dialog)
    for _ in range(users.MAX_FAILED_ATTEMPTS - 1):
        login(qtbot, dialog, "clerk", "wrong-password")
    login(qtbot, dialog, "clerk", "wrong-password")
    assert dialog.error.text() == users.WRONG_LOGIN  # the lock is not announced to a guesser
    login(qtbot, dialog, "clerk", "wrong-password")
    assert dialog.error.text() == users.WRONG_LOGIN
    login(qtbot, dialog, "clerk", DEMO_PASSWORD)  # even the right password waits for the lock
    assert "账户已锁定，请 5 分钟后再试" in dialog.error.text()
    assert dialog.actor is None and dialog.result() != QDialog.Accepted


def test_hint_prefills_user(demo_db, qtbot):
    dialog = LoginDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.set_hint("演示数据：用户名 clerk", "clerk")
    assert dialog.username.text() == "clerk" and not dialog.hint.isHidden()
    dialog.password.setText(DEMO_PASSWORD)
    click_ok(qtbot, dialog)
    assert dialog.actor.username == "clerk"


def test_first_admin(ctx, qtbot):
    dialog = FirstAdminDialog(ctx.db)
    qtbot.addWidget(dialog)
    dialog.username.setText("zhang")
    dialog.display_name.setText("张主任")
    dialog.password.setText("Admin2026")
    dialog.confirm.setText("Admin2027")
    click_ok(qtbot, dialog)
    assert dialog.error.text() == "两次输入的密码不一致" and not users.has_users(ctx.db)
    dialog.password.setText("short")
    dialog.confirm.setText("short")
    click_ok(qtbot, dialog)
    assert "至少 8 位" in dialog.error.text() and not users.has_users(ctx.db)
    dialog.password.setText("Admin2026")
    dialog.confirm.setText("Admin2026")
    with qtbot.waitSignal(dialog.created):
        click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.Accepted
    assert dialog.actor.username == "zhang" and dialog.actor.roles == frozenset({"admin"})
    assert dialog.user.display_name == "张主任"


def test_change_password(clerk, qtbot):
    dialog = ChangePasswordDialog(clerk)
    qtbot.addWidget(dialog)
    dialog.old.setText("not-it-123")
    dialog.new.setText("Better2026")
    dialog.confirm.setText("Better2026")
    click_ok(qtbot, dialog)
    assert "原密码：不正确" in dialog.error.text()
    dialog.old.setText(DEMO_PASSWORD)
    dialog.confirm.setText("Different1")
    click_ok(qtbot, dialog)
    assert dialog.error.text() == "两次输入的新密码不一致"
    dialog.confirm.setText("Better2026")
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.Accepted
    assert users.authenticate(clerk.db, "clerk", "Better2026").username == "clerk"


def test_a_message_line_makes_room_instead_of_squeezing_the_title(demo_db, qtbot):
    dialog = LoginDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.set_hint("演示数据：用户名 clerk（经办人）或 admin（管理员），密码 demo1234", "clerk")
    dialog.show()
    qtbot.waitExposed(dialog)
    height = dialog.height()
    login(qtbot, dialog, "clerk", "wrong-password")
    qtbot.waitUntil(lambda: dialog.height() > height)
    assert dialog.title.height() >= dialog.title.sizeHint().height()


def test_an_error_line_in_a_form_dialog_grows_the_window_instead_of_squeezing_the_fields(ctx, qtbot):
    dialog = FirstAdminDialog(ctx.db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fields = (dialog.username, dialog.display_name, dialog.password, dialog.confirm)
    heights = [field.height() for field in fields]
    dialog.password.setText("Admin2026")
    dialog.confirm.setText("Admin2027")
    click_ok(qtbot, dialog)
    assert dialog.error.isVisible()
    qtbot.wait(50)  # the layout settles on the next pass of the event loop
    assert [field.height() for field in fields] == heights
