"""首次使用: create the administrator (password typed twice), then sign in as it.

Used when a database has an office but no user yet (e.g. set up with `zhibang init`
without `--admin`). `dialog.actor` is the signed-in administrator after acceptance.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...services.admin import users
from ...services.context import Actor
from ...services.errors import ServiceError
from ...services.session import Database
from ..common.widgets.dialog_parts import ErrorLine, confirmation_differs, hint_label, ok_cancel, password_field

PASSWORD_RULE = f"密码至少 {users.MIN_PASSWORD_LENGTH} 位，须同时包含字母和数字。请牢记：忘记后只能由另一位管理员重置。"


class FirstAdminDialog(QDialog):
    """Signals: `created(Actor)` when the administrator exists and is signed in."""

    created = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.user: users.UserView | None = None
        self.setWindowTitle("创建管理员 — 职帮")
        self.setMinimumWidth(440)
        intro = QLabel("这是第一次使用本数据库，请创建管理员账户。管理员负责添加其他用户、维护设置和备份。")
        intro.setWordWrap(True)
        self.username = QLineEdit("admin")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("如：张三（可不填）")
        self.password = password_field()
        self.confirm = password_field()
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        form.addRow("密码：", self.password)
        form.addRow("再次输入密码：", self.confirm)
        rule = hint_label(PASSWORD_RULE)
        self.error = ErrorLine()
        buttons = ok_cancel(self, "创建并登录")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(rule)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.password.setFocus()

    def show_error(self, text: str) -> None:
        self.error.show_error(text)

    def accept(self) -> None:
        if confirmation_differs(self.password, self.confirm, self.error, "两次输入的密码不一致"):
            return
        try:
            self.user = users.create_admin(self.db, self.username.text(), self.password.text(),
                                           self.display_name.text())
            self.actor = users.authenticate(self.db, self.user.username, self.password.text())
        except ServiceError as exc:  # ValidationFailed included: the error line lists its problems
            self.error.show_error(exc)
            return
        self.created.emit(self.actor)
        super().accept()
