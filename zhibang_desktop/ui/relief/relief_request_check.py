"""The live policy check: the rule engine's verdict on the form as it is typed
(``relief.evaluate_draft``), the written justification it may require, and whether
提交审核 is allowed.

`PolicyCheckPanel` shows what the dialog tells it and owns the justification (signal
`justificationEdited`); the dialog asks the rule engine and decides what may be submitted.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from ...services.relief.types import EvaluationView
from ..common.field_errors import FieldErrors, with_error
from .relief_common import ERROR_COLOR, MUTED_COLOR, OK_COLOR, WARNING_COLOR, findings_html, money

PANEL_WIDTH = 360


class PolicyCheckPanel(QFrame):
    """The right-hand panel of the request dialog: it shows what it is told and owns the
    written justification. Signal: `justificationEdited()`."""

    justificationEdited = Signal()

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None):
        super().__init__(parent)
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText("有“须说明”（橙色）的情况时必须填写：为什么仍应给予救助（将打印在审批表上）")
        self.justification.setFixedHeight(84)
        self.justification.setTabChangesFocus(True)
        self.justification.textChanged.connect(self.justificationEdited)
        self.justification_label = QLabel("书面说明")
        self.justification_label.setTextFormat(Qt.RichText)
        justification_error = errors.add("justification", self.justification)
        self.setObjectName("evaluation_panel")
        self.setFixedWidth(PANEL_WIDTH)
        self.setStyleSheet("#evaluation_panel { background: #f7f7f4; border: 1px solid #d6d6d0;"
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
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.figures)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setStyleSheet("color: #d6d6d0;")
        layout.addWidget(line)
        layout.addWidget(findings_scroll, 1)
        layout.addWidget(self.justification_label)
        layout.addWidget(with_error(self.justification, justification_error))
        layout.addWidget(self.verdict)

    # -- what the dialog tells it --
    def justification_text(self) -> str:
        return self.justification.toPlainText().strip()

    def set_justification(self, text: str) -> None:
        self.justification.setPlainText(text)

    def show_policy_problem(self, text: str) -> None:
        """The year's policy cannot be used (the reason, until the next verdict)."""
        self.policy_label.setText(text)

    def show_no_policy(self, year: int) -> None:
        self.policy_label.setText("")
        self.figures.setText("")
        self.findings.setText(f"<p style='color:{ERROR_COLOR}'>✖ {year} 年没有生效的救助政策，不能录入申请。"
                              "请管理员在“救助政策”中选用预置政策或导入政策文件。</p>")
        self.verdict.setText("")

    def show_waiting(self, policy_name: str, standard_text: str, text: str) -> None:
        self.policy_label.setText(policy_name)
        self.figures.setText(f"标准：<b>{html.escape(standard_text)}</b>" if standard_text else "")
        self.findings.setText(f"<p style='color:{MUTED_COLOR}'>{html.escape(text)}</p>")
        self.verdict.setText("")

    def show_evaluation(self, ev: EvaluationView) -> None:
        self.policy_label.setText(ev.policy_name)
        rows = [("标准", html.escape(ev.standard_text or "—")),
                ("建议金额", f"<b style='font-size:13pt'>{money(ev.suggested_amount_fen)}</b>")]
        if ev.max_allowed_fen is not None and ev.max_allowed_fen != ev.remaining_year_allowance_fen:
            # the cap nothing may pass (above the standard already needs a written reason): not
            # an amount to approve, and not repeated when it is the year's remaining allowance
            rows.append(("硬性上限", money(ev.max_allowed_fen)))
        rows.append(("本年剩余额度", "不设年度上限" if ev.remaining_year_allowance_fen is None
                     else f"<b>{money(ev.remaining_year_allowance_fen)}</b>"))
        rows.append(("本年已获救助", f"{ev.history_count_year} 次，共 {money(ev.history_total_year_fen, '0.00 元')}"))
        self.figures.setText("<table cellspacing='0' cellpadding='2'>" + "".join(
            f"<tr><td style='color:{MUTED_COLOR}'>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table>")
        self.findings.setText(findings_html(ev.findings, none_text="符合政策标准"))

    def show_verdict(self, evaluation: EvaluationView | None, blocker: str) -> None:
        """The justification's label (required or not) and the line under it."""
        need = bool(evaluation and evaluation.needs_justification)
        if need:
            color = ERROR_COLOR if not self.justification_text() else WARNING_COLOR
            self.justification_label.setText(f"<b style='color:{color}'>书面说明 *（必填）</b>")
        else:
            self.justification_label.setText("书面说明（有须说明的情况时填写）")
        if evaluation is None:
            self.verdict.setText("")
        elif blocker:
            color = ERROR_COLOR if evaluation.blocking else WARNING_COLOR
            self.verdict.setText(f"<b style='color:{color}'>{html.escape(blocker)}</b>")
        else:
            note = "（已填写书面说明）" if need else ""
            self.verdict.setText(f"<b style='color:{OK_COLOR}'>可以提交审核{note}</b>")

    def show_submitted(self, text: str) -> None:
        """The request has gone to review: the line says so instead of 可以提交审核."""
        self.verdict.setText(f"<b style='color:{OK_COLOR}'>{html.escape(text)}</b>")
