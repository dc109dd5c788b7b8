"""公示 dialogs: 新建/修改公示 (NoticeDialog), 登记异议 (ObjectionDialog) and 处理异议 (HandleObjectionDialog).

Also the small helpers they share with the notices page (weekday, notice_end, period_text).
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QSpinBox, QVBoxLayout, QWidget,
)

from ...domain import clock
from ...services.payout import notices
from ...services.relief import policies
from ...services.errors import ServiceError
from ...services.payout.types import (
    CandidateView, NoticeFilter, NoticeInput, NoticeView, ObjectionInput, ObjectionView,
)
from ...services.admin.settings import get_settings
from ..common import labels, messages
from ..common.background_query import LatestQuery
from ..common.executor import ChangeSummary
from .payout_models import Col, RowsModel, RIGHT
from ..common.session import UiSession
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.rows_table import RowsTable
from ..common.widgets.union_combo import union_filter
from ..relief.relief_common import period_text as quarter_text

NOTICES = ChangeSummary(notices=True)
#: an upheld objection takes the person off the notice and returns the request to the clerk
OBJECTION_HANDLED = ChangeSummary(notices=True, requests=True)
WEEKDAYS = "一二三四五六日"
QUARTERS = ((None, "全年（不分季度）"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度"))
CHANNELS = getattr(notices, "CHANNELS", ("电话", "信函", "来访", "电子邮件", "其他"))


def weekday(d: date) -> str:
    return "星期" + WEEKDAYS[d.weekday()]


def notice_end(ctx, start: date, working_days: int) -> tuple[date, str | None]:
    """The last day of a notice period, and the warning when a year has no holiday data."""
    return notices.notice_period(ctx, start, working_days)


def period_text(start: date, end: date, working_days: int) -> str:
    return f"{labels.day(start)}（{weekday(start)}）至 {labels.day(end)}（{weekday(end)}），{working_days} 个工作日"


CANDIDATE_COLUMNS: tuple[Col, ...] = (
    Col("姓名", lambda c: c.name, width=72),
    Col("申请编号", lambda c: c.number, width=112),
    Col("所属工会", lambda c: c.unit_name, stretch=True),
    Col("救助类型", lambda c: c.relief_type_label, width=90),
    Col("期间", lambda c: quarter_text(c.year, c.quarter), width=110),
    Col("金额(元)", lambda c: labels.yuan(c.amount_fen), RIGHT, 84),
)


# ---------------------------------------------------------------------------- new / edit notice

class NoticeDialog(QDialog):
    """新建公示 (filter, live candidate list, period with its end date) or 修改 a draft's texts."""

    def __init__(self, session: UiSession, parent: QWidget | None = None, draft: NoticeView | None = None):
        super().__init__(parent)
        self.session = session
        self.ctx, self.executor = session.ctx, session.executor
        self._queries: dict[str, LatestQuery] = {}
        self.draft = draft
        self.result_view: NoticeView | None = None
        self.setWindowTitle("修改公示草稿" if draft else "新建公示")
        today = clock.today()

        # -- which requests --
        self.year = QSpinBox()
        self.year.setRange(2000, 2099)
        self.year.setValue(draft.filter.year if draft and draft.filter.year else today.year)
        self.quarter = QComboBox()
        for value, text in QUARTERS:
            self.quarter.addItem(text, value)
        self.quarter.setCurrentIndex(self.quarter.findData(draft.filter.quarter if draft else (today.month - 1) // 3 + 1))
        self.union = union_filter(session)
        self.union.setMinimumWidth(180)
        if draft and draft.filter.unit_id:
            self.union.set_unit_id(draft.filter.unit_id, emit=False)
        self.types_box = QWidget()
        self.types_row = QHBoxLayout(self.types_box)
        self.types_row.setContentsMargins(0, 0, 0, 0)
        self.type_checks: dict[str, QCheckBox] = {}
        self.candidates = RowsModel(CANDIDATE_COLUMNS, self, key=lambda c: c.request_id)
        self.candidate_table = RowsTable(self.candidates)
        self.candidate_label = QLabel()

        filters = QGroupBox("公示对象：已审批、尚未公示的救助申请")
        grid = QGridLayout(filters)
        grid.addWidget(QLabel("年度"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        grid.addWidget(QLabel("季度"), 0, 2)
        grid.addWidget(self.quarter, 0, 3)
        grid.addWidget(QLabel("工会"), 0, 4)
        grid.addWidget(self.union, 0, 5)
        grid.setColumnStretch(5, 1)
        grid.addWidget(QLabel("救助类型"), 1, 0)
        grid.addWidget(self.types_box, 1, 1, 1, 5)
        grid.addWidget(self.candidate_table, 2, 0, 1, 6)
        grid.addWidget(self.candidate_label, 3, 0, 1, 6)
        if draft is not None:  # the entries of a draft change through 刷新名单, not here
            for w in (self.year, self.quarter, self.union):
                w.setEnabled(False)
            filters.setTitle("公示对象（草稿名单请在公示页用“刷新名单”更新）")

        # -- the notice itself --
        self.start = DateEdit(draft.summary.start if draft else today)
        self.days = QSpinBox()
        self.days.setRange(1, getattr(notices, "MAX_WORKING_DAYS", 30))
        self.days.setValue(draft.summary.working_days if draft else 5)
        self.days.setSuffix(" 个工作日")
        self.end_label = QLabel()
        self.end_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #c62828;")
        self.title = QLineEdit(draft.summary.title if draft else "")
        self.title.setPlaceholderText("留空自动生成，如：××区总工会关于2026年第一季度困难职工救助对象名单的公示")
        self.phone = QLineEdit(draft.phone if draft else "")
        self.phone.setPlaceholderText("受理异议的电话")
        self.place = QLineEdit(draft.place if draft else "")
        self.place.setPlaceholderText("如：区总工会一楼公示栏、各基层工会公示栏")
        self.object_to = QLineEdit(draft.object_to if draft else "")
        self.object_to.setPlaceholderText("受理异议的单位或部门")
        self.intro = QPlainTextEdit(draft.intro if draft else "")
        self.intro.setPlaceholderText("（可不填）名单前的说明文字")
        self.intro.setFixedHeight(52)
        self.masked_id = QCheckBox("名单中显示脱敏身份证号（如 440183********1234）")
        self.masked_id.setChecked(bool(draft and draft.show_masked_id))

        form_box = QGroupBox("公示期与公示内容")
        box_layout = QVBoxLayout(form_box)
        form = QFormLayout()
        box_layout.addLayout(form)
        box_layout.addStretch(1)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("起，公示"))
        period.addWidget(self.days)
        period.addStretch(1)
        form.addRow("公示开始日期", period)
        form.addRow("公示截止日期", self.end_label)
        form.addRow("", self.warning_label)
        form.addRow("标题", self.title)
        form.addRow("联系电话", self.phone)
        form.addRow("公示地点", self.place)
        form.addRow("异议受理", self.object_to)
        form.addRow("导语", self.intro)
        form.addRow("", self.masked_id)
        privacy = QLabel("公示名单只列姓名、所属工会、救助类型和金额；不公开完整身份证号、银行卡号、病情和收入。")
        privacy.setWordWrap(True)
        privacy.setStyleSheet("color: #555;")
        form.addRow("", privacy)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("保存修改" if draft else "建立公示草稿")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        columns.addWidget(filters, 5)
        columns.addWidget(form_box, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        self.year.valueChanged.connect(lambda _: self._year_changed())
        self.quarter.currentIndexChanged.connect(lambda _: self.refresh_candidates())
        self.union.currentIndexChanged.connect(lambda _: self.refresh_candidates())
        self.start.dateChanged.connect(lambda _: self.update_end())
        self.days.valueChanged.connect(lambda _: self.update_end())
        self._year_changed()
        self.update_end()
        if draft is None:  # a new notice: the office's name and phone, unless typed meanwhile
            ctx = self.ctx
            self.executor.run(lambda: get_settings(ctx), self._show_office, lambda exc: None, owner=self)
        self.resize(1160, 600)

    # -- filter --
    def _year_changed(self) -> None:
        chosen = set(self.draft.filter.relief_types) if self.draft else {code for code, cb in self.type_checks.items()
                                                                         if cb.isChecked()}
        ctx, year = self.ctx, self.year.value()
        self._query("options").submit(lambda: policies.policy_options(ctx, year),
                                      lambda options: self._show_types(options, chosen),
                                      lambda exc: self._show_types(None, chosen))

    def _query(self, kind: str) -> LatestQuery:
        """The newest query of each kind (the year's types, the candidates) runs off the GUI thread."""
        if kind not in self._queries:
            self._queries[kind] = LatestQuery(self, self.executor)
        return self._queries[kind]

    def _show_types(self, options, chosen: set[str]) -> None:
        for cb in self.type_checks.values():
            cb.deleteLater()
        self.type_checks.clear()
        while self.types_row.count():
            item = self.types_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        types = options.relief_types if options else ()
        for info in types:
            cb = QCheckBox(info.name)
            cb.setChecked(info.code in chosen)
            cb.setEnabled(self.draft is None)
            cb.toggled.connect(lambda _: self.refresh_candidates())
            self.type_checks[info.code] = cb
            self.types_row.addWidget(cb)
        hint = QLabel("（都不勾选＝全部类型）" if types else f"{self.year.value()} 年没有生效的救助政策")
        hint.setStyleSheet("color: #555;")
        self.types_row.addWidget(hint)
        self.types_row.addStretch(1)
        self.refresh_candidates()

    def current_filter(self) -> NoticeFilter:
        if self.draft is not None:
            return self.draft.filter
        types = tuple(code for code, cb in self.type_checks.items() if cb.isChecked())
        return NoticeFilter(types, self.year.value(), self.quarter.currentData(), self.union.unit_id())

    def refresh_candidates(self) -> None:
        if self.draft is not None:
            rows = [CandidateView(e.request_id, e.request_number, e.name, None, e.unit_name, "", e.relief_type_label,
                                  self.draft.filter.year or 0, self.draft.filter.quarter, e.amount_fen)
                    for e in self.draft.entries if e.state == "listed"]
            self.candidates.set_rows(rows)
            self.candidate_label.setText(f"草稿名单：{len(rows)} 人，合计 {labels.yuan(sum(r.amount_fen for r in rows))} 元")
            return
        ctx, flt = self.ctx, self.current_filter()
        self._query("rows").submit(lambda: notices.notice_candidates(ctx, flt), self._show_candidates,
                                   self._candidates_failed)

    def _candidates_failed(self, exc: Exception) -> None:
        self.candidates.set_rows([])
        self.candidate_label.setText(f"无法查询：{exc}")

    def _show_candidates(self, rows) -> None:
        self.candidates.set_rows(rows)
        total = sum(r.amount_fen for r in rows)
        self.candidate_label.setText(f"符合条件：{len(rows)} 人，合计 {labels.yuan(total)} 元" if rows
                                     else "没有符合条件、尚未公示的已审批申请")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(rows))

    def _show_office(self, settings) -> None:
        if not self.phone.text():
            self.phone.setText(settings.phone)
        if not self.object_to.text():
            self.object_to.setText(settings.office_name)

    # -- period --
    def update_end(self) -> None:
        """The period's end on the working-day calendar (worked out off the GUI thread)."""
        ctx, start, days = self.ctx, self.start.value(), self.days.value()
        self._query("end").submit(lambda: notice_end(ctx, start, days), self._show_end, self._end_failed)

    def _end_failed(self, exc: Exception) -> None:
        if not isinstance(exc, (ServiceError, ValueError)):
            raise exc
        self.end_label.setText("")
        self.warning_label.setText(str(exc))

    def _show_end(self, found) -> None:
        end, warning = found
        self.end_label.setText(f"<b>{labels.day(end)}</b>（{weekday(end)}）　期满次日起可发放")
        self.warning_label.setText(f"⚠ {warning}" if warning else "")
        self.warning_label.setVisible(bool(warning))

    # -- save --
    def notice_input(self) -> NoticeInput:
        return NoticeInput(
            filter=self.current_filter(), start=self.start.value(), working_days=self.days.value(),
            title=self.title.text().strip(), object_to=self.object_to.text().strip(), phone=self.phone.text().strip(),
            place=self.place.text().strip(), intro=self.intro.toPlainText().strip(),
            show_masked_id=self.masked_id.isChecked(),
            issued_on=self.draft.issued_on if self.draft else None,
        )

    def save(self) -> None:
        try:
            inp = self.notice_input()
            if self.draft is None:
                self.result_view = self.executor.call(lambda: notices.create_notice(self.ctx, inp), changes=NOTICES)
            else:
                notice_id = self.draft.summary.id
                self.result_view = self.executor.call(lambda: notices.update_notice(self.ctx, notice_id, inp),
                                                      changes=NOTICES)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法保存公示")
            return
        self.accept()


# ---------------------------------------------------------------------------- objections

class ObjectionDialog(QDialog):
    """登记异议: who objected, when, how, and what about whom."""

    def __init__(self, session: UiSession, notice: NoticeView, entry_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.executor = session.ctx, session.executor
        self.notice = notice
        self.result_view: ObjectionView | None = None
        self.setWindowTitle("登记异议")
        self.person = QComboBox()
        for e in notice.entries:
            if e.state == "listed":
                self.person.addItem(f"{e.seq}. {e.name}（{e.unit_name}，{e.relief_type_label} "
                                    f"{labels.yuan(e.amount_fen)} 元）", e.id)
        if entry_id is not None and self.person.findData(entry_id) >= 0:
            self.person.setCurrentIndex(self.person.findData(entry_id))
        self.objector = QLineEdit()
        self.objector.setPlaceholderText("不愿具名的写“匿名”")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("电话或地址（可不填）")
        self.channel = QComboBox()
        self.channel.addItems(list(CHANNELS))
        self.received = DateEdit(max(clock.today(), notice.summary.start) if clock.today() <= notice.summary.end
                                 else notice.summary.end)
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("反映的问题，如：该职工家庭有经营性收入、不符合救助条件……")
        self.content.setMinimumHeight(110)
        form = QFormLayout()
        form.addRow("涉及人员", self.person)
        form.addRow("异议人", self.objector)
        form.addRow("联系方式", self.contact)
        form.addRow("反映方式", self.channel)
        form.addRow("收到日期", self.received)
        form.addRow("异议内容", self.content)
        note = QLabel("登记后该人员暂不能发放，须核查处理：异议成立则撤出名单、申请退回；不成立则保留。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("登记")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def save(self) -> None:
        if self.person.currentIndex() < 0:
            messages.info(self, "登记异议", "名单中没有可登记异议的人员。")
            return
        try:
            inp = ObjectionInput(
                entry_id=self.person.currentData(), objector=self.objector.text().strip(),
                content=self.content.toPlainText().strip(), received_on=self.received.value(),
                contact=self.contact.text().strip(), channel=self.channel.currentText())
            self.result_view = self.executor.call(lambda: notices.record_objection(self.ctx, inp), changes=NOTICES)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法登记异议")
            return
        self.accept()


class HandleObjectionDialog(QDialog):
    """处理异议: the result (upheld / dismissed) and how it was checked."""

    def __init__(self, session: UiSession, objection: ObjectionView, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.executor = session.ctx, session.executor
        self.objection = objection
        self.result_view: ObjectionView | None = None
        self.setWindowTitle(f"处理异议 — {objection.person_name}")
        about = QLabel(f"<b>{objection.person_name}</b>　{labels.day(objection.received_on)} 收到，"
                       f"{objection.channel}，异议人：{objection.objector}"
                       + (f"（{objection.contact}）" if objection.contact else "")
                       + f"<br>{objection.content}")
        about.setWordWrap(True)
        about.setTextFormat(Qt.RichText)
        self.upheld = QRadioButton("异议成立：撤出公示名单，申请退回经办人，不予发放")
        self.dismissed = QRadioButton("异议不成立：保留在名单中，公示期满后可发放")
        group = QButtonGroup(self)
        group.addButton(self.upheld)
        group.addButton(self.dismissed)
        self.handling = QPlainTextEdit()
        self.handling.setPlaceholderText("如何核查（入户、电话、数据比对……）、结论是什么、是否已答复异议人")
        self.handling.setMinimumHeight(110)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("保存处理结果")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.upheld)
        layout.addWidget(self.dismissed)
        layout.addWidget(QLabel("核查处理情况"))
        layout.addWidget(self.handling)
        layout.addWidget(buttons)
        self.resize(560, 400)

    def result_code(self) -> str | None:
        return "upheld" if self.upheld.isChecked() else "dismissed" if self.dismissed.isChecked() else None

    def save(self) -> None:
        result = self.result_code()
        if result is None:
            messages.info(self, "处理异议", "请选择处理结果：异议成立或不成立。")
            return
        if result == "upheld" and not messages.ask(
                self, "异议成立", f"{self.objection.person_name} 将撤出公示名单，其救助申请退回经办人，不能发放。确定吗？",
                yes="确定", no="再想想"):
            return
        try:
            objection_id, handling = self.objection.id, self.handling.toPlainText().strip()
            self.result_view = self.executor.call(
                lambda: notices.handle_objection(self.ctx, objection_id, result, handling), changes=OBJECTION_HANDLED)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法保存处理结果")
            return
        self.accept()
