"""The new-request dialog (and the editor of a draft or returned request).

The clerk chooses the household by search (name, pinyin, initials, ID number or archive
number) or, where the relief type allows it, types a worker not in the archive; then
the relief type, sub-case, period, conditions, amounts and reason.  As they type, the
panel on the right shows the rule engine's verdict (``relief.evaluate_draft``,
debounced): errors in red (cannot be submitted), warnings in orange (need a written
justification), the suggested amount, the standard and what remains of the year's
allowance.  提交审核 stays disabled while there is an error or a warning without a
justification.

The dialog coordinates its parts, widgets that talk to it by signals and never touch each
other: the household chooser (`who`: `edited`, `householdShown`, `picked`), the form (`form`:
`edited`, `reasonEdited`, `workerAllowed`, `policyProblem`, `suggestionWanted`) and the
policy-check panel (`check`: `justificationEdited`; it shows what the dialog tells it).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ...domain import clock
from ...services import relief
from ...services.errors import FieldProblem, ServiceError, ValidationFailed
from ...services.relief.types import EvaluationView, RequestInput, RequestView
from ..common import labels, messages
from ..common.field_errors import EDITOR_STYLE, FieldErrors
from .relief_common import MUTED_COLOR, WARNING_COLOR, request_changed
from .relief_request_check import PolicyCheckPanel
from .relief_request_chooser import HouseholdChooser
from .relief_request_form import RequestForm
from .request_permission import NO_PERMISSION
from ..common.session import UiSession

REASON_MISSING = "请填写申请事由（将打印在审批表上）后提交"
EVALUATE_DELAY_MS = 350


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
        self.evaluation: EvaluationView | None = None
        self._loading = False
        self._baseline: RequestInput | None = None
        self.errors = FieldErrors()

        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.header.setWordWrap(True)
        self.who = HouseholdChooser(self.ctx, self.errors)
        self.form = RequestForm(self.ctx, self.errors)
        self.check = PolicyCheckPanel(self.errors)

        form = QWidget()
        left = QVBoxLayout(form)
        left.setContentsMargins(0, 0, 6, 0)
        for part in (self.who, self.form):
            left.addWidget(part)
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
        body.addWidget(self.check)
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
        self._connect_edits()

        self.load(view)
        self._fit_screen()

    # ------------------------------------------------------------------ building
    def _fit_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1140, 700
        if screen is not None:
            width, height = min(width, screen.width() - 20), min(height, screen.height() - 40)
        self.resize(width, height)

    def _connect_edits(self) -> None:
        self.who.edited.connect(self.edited)
        self.who.householdShown.connect(self._household_shown)
        self.who.picked.connect(self.form.focus_type)
        self.form.edited.connect(self.edited)
        self.form.reasonEdited.connect(self._texts_edited)
        self.form.workerAllowed.connect(self.who.allow_worker)
        self.form.policyProblem.connect(self.check.show_policy_problem)
        self.form.suggestionWanted.connect(self._fill_suggested)
        self.check.justificationEdited.connect(self._texts_edited)

    # ------------------------------------------------------------------ loading
    @property
    def request_id(self) -> int | None:
        return self.view.id if self.view else None

    def load(self, view: RequestView | None) -> None:
        """Show a stored request (or an empty new one) and make it the unchanged state."""
        self._loading = True
        try:
            self.view = view
            self.form.load_year(view.year if view else clock.today().year)
            if view is None:
                self.form.show_new()
                self._show_header()
                self._loading = False
                self._baseline = self.current_input()
                self.evaluate_now()
                self.who.focus_search()
                return
            if view.household_id is not None:
                self.who.show_household(view.household_id, person=view.person_id_number)
            else:
                self.who.show_worker(view.name, view.id_number, view.unit_id)
            self.form.show_request(view)
            self.check.set_justification(view.justification)
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

    # ------------------------------------------------------------------ the policy check
    def check_pending(self) -> bool:
        """True while the policy check waits for the clerk to stop typing."""
        return self._eval_timer.isActive()

    def evaluate_now(self) -> EvaluationView | None:
        """Ask the rule engine about the form as it is (nothing is stored)."""
        self._eval_timer.stop()
        self.form.amount_problem()
        missing = self.who.who_missing()
        if not self.form.has_policy():
            self.evaluation = None
            self.check.show_no_policy(self.form.year_value())
        elif missing and self.who.is_archived():
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

    def _show_waiting(self, text: str) -> None:
        self.check.show_waiting(self.form.policy_name(), self.form.standard_text(), text)

    def _show_evaluation(self, ev: EvaluationView) -> None:
        self.check.show_evaluation(ev)
        self.form.set_suggestion_available(ev.suggested_amount_fen > 0)

    def _fill_suggested(self) -> None:
        if self.evaluation and self.evaluation.suggested_amount_fen:
            self.form.set_amount(self.evaluation.suggested_amount_fen)
            self.evaluate_now()

    # ------------------------------------------------------------------ may it be submitted
    def needs_justification(self) -> bool:
        return bool(self.evaluation and self.evaluation.needs_justification)

    def submit_blocker(self) -> str:
        """Why 提交审核 is disabled ("" when it is not)."""
        if not self.session.can("relief.create"):
            return NO_PERMISSION
        missing = self.who.who_missing()
        if missing:
            return missing
        if self.evaluation is None:
            return "政策核查未完成"
        if self.evaluation.blocking:
            return "有不符合政策的情况（红色），不能提交"
        if self.needs_justification() and not self.check.justification_text():
            return "有须说明的情况（橙色），请填写书面说明后提交"
        if not self.form.reason_text():
            return REASON_MISSING
        return ""

    def _update_buttons(self) -> None:
        can = self.session.can("relief.create")
        blocker = self.submit_blocker()
        self.submit_button.setEnabled(not blocker)
        self.submit_button.setToolTip(blocker)
        self.save_button.setEnabled(can)
        self.save_action.setEnabled(can)
        self.check.show_verdict(self.evaluation, blocker)

    # ------------------------------------------------------------------ edits and state
    def current_input(self) -> RequestInput:
        """The request as the parts show it (nothing is stored)."""
        worker_name, worker_id_number, unit_id = self.who.worker()
        return RequestInput(
            **self.form.fields(), household_id=self.who.household_id(), worker_name=worker_name,
            worker_id_number=worker_id_number, unit_id=unit_id, person_id_number=self.who.person_id_number(),
            justification=self.check.justification_text(),
        )

    def _household_shown(self, household) -> None:
        """A household was shown: the form counts its schoolchildren (unless the clerk entered some)."""
        self.form.count_students(household)

    def edited(self) -> None:
        if self._loading:
            return
        self._eval_timer.start()
        self._update_state()

    def _texts_edited(self) -> None:
        if not self._loading:
            self._update_buttons()
            self._update_state()

    def _update_state(self) -> None:
        changed = self._baseline is not None and self.current_input() != self._baseline
        self.state_label.setText("有未保存的修改" if changed else ("已保存" if self.view else ""))

    def has_changes(self) -> bool:
        return self._baseline is not None and self.current_input() != self._baseline

    # ------------------------------------------------------------------ commands
    def _store(self) -> RequestView | None:
        """Create or update the stored request from the form; None (problems shown) on failure."""
        data = self.current_input()
        amount_problem = self.form.amount_problem()
        if amount_problem:
            self.form.focus_amount()
            messages.warn(self, "金额有误", f"申请金额：{amount_problem}")
            return None
        try:
            if self.view is None:
                view = self.session.executor.call(lambda: relief.create_request(self.ctx, data),
                                                  changes=request_changed)
            else:
                request_id = self.view.id
                view = self.session.executor.call(lambda: relief.update_request(self.ctx, request_id, data),
                                                  changes=request_changed)
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
        blocker = self.submit_blocker()
        if blocker:  # refused before anything is stored: no draft is saved behind the refusal
            if blocker == REASON_MISSING:
                self.errors.show([FieldProblem("reason", "申请事由", "不能为空（将打印在审批表上）")])
                self.form.focus_reason()
            messages.warn(self, "不能提交", blocker)
            return None
        view = self._store()
        if view is None:
            return None
        try:
            stored = view
            view = self.session.executor.call(lambda: relief.submit_request(self.ctx, stored.id),
                                              changes=request_changed)
        except ValidationFailed as exc:
            self._show_problems(exc)
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法提交")
            return None
        self.view = view
        self.saved.emit(view.id)
        level = view.pending.level_name if view.pending else ""
        due = f"，应于 {view.pending.due_date.isoformat()} 前审核" if view.pending else ""
        warning = view.pending.due_warning if view.pending and view.pending.due_warning else ""
        # what shows behind the confirmation is the submitted request, not the draft it was
        self._show_header()
        self.state_label.setText(f"已提交，等待{level}审核")
        self.check.show_submitted(f"已提交审核，等待{level}审核")
        for button in (self.save_button, self.submit_button):
            button.setEnabled(False)
        self.save_action.setEnabled(False)
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
