"""金额 of a relief request: the amount asked for (or the suggested one), and what the rule
engine computes it from — self-paid medical costs, children in school, persons × months —
and whether it is given in kind. Its rows follow the relief type (`follow_type`); it signals
`edited` and `suggestionWanted`."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, \
    QPushButton, QSpinBox, QWidget

from ...services.relief.types import ReliefTypeInfo, RequestView
from ..common import labels
from ..common.field_errors import FieldErrors, error_label, with_error
from .request_form_parts import parse_amount, wrap

STUDENT_STAGES = {code: label for code, label in labels.SCHOOLING_STAGES.items() if code != "none"}


class RequestAmounts(QGroupBox):
    edited = Signal()
    suggestionWanted = Signal()

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None):
        super().__init__("金额（元）", parent)
        self._quiet = False  # filling the widgets: no edited()
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
        self.student_spins: dict[str, QSpinBox] = {}
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
        self.months_box = wrap(months_row)
        self.goods = QCheckBox("实物慰问（不是现金）")

        self.form = QFormLayout(self)
        self.amount_error = errors.add("requested_amount_fen", self.amount)
        self.form.addRow("申请金额", with_error(wrap(amount_row), self.amount_error))
        self.form.addRow(self.self_paid_label, with_error(self.self_paid, self.self_paid_error))
        self.form.addRow(self.students_label, self.students_box)
        self.form.addRow(self.months_label, self.months_box)
        self.form.addRow("", self.goods)

        for edit in (self.amount, self.self_paid):
            edit.textEdited.connect(lambda _: self._changed())
        for spin in (*self.student_spins.values(), self.persons, self.months):
            spin.valueChanged.connect(lambda _: self._changed())
        self.goods.toggled.connect(lambda _: self._changed())
        self.use_suggested.clicked.connect(lambda: self.suggestionWanted.emit())

    def _changed(self) -> None:
        if not self._quiet:
            self.edited.emit()

    # -- what it is told --
    def follow_type(self, info: ReliefTypeInfo | None) -> None:
        """Show the rows the relief type computes its amount from."""
        self.form.setRowVisible(self.self_paid_label, bool(info and info.needs_self_paid))
        self.form.setRowVisible(self.students_label, bool(info and info.needs_students))
        self.form.setRowVisible(self.months_label, bool(info and info.needs_months))
        self.goods.setVisible(bool(info and info.goods_allowed))
        if info and not info.goods_allowed:
            self.goods.setChecked(False)

    def show_request(self, view: RequestView) -> None:
        was, self._quiet = self._quiet, True
        try:
            self.amount.setText(labels.yuan_input(view.requested_amount_fen))
            self.self_paid.setText(labels.yuan_input(view.self_paid_medical_fen))
            for code in view.students:
                if code in self.student_spins:
                    self.student_spins[code].setValue(self.student_spins[code].value() + 1)
            self.persons.setValue(view.persons or 0)
            self.months.setValue(view.months or 0)
            self.goods.setChecked(view.goods)
        finally:
            self._quiet = was

    def count_students(self, household) -> None:
        """A household was chosen: count its schoolchildren, unless the clerk entered some."""
        if any(spin.value() for spin in self.student_spins.values()):
            return
        was, self._quiet = self._quiet, True
        try:
            for m in household.data.members:
                if m.schooling in self.student_spins:
                    self.student_spins[m.schooling].setValue(self.student_spins[m.schooling].value() + 1)
        finally:
            self._quiet = was

    def set_amount(self, fen: int) -> None:
        self.amount.setText(labels.yuan_input(fen))

    def set_suggestion_available(self, available: bool) -> None:
        self.use_suggested.setEnabled(available)

    def focus_amount(self) -> None:
        self.amount.setFocus()

    # -- what it is asked --
    def amount_problem(self) -> str:
        """Mark an amount that cannot be read under its field; the requested amount's problem."""
        _, amount_problem = parse_amount(self.amount, required=True)
        _, paid_problem = parse_amount(self.self_paid, required=False)
        self.amount_error.setText(amount_problem)
        self.amount_error.setVisible(bool(amount_problem))
        self.self_paid_error.setText(paid_problem)
        self.self_paid_error.setVisible(bool(paid_problem))
        return amount_problem

    def fields(self, info: ReliefTypeInfo | None) -> dict:
        """The amount fields of the request (RequestInput keywords) for relief type `info`."""
        amount, _ = parse_amount(self.amount, required=True)
        self_paid, _ = parse_amount(self.self_paid, required=False)
        students: list[str] = []
        if info and info.needs_students:
            for code, spin in self.student_spins.items():
                students += [code] * spin.value()
        return dict(
            requested_amount_fen=amount or 0,
            self_paid_medical_fen=self_paid if info and info.needs_self_paid else None,
            students=tuple(students),
            months=(self.months.value() or None) if info and info.needs_months else None,
            persons=(self.persons.value() or None) if info and info.needs_months else None,
            goods=self.goods.isChecked() if info and info.goods_allowed else False,
        )
