"""新建发放批次: the dialog that builds a batch from the payable requests.

The candidates, the year's relief types and fund sources and the suggested batch number load
off the GUI thread (the newest query of each kind is shown); the batch is stored through the
session's executor, which announces the change to the pages."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QHeaderView,
    QInputDialog, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ...domain import clock
from ...services import payout
from ...services.payout import notices
from ...services.relief import policies
from ...services.errors import ServiceError
from ...services.funds import OverdrawNeedsReason
from ...services.payout.types import BATCH_KIND_LABELS, BatchInput, BatchView, CandidateView, LinePlan, NoticeFilter, \
    Payability
from ..common import labels, messages
from ..common.background_query import LatestQuery
from .batch_dialog_common import PAYOUTS, _item, _ok_cancel, fund_combo, method_combo
from ..common.executor import ChangeSummary
from .overdraw_dialog import ask_overdraw_reason
from .payout_models import ALERT, MUTED
from ..common.session import UiSession
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.union_combo import union_filter

QUARTERS = ((None, "全部季度"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度"))


class NewBatchDialog(QDialog):
    """新建发放批次: payable requests (notice ended, no open objection), method and fund per line."""

    COLS = ("选", "姓名", "申请编号", "所属工会", "救助类型", "金额(元)", "发放条件", "发放方式", "资金来源")

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.ctx, self.executor = session.ctx, session.executor
        self.result_view: BatchView | None = None
        self.rows: list[tuple[CandidateView, Payability]] = []
        self._method_boxes: list[QComboBox] = []
        self._fund_boxes: list[QComboBox] = []
        self.funds: list[tuple[str, str]] = []
        self._queries = {kind: LatestQuery(self, self.executor) for kind in ("options", "rows", "number")}
        self.setWindowTitle("新建发放批次")
        today = clock.today()

        self.year = QSpinBox()
        self.year.setRange(2000, 2099)
        self.year.setValue(today.year)
        self.quarter = QComboBox()
        for value, text in QUARTERS:
            self.quarter.addItem(text, value)
        self.relief_type = QComboBox()
        self.union = union_filter(session)
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
        for i, w in enumerate((30, 70, 112, 0, 84, 80, 0, 110, 110)):
            if w:
                self.table.setColumnWidth(i, w)
        for stretched in (3, 6):  # 所属工会 (a company union's full name) and 发放条件 share the spare width
            header.setSectionResizeMode(stretched, QHeaderView.Stretch)
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
        """The year's relief types and fund sources (none without a policy), then the candidates."""
        ctx, year = self.ctx, self.year.value()
        self._queries["options"].submit(lambda: policies.policy_options(ctx, year), self._show_options,
                                        lambda exc: self._show_options(None))

    def _show_options(self, options) -> None:
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
        """Query the candidates for the filters (off the GUI thread)."""
        ctx, flt = self.ctx, self.current_filter()
        self._queries["rows"].submit(lambda: payout.batch_candidates(ctx, flt), self._show_rows, self._query_failed)

    def _query_failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError):
            raise exc
        messages.show_service_error(self, exc, "无法查询")
        self._show_rows([])

    def _show_rows(self, rows) -> None:
        rows = list(rows)
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
        ctx, day, kind = self.ctx, self.pay_date.value(), self.kind.currentData()
        self._queries["number"].submit(lambda: payout.next_batch_number(ctx, day, kind), self._show_number,
                                       lambda exc: self._show_number(""))

    def _show_number(self, suggestion: str) -> None:
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
        request_id, why = c.request_id, reason.strip()
        if messages.guarded(self, lambda: self.executor.call(
                lambda: notices.override_payability(self.ctx, request_id, why), changes=ChangeSummary(notices=True)),
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
        while True:
            try:
                self.result_view = self.executor.call(lambda: payout.create_batch(self.ctx, inp), changes=PAYOUTS)
            except OverdrawNeedsReason as exc:
                inp.overdraw_reason = ask_overdraw_reason(self, exc) or ""
                if not inp.overdraw_reason:
                    return
                continue
            except ServiceError as exc:
                messages.show_service_error(self, exc, "无法建立批次")
                return
            break
        self.accept()
