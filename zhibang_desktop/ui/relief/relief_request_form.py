"""The request form proper: relief type, sub-case, period, fund, amounts, the reason,
and the conditions and materials; its rows follow the chosen relief type.

Still a mixin of ``ReliefRequestDialog`` (the household chooser and the policy-check
panel are widgets of their own): it reads and sets the dialog's shared state (``ctx``,
``errors``, ``options``, ``who``, ``check``, ``_loading``) and calls back ``edited()``.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain import clock
from ...domain.periods import QUARTER_NAMES, quarter_has_passed, quarter_of
from ...services.relief import policies
from ...services.errors import ServiceError
from ...services.relief.types import PolicyOptions, ReliefTypeInfo, RequestInput
from ..common import labels
from ..common.field_errors import error_label, with_error
from .relief_common import MUTED_COLOR, WARNING_COLOR
from ..common.widgets.date_edit import qdate_today


STUDENT_STAGES = {code: label for code, label in labels.SCHOOLING_STAGES.items() if code != "none"}


class ClickableLabel(QLabel):
    """A wrapped label that toggles its check box when clicked (long condition texts)."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


def _checkbox_row(text: str, tooltip: str = "") -> tuple[QWidget, QCheckBox]:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    box = QCheckBox()
    label = ClickableLabel(text)
    label.setWordWrap(True)
    label.clicked.connect(box.toggle)
    if tooltip:
        label.setToolTip(tooltip)
    layout.addWidget(box, 0, Qt.AlignTop)
    layout.addWidget(label, 1)
    return row, box


class RequestFormMixin:
    def _build_what(self) -> None:
        self.what_group = QGroupBox("救助事项")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年")
        self.request_date = QDateEdit(qdate_today())
        self.request_date.setCalendarPopup(True)
        self.request_date.setDisplayFormat("yyyy-MM-dd")
        self.type = QComboBox()
        self.subcase = QComboBox()
        self.subcase_label = QLabel("具体情形")
        self.quarter = QComboBox()
        for q, text in enumerate(QUARTER_NAMES, start=1):
            self.quarter.addItem(text, q)
        self.quarter.setCurrentIndex(quarter_of(clock.today()) - 1)
        self.quarter_label = QLabel("季度")
        self.quarter_warning = QLabel()
        self.quarter_warning.setWordWrap(True)
        self.quarter_warning.setStyleSheet(f"color: {WARNING_COLOR};")
        self.quarter_warning.hide()
        self.batch = QSpinBox()
        self.batch.setRange(0, 99)
        self.batch.setSpecialValueText("—")
        self.batch_label = QLabel("发放批次")
        self.fund = QComboBox()
        self.type_note = QLabel()
        self.type_note.setWordWrap(True)
        self.type_note.setStyleSheet(f"color: {MUTED_COLOR};")

        period = QHBoxLayout()
        period.addWidget(self.year)
        period.addWidget(QLabel("申请日期"))
        period.addWidget(self.request_date)
        period.addStretch(1)

        self.conditions_label = QLabel("申请条件")
        self.conditions_box = QWidget()
        self.conditions_layout = QVBoxLayout(self.conditions_box)
        self.conditions_layout.setContentsMargins(0, 0, 0, 0)
        self.conditions_layout.setSpacing(3)
        self.attachments_label = QLabel("已收到材料")
        self.attachments_box = QWidget()
        self.attachments_layout = QVBoxLayout(self.attachments_box)
        self.attachments_layout.setContentsMargins(0, 0, 0, 0)
        self.attachments_layout.setSpacing(3)

        self.what_form = QFormLayout(self.what_group)
        self.what_form.addRow("年度", with_error(_wrap(period), self.errors.add("year", self.year)))
        type_cell = with_error(self.type, self.errors.add("relief_type", self.type))
        type_cell.layout().addWidget(self.type_note)
        self.what_form.addRow("救助类型", type_cell)
        self.what_form.addRow(self.subcase_label, with_error(self.subcase, self.errors.add("subcase", self.subcase)))
        quarter_cell = with_error(self.quarter, self.errors.add("quarter", self.quarter))
        quarter_cell.layout().addWidget(self.quarter_warning)
        self.what_form.addRow(self.quarter_label, quarter_cell)
        self.quarter.currentIndexChanged.connect(lambda _: self._show_quarter_warning())
        self.year.valueChanged.connect(lambda _: self._show_quarter_warning())
        self.what_form.addRow(self.batch_label, self.batch)
        self.what_form.addRow("资金来源", self.fund)

        self.cond_group = QGroupBox("申请条件与材料")
        self.cond_form = QFormLayout(self.cond_group)
        self.cond_form.addRow(self.conditions_label, self.conditions_box)
        self.cond_form.addRow(self.attachments_label, self.attachments_box)

    def _build_amounts(self) -> None:
        self.amount_group = QGroupBox("金额（元）")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("例如 500")
        self.amount.setMaximumWidth(160)
        self.use_suggested = QPushButton("填入建议金额")
        self.use_suggested.setAutoDefault(False)
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount)
        amount_row.addWidget(self.use_suggested)
        amount_row.addStretch(1)
        self.self_paid = QLineEdit()
        self.self_paid.setMaximumWidth(160)
        self.self_paid_label = QLabel("个人自付医疗费")
        self.self_paid_error = error_label()
        self.students_label = QLabel("在读子女人数")
        self.students_box = QWidget()
        grid = QGridLayout(self.students_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (code, label) in enumerate(STUDENT_STAGES.items()):
            spin = QSpinBox()
            spin.setRange(0, 9)
            self.student_spins[code] = spin
            grid.addWidget(QLabel(label), i // 4, (i % 4) * 2)
            grid.addWidget(spin, i // 4, (i % 4) * 2 + 1)
        self.persons = QSpinBox()
        self.persons.setRange(0, 20)
        self.persons.setSuffix(" 人")
        self.months = QSpinBox()
        self.months.setRange(0, 12)
        self.months.setSuffix(" 个月")
        months_row = QHBoxLayout()
        months_row.addWidget(self.persons)
        months_row.addWidget(QLabel("×"))
        months_row.addWidget(self.months)
        months_row.addStretch(1)
        self.months_label = QLabel("人数 × 月数")
        self.months_box = _wrap(months_row)
        self.goods = QCheckBox("实物慰问（不是现金）")

        self.amount_form = QFormLayout(self.amount_group)
        self.amount_error = self.errors.add("requested_amount_fen", self.amount)
        self.amount_form.addRow("申请金额", with_error(_wrap(amount_row), self.amount_error))
        self.amount_form.addRow(self.self_paid_label, with_error(self.self_paid, self.self_paid_error))
        self.amount_form.addRow(self.students_label, self.students_box)
        self.amount_form.addRow(self.months_label, self.months_box)
        self.amount_form.addRow("", self.goods)

    def _build_texts(self) -> None:
        self.text_group = QGroupBox("申请事由")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("家庭困难情况、致困原因、本次申请的理由（将打印在审批表上）")
        self.reason.setFixedHeight(64)
        self.reason.setTabChangesFocus(True)
        layout = QVBoxLayout(self.text_group)
        layout.addWidget(with_error(self.reason, self.errors.add("reason", self.reason)))

    def _load_options(self, year: int) -> None:
        try:
            self.options = policies.policy_options(self.ctx, year)
        except ServiceError as exc:
            self.options = PolicyOptions(year, None, "")
            self.check.policy_label.setText(str(exc))
        current = self.type.currentData()
        self.type.blockSignals(True)
        self.type.clear()
        for t in self.options.relief_types:
            self.type.addItem(t.name, t.code)
        index = self.type.findData(current) if current else 0
        self.type.setCurrentIndex(max(index, 0) if self.type.count() else -1)
        self.type.blockSignals(False)
        self._type_changed(evaluate=False)

    @staticmethod
    def _select(combo: QComboBox, code) -> None:
        index = combo.findData(code)
        if index >= 0:
            combo.setCurrentIndex(index)

    def type_info(self) -> ReliefTypeInfo | None:
        code = self.type.currentData()
        if self.options is None or code is None:
            return None
        return next((t for t in self.options.relief_types if t.code == code), None)

    # ------------------------------------------------------------------ the form follows the type
    def _show_quarter_warning(self) -> None:
        """A quarter that has already ended is allowed (a late entry) but said out loud."""
        year, quarter = self.year.value(), self.quarter.currentData()
        passed = quarter is not None and quarter_has_passed(year, quarter, clock.today())
        self.quarter_warning.setText(f"{year}年{QUARTER_NAMES[quarter - 1]}已经过去，请确认不是要申请本季度"
                                     if passed else "")
        self.quarter_warning.setVisible(passed)

    def _type_changed(self, *_, evaluate: bool = True) -> None:
        info = self.type_info()
        was = self._loading
        self._loading = True
        try:
            self._fill_subcases(info)
            self._fill_conditions(info)
            self._fill_attachments(info)
            funds = info.fund_sources if info else (self.options.fund_sources if self.options else ())
            current = self.fund.currentData()
            self.fund.clear()
            self.fund.addItem("（未指定）", None)
            for f in funds:
                self.fund.addItem(f.label, f.code)
            self._select(self.fund, current)
            self._set_row_visible(self.what_form, self.quarter_label, bool(info and info.needs_quarter))
            self._set_row_visible(self.what_form, self.batch_label, bool(info and info.kind == "standing"))
            self._set_row_visible(self.amount_form, self.self_paid_label, bool(info and info.needs_self_paid))
            self._set_row_visible(self.amount_form, self.students_label, bool(info and info.needs_students))
            self._set_row_visible(self.amount_form, self.months_label, bool(info and info.needs_months))
            self.goods.setVisible(bool(info and info.goods_allowed))
            if info and not info.goods_allowed:
                self.goods.setChecked(False)
            self.who.allow_worker(bool(info and not info.requires_archive))
            note = []
            if info:
                note.append(f"标准：{info.standard_text}")
                if info.members_only:
                    note.append("仅限工会会员")
                if info.review_levels:
                    note.append("审核：" + " → ".join(o.label for o in info.review_levels))
            self.type_note.setText("；".join(note))
            self.type_note.setToolTip(info.note if info else "")
        finally:
            self._loading = was
        if evaluate:
            self.edited()

    def _fill_subcases(self, info: ReliefTypeInfo | None) -> None:
        current = self.subcase.currentData()
        self.subcase.clear()
        subcases = info.subcases if info else ()
        if subcases:
            self.subcase.addItem("（请选择）", None)
        for sc in subcases:
            self.subcase.addItem(f"{sc.label}（{sc.note}）" if sc.note else sc.label, sc.code)
            self.subcase.setItemData(self.subcase.count() - 1, sc.label, Qt.ToolTipRole)
        self._select(self.subcase, current)
        self._set_row_visible(self.what_form, self.subcase_label, bool(subcases))

    def _fill_conditions(self, info: ReliefTypeInfo | None) -> None:
        checked = {c for c, box in self.condition_boxes.items() if box.isChecked()}
        _clear_layout(self.conditions_layout)
        self.condition_boxes = {}
        for option in info.conditions if info else ():
            row, box = _checkbox_row(option.label, option.note)
            box.setChecked(option.code in checked)
            box.toggled.connect(lambda _: self.edited())
            self.condition_boxes[option.code] = box
            self.conditions_layout.addWidget(row)
        has = bool(self.condition_boxes)
        if has:
            self.conditions_label.setText(f"申请条件\n（至少 {info.min_conditions} 项）" if info.min_conditions
                                          else "申请条件")
        self._set_row_visible(self.cond_form, self.conditions_label, has)

    def _fill_attachments(self, info: ReliefTypeInfo | None) -> None:
        checked = {c for c, box in self.attachment_boxes.items() if box.isChecked()}
        _clear_layout(self.attachments_layout)
        self.attachment_boxes = {}
        for kind in info.attachments if info else ():
            row, box = _checkbox_row(kind)
            box.setChecked(kind in checked)
            box.toggled.connect(lambda _: self.edited())
            self.attachment_boxes[kind] = box
            self.attachments_layout.addWidget(row)
        self._set_row_visible(self.cond_form, self.attachments_label, bool(self.attachment_boxes))
        self.cond_group.setVisible(bool(self.attachment_boxes) or bool(self.condition_boxes))

    @staticmethod
    def _set_row_visible(form: QFormLayout, label: QWidget, visible: bool) -> None:
        form.setRowVisible(label, visible)

    def _year_changed(self, year: int) -> None:
        if self._loading:
            return
        self._load_options(year)
        self.edited()

    def _amount(self, edit: QLineEdit, *, required: bool) -> tuple[int | None, str]:
        text = edit.text().strip().replace(",", "").replace("，", "").removesuffix("元")
        if not text:
            return (0 if required else None), ""
        try:
            return labels.parse_yuan(text), ""
        except labels.AmountError as exc:
            return (0 if required else None), str(exc)

    def current_input(self) -> RequestInput:
        info = self.type_info()
        amount, _ = self._amount(self.amount, required=True)
        self_paid, _ = self._amount(self.self_paid, required=False)
        worker_name, worker_id_number, unit_id = self.who.worker()
        students: list[str] = []
        if info and info.needs_students:
            for code, spin in self.student_spins.items():
                students += [code] * spin.value()
        d = self.request_date.date()
        return RequestInput(
            relief_type=self.type.currentData() or "",
            year=self.year.value(),
            requested_amount_fen=amount or 0,
            household_id=self.who.household_id(),
            worker_name=worker_name,
            worker_id_number=worker_id_number,
            unit_id=unit_id,
            person_id_number=self.who.person_id_number(),
            subcase=self.subcase.currentData() if self.subcase.count() else None,
            quarter=self.quarter.currentData() if info and info.needs_quarter else None,
            request_date=date(d.year(), d.month(), d.day()),
            conditions=tuple(c for c, box in self.condition_boxes.items() if box.isChecked()),
            reason=self.reason.toPlainText().strip(),
            justification=self.check.justification_text(),
            self_paid_medical_fen=self_paid if info and info.needs_self_paid else None,
            students=tuple(students),
            months=(self.months.value() or None) if info and info.needs_months else None,
            persons=(self.persons.value() or None) if info and info.needs_months else None,
            batch_no=(self.batch.value() or None) if info and info.kind == "standing" else None,
            goods=self.goods.isChecked() if info and info.goods_allowed else False,
            fund_source=self.fund.currentData(),
            attachment_kinds=(tuple(k for k, box in self.attachment_boxes.items() if box.isChecked())
                              if self.attachment_boxes else None),
        )


def _wrap(layout) -> QWidget:
    box = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    box.setLayout(layout)
    return box


def _clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
