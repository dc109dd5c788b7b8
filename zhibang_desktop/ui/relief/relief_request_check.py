"""The live policy-check panel: the rule engine's verdict on the form as it is typed
(``relief.evaluate_draft``), the written justification it may require, and whether
提交审核 is allowed.

A mixin of ``ReliefRequestDialog``: it reads and sets the dialog's shared state
(``ctx``, ``session``, ``options``, ``evaluation``, the evaluation timer and buttons).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout

from ...services import relief
from ...services.errors import ServiceError
from ...services.relief.types import EvaluationView
from ..common import labels
from ..common.field_errors import with_error
from .relief_common import ERROR_COLOR, MUTED_COLOR, OK_COLOR, WARNING_COLOR, findings_html, money

PANEL_WIDTH = 360


class PolicyCheckMixin:

    def _build_panel(self) -> None:
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText("有“须说明”（橙色）的情况时必须填写：为什么仍应给予救助（将打印在审批表上）")
        self.justification.setFixedHeight(84)
        self.justification.setTabChangesFocus(True)
        self.justification_label = QLabel("书面说明")
        self.justification_label.setTextFormat(Qt.RichText)
        self.justification_error = self.errors.add("justification", self.justification)
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

    # ------------------------------------------------------------------ may it be submitted
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
