"""登录: user name and password; wrong passwords and the 5-minute lock-out are explained in Chinese.

    dialog = LoginDialog(db)
    if dialog.exec() == QDialog.Accepted:
        actor = dialog.actor

Every try (success or failure) is audited by `services.users.authenticate`.

At a start the dialog is shown before the database is open (`LoginDialog(None, office=…)`,
see ui/login/sign_in_first.py): the clerk types while the program loads behind it, and
`set_database` hands it the database; Enter pressed before that waits for it.
The services are imported inside the methods, not above, so that showing the dialog imports
only Qt.
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

from ...services.errors import ServiceError
from ..common.widgets.dialog_parts import ErrorLine, hint_label, make_room, ok_cancel

HINT_STYLE = "color: #555; background: #f4f6f8; padding: 6px; border-radius: 3px;"
OPENING = "正在打开数据库，请稍候……"


def office_name(db) -> str:
    from ...services.admin import settings
    from ...services.context import SYSTEM, AppContext

    try:
        return settings.get_settings(AppContext(db, SYSTEM)).office_name
    except ServiceError:
        return ""


class LoginDialog(QDialog):
    """Signals: `logged_in(Actor)` just before the dialog is accepted."""

    logged_in = Signal(object)

    def __init__(self, db=None, parent: QWidget | None = None, *, username: str = "", office: str = ""):
        super().__init__(parent)
        self.db = None
        self.actor = None
        self._enter_waits = False
        self.setWindowTitle("登录 — 职帮")
        self.setMinimumWidth(380)

        self.title = QLabel()
        self.title.setTextFormat(Qt.RichText)
        self.title.setAlignment(Qt.AlignCenter)
        self.title.setStyleSheet("font-size: 13pt; padding: 6px;")
        self._show_office(office)

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
        self.status = hint_label(OPENING)
        self.status.hide()

        self.buttons = ok_cancel(self, "登录", "退出")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()
        if db is not None:
            self.set_database(db)

    def _show_office(self, office: str) -> None:
        self.title.setText(f"<b>{office or '职帮'}</b><br>困难职工帮扶管理系统")

    def set_database(self, db) -> None:
        """The database to sign in to; an Enter that waited for it goes on now."""
        self.db = db
        self._show_office(office_name(db))
        if self._enter_waits:
            self._enter_waits = False
            self._set_waiting(False)
            self.accept()

    def _set_waiting(self, waiting: bool) -> None:
        for widget in (self.username, self.password, self.buttons.button(self.buttons.StandardButton.Ok)):
            widget.setEnabled(not waiting)
        self.status.setVisible(waiting)
        if waiting:
            self.show_error("")
            make_room(self.status)

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
        if self.db is None:  # still loading behind the window: signed in as soon as it is open
            self._enter_waits = True
            self._set_waiting(True)
            return
        from ...services.admin import users

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
