"""The review dialog: one level's decision on a request.

Shows the request, the rule findings with the clerk's written justification and the
earlier levels' opinions; the reviewer chooses 同意 / 不同意 / 退回修改 and writes an
opinion (always required: it is printed on the 审批表).  On 同意 the amount may be
lowered, never raised; below the standard's minimum the service asks for a written
reason.  The time of the decision is taken by the service, never typed.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...services import relief
from ...services.relief import review
from ...services.errors import ServiceError, ValidationFailed
from ...services.relief.types import DECISION_LABELS, RequestView
from ..common import labels, messages
from ..common.field_errors import EDITOR_STYLE, FieldErrors, with_error
from .relief_common import (
    ERROR_COLOR,
    MUTED_COLOR,
    WARNING_COLOR,
    findings_html,
    money,
    request_changed,
)
from .request_summary import summary_html
from ..common.session import UiSession

OPINION_HINTS = {"approve": "例如：经核实情况属实，同意救助 500 元。",
                 "reject": "请写明不同意的理由，例如：家庭人均收入高于低保标准，不符合申请条件。",
                 "return": "请写明需要补充或修改的内容，例如：请补充医院诊断证明。"}


def current_amount_fen(v: RequestView) -> int:
    """The amount now on the table: the last level's approved amount since the last submission."""
    amount = v.requested_amount_fen
    for r in v.reviews:
        if r.amount_fen is not None and (v.submitted_at is None or r.decided_at >= v.submitted_at):
            amount = r.amount_fen
    return amount


def opinions_html(v: RequestView) -> str:
    if not v.reviews:
        return f"<span style='color:{MUTED_COLOR}'>（尚无审核意见：本级为第一级）</span>"
    rows = []
    for r in v.reviews:
        color = ERROR_COLOR if r.decision == "reject" else (WARNING_COLOR if r.decision == "return" else "#000")
        late = f"　<span style='color:{ERROR_COLOR}'>超期（应于 {labels.day(r.due_date)} 前）</span>" if r.overdue else ""
        amount = f"　核定 {money(r.amount_fen)}" if r.amount_fen is not None else ""
        rows.append(f"<p style='margin:0 0 5px 0'><b>{html.escape(r.level_name)}</b>　{html.escape(r.reviewer_name)}"
                    f"　{labels.moment(r.decided_at)}　<b style='color:{color}'>{html.escape(r.decision_label)}</b>"
                    f"{amount}{late}<br>意见：{html.escape(r.opinion)}"
                    + (f"<br>核减说明：{html.escape(r.justification)}" if r.justification else "") + "</p>")
    return "".join(rows)


class ReviewDialog(QDialog):
    decided = Signal(int)  # request id

    def __init__(self, session: UiSession, view: RequestView | None = None, request_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlags(self.windowFlags() | Qt.WindowMinMaxButtonsHint)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setStyleSheet(EDITOR_STYLE)
        self.session = session
        if view is None:
            view = relief.get_request(session.ctx, request_id)
        self.view = view
        self.result_view: RequestView | None = None
        self.errors = FieldErrors()

        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.header.setWordWrap(True)
        self.summary = QLabel(summary_html(view, compact=True))
        self.summary.setTextFormat(Qt.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.findings = QLabel(findings_html(view.findings, none_text="提交时未发现不符合政策标准的情况"))
        self.findings.setTextFormat(Qt.RichText)
        self.findings.setWordWrap(True)
        self.opinions = QLabel(opinions_html(view))
        self.opinions.setTextFormat(Qt.RichText)
        self.opinions.setWordWrap(True)

        info = QWidget()
        il = QVBoxLayout(info)
        il.setContentsMargins(0, 0, 6, 0)
        for title, widget in (("申请情况", self.summary), ("政策核查", self.findings), ("前几级审核意见", self.opinions)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            il.addWidget(box)
        il.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(info)

        # -- the decision --
        self.approve = QRadioButton(DECISION_LABELS["approve"])
        self.reject_radio = QRadioButton(DECISION_LABELS["reject"])
        self.return_radio = QRadioButton(DECISION_LABELS["return"])
        self.decision_group = QButtonGroup(self)
        for code, radio in (("approve", self.approve), ("reject", self.reject_radio), ("return", self.return_radio)):
            radio.setProperty("decision", code)
            self.decision_group.addButton(radio)
        self.approve.setChecked(True)
        radios = QHBoxLayout()
        for radio in (self.approve, self.reject_radio, self.return_radio):
            radios.addWidget(radio)
        radios.addStretch(1)
        self.opinion = QPlainTextEdit()
        self.opinion.setTabChangesFocus(True)
        self.opinion.setMinimumHeight(90)
        self.current_fen = current_amount_fen(view)
        self.amount = QLineEdit(labels.yuan_input(self.current_fen))
        self.amount.setMaximumWidth(140)
        self.amount_note = QLabel(f"本级可核减，不能高于 {money(self.current_fen)}；标准 {view.standard_text or '—'}")
        self.amount_note.setStyleSheet(f"color: {MUTED_COLOR};")
        self.amount_note.setWordWrap(True)
        self.cut_reason = QLineEdit()
        self.cut_reason.setPlaceholderText("核减到标准下限以下时必填")
        self.self_note = QLabel()
        self.self_note.setWordWrap(True)
        self.self_note.setStyleSheet(f"color: {WARNING_COLOR};")
        if view.creator_id is not None and view.creator_id == session.actor.user_id:
            self.self_note.setText("本申请由您本人录入：只有政策允许一人办公室自审时才能由本人审批，审批将在审计日志中标记。")
        self.self_note.setVisible(bool(self.self_note.text()))

        decision_box = QGroupBox("本级审核")
        form = QFormLayout(decision_box)
        self.level_label = QLabel()
        self.level_label.setTextFormat(Qt.RichText)
        self.level_label.setWordWrap(True)
        form.addRow(self.level_label)
        form.addRow("审核结论", with_error(_wrap(radios), self.errors.add("decision", self.approve)))
        form.addRow("审核意见 *", with_error(self.opinion, self.errors.add("opinion", self.opinion)))
        amount_cell = with_error(self.amount, self.errors.add("amount_fen", self.amount))
        amount_cell.layout().addWidget(self.amount_note)
        self.amount_label = QLabel("核定金额(元)")
        form.addRow(self.amount_label, amount_cell)
        self.cut_label = QLabel("核减说明")
        form.addRow(self.cut_label, with_error(self.cut_reason, self.errors.add("justification", self.cut_reason)))
        form.addRow(self.self_note)

        self.ok_button = QPushButton("提交审核意见")
        self.ok_button.setDefault(False)
        self.ok_button.setAutoDefault(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        note = QLabel("审核时间由系统自动记录。")
        note.setStyleSheet(f"color: {MUTED_COLOR};")
        buttons.addWidget(note, 1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)

        right = QVBoxLayout()
        right.addWidget(decision_box)
        right.addStretch(1)
        right_box = QWidget()
        right_box.setLayout(right)
        right_box.setFixedWidth(440)
        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addWidget(right_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

        self.decision_group.buttonToggled.connect(lambda *_: self._decision_changed())
        self.amount.textEdited.connect(lambda _: self._amount_edited())
        self.ok_button.clicked.connect(self.decide)
        self.cancel_button.clicked.connect(self.reject)
        self._show_header()
        self._decision_changed()
        self.opinion.setFocus()
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1080, 660
        if screen is not None:
            width, height = min(width, screen.width() - 20), min(height, screen.height() - 40)
        self.resize(width, height)

    def _show_header(self) -> None:
        v = self.view
        self.setWindowTitle(f"审核救助申请 {v.number} — {v.name}")
        self.header.setText(f"<span style='font-size:12pt'><b>审核 {html.escape(v.number)}</b></span>　"
                            f"{html.escape(v.name)}　{html.escape(v.relief_type_name)}　申请 {money(v.requested_amount_fen)}")
        p = v.pending
        if p is None:
            self.level_label.setText(f"<span style='color:{ERROR_COLOR}'>该申请当前不在审核中（{v.status_label}）。</span>")
            self.ok_button.setEnabled(False)
            return
        late = f"　<b style='color:{ERROR_COLOR}'>已超期</b>" if p.overdue else ""
        text = (f"第 {p.level_index + 1} 级：<b>{html.escape(p.level_name)}</b><br>"
                f"{labels.moment(p.received_at)} 收到，应于 <b>{labels.day(p.due_date)}</b> 前完成{late}")
        if p.due_warning:
            text += f"<br><span style='color:{WARNING_COLOR}'>⚠ {html.escape(p.due_warning)}</span>"
        self.level_label.setText(text)
        self.ok_button.setEnabled(v.can_review)
        if not v.can_review:
            self.ok_button.setToolTip("您没有该级对此工会的审核权限")

    def decision(self) -> str:
        button = self.decision_group.checkedButton()
        return button.property("decision") if button else "approve"

    def _decision_changed(self) -> None:
        approve = self.decision() == "approve"
        for w in (self.amount, self.amount_label, self.amount_note):
            w.setEnabled(approve)
        self.opinion.setPlaceholderText(OPINION_HINTS[self.decision()])
        self._amount_edited()

    def _amount_fen(self) -> tuple[int | None, str]:
        text = self.amount.text().strip().replace(",", "").removesuffix("元")
        if not text:
            return None, "请填写核定金额"
        try:
            fen = labels.parse_yuan(text)
        except labels.AmountError as exc:
            return None, str(exc)
        if fen > self.current_fen:
            return fen, f"不能高于 {money(self.current_fen)}（审核只能核减金额）"
        if fen <= 0:
            return fen, "应大于零；不同意救助请选择“不同意”"
        return fen, ""

    def _amount_edited(self) -> None:
        fen, _ = self._amount_fen()
        lowered = self.decision() == "approve" and fen is not None and fen < self.current_fen
        self.cut_label.setVisible(lowered)
        self.cut_reason.setVisible(lowered)
        self.errors.show([])

    def decide(self) -> RequestView | None:
        from ...services.errors import FieldProblem

        decision = self.decision()
        problems = []
        if not self.opinion.toPlainText().strip():
            problems.append(FieldProblem("opinion", "审核意见", "不能为空（将打印在审批表上）"))
        amount = None
        if decision == "approve":
            fen, problem = self._amount_fen()
            if problem:
                problems.append(FieldProblem("amount_fen", "核定金额", problem))
            amount = fen if fen is not None and fen != self.current_fen else None
        if problems:
            self.errors.show(problems)
            self.errors.first_invalid().setFocus()
            return None
        try:
            request_id, opinion = self.view.id, self.opinion.toPlainText().strip()
            justification = self.cut_reason.text().strip() if amount is not None else ""
            view = self.session.executor.call(
                lambda: review.decide(self.session.ctx, request_id, decision, opinion, amount_fen=amount,
                                      justification=justification),
                changes=request_changed)
        except ValidationFailed as exc:
            unknown = self.errors.show(list(exc.problems))
            if unknown:
                messages.warn(self, "无法提交审核意见", "请修改以下内容后重试：",
                              "\n".join(f"• {p.label}：{p.message}" for p in unknown))
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法提交审核意见")
            return None
        self.result_view = view
        self.decided.emit(view.id)
        nxt = f"，已转{view.pending.level_name}审核" if view.pending else ""
        messages.info(self.parentWidget(), "审核意见已记录",
                      f"{view.number}（{view.name}）：{DECISION_LABELS[decision]}{nxt}。当前状态：{view.status_label}。")
        self.accept()
        return view


def _wrap(layout) -> QWidget:
    box = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    box.setLayout(layout)
    return box
