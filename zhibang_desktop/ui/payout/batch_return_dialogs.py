"""The bank-return side of the 救助金发放 page: 退票重新发放 (reissue returned lines into a new batch)
and the result of importing a bank return file."""
from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from ...domain import clock
from ...services import payout
from ...services.errors import ServiceError
from ...services.payout.types import BatchView, ReturnImportResult
from ..common import labels, messages
from ..common.background_query import LatestQuery
from .batch_dialog_common import PAYOUTS, _item, _ok_cancel, method_combo
from .payout_models import ALERT
from ..common.session import UiSession
from ..common.widgets.date_edit import DateEdit


# ---------------------------------------------------------------------------- reissue

class ReissueDialog(QDialog):
    """退票重新发放: returned lines, each with the corrected account, into a new batch."""

    COLS = ("选", "原批次", "姓名", "金额(元)", "退票原因", "退票账号", "更正后账号", "开户行", "发放方式")

    def __init__(self, session: UiSession, parent: QWidget | None = None, preselect: set[int] | None = None):
        super().__init__(parent)
        self.ctx, self.executor = session.ctx, session.executor
        self.result_view: BatchView | None = None
        self.setWindowTitle("退票重新发放")
        self.lines = []
        intro = QLabel("银行退回的明细在更正账号后重新发放（同一申请只发放一次）。更正后账号留空则使用档案中当前的账号；"
                       "若与退票时相同，须先更正，或改为现金等其他方式。")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLS))
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
        self.none_label = QLabel("目前没有待重新发放的退票明细。")
        self.none_label.hide()
        self._preselect = preselect
        self._number_query = LatestQuery(self, self.executor)
        self.update_archive = QCheckBox("同时把更正后的账号写入档案")
        self.update_archive.setChecked(True)
        self.pay_date = DateEdit(clock.today())
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
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.none_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._suggest()
        self.resize(1150, 520)
        ctx = self.ctx
        self.executor.run(lambda: payout.reissue_candidates(ctx), self._show_lines, self._lines_failed, owner=self)

    def _lines_failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError):
            raise exc
        messages.show_service_error(self, exc, "无法查询")
        self._show_lines([])

    def _show_lines(self, lines) -> None:
        """The returned lines waiting to be paid again, each with its corrected account."""
        self.lines = list(lines)
        self.table.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            check.setCheckState(Qt.Checked if self._preselect is None or line.id in self._preselect else Qt.Unchecked)
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
        self.none_label.setVisible(not self.lines)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.lines))

    def _suggest(self) -> None:
        ctx, day = self.ctx, self.pay_date.value()
        self._number_query.submit(lambda: payout.next_batch_number(ctx, day), self.number.setPlaceholderText,
                                  lambda exc: None)

    def plans(self) -> list:
        out = []
        for r, line in enumerate(self.lines):
            if self.table.item(r, 0).checkState() != Qt.Checked:
                continue
            out.append(payout.ReissuePlan(
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
            day, number, title = self.pay_date.value(), self.number.text().strip(), self.title.text().strip()
            self.result_view = self.executor.call(
                lambda: payout.create_reissue_batch(self.ctx, plans, day, number, title), changes=PAYOUTS)
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
