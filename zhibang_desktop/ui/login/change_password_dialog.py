"""修改密码: the signed-in user changes their own password (the old one is checked)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...services.admin import users
from ...services.context import AppContext
from ...services.errors import ServiceError
from .first_admin_dialog import PASSWORD_RULE
from ..common.widgets.dialog_parts import ErrorLine, confirmation_differs, hint_label, ok_cancel, password_field



class ChangePasswordDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx: AppContext = getattr(ctx, "ctx", ctx)  # an AppContext or a UiSession
        self.setWindowTitle("修改密码")
        self.setMinimumWidth(400)
        who = QLabel(f"用户：{self.ctx.actor.display_name}（{self.ctx.actor.username}）")
        self.old = password_field()
        self.new = password_field()
        self.confirm = password_field()
        form = QFormLayout()
        form.addRow("原密码：", self.old)
        form.addRow("新密码：", self.new)
        form.addRow("再次输入新密码：", self.confirm)
        rule = hint_label(PASSWORD_RULE.split("请牢记")[0])
        self.error = ErrorLine()
        buttons = ok_cancel(self, "修改")
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(rule)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.old.setFocus()

    def show_error(self, text: str) -> None:
        self.error.show_error(text)

    def accept(self) -> None:
        if confirmation_differs(self.new, self.confirm, self.error, "两次输入的新密码不一致"):
            return
        try:
            users.change_own_password(self.ctx, self.old.text(), self.new.text())
        except ServiceError as exc:  # ValidationFailed included: the error line lists its problems
            self.error.show_error(exc)
            return
        super().accept()
