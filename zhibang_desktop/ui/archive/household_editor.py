"""The household editor: 基本信息, 家庭成员, 走访核查, 附件, 变更记录, and the lifecycle steps.

Validation runs as the clerk types (debounced) and marks each field with its Chinese
message; a field is marked once it has been touched (all fields after a save attempt,
or at once for a stored household).
"""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import clock
from ...services import archive
from ...services.archive.types import HouseholdInput, HouseholdView
from ...services.errors import Conflict, FieldProblem, ServiceError, ValidationFailed
from ...services.admin.settings import get_settings, list_year_standards
from ..common import labels, messages
from .editor.attachments_tab import AttachmentsTab
from .editor.basic_tab import BasicTab
from .editor.changes_tab import ChangesTab
from .editor.crosscheck_tab import CrossCheckTab
from .editor.form_tab import FormTab
from ..common.field_errors import EDITOR_STYLE, EnterMovesFocus
from .editor.lifecycle import STEPS, StepDialog, run_step
from .editor.members_tab import MembersTab
from .editor.visits_tab import VisitsTab
from ..common.executor import ChangeSummary
from ..common.session import UiSession
from ..relief.request_from_household import TITLE as NEW_REQUEST, request_blocker

HOUSEHOLDS = ChangeSummary(households=True)

VALIDATE_DELAY_MS = 400
MEMBER_FIELD = re.compile(r"members\[\d+\]")
TAB_TITLES = ("基本信息", "档案表信息", "家庭成员", "走访核查", "附件", "变更记录")


def _root(field: str) -> str:
    return "members" if MEMBER_FIELD.match(field) else field


class HouseholdEditor(QDialog):
    saved = Signal(int)  # household id, after any stored change
    newRequested = Signal()  # Ctrl+N in the editor: the opener shows another new household

    def __init__(self, session: UiSession, household_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlags(self.windowFlags() | Qt.WindowMinMaxButtonsHint)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setStyleSheet(EDITOR_STYLE)
        self.session = session
        self.ctx = session.ctx
        self.view: HouseholdView | None = None
        self.touched: set[str] = set()
        self.show_all = False
        self._baseline: HouseholdInput | None = None
        self._standard = self._current_standard()

        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b26a00;")
        self.tabs = QTabWidget()
        self.basic = BasicTab(self.ctx, get_settings(self.ctx).hardship_causes)
        self.form = FormTab()
        self.members = MembersTab()
        self.visits = VisitsTab(session)
        self.attachments = AttachmentsTab(session)
        self.changes = ChangesTab(session)
        for tab, title in zip((self.basic, self.form, self.members, self.visits, self.attachments, self.changes),
                              TAB_TITLES):
            self.tabs.addTab(tab, title)
        self.crosscheck = CrossCheckTab(session)
        self.tabs.addTab(self.crosscheck, "数据比对")

        self.step_buttons: dict[str, QPushButton] = {}
        bottom = QHBoxLayout()
        for step in STEPS:
            button = QPushButton(step.button)
            button.clicked.connect(lambda _=False, s=step: self.run_step(s))
            self.step_buttons[step.key] = button
            bottom.addWidget(button)
        # a relief request for this household, chosen already (the request dialog opens)
        self.request_button = QPushButton(NEW_REQUEST)
        bottom.addWidget(self.request_button)
        bottom.addStretch(1)
        self.state = QLabel()
        bottom.addWidget(self.state)
        self.save_button = QPushButton("保存（Ctrl+S）")
        self.close_button = QPushButton("关闭")
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        for button in [*self.step_buttons.values(), self.request_button, self.save_button, self.close_button]:
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.warnings)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.save_action = QAction("保存", self, shortcut=QKeySequence.Save)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        # the editor is a window of its own: Ctrl+N here opens another new household, as in
        # the main window (the parent of the new editor is the main window, not this one)
        self.new_action = QAction("新建档案", self, shortcut=QKeySequence.New,
                                  enabled=self.session.can("archive.edit"))
        self.new_action.triggered.connect(self.newRequested)
        self.addAction(self.new_action)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.request_button.clicked.connect(self.new_request)
        self._timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate_now)
        self.basic.edited.connect(self._edited)
        self.form.edited.connect(self._edited)
        self.members.edited.connect(lambda: self._edited("members"))
        self.visits.changed.connect(self._stored_elsewhere)
        self.attachments.changed.connect(self._reload_attachments)
        self._enter = EnterMovesFocus(self)
        self._enter.install(self.basic)
        self._enter.install(self.form)
        self._enter.install(self.visits)

        if household_id is None:
            self._load(None)
        else:
            self._load(archive.get_household(self.ctx, household_id))
        self._fit_screen()

    # -- loading --
    @property
    def household_id(self) -> int | None:
        return self.view.id if self.view else None

    def _current_standard(self):
        year = clock.today().year
        return next((s for s in list_year_standards(self.ctx) if s.year == year), None)

    def _fit_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1180, 700
        if screen is not None:
            width, height = min(width, screen.width() - 20), min(height, screen.height() - 40)
        self.resize(width, height)

    def _load(self, view: HouseholdView | None, focus_first: bool = True) -> None:
        """Show a stored household (or an empty new one) and make it the unchanged state."""
        self.view = view
        self.basic.load(view.data if view else None)
        self.form.load(view.data if view else None)
        self.members.load(list(view.data.members) if view else [])
        self._baseline = self.current_input()[0]
        self.touched.clear()
        self.show_all = view is not None
        self._show_stored(view)
        self._live()
        self._show_problems([])
        if view is not None:
            self.validate_now()
        if focus_first:
            self.basic.name.setFocus()

    def _show_stored(self, view: HouseholdView | None) -> None:
        """What depends on the stored household only (not on the form)."""
        self.view = view
        stored = view is not None
        for tab in (self.visits, self.attachments, self.changes):
            self.tabs.setTabEnabled(self.tabs.indexOf(tab), stored)
        self.visits.load(view)
        self.attachments.load(view)
        self.changes.load(view.id if view else None)
        self.crosscheck.load(view.id if view else None)
        if not stored:
            self.setWindowTitle("新建档案")
            self.header.setText("<b>新建档案</b>　保存后生成档案号（草稿），录入走访记录后即可建档。")
            self.warnings.hide()
        else:
            self.setWindowTitle(f"档案 {view.archive_no} — {view.data.name}")
            self.header.setText(self._header_html(view))
            self.warnings.setText("　".join(f"⚠ {w}" for w in view.warnings))
            self.warnings.setVisible(bool(view.warnings))
        can_edit = self.session.can("archive.edit")
        status = view.status if view else None
        for step in STEPS:
            self.step_buttons[step.key].setVisible(stored and status in step.allowed_from)
            self.step_buttons[step.key].setEnabled(can_edit)
        blocker = request_blocker(self.session, status)
        self.request_button.setEnabled(not blocker)
        self.request_button.setToolTip(blocker or "为本户新建救助申请（已选好本户，填写救助事项即可）")
        self.save_button.setEnabled(can_edit)
        self.save_action.setEnabled(can_edit)
        self.basic.widget().setEnabled(can_edit)
        self.form.widget().setEnabled(can_edit)
        self.members.setEnabled(can_edit)

    @staticmethod
    def _header_html(v: HouseholdView) -> str:
        parts = [f"档案号 <b>{v.archive_no}</b>", f"状态 <b>{labels.STATUSES.get(v.status, v.status)}</b>",
                 f"所属工会 {v.unit_name}"]
        if v.archived_on:
            parts.append(f"建档日期 {labels.day(v.archived_on)}")
        if v.phase_out_until:
            parts.append(f"渐退期至 <b>{labels.day(v.phase_out_until)}</b>")
        if v.exited_on:
            parts.append(f"退档日期 {labels.day(v.exited_on)}")
        if v.exit_reason:
            parts.append(f"退档原因 {v.exit_reason}")
        if v.next_visit_due:
            late = v.status in ("active", "phasing_out") and v.next_visit_due < clock.today()
            due = labels.day(v.next_visit_due)
            parts.append(f"下次走访 <span style='color:#c62828'><b>{due}（已逾期）</b></span>" if late
                         else f"下次走访 {due}")
        return "　|　".join(parts)

    def _stored_elsewhere(self, view: HouseholdView) -> None:
        """A visit or lifecycle step changed the stored household; keep the form as typed."""
        self._show_stored(view)
        self._announce(view.id)

    def _announce(self, household_id: int) -> None:
        self.saved.emit(household_id)
        self.session.announce(HOUSEHOLDS)

    def _reload_attachments(self) -> None:
        if self.household_id is not None:
            self._stored_elsewhere(archive.get_household(self.ctx, self.household_id))

    # -- the form --
    def current_input(self) -> tuple[HouseholdInput, list[FieldProblem]]:
        data, problems = self.basic.collect(None)
        data, form_problems = self.form.collect(data)
        members, member_problems = self.members.members()
        data.members = members
        return data, problems + form_problems + member_problems

    def is_dirty(self) -> bool:
        return self._baseline is not None and self.current_input()[0] != self._baseline

    def _edited(self, field: str) -> None:
        self.touched.add(field)
        self._live()
        self.state.setText("有未保存的修改" if self.is_dirty() else "")
        self._timer.start()

    def _live(self) -> None:
        data, _ = self.current_input()
        self.basic.show_id_facts(labels.id_facts(data.id_number))
        total = (data.head_income_fen or 0) + (data.other_income_fen or 0) + sum(
            m.monthly_income_fen or 0 for m in data.members)
        per_capita = labels.per_capita_income_fen(total, data.household_size)
        s = self._standard
        band = labels.income_band(per_capita, s.dibao_fen if s else None, s.low_income_fen if s else None)
        text = f"家庭月总收入 {labels.yuan(total)} 元（含家庭成员），人均 {labels.yuan(per_capita, '—')} 元。"
        if s is None:
            text += f"{clock.today().year} 年低保标准未设置，请在“单位与组织”中设置。"
        else:
            low = f"，低收入 {labels.yuan(s.low_income_fen)} 元" if s.low_income_fen else ""
            text += f"<b>{labels.INCOME_BAND_LABELS[band]}</b>（{s.year} 年低保 {labels.yuan(s.dibao_fen)} 元/人·月{low}）"
        self.basic.show_income(text, band in ("above", "unknown"))

    def validate_now(self) -> list[FieldProblem]:
        self._timer.stop()
        data, problems = self.current_input()
        try:
            problems = problems + archive.validate_household(self.ctx, data, self.household_id)
        except ServiceError:
            pass  # the save will say it
        self._show_problems(problems)
        return problems

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        visible = [p for p in problems if self.show_all or _root(p.field) in self.touched]
        rest = self.basic.errors.show(visible)
        in_basic = len(visible) - len(rest)
        in_form = len(rest)
        rest = self.form.errors.show(rest)
        in_form -= len(rest)
        member_problems = [p for p in rest if _root(p.field) == "members"]
        self.members.show_problems(member_problems)
        for tab, count in ((self.basic, in_basic), (self.form, in_form), (self.members, len(member_problems))):
            index = self.tabs.indexOf(tab)
            self.tabs.setTabText(index, TAB_TITLES[index] + (f"（{count}处待改）" if count else ""))

    # -- saving --
    def save(self) -> bool:
        if not self.session.can("archive.edit"):
            return False
        self._timer.stop()
        data, local = self.current_input()
        self.show_all = True
        try:
            if local:
                raise ValidationFailed(local)
            if self.view is None:
                view = self.session.executor.call(lambda: archive.create_household(self.ctx, data),
                                                  changes=HOUSEHOLDS)
            else:
                stored = self.view
                view = self.session.executor.call(
                    lambda: archive.update_household(self.ctx, stored.id, stored.version, data), changes=HOUSEHOLDS)
        except ValidationFailed as exc:
            self._show_problems(exc.problems)
            self._focus_first_problem(exc.problems)
            messages.warn(self, "未保存", "请修改标红的内容后再保存：", messages.problems_text(exc))
            return False
        except Conflict as exc:
            if messages.ask(self, "档案已被修改", f"{exc}。\n\n是否重新打开此档案？（本窗口未保存的修改将丢失）",
                            yes="重新打开", no="暂不"):
                self._load(archive.get_household(self.ctx, self.view.id))
            return False
        except ServiceError as exc:
            messages.show_service_error(self, exc, "未保存")
            return False
        self._load(view, focus_first=False)  # Ctrl+S leaves the cursor where it was
        self.state.setText(f"已保存（{clock.local_now():%H:%M:%S}）")
        self.saved.emit(view.id)
        return True

    def _focus_first_problem(self, problems: list[FieldProblem]) -> None:
        for p in problems:
            for tab in (self.basic, self.form):
                widget = tab.errors.widget(p.field)
                if widget is not None:
                    self.tabs.setCurrentWidget(tab)
                    tab.ensureWidgetVisible(widget)
                    widget.setFocus()
                    return
            if _root(p.field) == "members":
                self.tabs.setCurrentWidget(self.members)
                return

    # -- lifecycle --
    def run_step(self, step) -> None:
        if self.view is None or not self._saved_first(step.button):
            return
        if step.key == "archive" and self.view.archive_blockers:
            messages.warn(self, "还不能建档", "建档前还需要：",
                          "\n".join(f"• {b}" for b in self.view.archive_blockers))
            return
        dialog = StepDialog(step, self.view, self)
        if dialog.exec() != QDialog.Accepted:
            return
        on, reason = dialog.values()
        try:
            household_id = self.view.id
            view = self.session.executor.call(lambda: run_step(self.ctx, step, household_id, on, reason),
                                              changes=HOUSEHOLDS)
        except ServiceError as exc:
            messages.show_service_error(self, exc, f"无法{step.button}")
            return
        self._load(view)
        self.saved.emit(view.id)

    def _saved_first(self, title: str) -> bool:
        """True when the form holds no unsaved change, or the clerk has saved it now."""
        return not self.is_dirty() or (messages.ask(self, title, "档案有未保存的修改，需要先保存。现在保存吗？",
                                                    yes="保存", no="取消", default_yes=True) and self.save())

    # -- a relief request --
    def new_request(self) -> None:
        """The new-request dialog with this household chosen (the stored household: unsaved
        changes are saved first); it outlives the editor, as a window of the main window."""
        if self.view is None or request_blocker(self.session, self.view.status) or not self._saved_first(NEW_REQUEST):
            return
        from ..relief.request_from_household import new_request_for

        new_request_for(self.session, self.view.id, self.parentWidget())

    # -- closing --
    def reject(self) -> None:
        if self.is_dirty() and not messages.ask(self, "放弃修改", "档案有未保存的修改，确定放弃并关闭吗？",
                                                yes="放弃修改", no="继续编辑"):
            return
        self._baseline = None  # closing now: no second question from closeEvent
        super().reject()

