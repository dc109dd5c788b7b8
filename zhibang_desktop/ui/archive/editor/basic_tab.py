"""基本信息: every HouseholdInput field of the head and the household, grouped."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ....services.archive.fields import HOUSEHOLD_LABELS as HL
from ....services.archive.types import HouseholdInput
from ....services.errors import FieldProblem
from ...common import labels
from ...common.widgets.union_combo import UnionCombo
from .exclusions import ExclusionChecklist
from .layout import form_group, two_columns
from ...common.field_errors import FieldErrors, with_error

OTHER = "其他"


def money_edit() -> QLineEdit:
    """No input validator: a validator drops what it refuses without a word (`-100` became 100,
    `1e9` 19). What is typed stays; `read_money` says at the field what is wrong with it."""
    edit = QLineEdit(placeholderText="0")
    edit.setAlignment(Qt.AlignRight)
    edit.setMaximumWidth(140)
    return edit


def read_money(edit: QLineEdit, field: str, label: str) -> tuple[int, FieldProblem | None]:
    text = edit.text().strip()
    if not text:
        return 0, None
    try:
        return labels.parse_yuan(text), None
    except labels.AmountError as exc:
        return 0, FieldProblem(field, label, str(exc))


def _text(edit) -> str | None:
    value = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
    return value.strip() or None


def _code_combo(items: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for code, label in items.items():
        combo.addItem(label, code)
    return combo


def _set_code(combo: QComboBox, code) -> None:
    combo.setCurrentIndex(combo.findData(code))


class BasicTab(QScrollArea):
    edited = Signal(str)  # the field name the user changed

    def __init__(self, ctx, causes: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.errors = FieldErrors()
        self._loading = False

        # 身份信息
        self.name = QLineEdit()
        self.id_number = QLineEdit(placeholderText="18 位，末位可为 X")
        self.id_number.setMaxLength(22)
        self.id_facts = QLabel()
        self.id_facts.setStyleSheet("color: #555;")
        self.ethnicity = QLineEdit(placeholderText="如：汉族")
        self.health = QLineEdit(placeholderText="如：健康、慢性病、重病")
        self.model_worker = QCheckBox("劳模")
        self.single_parent = QCheckBox("单亲家庭")
        # 联系与户籍
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.hukou_type = QComboBox(editable=True)
        self.hukou_type.addItems(["", *labels.HUKOU_TYPES])
        self.hukou_region = QLineEdit(placeholderText="如：广州市增城区荔城街")
        # 工作与工会
        self.employer = QLineEdit()
        self.unit = UnionCombo(ctx, for_household=True)
        self.unit.setPlaceholderText("请选择所属工会")
        self.union_member = QCheckBox("是工会会员")
        self.member_no = QLineEdit()
        # 银行账户
        self.account_kind = QComboBox()
        self.account_kind.addItem("（未填写）", None)
        for code, label in labels.ACCOUNT_KINDS.items():
            self.account_kind.addItem(label, code)
        self.bank_name = QLineEdit(placeholderText="如：中国工商银行增城支行")
        self.bank_account = QLineEdit(placeholderText="仅数字，可含空格")
        # 困难情况
        self.category = _code_combo(labels.CATEGORIES)
        self.category.setPlaceholderText("请选择")
        self.assistance_status = _code_combo(labels.ASSISTANCE_STATUSES)
        self.cause_boxes: dict[str, QCheckBox] = {}
        self.cause_other = QCheckBox(OTHER)
        self.cause_other_text = QLineEdit(placeholderText="写明其他致困原因")
        causes_widget = self._causes_widget(causes)
        # 收入
        self.household_size = QSpinBox(minimum=1, maximum=30, suffix=" 人")
        self.head_income = money_edit()
        self.other_income = money_edit()
        self.income_summary = QLabel()
        self.income_summary.setWordWrap(True)
        # 排除条件, 备注
        self.exclusions = ExclusionChecklist()
        self.exclusion_override = QPlainTextEdit(placeholderText="排除条件未通过或未核查完而确需建档时，写明理由")
        self.exclusion_override.setFixedHeight(52)
        self.remarks = QPlainTextEdit()
        self.remarks.setFixedHeight(60)
        for edit in (self.exclusion_override, self.remarks):
            edit.setTabChangesFocus(True)  # Tab leaves the box (to 备注, then the buttons), as in the visits tab

        e = self.errors
        identity = self._group("身份信息", [
            ("name", self.name),
            ("id_number", self.id_number),
            (None, self.id_facts),
            ("ethnicity", self.ethnicity),
            ("health", self.health),
            (None, self._row(self.model_worker, self.single_parent)),
        ])
        contact = self._group("联系方式与户籍", [
            ("phone", self.phone), ("address", self.address),
            ("hukou_type", self.hukou_type), ("hukou_region", self.hukou_region),
        ])
        work = self._group("工作单位与工会", [
            ("employer", self.employer), ("unit_id", self.unit),
            ("union_member", self.union_member), ("member_no", self.member_no),
        ])
        bank = self._group("银行账户（救助金发放）", [
            ("account_kind", self.account_kind), ("bank_name", self.bank_name),
            ("bank_account", self.bank_account),
        ])
        hardship = self._group("困难情况", [
            ("category", self.category), ("causes", causes_widget),
            ("assistance_status", self.assistance_status),
        ])
        income = self._group("家庭收入（元/月）", [
            ("household_size", self.household_size), ("head_income_fen", self.head_income),
            ("other_income_fen", self.other_income), ("span", self.income_summary),
        ])
        checklist = QGroupBox("排除条件核查（有任一项“是”的不能列为深度困难）")
        box = QVBoxLayout(checklist)
        box.addWidget(with_error(self.exclusions, e.add("exclusions", self.exclusions)))
        box.addWidget(QLabel(HL["exclusion_override"] + "："))
        box.addWidget(with_error(self.exclusion_override, e.add("exclusion_override", self.exclusion_override)))
        remarks = self._group("备注", [("remarks", self.remarks)], label=False)

        self.setWidget(two_columns((identity, contact, work, bank), (hardship, income, checklist, remarks)))
        self._connect()

    # -- layout helpers --
    def _group(self, title: str, rows, label: bool = True) -> QGroupBox:
        group, form = form_group(title)
        for field, widget in rows:
            if field is None:  # under the field above, without a label
                form.addRow("", widget)
                continue
            if field == "span":  # across the whole group
                form.addRow(widget)
                continue
            cell = with_error(widget, self.errors.add(field, widget))
            if label:
                form.addRow(HL.get(field, field) + "：", cell)
            else:
                form.addRow(cell)
        return group

    @staticmethod
    def _row(*widgets) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            layout.addWidget(w)
        layout.addStretch(1)
        return row

    def _causes_widget(self, causes: tuple[str, ...]) -> QWidget:
        widget = QWidget()
        column = QVBoxLayout(widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self._causes_grid = QGridLayout()
        self._causes_grid.setHorizontalSpacing(10)
        self._causes_grid.setVerticalSpacing(2)
        for cause in causes:
            if cause != OTHER:
                self._add_cause_box(cause)
        other = QHBoxLayout()
        other.addWidget(self.cause_other)
        other.addWidget(self.cause_other_text, 1)
        column.addLayout(self._causes_grid)
        column.addLayout(other)
        return widget

    def _add_cause_box(self, cause: str) -> QCheckBox:
        box = QCheckBox(cause)
        n = len(self.cause_boxes)
        self.cause_boxes[cause] = box
        self._causes_grid.addWidget(box, n // 4, n % 4)
        return box

    def _connect(self) -> None:
        def emit(field):
            return lambda *_: None if self._loading else self.edited.emit(field)

        for field, widget in (("name", self.name), ("id_number", self.id_number), ("ethnicity", self.ethnicity),
                              ("health", self.health), ("phone", self.phone), ("address", self.address),
                              ("hukou_region", self.hukou_region), ("employer", self.employer),
                              ("member_no", self.member_no), ("bank_name", self.bank_name),
                              ("bank_account", self.bank_account), ("head_income_fen", self.head_income),
                              ("other_income_fen", self.other_income)):
            widget.textChanged.connect(emit(field))
        for field, widget in (("exclusion_override", self.exclusion_override), ("remarks", self.remarks)):
            widget.textChanged.connect(emit(field))
        self.hukou_type.currentTextChanged.connect(emit("hukou_type"))
        for field, combo in (("unit_id", self.unit), ("account_kind", self.account_kind),
                             ("category", self.category), ("assistance_status", self.assistance_status)):
            combo.currentIndexChanged.connect(emit(field))
        for field, box in (("model_worker", self.model_worker), ("single_parent", self.single_parent),
                           ("union_member", self.union_member)):
            box.toggled.connect(emit(field))
        for box in [*self.cause_boxes.values(), self.cause_other]:
            box.toggled.connect(emit("causes"))
        self.cause_other.toggled.connect(self.cause_other_text.setEnabled)
        self.cause_other_text.textChanged.connect(emit("causes"))
        self.cause_other_text.textEdited.connect(lambda t: t.strip() and self.cause_other.setChecked(True))
        self.household_size.valueChanged.connect(emit("household_size"))
        self.exclusions.changed.connect(emit("exclusions"))
        self.union_member.toggled.connect(self.member_no.setEnabled)

    # -- data in and out --
    def load(self, data: HouseholdInput | None) -> None:
        self._loading = True
        try:
            self._load(data or HouseholdInput(name="", id_number="", unit_id=None, category=""))
        finally:
            self._loading = False

    def _load(self, d: HouseholdInput) -> None:
        for edit, value in ((self.name, d.name), (self.id_number, d.id_number), (self.ethnicity, d.ethnicity),
                            (self.health, d.health), (self.phone, d.phone), (self.address, d.address),
                            (self.hukou_region, d.hukou_region), (self.employer, d.employer),
                            (self.member_no, d.member_no), (self.bank_name, d.bank_name),
                            (self.bank_account, d.bank_account)):
            edit.setText(value or "")
        self.hukou_type.setCurrentText(d.hukou_type or "")
        self.unit.set_unit_id(d.unit_id, emit=False)
        if d.unit_id is not None and self.unit.unit_id() != d.unit_id:  # a unit made inactive meanwhile
            self.unit.reload()
            self.unit.set_unit_id(d.unit_id, emit=False)
        self.union_member.setChecked(d.union_member)
        self.member_no.setEnabled(d.union_member)
        self.model_worker.setChecked(d.model_worker)
        self.single_parent.setChecked(d.single_parent)
        _set_code(self.account_kind, d.account_kind)
        _set_code(self.category, d.category or None)
        _set_code(self.assistance_status, d.assistance_status)
        other_text = ""
        for box in self.cause_boxes.values():
            box.setChecked(False)
        for cause in d.causes:
            if cause.startswith(labels.OTHER_CAUSE_PREFIX):
                other_text = cause[len(labels.OTHER_CAUSE_PREFIX):]
            elif cause in self.cause_boxes:
                self.cause_boxes[cause].setChecked(True)
            else:  # no longer in the office list: keep it visible and checked
                box = self._add_cause_box(cause)
                box.setChecked(True)
                box.toggled.connect(lambda *_: self.edited.emit("causes"))
        self.cause_other.setChecked(bool(other_text))
        self.cause_other_text.setText(other_text)
        self.cause_other_text.setEnabled(bool(other_text))
        self.household_size.setValue(max(1, d.household_size))
        self.head_income.setText(labels.yuan_input(d.head_income_fen))
        self.other_income.setText(labels.yuan_input(d.other_income_fen))
        self.exclusions.set_answers(d.exclusions)
        self.exclusion_override.setPlainText(d.exclusion_override or "")
        self.remarks.setPlainText(d.remarks or "")

    def causes(self) -> list[str]:
        chosen = [c for c, box in self.cause_boxes.items() if box.isChecked()]
        if self.cause_other.isChecked():
            chosen.append(labels.OTHER_CAUSE_PREFIX + self.cause_other_text.text().strip())
        return chosen

    def collect(self, base: HouseholdInput | None) -> tuple[HouseholdInput, list[FieldProblem]]:
        """The fields as typed (members are the members tab's), and problems only the form can see."""
        problems = []
        head, p1 = read_money(self.head_income, "head_income_fen", HL["head_income_fen"])
        other, p2 = read_money(self.other_income, "other_income_fen", HL["other_income_fen"])
        problems += [p for p in (p1, p2) if p]
        values = dict(
            name=self.name.text().strip(), id_number=self.id_number.text().strip(),
            unit_id=self.unit.unit_id(), category=self.category.currentData() or "",
            phone=_text(self.phone), address=_text(self.address), hukou_type=self.hukou_type.currentText().strip() or None,
            hukou_region=_text(self.hukou_region), employer=_text(self.employer), ethnicity=_text(self.ethnicity),
            health=_text(self.health), union_member=self.union_member.isChecked(),
            member_no=_text(self.member_no) if self.union_member.isChecked() else None,
            model_worker=self.model_worker.isChecked(), single_parent=self.single_parent.isChecked(),
            causes=self.causes(), household_size=self.household_size.value(), head_income_fen=head,
            other_income_fen=other, assistance_status=self.assistance_status.currentData() or "none",
            bank_name=_text(self.bank_name), bank_account=_text(self.bank_account),
            account_kind=self.account_kind.currentData(), exclusions=self.exclusions.answers(),
            exclusion_override=_text(self.exclusion_override), remarks=_text(self.remarks),
        )
        if base is None:
            return HouseholdInput(**values), problems
        return replace(base, **values), problems

    # -- derived, shown live --
    def show_id_facts(self, text: str) -> None:
        self.id_facts.setText(text)
        self.id_facts.setVisible(bool(text))

    def show_income(self, text: str, warning: bool) -> None:
        self.income_summary.setText(text)
        self.income_summary.setStyleSheet("color: #b26a00;" if warning else "color: #2e7d32;")
