"""The small per-line forms of the 救助金发放 page (paid, returned, renounced, paid to a relative,
method, proxy, pay date). Each calls its service through the session's executor when 确定 is
pressed (the change is announced: the pages showing payouts reload) and stays open on a refusal."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain import clock
from ...services import payout
from ...services.errors import ServiceError
from ...services.payout.types import BatchView, LineView
from ..common import labels, messages
from .batch_dialog_common import PAYOUTS, _ok_cancel, fund_combo, fund_sources, method_combo
from ..common.widgets.date_edit import DateEdit

RETURN_REASONS = ("账号不存在", "户名与账号不符", "账户已销户", "账户冻结/止付", "卡片挂失或过期", "其他")
RENOUNCE_REASONS = ("本人书面声明放弃", "担心影响低保资格，本人放弃", "家庭情况好转，本人放弃", "其他")
RELATIONS = ("配偶", "子女", "父母", "兄弟姐妹", "孙子女/外孙子女", "其他亲属")


class FormDialog(QDialog):
    """A titled form whose 确定 calls `submit()`; a ServiceError keeps it open and is shown."""

    def __init__(self, session, title: str, intro: str, rows: list[tuple[str, QWidget]],
                 submit: Callable[[], object], ok_text: str = "确定", parent: QWidget | None = None):
        super().__init__(parent)
        self.executor = session.executor
        self.setWindowTitle(title)
        self.submit = submit
        self.result_value = None
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            label.setTextFormat(Qt.RichText)
            layout.addWidget(label)
        form = QFormLayout()
        for text, widget in rows:
            form.addRow(text, widget)
        layout.addLayout(form)
        self.buttons = _ok_cancel(ok_text)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _ok(self) -> None:
        try:
            self.result_value = self.executor.call(self.submit, changes=PAYOUTS)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法完成")
            return
        self.accept()


def _who(line: LineView) -> str:
    return f"<b>{line.name}</b>（{line.unit_name}，{line.relief_type_label} {labels.yuan(line.amount_fen)} 元，" \
           f"{line.method_label}{'，' + line.account_masked if line.account_masked else ''}）"


def editable_combo(values: tuple[str, ...], placeholder: str = "") -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(list(values))
    combo.setCurrentIndex(-1)
    combo.lineEdit().setPlaceholderText(placeholder)
    return combo


def paid_dialog(session, lines: list[LineView], parent=None) -> FormDialog:
    day = DateEdit(clock.today())
    names = "、".join(x.name for x in lines[:8]) + ("等" if len(lines) > 8 else "")
    total = sum(x.amount_fen for x in lines)
    return FormDialog(session, "登记已发放", f"登记 {len(lines)} 人已领取/已到账（{names}），合计 {labels.yuan(total)} 元。",
                      [("发放日期", day)],
                      lambda: payout.mark_paid(session.ctx, [x.id for x in lines], day.value()), "登记已发放", parent)


def batch_paid_dialog(session, batch: BatchView, parent=None) -> FormDialog:
    day = DateEdit(clock.today())
    pending = [x for x in batch.lines if x.state == "pending"]
    total = sum(x.amount_fen for x in pending)
    return FormDialog(session, "全部登记已发放",
                      f"把批次 {batch.summary.number} 中待发放的 {len(pending)} 人（合计 {labels.yuan(total)} 元）"
                      "全部登记为已发放。<br>银行代发请在收到银行处理结果后再登记；有失败的请用“导入银行回执”。",
                      [("发放日期", day)],
                      lambda: payout.mark_batch_paid(session.ctx, batch.summary.id, day.value()), "全部登记", parent)


def returned_dialog(session, line: LineView, parent=None) -> FormDialog:
    reason = editable_combo(RETURN_REASONS, "银行退回的原因")
    day = DateEdit(clock.today())
    return FormDialog(session, "登记银行退票", f"{_who(line)}<br>退票后可在更正账号后“退票重新发放”。",
                      [("退票原因", reason), ("退票日期", day)],
                      lambda: payout.mark_returned(session.ctx, line.id, reason.currentText().strip(), day.value()),
                      "登记退票", parent)


def renounced_dialog(session, line: LineView, parent=None) -> FormDialog:
    reason = editable_combo(RENOUNCE_REASONS, "放弃原因（请留存本人书面声明）")
    day = DateEdit(clock.today())
    return FormDialog(session, "登记本人放弃", f"{_who(line)}<br>放弃后资金退回原资金渠道，该申请不再发放。",
                      [("放弃原因", reason), ("日期", day)],
                      lambda: payout.mark_renounced(session.ctx, line.id, reason.currentText().strip(), day.value()),
                      "登记放弃", parent)


def relative_dialog(session, line: LineView, parent=None) -> FormDialog:
    name = QLineEdit()
    relation = editable_combo(RELATIONS, "与受助人关系")
    id_number = QLineEdit()
    id_number.setPlaceholderText("（可不填）领取亲属的身份证号")
    day = DateEdit(clock.today())
    return FormDialog(session, "受助人已故，由亲属领取", _who(line),
                      [("领取亲属姓名", name), ("与受助人关系", relation), ("亲属身份证号", id_number), ("领取日期", day)],
                      lambda: payout.mark_paid_to_relative(session.ctx, line.id, name.text().strip(),
                                                                 relation.currentText().strip(), day.value(),
                                                                 id_number.text().strip()),
                      "登记领取", parent)


def method_dialog(session, line: LineView, year: int, parent=None) -> FormDialog:
    """The year's fund sources load off the GUI thread; 保存 waits for them (it would clear the line's source)."""
    method = method_combo(None, line.method)
    fund = fund_combo([], "不指定")
    dialog = FormDialog(session, "修改发放方式", f"{_who(line)}<br>银行代发、社保卡使用档案中当前的卡号。",
                        [("发放方式", method), ("资金来源", fund)],
                        lambda: payout.set_line_method(session.ctx, line.id, method.currentData(),
                                                       fund.currentData() or ""),
                        "保存", parent)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    ok.setEnabled(False)

    def show_sources(sources: list[tuple[str, str]]) -> None:
        for code, text in sources:
            fund.addItem(text, code)
        if line.fund_source is not None and fund.findData(line.fund_source) >= 0:
            fund.setCurrentIndex(fund.findData(line.fund_source))
        ok.setEnabled(True)

    ctx = session.ctx
    session.executor.run(lambda: fund_sources(ctx, year), show_sources, owner=dialog)
    return dialog


def proxy_dialog(session, line: LineView, parent=None) -> FormDialog:
    name = QLineEdit(line.proxy_name or "")
    name.setPlaceholderText("留空＝本人领取（取消代领）")
    phone = QLineEdit(line.proxy_phone or "")
    id_number = QLineEdit(line.proxy_id_number or "")
    relation = editable_combo(RELATIONS, "与受助人关系")
    relation.setCurrentText(line.proxy_relation or "")
    return FormDialog(session, "代领人", f"{_who(line)}<br>代领须登记代领人姓名、电话和身份证号，打印在签领表上。",
                      [("代领人姓名", name), ("代领人电话", phone), ("代领人身份证号", id_number), ("关系", relation)],
                      lambda: payout.set_line_proxy(session.ctx, line.id, name.text().strip(), phone.text().strip(),
                                                          id_number.text().strip(), relation.currentText().strip()),
                      "保存", parent)
