"""The request form proper: relief type, sub-case, period, fund, amounts, the reason,
and the conditions and materials; its rows follow the chosen relief type.

`RequestForm` is a widget of the request dialog, beside the household chooser and the
policy-check panel. It loads the relief types of the chosen year itself and tells the dialog
what happens by signals: `edited` (a field the rule engine looks at), `reasonEdited`,
`workerAllowed(bool)` (the chosen type may go to a worker not in the archive),
`policyProblem(str)` (the year has no usable policy) and `suggestionWanted`. The dialog asks
it for `fields()` and tells it what to show (`show_request`, `set_amount`, …).
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QSpinBox,
    QVBoxLayout, QWidget,
)

from ...domain import clock
from ...domain.periods import QUARTER_NAMES, quarter_has_passed, quarter_of
from ...services.relief import policies
from ...services.errors import ServiceError
from ...services.relief.types import PolicyOptions, ReliefTypeInfo, RequestView
from ..common.field_errors import FieldErrors, with_error
from .relief_common import MUTED_COLOR, WARNING_COLOR
from ..common.widgets.date_edit import qdate_today
from .relief_request_amounts import RequestAmounts
from .request_form_parts import checkbox_row, clear_layout, select, wrap


class RequestForm(QWidget):
    edited = Signal()
    reasonEdited = Signal()
    workerAllowed = Signal(bool)
    policyProblem = Signal(str)
    suggestionWanted = Signal()

    def __init__(self, ctx, errors: FieldErrors, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.options: PolicyOptions | None = None
        self._quiet = False  # filling the widgets: no edited()
        self.condition_boxes: dict[str, QCheckBox] = {}
        self.attachment_boxes: dict[str, QCheckBox] = {}
        self._build_what(errors)
        self.amounts = RequestAmounts(errors)
        self._build_texts(errors)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in (self.what_group, self.amounts, self.text_group, self.cond_group):
            layout.addWidget(group)
        self._connect_edits()

    # ------------------------------------------------------------------ building
    def _build_what(self, errors: FieldErrors) -> None:
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
        self.what_form.addRow("年度", with_error(wrap(period), errors.add("year", self.year)))
        type_cell = with_error(self.type, errors.add("relief_type", self.type))
        type_cell.layout().addWidget(self.type_note)
        self.what_form.addRow("救助类型", type_cell)
        self.what_form.addRow(self.subcase_label, with_error(self.subcase, errors.add("subcase", self.subcase)))
        quarter_cell = with_error(self.quarter, errors.add("quarter", self.quarter))
        quarter_cell.layout().addWidget(self.quarter_warning)
        self.what_form.addRow(self.quarter_label, quarter_cell)
        self.what_form.addRow(self.batch_label, self.batch)
        self.what_form.addRow("资金来源", self.fund)

        self.cond_group = QGroupBox("申请条件与材料")
        self.cond_form = QFormLayout(self.cond_group)
        self.cond_form.addRow(self.conditions_label, self.conditions_box)
        self.cond_form.addRow(self.attachments_label, self.attachments_box)

    def _build_texts(self, errors: FieldErrors) -> None:
        self.text_group = QGroupBox("申请事由")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("家庭困难情况、致困原因、本次申请的理由（将打印在审批表上）")
        self.reason.setFixedHeight(64)
        self.reason.setTabChangesFocus(True)
        layout = QVBoxLayout(self.text_group)
        layout.addWidget(with_error(self.reason, errors.add("reason", self.reason)))

    def _connect_edits(self) -> None:
        self.quarter.currentIndexChanged.connect(lambda _: self._show_quarter_warning())
        self.year.valueChanged.connect(lambda _: self._show_quarter_warning())
        self.year.valueChanged.connect(self._year_changed)
        self.request_date.dateChanged.connect(lambda _: self._changed())
        self.type.currentIndexChanged.connect(lambda _: self._type_changed())
        for combo in (self.subcase, self.quarter, self.fund):
            combo.currentIndexChanged.connect(lambda _: self._changed())
        self.batch.valueChanged.connect(lambda _: self._changed())
        self.amounts.edited.connect(self._changed)
        self.amounts.suggestionWanted.connect(self.suggestionWanted)
        self.reason.textChanged.connect(self._reason_changed)

    def _changed(self) -> None:
        if not self._quiet:
            self.edited.emit()

    def _reason_changed(self) -> None:
        if not self._quiet:
            self.reasonEdited.emit()

    # ------------------------------------------------------------------ the year's relief types
    def load_year(self, year: int) -> None:
        """Show `year` and offer its relief types (the type chosen stays when the year has it)."""
        was, self._quiet = self._quiet, True
        try:
            self.year.setValue(year)
            self._load_options(year)
        finally:
            self._quiet = was

    def _load_options(self, year: int) -> None:
        try:
            self.options = policies.policy_options(self.ctx, year)
        except ServiceError as exc:
            self.options = PolicyOptions(year, None, "")
            self.policyProblem.emit(str(exc))
        current = self.type.currentData()
        self.type.blockSignals(True)
        self.type.clear()
        for t in self.options.relief_types:
            self.type.addItem(t.name, t.code)
        index = self.type.findData(current) if current else 0
        self.type.setCurrentIndex(max(index, 0) if self.type.count() else -1)
        self.type.blockSignals(False)
        self._type_changed(evaluate=False)

    def _year_changed(self, year: int) -> None:
        if self._quiet:
            return
        self._load_options(year)
        self.edited.emit()

    def has_policy(self) -> bool:
        return self.options is not None and self.options.policy_id is not None

    def policy_name(self) -> str:
        return self.options.policy_name if self.options else ""

    def year_value(self) -> int:
        return self.year.value()

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

    def _type_changed(self, *, evaluate: bool = True) -> None:
        info = self.type_info()
        was, self._quiet = self._quiet, True
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
            select(self.fund, current)
            self.what_form.setRowVisible(self.quarter_label, bool(info and info.needs_quarter))
            self.what_form.setRowVisible(self.batch_label, bool(info and info.kind == "standing"))
            self.amounts.follow_type(info)
            self.workerAllowed.emit(bool(info and not info.requires_archive))
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
            self._quiet = was
        if evaluate:
            self._changed()

    def _fill_subcases(self, info: ReliefTypeInfo | None) -> None:
        current = self.subcase.currentData()
        self.subcase.clear()
        subcases = info.subcases if info else ()
        if subcases:
            self.subcase.addItem("（请选择）", None)
        for sc in subcases:
            self.subcase.addItem(f"{sc.label}（{sc.note}）" if sc.note else sc.label, sc.code)
            self.subcase.setItemData(self.subcase.count() - 1, sc.label, Qt.ToolTipRole)
        select(self.subcase, current)
        self.what_form.setRowVisible(self.subcase_label, bool(subcases))

    def _fill_conditions(self, info: ReliefTypeInfo | None) -> None:
        checked = {c for c, box in self.condition_boxes.items() if box.isChecked()}
        clear_layout(self.conditions_layout)
        self.condition_boxes = {}
        for option in info.conditions if info else ():
            row, box = checkbox_row(option.label, option.note)
            box.setChecked(option.code in checked)
            box.toggled.connect(lambda _: self._changed())
            self.condition_boxes[option.code] = box
            self.conditions_layout.addWidget(row)
        has = bool(self.condition_boxes)
        if has:
            self.conditions_label.setText(f"申请条件\n（至少 {info.min_conditions} 项）" if info.min_conditions
                                          else "申请条件")
        self.cond_form.setRowVisible(self.conditions_label, has)

    def _fill_attachments(self, info: ReliefTypeInfo | None) -> None:
        checked = {c for c, box in self.attachment_boxes.items() if box.isChecked()}
        clear_layout(self.attachments_layout)
        self.attachment_boxes = {}
        for kind in info.attachments if info else ():
            row, box = checkbox_row(kind)
            box.setChecked(kind in checked)
            box.toggled.connect(lambda _: self._changed())
            self.attachment_boxes[kind] = box
            self.attachments_layout.addWidget(row)
        self.cond_form.setRowVisible(self.attachments_label, bool(self.attachment_boxes))
        self.cond_group.setVisible(bool(self.attachment_boxes) or bool(self.condition_boxes))

    # ------------------------------------------------------------------ what the dialog tells it
    def show_new(self) -> None:
        """An empty new request: the current quarter."""
        was, self._quiet = self._quiet, True
        try:
            select(self.quarter, quarter_of(clock.today()))
        finally:
            self._quiet = was

    def show_request(self, view: RequestView) -> None:
        """The stored request's fields (its year's types are loaded first, by `load_year`)."""
        was, self._quiet = self._quiet, True
        try:
            self.request_date.setDate(QDate(view.request_date.year, view.request_date.month, view.request_date.day))
            select(self.type, view.relief_type)
            self._type_changed(evaluate=False)
            select(self.subcase, view.subcase)
            if view.quarter:
                select(self.quarter, view.quarter)
            self.batch.setValue(view.batch_no or 0)
            select(self.fund, view.fund_source)
            for option in view.conditions:
                if option.code in self.condition_boxes:
                    self.condition_boxes[option.code].setChecked(True)
            for kind in {*(view.attachment_kinds or ()), *(a.kind for a in view.attachments)}:
                if kind in self.attachment_boxes:
                    self.attachment_boxes[kind].setChecked(True)
            self.amounts.show_request(view)
            self.reason.setPlainText(view.reason)
        finally:
            self._quiet = was

    def count_students(self, household) -> None:
        self.amounts.count_students(household)

    def set_amount(self, fen: int) -> None:
        self.amounts.set_amount(fen)

    def set_suggestion_available(self, available: bool) -> None:
        self.amounts.set_suggestion_available(available)

    def focus_amount(self) -> None:
        self.amounts.focus_amount()

    def focus_type(self) -> None:
        self.type.setFocus()

    def focus_reason(self) -> None:
        self.reason.setFocus()

    # ------------------------------------------------------------------ what the dialog asks
    def amount_problem(self) -> str:
        return self.amounts.amount_problem()

    def standard_text(self) -> str:
        info = self.type_info()
        return info.standard_text if info else ""

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def fields(self) -> dict:
        """The request's fields this form holds (RequestInput keywords)."""
        info = self.type_info()
        d = self.request_date.date()
        return dict(
            **self.amounts.fields(info),
            relief_type=self.type.currentData() or "",
            year=self.year.value(),
            subcase=self.subcase.currentData() if self.subcase.count() else None,
            quarter=self.quarter.currentData() if info and info.needs_quarter else None,
            request_date=date(d.year(), d.month(), d.day()),
            conditions=tuple(c for c, box in self.condition_boxes.items() if box.isChecked()),
            reason=self.reason_text(),
            batch_no=(self.batch.value() or None) if info and info.kind == "standing" else None,
            fund_source=self.fund.currentData(),
            attachment_kinds=(tuple(k for k, box in self.attachment_boxes.items() if box.isChecked())
                              if self.attachment_boxes else None),
        )
