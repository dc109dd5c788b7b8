"""Dialogs of the 救助金发放 page: a new batch from payable requests, the reissue of bank returns,
the bank return import result, and the small per-line forms (returned, renounced, paid to a
relative, method, proxy, pay date).

Every dialog calls its service itself when 确定 is pressed and stays open on a refusal, showing
the service's reasons (the service decides; the dialog only collects).
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QPushButton, QSpinBox,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from ..services import disbursement, notices, policies
from ..services.errors import ServiceError
from ..services.payout_types import (
    BATCH_KIND_LABELS, METHOD_LABELS, BatchInput, BatchView, CandidateView, LinePlan, LineView, NoticeFilter,
    Payability, ReturnImportResult,
)
from . import labels, messages
from .models.payout_models import ALERT, MUTED
from .session import UiSession
from .widgets.date_edit import DateEdit
from .widgets.union_combo import UnionCombo

QUARTERS = ((None, "全部季度"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度"))
RETURN_REASONS = ("账号不存在", "户名与账号不符", "账户已销户", "账户冻结/止付", "卡片挂失或过期", "其他")
RENOUNCE_REASONS = ("本人书面声明放弃", "担心影响低保资格，本人放弃", "家庭情况好转，本人放弃", "其他")
RELATIONS = ("配偶", "子女", "父母", "兄弟姐妹", "孙子女/外孙子女", "其他亲属")


def _ok_cancel(ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText("取消")
    return box


def _item(text: str, align=Qt.AlignLeft | Qt.AlignVCenter, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
    item.setTextAlignment(align)
    if color is not None:
        item.setForeground(QBrush(color))
    return item


def method_combo(none_label: str | None = "按档案", current: str | None = None) -> QComboBox:
    combo = QComboBox()
    if none_label is not None:
        combo.addItem(none_label, None)
        combo.setItemData(0, "档案中有社保卡或银行卡号的代发到卡，没有的发现金", Qt.ToolTipRole)
        combo.setToolTip("“按档案”：档案中有社保卡或银行卡号的代发到卡，没有的发现金")
    for code, text in METHOD_LABELS.items():
        combo.addItem(text, code)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def fund_combo(funds: list[tuple[str, str]], none_label: str | None = "按申请", current: str | None = None) -> QComboBox:
    combo = QComboBox()
    if none_label is not None:
        combo.addItem(none_label, None)
    for code, text in funds:
        combo.addItem(text, code)
    if current is not None and combo.findData(current) >= 0:
        combo.setCurrentIndex(combo.findData(current))
    return combo


def fund_sources(ctx, year: int) -> list[tuple[str, str]]:
    try:
        options = policies.policy_options(ctx, year)
    except ServiceError:
        return []
    return [(o.code, o.label) for o in options.fund_sources]


# ---------------------------------------------------------------------------- small forms

class FormDialog(QDialog):
    """A titled form whose 确定 calls `submit()`; a ServiceError keeps it open and is shown."""

    def __init__(self, title: str, intro: str, rows: list[tuple[str, QWidget]], submit: Callable[[], object],
                 ok_text: str = "确定", parent: QWidget | None = None):
        super().__init__(parent)
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
            self.result_value = self.submit()
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


def paid_dialog(ctx, lines: list[LineView], parent=None) -> FormDialog:
    day = DateEdit(date.today())
    names = "、".join(x.name for x in lines[:8]) + ("等" if len(lines) > 8 else "")
    total = sum(x.amount_fen for x in lines)
    return FormDialog("登记已发放", f"登记 {len(lines)} 人已领取/已到账（{names}），合计 {labels.yuan(total)} 元。",
                      [("发放日期", day)],
                      lambda: disbursement.mark_paid(ctx, [x.id for x in lines], day.value()), "登记已发放", parent)


def batch_paid_dialog(ctx, batch: BatchView, parent=None) -> FormDialog:
    day = DateEdit(date.today())
    pending = [x for x in batch.lines if x.state == "pending"]
    total = sum(x.amount_fen for x in pending)
    return FormDialog("全部登记已发放",
                      f"把批次 {batch.summary.number} 中待发放的 {len(pending)} 人（合计 {labels.yuan(total)} 元）"
                      "全部登记为已发放。<br>银行代发请在收到银行处理结果后再登记；有失败的请用“导入银行回执”。",
                      [("发放日期", day)],
                      lambda: disbursement.mark_batch_paid(ctx, batch.summary.id, day.value()), "全部登记", parent)


def returned_dialog(ctx, line: LineView, parent=None) -> FormDialog:
    reason = editable_combo(RETURN_REASONS, "银行退回的原因")
    day = DateEdit(date.today())
    return FormDialog("登记银行退票", f"{_who(line)}<br>退票后可在更正账号后“退票重新发放”。",
                      [("退票原因", reason), ("退票日期", day)],
                      lambda: disbursement.mark_returned(ctx, line.id, reason.currentText().strip(), day.value()),
                      "登记退票", parent)


def renounced_dialog(ctx, line: LineView, parent=None) -> FormDialog:
    reason = editable_combo(RENOUNCE_REASONS, "放弃原因（请留存本人书面声明）")
    day = DateEdit(date.today())
    return FormDialog("登记本人放弃", f"{_who(line)}<br>放弃后资金退回原资金渠道，该申请不再发放。",
                      [("放弃原因", reason), ("日期", day)],
                      lambda: disbursement.mark_renounced(ctx, line.id, reason.currentText().strip(), day.value()),
                      "登记放弃", parent)


def relative_dialog(ctx, line: LineView, parent=None) -> FormDialog:
    name = QLineEdit()
    relation = editable_combo(RELATIONS, "与受助人关系")
    id_number = QLineEdit()
    id_number.setPlaceholderText("（可不填）领取亲属的身份证号")
    day = DateEdit(date.today())
    return FormDialog("受助人已故，由亲属领取", _who(line),
                      [("领取亲属姓名", name), ("与受助人关系", relation), ("亲属身份证号", id_number), ("领取日期", day)],
                      lambda: disbursement.mark_paid_to_relative(ctx, line.id, name.text().strip(),
                                                                 relation.currentText().strip(), day.value(),
                                                                 id_number.text().strip()),
                      "登记领取", parent)


def method_dialog(ctx, line: LineView, year: int, parent=None) -> FormDialog:
    method = method_combo(None, line.method)
    fund = fund_combo(fund_sources(ctx, year), "不指定", line.fund_source)
    return FormDialog("修改发放方式", f"{_who(line)}<br>银行代发、社保卡使用档案中当前的卡号。",
                      [("发放方式", method), ("资金来源", fund)],
                      lambda: disbursement.set_line_method(ctx, line.id, method.currentData(), fund.currentData() or ""),
                      "保存", parent)


def proxy_dialog(ctx, line: LineView, parent=None) -> FormDialog:
    name = QLineEdit(line.proxy_name or "")
    name.setPlaceholderText("留空＝本人领取（取消代领）")
    phone = QLineEdit(line.proxy_phone or "")
    id_number = QLineEdit(line.proxy_id_number or "")
    relation = editable_combo(RELATIONS, "与受助人关系")
    relation.setCurrentText(line.proxy_relation or "")
    return FormDialog("代领人", f"{_who(line)}<br>代领须登记代领人姓名、电话和身份证号，打印在签领表上。",
                      [("代领人姓名", name), ("代领人电话", phone), ("代领人身份证号", id_number), ("关系", relation)],
                      lambda: disbursement.set_line_proxy(ctx, line.id, name.text().strip(), phone.text().strip(),
                                                          id_number.text().strip(), relation.currentText().strip()),
                      "保存", parent)


# ---------------------------------------------------------------------------- new batch

class NewBatchDialog(QDialog):
    """新建发放批次: payable requests (notice ended, no open objection), method and fund per line."""

    COLS = ("选", "姓名", "申请编号", "所属工会", "救助类型", "金额(元)", "发放条件", "发放方式", "资金来源")

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.ctx = session.ctx
        self.result_view: BatchView | None = None
        self.rows: list[tuple[CandidateView, Payability]] = []
        self._method_boxes: list[QComboBox] = []
        self._fund_boxes: list[QComboBox] = []
        self.setWindowTitle("新建发放批次")
        today = date.today()

        self.year = QSpinBox()
        self.year.setRange(2000, 2099)
        self.year.setValue(today.year)
        self.quarter = QComboBox()
        for value, text in QUARTERS:
            self.quarter.addItem(text, value)
        self.relief_type = QComboBox()
        self.union = UnionCombo(self.ctx, all_label="全部工会")
        self.union.setMinimumWidth(170)
        self.only_payable = QCheckBox("只显示可发放的")
        self.only_payable.setChecked(False)

        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(list(self.COLS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for i, w in enumerate((30, 70, 112, 160, 84, 80, 0, 110, 110)):
            if w:
                self.table.setColumnWidth(i, w)
        header.setSectionResizeMode(6, QHeaderView.Stretch)
        self.count_label = QLabel()

        self.bulk_method = method_combo()
        self.bulk_fund = fund_combo([])
        self.bulk_method_button = QPushButton("设置发放方式")
        self.bulk_fund_button = QPushButton("设置资金来源")
        self.check_all = QPushButton("全选可发放")
        self.check_none = QPushButton("全不选")
        self.override_button = QPushButton("特批发放…")
        self.override_button.setToolTip("管理员：公示期未满（或未公示）时特批发放，须写明理由并记入审计日志")
        self.override_button.setVisible(session.can("payout.override"))

        self.kind = QComboBox()
        for code in ("regular", "standing"):
            self.kind.addItem(BATCH_KIND_LABELS[code], code)
        self.pay_date = DateEdit(today)
        self.number = QLineEdit()
        self.number_hint = QLabel()
        self.number_hint.setStyleSheet("color: #555;")
        self.title = QLineEdit()
        self.title.setPlaceholderText("（可不填）如：2026年第一季度困难职工救助金")
        self.remark = QLineEdit()

        filters = QHBoxLayout()
        for text, w in (("年度", self.year), ("季度", self.quarter), ("救助类型", self.relief_type), ("工会", self.union)):
            filters.addWidget(QLabel(text))
            filters.addWidget(w)
        filters.addWidget(self.only_payable)
        filters.addStretch(1)
        bulk = QHBoxLayout()
        bulk.addWidget(self.check_all)
        bulk.addWidget(self.check_none)
        bulk.addSpacing(12)
        bulk.addWidget(QLabel("对勾选的人员："))
        bulk.addWidget(self.bulk_method)
        bulk.addWidget(self.bulk_method_button)
        bulk.addWidget(self.bulk_fund)
        bulk.addWidget(self.bulk_fund_button)
        bulk.addStretch(1)
        bulk.addWidget(self.override_button)

        info = QGroupBox("批次")
        info_layout = QVBoxLayout(info)
        first = QHBoxLayout()
        for text, w in (("类型", self.kind), ("发放日期", self.pay_date), ("批次号", self.number)):
            first.addWidget(QLabel(text))
            first.addWidget(w)
        self.number.setMaximumWidth(160)
        first.addWidget(self.number_hint)
        first.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(QLabel("标题"))
        second.addWidget(self.title, 3)
        second.addWidget(QLabel("备注"))
        second.addWidget(self.remark, 2)
        info_layout.addLayout(first)
        info_layout.addLayout(second)

        self.buttons = _ok_cancel("建立批次")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(session.can("payout.manage"))

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bulk)
        layout.addWidget(self.count_label)
        layout.addWidget(info)
        layout.addWidget(self.buttons)

        self.year.valueChanged.connect(lambda _: self._year_changed())
        for combo in (self.quarter, self.relief_type, self.union):
            combo.currentIndexChanged.connect(lambda _: self.refresh())
        self.only_payable.toggled.connect(lambda _: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _: self._suggest_number())
        self.pay_date.dateChanged.connect(lambda _: self._suggest_number())
        self.check_all.clicked.connect(lambda: self._check_all(True))
        self.check_none.clicked.connect(lambda: self._check_all(False))
        self.bulk_method_button.clicked.connect(lambda: self._bulk(self._method_boxes, self.bulk_method.currentData()))
        self.bulk_fund_button.clicked.connect(lambda: self._bulk(self._fund_boxes, self.bulk_fund.currentData()))
        self.override_button.clicked.connect(self.override)
        self.table.itemChanged.connect(lambda _: self._count())
        self._year_changed()
        self._suggest_number()
        self.resize(1180, 640)

    # -- candidates --
    def _year_changed(self) -> None:
        try:
            options = policies.policy_options(self.ctx, self.year.value())
        except ServiceError:
            options = None
        self.relief_type.blockSignals(True)
        self.relief_type.clear()
        self.relief_type.addItem("全部类型", None)
        for info in (options.relief_types if options else ()):
            self.relief_type.addItem(info.name, info.code)
        self.relief_type.blockSignals(False)
        self.funds = [(o.code, o.label) for o in options.fund_sources] if options else []
        self.bulk_fund.clear()
        self.bulk_fund.addItem("按申请", None)
        for code, text in self.funds:
            self.bulk_fund.addItem(text, code)
        self.refresh()

    def current_filter(self) -> NoticeFilter:
        code = self.relief_type.currentData()
        return NoticeFilter((code,) if code else (), self.year.value(), self.quarter.currentData(),
                            self.union.unit_id())

    def refresh(self) -> None:
        try:
            rows = disbursement.batch_candidates(self.ctx, self.current_filter())
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法查询")
            rows = []
        if self.only_payable.isChecked():
            rows = [(c, p) for c, p in rows if p.payable]
        rows.sort(key=lambda cp: (not cp[1].payable,))  # payable first, in the service's order
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self._method_boxes, self._fund_boxes = [], []
        self.table.setRowCount(len(rows))
        for r, (c, p) in enumerate(rows):
            check = QTableWidgetItem()
            check.setFlags((Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable) if p.payable
                           else Qt.ItemIsSelectable)
            check.setCheckState(Qt.Checked if p.payable else Qt.Unchecked)
            self.table.setItem(r, 0, check)
            color = None if p.payable else MUTED
            self.table.setItem(r, 1, _item(c.name, color=color))
            self.table.setItem(r, 2, _item(c.number, color=color))
            self.table.setItem(r, 3, _item(c.unit_name, color=color))
            self.table.setItem(r, 4, _item(c.relief_type_label, color=color))
            self.table.setItem(r, 5, _item(labels.yuan(c.amount_fen), Qt.AlignRight | Qt.AlignVCenter, color))
            reason = _item(p.reason, color=None if p.payable and not p.overridden else ALERT)
            reason.setToolTip(p.reason)
            self.table.setItem(r, 6, reason)
            method, fund = method_combo(), fund_combo(self.funds)
            method.setEnabled(p.payable)
            fund.setEnabled(p.payable)
            self.table.setCellWidget(r, 7, method)
            self.table.setCellWidget(r, 8, fund)
            self._method_boxes.append(method)
            self._fund_boxes.append(fund)
        self.table.blockSignals(False)
        self._count()

    def _check_all(self, on: bool) -> None:
        self.table.blockSignals(True)
        for r, (_, p) in enumerate(self.rows):
            if p.payable:
                self.table.item(r, 0).setCheckState(Qt.Checked if on else Qt.Unchecked)
        self.table.blockSignals(False)
        self._count()

    def checked_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount())
                if self.rows[r][1].payable and self.table.item(r, 0).checkState() == Qt.Checked]

    def set_checked(self, request_ids: set[int]) -> None:
        self.table.blockSignals(True)
        for r, (c, p) in enumerate(self.rows):
            if p.payable:
                self.table.item(r, 0).setCheckState(Qt.Checked if c.request_id in request_ids else Qt.Unchecked)
        self.table.blockSignals(False)
        self._count()

    def _bulk(self, boxes: list[QComboBox], value) -> None:
        rows = self.checked_rows()
        if not rows:
            messages.info(self, "统一设置", "请先勾选人员。")
            return
        for r in rows:
            index = boxes[r].findData(value)
            boxes[r].setCurrentIndex(max(0, index))

    def _count(self) -> None:
        rows = self.checked_rows()
        total = sum(self.rows[r][0].amount_fen for r in rows)
        blocked = sum(1 for _, p in self.rows if not p.payable)
        text = f"已选 {len(rows)} 人，合计 {labels.yuan(total)} 元"
        if blocked:
            text += f"；另有 {blocked} 人暂不能发放（见“发放条件”：公示未满、异议未处理等）"
        if not self.rows:
            text = "没有待发放的已审批申请"
        self.count_label.setText(text)

    def _suggest_number(self) -> None:
        try:
            suggestion = disbursement.next_batch_number(self.ctx, self.pay_date.value(), self.kind.currentData())
        except ServiceError:
            suggestion = ""
        self.number.setPlaceholderText(suggestion)
        self.number_hint.setText(f"留空自动编号：{suggestion}" if suggestion else "")

    def plans(self) -> list[LinePlan]:
        return [LinePlan(self.rows[r][0].request_id, self._method_boxes[r].currentData(),
                         self._fund_boxes[r].currentData()) for r in self.checked_rows()]

    def override(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.rows):
            messages.info(self, "特批发放", "请先在列表中选择一人。")
            return
        c, p = self.rows[row]
        if p.payable:
            messages.info(self, "特批发放", f"{c.name} 已可以发放，不需要特批。")
            return
        reason, ok = QInputDialog.getText(
            self, "特批发放", f"{c.name}：{p.reason}\n\n特批理由（将记入审计日志，如：紧急救助，经区总工会负责人同意）：")
        if not ok:
            return
        if messages.guarded(self, notices.override_payability, self.ctx, c.request_id, reason.strip(),
                            title="无法特批") is not None:
            self.refresh()

    def save(self) -> None:
        plans = self.plans()
        if not plans:
            messages.info(self, "新建发放批次", "请勾选要发放的人员。")
            return
        inp = BatchInput(pay_date=self.pay_date.value(), lines=plans, number=self.number.text().strip(),
                         title=self.title.text().strip(), kind=self.kind.currentData(),
                         remark=self.remark.text().strip())
        try:
            self.result_view = disbursement.create_batch(self.ctx, inp)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法建立批次")
            return
        self.accept()


# ---------------------------------------------------------------------------- reissue

class ReissueDialog(QDialog):
    """退票重新发放: returned lines, each with the corrected account, into a new batch."""

    COLS = ("选", "原批次", "姓名", "金额(元)", "退票原因", "退票账号", "更正后账号", "开户行", "发放方式")

    def __init__(self, session: UiSession, parent: QWidget | None = None, preselect: set[int] | None = None):
        super().__init__(parent)
        self.ctx = session.ctx
        self.result_view: BatchView | None = None
        self.setWindowTitle("退票重新发放")
        try:
            self.lines = disbursement.reissue_candidates(self.ctx)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法查询")
            self.lines = []
        intro = QLabel("银行退回的明细在更正账号后重新发放（同一申请只发放一次）。更正后账号留空则使用档案中当前的账号；"
                       "若与退票时相同，须先更正，或改为现金等其他方式。")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.lines), len(self.COLS))
        self.table.setHorizontalHeaderLabels(list(self.COLS))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        for i, w in enumerate((30, 96, 70, 80, 140, 160, 180, 150, 110)):
            self.table.setColumnWidth(i, w)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.accounts: list[QLineEdit] = []
        self.banks: list[QLineEdit] = []
        self.methods: list[QComboBox] = []
        for r, line in enumerate(self.lines):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            check.setCheckState(Qt.Checked if preselect is None or line.id in preselect else Qt.Unchecked)
            self.table.setItem(r, 0, check)
            self.table.setItem(r, 1, _item(line.batch_number))
            self.table.setItem(r, 2, _item(line.name))
            self.table.setItem(r, 3, _item(labels.yuan(line.amount_fen), Qt.AlignRight | Qt.AlignVCenter))
            self.table.setItem(r, 4, _item(line.return_reason or "", color=ALERT))
            self.table.setItem(r, 5, _item(line.account_masked))
            account = QLineEdit()
            account.setPlaceholderText("留空＝档案中的账号")
            bank = QLineEdit()
            bank.setPlaceholderText(line.bank_name or "开户行")
            method = method_combo(None, line.method)
            self.table.setCellWidget(r, 6, account)
            self.table.setCellWidget(r, 7, bank)
            self.table.setCellWidget(r, 8, method)
            self.accounts.append(account)
            self.banks.append(bank)
            self.methods.append(method)
        self.update_archive = QCheckBox("同时把更正后的账号写入档案")
        self.update_archive.setChecked(True)
        self.pay_date = DateEdit(date.today())
        self.number = QLineEdit()
        self.title = QLineEdit("退票重新发放")
        self.pay_date.dateChanged.connect(lambda _: self._suggest())
        form = QHBoxLayout()
        for text, w in (("发放日期", self.pay_date), ("批次号", self.number), ("标题", self.title)):
            form.addWidget(QLabel(text))
            form.addWidget(w)
        form.addWidget(self.update_archive)
        self.buttons = _ok_cancel("建立重新发放批次")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.lines))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not self.lines:
            layout.addWidget(QLabel("目前没有待重新发放的退票明细。"))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._suggest()
        self.resize(1150, 520)

    def _suggest(self) -> None:
        try:
            self.number.setPlaceholderText(disbursement.next_batch_number(self.ctx, self.pay_date.value()))
        except ServiceError:
            pass

    def plans(self) -> list:
        out = []
        for r, line in enumerate(self.lines):
            if self.table.item(r, 0).checkState() != Qt.Checked:
                continue
            out.append(disbursement.ReissuePlan(
                line_id=line.id, account=self.accounts[r].text().strip() or None,
                bank_name=self.banks[r].text().strip() or None, method=self.methods[r].currentData(),
                update_archive=self.update_archive.isChecked()))
        return out

    def save(self) -> None:
        plans = self.plans()
        if not plans:
            messages.info(self, "退票重新发放", "请勾选要重新发放的明细。")
            return
        try:
            self.result_view = disbursement.create_reissue_batch(self.ctx, plans, self.pay_date.value(),
                                                                 self.number.text().strip(), self.title.text().strip())
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法建立重新发放批次")
            return
        self.accept()


# ---------------------------------------------------------------------------- bank returns

ACTION_LABELS = {"returned": "登记退票", "confirmed_paid": "确认已到账", "already_returned": "已是退票（不变）",
                 "not_returnable": "不能退票（非银行代发或已处理）", "unchanged": "已处理（不变）"}


class ReturnsDialog(QDialog):
    """What a bank return file matched: rows to mark returned / paid, unchanged rows, unmatched rows."""

    def __init__(self, result: ReturnImportResult, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = result
        self.setWindowTitle(f"银行回执 — {file_name}")
        changes = [m for m in result.returned]
        n_ret = sum(1 for m in changes if m.action == "returned")
        n_ok = sum(1 for m in changes if m.action == "confirmed_paid")
        head = (f"批次 {result.batch_number}：退票 {n_ret} 笔，合计 {labels.yuan(result.returned_fen)} 元；"
                f"确认到账 {n_ok} 笔；不变 {len(result.unchanged)} 笔；<b>未匹配 {len(result.unmatched)} 行</b>。")
        if result.applied:
            head = "已导入。" + head
        else:
            head += "<br>核对无误后点“确认导入”。未匹配的行不会改动任何明细，请与银行核对。"
        label = QLabel(head)
        label.setWordWrap(True)
        tabs = QTabWidget()
        tabs.addTab(self._table(("回执行", "姓名", "账号", "金额(元)", "银行说明", "匹配依据", "处理"),
                                [(str(m.row_no), m.name, m.account_masked, labels.yuan(m.amount_fen), m.reason,
                                  "账号" if m.matched_by == "account" else "身份证号", ACTION_LABELS.get(m.action, m.action))
                                 for m in changes]), f"将处理（{len(changes)}）")
        tabs.addTab(self._table(("回执行", "姓名", "账号", "金额(元)", "银行说明", "处理"),
                                [(str(m.row_no), m.name, m.account_masked, labels.yuan(m.amount_fen), m.reason,
                                  ACTION_LABELS.get(m.action, m.action)) for m in result.unchanged]),
                     f"不变（{len(result.unchanged)}）")
        unmatched = self._table(("回执行", "户名", "账号", "身份证号", "金额(元)", "银行说明", "未匹配原因"),
                                [(str(u.row_no), u.name, u.account_masked, u.id_masked, labels.yuan(u.amount_fen),
                                  u.reason, u.why) for u in result.unmatched], ALERT)
        tabs.addTab(unmatched, f"未匹配（{len(result.unmatched)}）")
        if result.unmatched and not changes:
            tabs.setCurrentIndex(2)
        buttons = QDialogButtonBox()
        if result.applied:
            buttons.addButton("关闭", QDialogButtonBox.AcceptRole)
        else:
            ok = buttons.addButton("确认导入", QDialogButtonBox.AcceptRole)
            ok.setEnabled(bool(changes))
            buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.tabs = tabs
        self.resize(980, 480)

    @staticmethod
    def _table(headers: tuple[str, ...], rows: list[tuple], color: QColor | None = None) -> QTableWidget:
        table = QTableWidget(len(rows), len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, _item(text or "", color=color if c == len(row) - 1 else None))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        return table
