"""登记投诉 and 办理投诉 (the handling, the result and whether the office was at fault)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
)

from ...domain.casework import COMPLAINT_CHANNELS
from ...services import archive, casework
from ...services.errors import ServiceError
from ..common.executor import ChangeSummary
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.dialog_parts import ErrorLine, hint_label, ok_cancel

CHANGES = ChangeSummary(casework=True)


def _text_box(placeholder: str = "", height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(height)
    return box


class ComplaintDialog(QDialog):
    """A new complaint; the household by its ID number (head), the request by its number."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("登记投诉")
        self.received = DateEdit()
        self.channel = QComboBox()
        for code, label in COMPLAINT_CHANNELS.items():
            self.channel.addItem(label, code)
        self.complainant = QLineEdit()
        self.complainant.setPlaceholderText("不愿留名的写“匿名”")
        self.contact = QLineEdit()
        self.household = QLineEdit()
        self.household.setPlaceholderText("户主身份证号（可不填）")
        self.request = QLineEdit()
        self.request.setPlaceholderText("救助申请编号（可不填）")
        self.content = _text_box("投诉或反映的内容")
        self.error = ErrorLine()
        form = QFormLayout()
        for label, widget in (("收到日期", self.received), ("来源方式", self.channel), ("投诉人", self.complainant),
                              ("联系方式", self.contact), ("涉及档案", self.household), ("涉及申请", self.request),
                              ("投诉内容", self.content)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint_label("办理期限按工作日计算（节假日、调休按节假日表），天数在“单位与组织”中设置。"))
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "登记"))
        self.saved = None

    def accept(self) -> None:
        ctx = self.session.ctx
        try:
            household_id = None
            if self.household.text().strip():
                household_id = archive.find_by_id_number(ctx, self.household.text())
                if household_id is None:
                    self.error.show_error("涉及档案：没有户主为该身份证号的档案")
                    return
            data = casework.ComplaintInput(self.received.value(), self.channel.currentData(), self.complainant.text(),
                                           self.content.toPlainText(), self.contact.text(), household_id,
                                           self.request.text())
            self.saved = self.session.executor.call(lambda: casework.add_complaint(ctx, data), changes=CHANGES)
        except ServiceError as exc:
            self.error.show_error(exc)
            return
        super().accept()


class HandleComplaintDialog(QDialog):
    """办理 (the handling so far) or 办结 (with the result and 有责/无责)."""

    FAULT = (("", None), ("无责", False), ("有责（本单位工作人员不尽职）", True))

    def __init__(self, session, complaint, parent=None):
        super().__init__(parent)
        self.session, self.complaint = session, complaint
        self.setWindowTitle(f"办理投诉 {complaint.number}")
        self.handling = _text_box("已做的核实、处理")
        self.handling.setPlainText(complaint.handling)
        self.result_text = _text_box("办理结果（办结时必填）", 60)
        self.result_text.setPlainText(complaint.result)
        self.fault = QComboBox()
        for label, value in self.FAULT:
            self.fault.addItem(label or "（办结时选择）", value)
        self.close_box = QCheckBox("办结")
        self.closed_on = DateEdit()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow("投诉", QLabel(f"{complaint.received_on.isoformat()} {COMPLAINT_CHANNELS.get(complaint.channel, '')}"
                                   f" {complaint.complainant}：{complaint.content}"))
        form.addRow("办理期限", QLabel(complaint.due_date.isoformat()))
        form.addRow("办理情况", self.handling)
        form.addRow("办理结果", self.result_text)
        form.addRow("本单位是否有责", self.fault)
        form.addRow(self.close_box, self.closed_on)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "保存"))
        self.saved = None

    def accept(self) -> None:
        c, ctx = self.complaint, self.session.ctx
        args = (c.id, c.version, self.handling.toPlainText(), self.result_text.toPlainText(), self.fault.currentData(),
                self.close_box.isChecked(), self.closed_on.value())
        try:
            self.saved = self.session.executor.call(lambda: casework.handle_complaint(ctx, *args), changes=CHANGES)
        except ServiceError as exc:
            self.error.show_error(exc)
            return
        super().accept()
