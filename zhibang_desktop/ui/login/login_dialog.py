"""登录: user name and password; wrong passwords and the 5-minute lock-out are explained in Chinese.

    dialog = LoginDialog(db)
    if dialog.exec() == QDialog.Accepted:
        actor = dialog.actor

Every try (success or failure) is audited by `services.users.authenticate`.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...services.admin import settings, users
from ...services.context import SYSTEM, Actor, AppContext
from ...services.errors import ServiceError
from ..common.widgets.dialog_parts import ErrorLine, ok_cancel
from ...services.session import Database

HINT_STYLE = "color: #555; background: #f4f6f8; padding: 6px; border-radius: 3px;"


def office_name(db: Database) -> str:
    try:
        return settings.get_settings(AppContext(db, SYSTEM)).office_name
    except ServiceError:
        return ""


class LoginDialog(QDialog):
    """Signals: `logged_in(Actor)` just before the dialog is accepted."""

    logged_in = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None, *, username: str = ""):
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.setWindowTitle("登录 — 职帮")
        self.setMinimumWidth(380)

        office = office_name(db)
        title = QLabel(f"<b>{office or '职帮'}</b><br>困难职工帮扶管理系统")
        title.setTextFormat(Qt.RichText)
        title.setAlignment(Qt.AlignCenter)
        title.setStyleSheet("font-size: 13pt; padding: 6px;")

        self.username = QLineEdit(username)
        self.username.setPlaceholderText("用户名")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("密码")
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.hide()
        self.error = ErrorLine()

        self.buttons = ok_cancel(self, "登录", "退出")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def set_hint(self, text: str, username: str = "") -> None:
        """A line above the fields (e.g. the demo accounts); optionally pre-fills the user name."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        if username and not self.username.text():
            self.username.setText(username)
            self.password.setFocus()

    def show_error(self, text: str) -> None:
        self.error.show_error(text)

    def accept(self) -> None:
        name = self.username.text().strip()
        if not name:
            self.show_error("请输入用户名")
            self.username.setFocus()
            return
        if not self.password.text():
            self.show_error("请输入密码")
            self.password.setFocus()
            return
        try:
            actor = users.authenticate(self.db, name, self.password.text())
        except ServiceError as exc:  # LoginFailed, or a storage error
            self.show_error(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.actor = actor
        self.show_error("")
        self.logged_in.emit(actor)
        super().accept()

    @classmethod
    def get_actor(cls, db: Database, parent: QWidget | None = None, **kwargs) -> Actor | None:
        dialog = cls(db, parent, **kwargs)
        return dialog.actor if dialog.exec() == QDialog.Accepted else None
