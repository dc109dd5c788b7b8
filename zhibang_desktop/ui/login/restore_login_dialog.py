"""管理员确认: the administrator signs in before a damaged database is replaced by a backup.

The damaged file cannot run the normal login; `services.admin.restore_login` checks the password
against its users table while still readable, else against the backup's users.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...services.admin.restore_login import authenticate_for_restore
from ...services.context import Actor
from ...services.errors import ServiceError
from ..common.widgets.dialog_parts import ErrorLine, ok_cancel


class RestoreLoginDialog(QDialog):
    def __init__(self, db_path: Path, backup_file: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path, self.backup_file = Path(db_path), Path(backup_file)
        self.actor: Actor | None = None
        self.setWindowTitle("管理员确认 — 恢复备份")
        self.setMinimumWidth(400)
        intro = QLabel(f"用备份“{self.backup_file.name}”替换损坏的数据库需要管理员登录。")
        intro.setWordWrap(True)
        self.username = QLineEdit(placeholderText="管理员用户名")
        self.password = QLineEdit(placeholderText="密码")
        self.password.setEchoMode(QLineEdit.Password)
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        self.error = ErrorLine()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.buttons = ok_cancel(self, "登录并恢复")
        layout.addWidget(self.buttons)
        self.username.setFocus()

    def accept(self) -> None:
        if not self.username.text().strip() or not self.password.text():
            self.error.show_error("请输入管理员用户名和密码")
            return
        try:
            self.actor = authenticate_for_restore(self.db_path, self.backup_file,
                                                  self.username.text(), self.password.text())
        except ServiceError as exc:
            self.error.show_error(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        super().accept()
