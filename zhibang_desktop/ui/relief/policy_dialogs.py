"""The 救助政策 page's dialogs: choose a bundled preset, and edit a version's policy file (checked
field by field before it is saved)."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from ...services.relief import policies
from ...services.errors import ServiceError, ValidationFailed
from ...services.relief.types import PolicyVersionView
from ..common import messages
from .relief_common import ERROR_COLOR, MUTED_COLOR, OK_COLOR
from ..common.session import UiSession

JSON_FILTER = "救助政策文件 (*.json)"


class PresetDialog(QDialog):
    """Choose a bundled preset and the year to put it in force for."""

    def __init__(self, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("选用预置政策")
        self.preset = QComboBox()
        for option in policies.preset_choices():
            self.preset.addItem(f"{option.label}（{option.note}）", option.code)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        note = QLabel("将作为该年度的新版本保存并生效；已提交的申请仍按当时的版本判定。"
                      "选用后可导出为文件，按本单位文件修改后再导入。")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {MUTED_COLOR};")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("选用并生效")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("预置政策", self.preset)
        form.addRow("生效年度", self.year)
        form.addRow(note)
        form.addRow(buttons)
        self.resize(520, 180)


class PolicyEditDialog(QDialog):
    """Edit a policy version's file (JSON, amounts in yuan) in the app.

    「检查」 validates without saving and lists each problem by its field path;
    「保存为新版本」 stores the edit as a new version in force for its year (the
    edited version itself never changes, so past decisions keep theirs)."""

    def __init__(self, session: UiSession, v: PolicyVersionView, text: str, parent: QWidget | None = None, *,
                 based_on: int | None = None):
        super().__init__(parent)
        self.session = session
        self.based_on = based_on  # the year's newest version when opened: a save over a newer one is refused
        self.saved_view: PolicyVersionView | None = None
        self.setWindowTitle(f"修改救助政策 — {v.year} 年第 {v.version} 版")
        note = QLabel("直接修改下面的政策内容（金额以元为单位，如 \"max_yuan\": 600）。"
                      "保存后作为该年度的新版本生效；已提交的申请仍按原版本判定。")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {MUTED_COLOR};")
        self.editor = QPlainTextEdit()
        self.editor.setProperty("rawText", True)  # the policy file itself, keys and all
        note.setProperty("rawText", True)  # explains the file's keys by name
        self.editor.setLineWrapMode(QPlainTextEdit.NoWrap)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.TypeWriter)
        self.editor.setFont(mono)
        self.editor.setPlainText(text)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.check_button = QPushButton("检查")
        self.save_button = QPushButton("保存为新版本并生效")
        self.cancel_button = QPushButton("取消")
        for b in (self.check_button, self.save_button, self.cancel_button):
            b.setAutoDefault(False)
        self.check_button.clicked.connect(self.check)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self.resize(900, 640)

    def _show_problems(self, exc: ValidationFailed) -> None:
        lines = "<br>".join(f"• {html.escape(p.label)}：{html.escape(p.message)}" for p in exc.problems)
        self.problems.setText(f"<span style='color:{ERROR_COLOR}'>有 {len(exc.problems)} 处问题，未保存："
                              f"<br>{lines}</span>")

    def check(self) -> bool:
        try:
            policies.check_policy_text(self.editor.toPlainText())
        except ValidationFailed as exc:
            self._show_problems(exc)
            return False
        self.problems.setText(f"<span style='color:{OK_COLOR}'>✓ 检查通过，可以保存</span>")
        return True

    def save(self) -> PolicyVersionView | None:
        try:
            view = policies.import_policy(self.session.ctx, self.editor.toPlainText(), origin="在程序中修改",
                                          based_on=self.based_on)
        except ValidationFailed as exc:
            self._show_problems(exc)
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法保存政策")
            return None
        self.saved_view = view
        self.accept()
        return view
