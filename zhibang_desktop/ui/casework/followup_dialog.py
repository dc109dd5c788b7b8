"""登记回访: one call or visit to the recipient of a paid line."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from ...domain.casework import FOLLOWUP_METHODS, SATISFACTION
from ...services import casework
from ...services.errors import ServiceError
from ..common import labels
from ..common.executor import ChangeSummary
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.dialog_parts import ErrorLine, ok_cancel


class FollowUpDialog(QDialog):
    def __init__(self, session, due, parent=None):
        super().__init__(parent)
        self.session, self.due = session, due
        self.setWindowTitle(f"登记回访：{due.name}")
        self.method = QComboBox()
        for code, label in FOLLOWUP_METHODS.items():
            self.method.addItem(label, code)
        self.date = DateEdit()
        self.by = QLineEdit(session.actor.display_name or "")
        self.reached = QCheckBox("联系上本人（或其家属）")
        self.reached.setChecked(True)
        self.arrived = QComboBox()
        self.arrived.addItem("已到账", True)
        self.arrived.addItem("未到账", False)
        self.satisfaction = QComboBox()
        for code, label in SATISFACTION.items():
            self.satisfaction.addItem(label, code)
        self.needs = QPlainTextEdit()
        self.needs.setPlaceholderText("如：孩子明年上大学，学费仍有困难")
        self.needs.setFixedHeight(70)
        self.remark = QLineEdit()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow("发放", QLabel(f"{due.batch_number}　{due.relief_type_label}　{labels.yuan(due.amount_fen)} 元　"
                                   f"{due.paid_on.isoformat()} 发放，{due.due_on.isoformat()} 前回访"))
        form.addRow("回访方式", self.method)
        form.addRow("回访日期", self.date)
        form.addRow("回访人", self.by)
        form.addRow("", self.reached)
        form.addRow("资金是否到账", self.arrived)
        form.addRow("满意度", self.satisfaction)
        form.addRow("后续需求", self.needs)
        form.addRow("备注", self.remark)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "登记"))
        self.reached.toggled.connect(self._reached_changed)
        self.result_due = None

    def _reached_changed(self, reached: bool) -> None:
        self.arrived.setEnabled(reached)
        self.satisfaction.setEnabled(reached)

    def entered(self) -> casework.FollowUpInput:
        reached = self.reached.isChecked()
        return casework.FollowUpInput(
            self.due.line_id, self.method.currentData(), self.date.value(), self.by.text(), reached,
            self.arrived.currentData() if reached else None, self.satisfaction.currentData() if reached else None,
            self.needs.toPlainText(), self.remark.text())

    def accept(self) -> None:
        data = self.entered()
        try:
            self.result_due = self.session.executor.call(lambda: casework.record_followup(self.session.ctx, data),
                                                         changes=ChangeSummary(casework=True))
        except ServiceError as exc:
            self.error.show_error(exc)
            return
        super().accept()
