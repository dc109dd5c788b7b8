"""The new-request dialog (and the editor of a draft or returned request).

The clerk chooses the household by search (name, pinyin, initials, ID number or archive
number) or, where the relief type allows it, types a worker not in the archive; then
the relief type, sub-case, period, conditions, amounts and reason.  As they type, the
panel on the right shows the rule engine's verdict (``relief.evaluate_draft``,
debounced): errors in red (cannot be submitted), warnings in orange (need a written
justification), the suggested amount, the standard and what remains of the year's
allowance.  提交审核 stays disabled while there is an error or a warning without a
justification.
"""
from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..services import archive, policies, relief
from ..services.archive_types import HouseholdFilter
from ..services.errors import ServiceError, ValidationFailed
from ..services.relief_types import (
    EvaluationView,
    PolicyOptions,
    ReliefTypeInfo,
    RequestInput,
    RequestView,
)
from . import labels, messages
from .editor.field_errors import EDITOR_STYLE, FieldErrors, error_label, with_error
from .relief_common import (
    ERROR_COLOR,
    MUTED_COLOR,
    OK_COLOR,
    WARNING_COLOR,
    findings_html,
    money,
    request_events,
)
from .session import UiSession
from .widgets.union_combo import UnionCombo

EVALUATE_DELAY_MS = 350
SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 8
PANEL_WIDTH = 360
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


class ReliefRequestDialog(QDialog):
    saved = Signal(int)  # request id, after any stored change

    def __init__(self, session: UiSession, view: RequestView | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlags(self.windowFlags() | Qt.WindowMinMaxButtonsHint)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setStyleSheet(EDITOR_STYLE)
        self.session = session
        self.ctx = session.ctx
        self.view = view
        self.options: PolicyOptions | None = None
        self.evaluation: EvaluationView | None = None
        self.household = None  # HouseholdView of the chosen household
        self._loading = False
        self._baseline: RequestInput | None = None
        self.errors = FieldErrors()
        self.condition_boxes: dict[str, QCheckBox] = {}
        self.attachment_boxes: dict[str, QCheckBox] = {}
        self.student_spins: dict[str, QSpinBox] = {}

        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.header.setWordWrap(True)
        self._build_who()
        self._build_what()
        self._build_amounts()
        self._build_texts()
        self._build_panel()

        form = QWidget()
        left = QVBoxLayout(form)
        left.setContentsMargins(0, 0, 6, 0)
        for group in (self.who_group, self.what_group, self.amount_group, self.text_group, self.cond_group):
            left.addWidget(group)
        left.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(form)
        self.scroll = scroll

        self.save_button = QPushButton("保存草稿（Ctrl+S）")
        self.submit_button = QPushButton("提交审核")
        self.submit_button.setStyleSheet("QPushButton:enabled { font-weight: bold; }")
        self.close_button = QPushButton("关闭")
        for button in (self.save_button, self.submit_button, self.close_button):
            button.setAutoDefault(False)
        bottom = QHBoxLayout()
        self.state_label = QLabel()
        self.state_label.setStyleSheet(f"color: {MUTED_COLOR};")
        bottom.addWidget(self.state_label, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.submit_button)
        bottom.addWidget(self.close_button)

        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

        self.save_action = QAction("保存草稿", self, shortcut=QKeySequence.Save)
        self.save_action.triggered.connect(self.save_draft)
        self.addAction(self.save_action)
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.reject)

        self._eval_timer = QTimer(self, singleShot=True, interval=EVALUATE_DELAY_MS)
        self._eval_timer.timeout.connect(self.evaluate_now)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self._connect_edits()

        self.load(view)
        self._fit_screen()

    # ------------------------------------------------------------------ building
    def _build_who(self) -> None:
        self.who_group = QGroupBox("申请对象")
        self.archived_radio = QRadioButton("在档困难职工")
        self.worker_radio = QRadioButton("未建档职工")
        self.archived_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.archived_radio)
        self.mode_group.addButton(self.worker_radio)
        modes = QHBoxLayout()
        modes.addWidget(self.archived_radio)
        modes.addWidget(self.worker_radio)
        modes.addStretch(1)

        self.search = QLineEdit(placeholderText="输入姓名、拼音首字母、身份证号（或末几位）或档案号查找")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.results = QListWidget()
        self.results.setMaximumHeight(132)
        self.results.hide()
        self.chosen = QLabel("尚未选择")
        self.chosen.setTextFormat(Qt.RichText)
        self.chosen.setWordWrap(True)
        self.person = QComboBox()
        self.person_label = QLabel("受助人")
        self.archived_box = QWidget()
        f = self.archived_form = QFormLayout(self.archived_box)
        f.setContentsMargins(0, 0, 0, 0)
        f.addRow("查找档案", with_error(self.search, self.errors.add("household_id", self.search)))
        f.addRow("", self.results)
        f.addRow("已选择", self.chosen)
        f.addRow(self.person_label, with_error(self.person, self.errors.add("person_id_number", self.person)))
        f.setRowVisible(self.person_label, False)

        self.worker_name = QLineEdit()
        self.worker_id = QLineEdit()
        self.worker_id.setMaxLength(18)
        self.worker_id_facts = QLabel()
        self.worker_id_facts.setStyleSheet(f"color: {MUTED_COLOR};")
        self.worker_unit = UnionCombo(self.ctx, for_household=True)
        self.worker_box = QWidget()
        g = QFormLayout(self.worker_box)
        g.setContentsMargins(0, 0, 0, 0)
        g.addRow("姓名", with_error(self.worker_name, self.errors.add("worker_name", self.worker_name)))
        id_cell = with_error(self.worker_id, self.errors.add("worker_id_number", self.worker_id))
        id_cell.layout().addWidget(self.worker_id_facts)
        g.addRow("身份证号", id_cell)
        g.addRow("所属工会", with_error(self.worker_unit, self.errors.add("unit_id", self.worker_unit)))
        self.worker_box.hide()

        layout = QVBoxLayout(self.who_group)
        layout.addLayout(modes)
        layout.addWidget(self.archived_box)
        layout.addWidget(self.worker_box)

    def _build_what(self) -> None:
        self.what_group = QGroupBox("救助事项")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(" 年")
        self.request_date = QDateEdit(QDate.currentDate())
        self.request_date.setCalendarPopup(True)
        self.request_date.setDisplayFormat("yyyy-MM-dd")
        self.type = QComboBox()
        self.subcase = QComboBox()
        self.subcase_label = QLabel("具体情形")
        self.quarter = QComboBox()
        for q, text in enumerate("一二三四", start=1):
            self.quarter.addItem(f"第{text}季度", q)
        self.quarter_label = QLabel("季度")
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
        self.what_form.addRow(self.quarter_label, with_error(self.quarter, self.errors.add("quarter", self.quarter)))
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
        # the written justification sits in the check panel, under the findings it answers
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText("有“须说明”（橙色）的情况时必须填写：为什么仍应给予救助（将打印在审批表上）")
        self.justification.setFixedHeight(84)
        self.justification.setTabChangesFocus(True)
        self.justification_label = QLabel("书面说明")
        self.justification_label.setTextFormat(Qt.RichText)
        self.justification_error = self.errors.add("justification", self.justification)

    def _build_panel(self) -> None:
        self.panel = QFrame()
        self.panel.setObjectName("evaluation_panel")
        self.panel.setFixedWidth(PANEL_WIDTH)
        self.panel.setStyleSheet("#evaluation_panel { background: #f7f7f4; border: 1px solid #d6d6d0;"
                                 " border-radius: 4px; }")
        title = QLabel("<b>政策核查</b>")
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        self.policy_label.setStyleSheet(f"color: {MUTED_COLOR};")
        self.figures = QLabel()
        self.figures.setTextFormat(Qt.RichText)
        self.figures.setWordWrap(True)
        self.findings = QLabel()
        self.findings.setTextFormat(Qt.RichText)
        self.findings.setWordWrap(True)
        self.findings.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.findings.setTextInteractionFlags(Qt.TextSelectableByMouse)
        findings_scroll = QScrollArea()
        findings_scroll.setWidgetResizable(True)
        findings_scroll.setFrameShape(QFrame.NoFrame)
        findings_scroll.setWidget(self.findings)
        findings_scroll.setStyleSheet("background: transparent;")
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.RichText)
        layout = QVBoxLayout(self.panel)
        layout.addWidget(title)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.figures)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setStyleSheet("color: #d6d6d0;")
        layout.addWidget(line)
        layout.addWidget(findings_scroll, 1)
        layout.addWidget(self.justification_label)
        layout.addWidget(with_error(self.justification, self.justification_error))
        layout.addWidget(self.verdict)

    def _fit_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1140, 700
        if screen is not None:
            width, height = min(width, screen.width() - 20), min(height, screen.height() - 40)
        self.resize(width, height)

    def _connect_edits(self) -> None:
        self.archived_radio.toggled.connect(self._mode_changed)
        self.search.textEdited.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._search_enter)
        self.results.itemActivated.connect(self._choose_item)
        self.results.itemClicked.connect(self._choose_item)
        self.person.currentIndexChanged.connect(lambda _: self.edited())
        self.worker_name.textEdited.connect(lambda _: self.edited())
        self.worker_id.textEdited.connect(self._worker_id_edited)
        self.worker_unit.currentIndexChanged.connect(lambda _: self.edited())
        self.year.valueChanged.connect(self._year_changed)
        self.request_date.dateChanged.connect(lambda _: self.edited())
        self.type.currentIndexChanged.connect(self._type_changed)
        for combo in (self.subcase, self.quarter, self.fund):
            combo.currentIndexChanged.connect(lambda _: self.edited())
        self.batch.valueChanged.connect(lambda _: self.edited())
        for edit in (self.amount, self.self_paid):
            edit.textEdited.connect(lambda _: self.edited())
        for spin in (*self.student_spins.values(), self.persons, self.months):
            spin.valueChanged.connect(lambda _: self.edited())
        self.goods.toggled.connect(lambda _: self.edited())
        self.reason.textChanged.connect(self._texts_edited)
        self.justification.textChanged.connect(self._texts_edited)
        self.use_suggested.clicked.connect(self._fill_suggested)

    # ------------------------------------------------------------------ loading
    @property
    def request_id(self) -> int | None:
        return self.view.id if self.view else None

    def load(self, view: RequestView | None) -> None:
        """Show a stored request (or an empty new one) and make it the unchanged state."""
        self._loading = True
        try:
            self.view = view
            year = view.year if view else date.today().year
            self.year.setValue(year)
            self._load_options(year)
            if view is None:
                self._show_header()
                self._loading = False
                self._baseline = self.current_input()
                self.evaluate_now()
                self.search.setFocus()
                return
            if view.household_id is not None:
                self.archived_radio.setChecked(True)
                self._set_household(view.household_id, person=view.person_id_number)
            else:
                self.worker_radio.setChecked(True)
                self.worker_name.setText(view.name)
                self.worker_id.setText(view.id_number)
                self.worker_unit.set_unit_id(view.unit_id, emit=False)
            self.request_date.setDate(QDate(view.request_date.year, view.request_date.month, view.request_date.day))
            self._select(self.type, view.relief_type)
            self._type_changed(evaluate=False)
            self._select(self.subcase, view.subcase)
            if view.quarter:
                self._select(self.quarter, view.quarter)
            self.batch.setValue(view.batch_no or 0)
            self._select(self.fund, view.fund_source)
            for option in view.conditions:
                if option.code in self.condition_boxes:
                    self.condition_boxes[option.code].setChecked(True)
            for kind in view.attachment_kinds or ():
                if kind in self.attachment_boxes:
                    self.attachment_boxes[kind].setChecked(True)
            for kind in {a.kind for a in view.attachments}:
                if kind in self.attachment_boxes:
                    self.attachment_boxes[kind].setChecked(True)
            self.amount.setText(labels.yuan_input(view.requested_amount_fen))
            self.self_paid.setText(labels.yuan_input(view.self_paid_medical_fen))
            for code in view.students:
                if code in self.student_spins:
                    self.student_spins[code].setValue(self.student_spins[code].value() + 1)
            self.persons.setValue(view.persons or 0)
            self.months.setValue(view.months or 0)
            self.goods.setChecked(view.goods)
            self.reason.setPlainText(view.reason)
            self.justification.setPlainText(view.justification)
            self._show_header()
        finally:
            self._loading = False
        self._baseline = self.current_input()
        self.evaluate_now()

    def _show_header(self) -> None:
        v = self.view
        if v is None:
            self.setWindowTitle("新建救助申请")
            self.header.setText("<b>新建救助申请</b>　选择申请人并填写救助事项，右侧即时显示政策核查结果。"
                                "可先保存草稿，材料齐全后再提交审核。")
            return
        self.setWindowTitle(f"救助申请 {v.number} — {v.name}")
        text = f"<b>救助申请 {html.escape(v.number)}</b>　状态：<b>{html.escape(v.status_label)}</b>"
        returned = [r for r in v.reviews if r.decision == "return"]
        if v.status == "returned" and returned:
            last = returned[-1]
            text += (f"<br><span style='color:{WARNING_COLOR}'>{html.escape(last.level_name)}"
                     f"（{html.escape(last.reviewer_name)}，{labels.moment(last.decided_at)}）退回修改："
                     f"{html.escape(last.opinion)}</span>")
        self.header.setText(text)

    def _load_options(self, year: int) -> None:
        try:
            self.options = policies.policy_options(self.ctx, year)
        except ServiceError as exc:
            self.options = PolicyOptions(year, None, "")
            self.policy_label.setText(str(exc))
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
            allows_worker = bool(info and not info.requires_archive)
            self.worker_radio.setEnabled(allows_worker)
            self.worker_radio.setToolTip("" if allows_worker else "该救助类型须先建档、后帮扶，只能为在档困难职工申请")
            if not allows_worker and self.worker_radio.isChecked():
                self.archived_radio.setChecked(True)
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

    def _mode_changed(self, archived: bool) -> None:
        self.archived_box.setVisible(archived)
        self.worker_box.setVisible(not archived)
        self.edited()

    def _year_changed(self, year: int) -> None:
        if self._loading:
            return
        self._load_options(year)
        self.edited()

    # ------------------------------------------------------------------ household search
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.search and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Down \
                and self.results.isVisible() and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return super().eventFilter(obj, event)

    def search_now(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        self.results.clear()
        if not text:
            self.results.hide()
            return
        try:
            page = archive.search_households(self.ctx, HouseholdFilter(text=text), limit=SEARCH_LIMIT)
        except ServiceError as exc:
            self.results.addItem(QListWidgetItem(f"查找失败：{exc}"))
            self.results.show()
            return
        for row in page.rows:
            status = labels.STATUSES.get(row.status, row.status)
            item = QListWidgetItem(f"{row.name}　{row.archive_no}　{status}　{row.unit_name}　{row.id_number_masked}")
            item.setData(Qt.UserRole, row.id)
            self.results.addItem(item)
        if page.total > len(page.rows):
            more = QListWidgetItem(f"…… 共 {page.total} 户，请输入更多字缩小范围")
            more.setFlags(Qt.NoItemFlags)
            self.results.addItem(more)
        if not page.rows:
            none = QListWidgetItem("没有找到。未建档的职工请先建档（或在类型允许时选“未建档职工”）。")
            none.setFlags(Qt.NoItemFlags)
            self.results.addItem(none)
        self.results.show()

    def _search_enter(self) -> None:
        self.search_now()
        first = self.results.item(0)
        if first is not None and first.data(Qt.UserRole) is not None and self.results.count() <= 2:
            self._choose_item(first)

    def _choose_item(self, item: QListWidgetItem) -> None:
        hid = item.data(Qt.UserRole)
        if hid is None:
            return
        self.choose_household(hid)

    def choose_household(self, household_id: int) -> None:
        self._set_household(household_id)
        self.results.hide()
        self.edited()
        self.type.setFocus()

    def _set_household(self, household_id: int, person: str | None = None) -> None:
        try:
            hv = archive.get_household(self.ctx, household_id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法读取档案")
            return
        self.household = hv
        self.search.setText(hv.data.name)
        status = labels.STATUSES.get(hv.status, hv.status)
        color = OK_COLOR if hv.status == "active" else (WARNING_COLOR if hv.status == "phasing_out" else ERROR_COLOR)
        category = labels.CATEGORIES.get(hv.data.category, hv.data.category or "")
        self.chosen.setText(
            f"<b>{html.escape(hv.data.name)}</b>　档案号 {html.escape(hv.archive_no)}　"
            f"<span style='color:{color}'>{html.escape(status)}</span>　{html.escape(category)}<br>"
            f"{html.escape(hv.unit_name)}　家庭人口 {hv.data.household_size}　"
            f"{'工会会员' if hv.data.union_member else '非工会会员'}")
        was = self._loading
        self._loading = True
        self.person.clear()
        self.person.addItem(f"{hv.data.name}（户主本人）", None)
        for m in hv.data.members:
            if m.id_number:
                self.person.addItem(f"{m.name}（{m.relation}）", m.id_number)
        self._select(self.person, person)
        self.archived_form.setRowVisible(self.person_label, self.person.count() > 1)
        if not any(spin.value() for spin in self.student_spins.values()):
            for m in hv.data.members:
                if m.schooling in self.student_spins:
                    self.student_spins[m.schooling].setValue(self.student_spins[m.schooling].value() + 1)
        self._loading = was

    def _worker_id_edited(self, text: str) -> None:
        self.worker_id_facts.setText(labels.id_facts(text.strip()) if len(text.strip()) == 18 else "")
        self.edited()

    # ------------------------------------------------------------------ input and live evaluation
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
        archived = self.archived_radio.isChecked()
        students: list[str] = []
        if info and info.needs_students:
            for code, spin in self.student_spins.items():
                students += [code] * spin.value()
        d = self.request_date.date()
        return RequestInput(
            relief_type=self.type.currentData() or "",
            year=self.year.value(),
            requested_amount_fen=amount or 0,
            household_id=self.household.id if archived and self.household else None,
            worker_name=None if archived else self.worker_name.text().strip(),
            worker_id_number=None if archived else self.worker_id.text().strip(),
            unit_id=None if archived else self.worker_unit.unit_id(),
            person_id_number=self.person.currentData() if archived and self.household else None,
            subcase=self.subcase.currentData() if self.subcase.count() else None,
            quarter=self.quarter.currentData() if info and info.needs_quarter else None,
            request_date=date(d.year(), d.month(), d.day()),
            conditions=tuple(c for c, box in self.condition_boxes.items() if box.isChecked()),
            reason=self.reason.toPlainText().strip(),
            justification=self.justification.toPlainText().strip(),
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

    def edited(self) -> None:
        if self._loading:
            return
        self._eval_timer.start()
        self._update_state()

    def _texts_edited(self) -> None:
        if not self._loading:
            self._update_buttons()
            self._update_state()

    def _who_missing(self) -> str:
        if self.archived_radio.isChecked():
            return "" if self.household else "请先在“查找档案”中选择申请人"
        if not self.worker_name.text().strip() or not self.worker_id.text().strip():
            return "请填写未建档职工的姓名和身份证号"
        return ""

    def evaluate_now(self) -> EvaluationView | None:
        """Ask the rule engine about the form as it is (nothing is stored)."""
        self._eval_timer.stop()
        _, amount_problem = self._amount(self.amount, required=True)
        _, paid_problem = self._amount(self.self_paid, required=False)
        self.amount_error.setText(amount_problem)
        self.amount_error.setVisible(bool(amount_problem))
        self.self_paid_error.setText(paid_problem)
        self.self_paid_error.setVisible(bool(paid_problem))
        missing = self._who_missing()
        if self.options is None or self.options.policy_id is None:
            self.evaluation = None
            self._show_no_policy()
        elif missing and self.archived_radio.isChecked():
            self.evaluation = None
            self._show_waiting(missing)
        else:
            try:
                self.evaluation = relief.evaluate_draft(self.ctx, self.current_input(), self.request_id)
            except ServiceError as exc:
                self.evaluation = None
                self._show_waiting(str(exc))
            else:
                self._show_evaluation(self.evaluation)
        self._update_buttons()
        return self.evaluation

    def _show_no_policy(self) -> None:
        year = self.year.value()
        self.policy_label.setText("")
        self.figures.setText("")
        self.findings.setText(f"<p style='color:{ERROR_COLOR}'>✖ {year} 年没有生效的救助政策，不能录入申请。"
                              "请管理员在“救助政策”中选用预置政策或导入政策文件。</p>")
        self.verdict.setText("")

    def _show_waiting(self, text: str) -> None:
        info = self.type_info()
        self.policy_label.setText(self.options.policy_name if self.options else "")
        self.figures.setText(f"标准：<b>{html.escape(info.standard_text)}</b>" if info else "")
        self.findings.setText(f"<p style='color:{MUTED_COLOR}'>{html.escape(text)}</p>")
        self.verdict.setText("")

    def _show_evaluation(self, ev: EvaluationView) -> None:
        self.policy_label.setText(ev.policy_name)
        rows = [("标准", html.escape(ev.standard_text or "—")),
                ("建议金额", f"<b style='font-size:13pt'>{money(ev.suggested_amount_fen)}</b>")]
        if ev.max_allowed_fen is not None:
            rows.append(("最高可批", money(ev.max_allowed_fen)))
        rows.append(("本年剩余额度", "不设年度上限" if ev.remaining_year_allowance_fen is None
                     else f"<b>{money(ev.remaining_year_allowance_fen)}</b>"))
        rows.append(("本年已获救助", f"{ev.history_count_year} 次，共 {money(ev.history_total_year_fen, '0.00 元')}"))
        self.figures.setText("<table cellspacing='0' cellpadding='2'>" + "".join(
            f"<tr><td style='color:{MUTED_COLOR}'>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table>")
        self.findings.setText(findings_html(ev.findings, none_text="符合政策标准"))
        self.use_suggested.setEnabled(ev.suggested_amount_fen > 0)

    def _fill_suggested(self) -> None:
        if self.evaluation and self.evaluation.suggested_amount_fen:
            self.amount.setText(labels.yuan_input(self.evaluation.suggested_amount_fen))
            self.evaluate_now()

    # ------------------------------------------------------------------ buttons and state
    def needs_justification(self) -> bool:
        return bool(self.evaluation and self.evaluation.needs_justification)

    def submit_blocker(self) -> str:
        """Why 提交审核 is disabled ("" when it is not)."""
        if not self.session.can("relief.create"):
            return "当前用户没有录入救助申请的权限"
        missing = self._who_missing()
        if missing:
            return missing
        if self.evaluation is None:
            return "政策核查未完成"
        if self.evaluation.blocking:
            return "有不符合政策的情况（红色），不能提交"
        if self.needs_justification() and not self.justification.toPlainText().strip():
            return "有须说明的情况（橙色），请填写书面说明后提交"
        return ""

    def _update_buttons(self) -> None:
        can = self.session.can("relief.create")
        blocker = self.submit_blocker()
        self.submit_button.setEnabled(not blocker)
        self.submit_button.setToolTip(blocker)
        self.save_button.setEnabled(can)
        self.save_action.setEnabled(can)
        need = self.needs_justification()
        empty = not self.justification.toPlainText().strip()
        if need:
            color = ERROR_COLOR if empty else WARNING_COLOR
            self.justification_label.setText(f"<b style='color:{color}'>书面说明 *（必填）</b>")
        else:
            self.justification_label.setText("书面说明（有须说明的情况时填写）")
        if self.evaluation is None:
            self.verdict.setText("")
        elif blocker:
            color = ERROR_COLOR if self.evaluation.blocking else WARNING_COLOR
            self.verdict.setText(f"<b style='color:{color}'>{html.escape(blocker)}</b>")
        else:
            note = "（已填写书面说明）" if need else ""
            self.verdict.setText(f"<b style='color:{OK_COLOR}'>可以提交审核{note}</b>")

    def _update_state(self) -> None:
        changed = self._baseline is not None and self.current_input() != self._baseline
        self.state_label.setText("有未保存的修改" if changed else ("已保存" if self.view else ""))

    def has_changes(self) -> bool:
        return self._baseline is not None and self.current_input() != self._baseline

    # ------------------------------------------------------------------ commands
    def _store(self) -> RequestView | None:
        """Create or update the stored request from the form; None (problems shown) on failure."""
        data = self.current_input()
        amount_problem = self._amount(self.amount, required=True)[1]
        if amount_problem:
            self.amount.setFocus()
            messages.warn(self, "金额有误", f"申请金额：{amount_problem}")
            return None
        try:
            if self.view is None:
                view = relief.create_request(self.ctx, data)
            else:
                view = relief.update_request(self.ctx, self.view.id, data)
        except ValidationFailed as exc:
            self._show_problems(exc)
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法保存申请")
            return None
        self.errors.show([])
        self.view = view
        self._baseline = data
        self._show_header()
        self._update_state()
        request_events(self.session).changed.emit(view.id)
        self.saved.emit(view.id)
        return view

    def _show_problems(self, exc: ValidationFailed) -> None:
        unknown = self.errors.show(list(exc.problems))
        widget = self.errors.first_invalid()
        if widget is not None:
            self.scroll.ensureWidgetVisible(widget)
            widget.setFocus()
        if unknown:
            messages.warn(self, "请修改以下内容", "请修改以下内容后重试：",
                          "\n".join(f"• {p.label}：{p.message}" for p in unknown))

    def save_draft(self) -> RequestView | None:
        view = self._store()
        if view is not None:
            self.state_label.setText(f"草稿已保存（{labels.moment(view.created_at)} 录入）")
            self.evaluate_now()
        return view

    def submit(self) -> RequestView | None:
        self.evaluate_now()
        if self.submit_blocker():
            messages.warn(self, "不能提交", self.submit_blocker())
            return None
        view = self._store()
        if view is None:
            return None
        try:
            view = relief.submit_request(self.ctx, view.id)
        except ValidationFailed as exc:
            self._show_problems(exc)
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法提交")
            return None
        self.view = view
        request_events(self.session).changed.emit(view.id)
        self.saved.emit(view.id)
        level = view.pending.level_name if view.pending else ""
        due = f"，应于 {view.pending.due_date.isoformat()} 前审核" if view.pending else ""
        warning = view.pending.due_warning if view.pending and view.pending.due_warning else ""
        messages.info(self.parentWidget(), "已提交审核",
                      f"申请 {view.number}（{view.name}）已提交，等待{level}审核{due}。", warning)
        self._baseline = None
        self.accept()
        return view

    def reject(self) -> None:
        if self.has_changes() and not messages.ask(
                self, "关闭申请", "有未保存的修改，关闭后将丢失。确定关闭？", yes="关闭不保存", no="继续编辑"):
            return
        self._baseline = None
        super().reject()


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
