"""公示: notices of approved requests, their rosters, objections and the printed roster.

A notice is built as a draft from approved requests (relief type, period, union), published
(the entries are then frozen), objected to (recorded, then handled: upheld sends the request
back), and ended after its period. Seed 000: 公示 5 个工作日 before payout.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QSpinBox, QSplitter,
    QTabWidget, QVBoxLayout, QWidget,
)

from ...services import audit, notices, payout_print, policies
from ...services.errors import ServiceError
from ...services.payout_types import (
    NOTICE_STATUS_LABELS, CandidateView, NoticeFilter, NoticeInput, NoticeView, ObjectionInput, ObjectionView,
)
from ...services.settings import get_settings
from .. import labels, messages
from ..models.payout_models import (
    ENTRY_COLUMNS, NOTICE_COLUMNS, OBJECTION_COLUMNS, Col, RowsModel, entry_foreground, notice_foreground,
    objection_foreground, RIGHT,
)
from ..print_preview import build_and_preview
from ..session import UiSession
from ..widgets.date_edit import DateEdit
from ..widgets.rows_table import RowsTable
from ..widgets.union_combo import UnionCombo

WEEKDAYS = "一二三四五六日"
QUARTERS = ((None, "全年（不分季度）"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度"))
CHANNELS = getattr(notices, "CHANNELS", ("电话", "信函", "来访", "电子邮件", "其他"))
MANAGE = "notice.manage"


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
    Col("期间", lambda c: f"{c.year}" + (f"-Q{c.quarter}" if c.quarter else ""), width=70),
    Col("金额(元)", lambda c: labels.yuan(c.amount_fen), RIGHT, 84),
)


# ---------------------------------------------------------------------------- new / edit notice

class NoticeDialog(QDialog):
    """新建公示 (filter, live candidate list, period with its end date) or 修改 a draft's texts."""

    def __init__(self, session: UiSession, parent: QWidget | None = None, draft: NoticeView | None = None):
        super().__init__(parent)
        self.session = session
        self.ctx = session.ctx
        self.draft = draft
        self.result_view: NoticeView | None = None
        self.setWindowTitle("修改公示草稿" if draft else "新建公示")
        settings = get_settings(self.ctx)
        today = date.today()

        # -- which requests --
        self.year = QSpinBox()
        self.year.setRange(2000, 2099)
        self.year.setValue(draft.filter.year if draft and draft.filter.year else today.year)
        self.quarter = QComboBox()
        for value, text in QUARTERS:
            self.quarter.addItem(text, value)
        self.quarter.setCurrentIndex(self.quarter.findData(draft.filter.quarter if draft else (today.month - 1) // 3 + 1))
        self.union = UnionCombo(self.ctx, all_label="全部工会")
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
        self.phone = QLineEdit(draft.phone if draft else settings.phone)
        self.phone.setPlaceholderText("受理异议的电话")
        self.place = QLineEdit(draft.place if draft else "")
        self.place.setPlaceholderText("如：区总工会一楼公示栏、各基层工会公示栏")
        self.object_to = QLineEdit(draft.object_to if draft else settings.office_name)
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
        self.resize(1160, 600)

    # -- filter --
    def _year_changed(self) -> None:
        chosen = set(self.draft.filter.relief_types) if self.draft else {code for code, cb in self.type_checks.items()
                                                                         if cb.isChecked()}
        for cb in self.type_checks.values():
            cb.deleteLater()
        self.type_checks.clear()
        while self.types_row.count():
            item = self.types_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        try:
            options = policies.policy_options(self.ctx, self.year.value())
        except ServiceError:
            options = None
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
        try:
            rows = notices.notice_candidates(self.ctx, self.current_filter())
        except ServiceError as exc:
            self.candidates.set_rows([])
            self.candidate_label.setText(f"无法查询：{exc}")
            return
        self.candidates.set_rows(rows)
        total = sum(r.amount_fen for r in rows)
        self.candidate_label.setText(f"符合条件：{len(rows)} 人，合计 {labels.yuan(total)} 元" if rows
                                     else "没有符合条件、尚未公示的已审批申请")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(rows))

    # -- period --
    def update_end(self) -> None:
        try:
            end, warning = notice_end(self.ctx, self.start.value(), self.days.value())
        except (ServiceError, ValueError) as exc:
            self.end_label.setText("")
            self.warning_label.setText(str(exc))
            return
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
            if self.draft is None:
                self.result_view = notices.create_notice(self.ctx, self.notice_input())
            else:
                self.result_view = notices.update_notice(self.ctx, self.draft.summary.id, self.notice_input())
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法保存公示")
            return
        self.accept()


# ---------------------------------------------------------------------------- objections

class ObjectionDialog(QDialog):
    """登记异议: who objected, when, how, and what about whom."""

    def __init__(self, session: UiSession, notice: NoticeView, entry_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = session.ctx
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
        self.received = DateEdit(max(date.today(), notice.summary.start) if date.today() <= notice.summary.end
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
            self.result_view = notices.record_objection(self.ctx, ObjectionInput(
                entry_id=self.person.currentData(), objector=self.objector.text().strip(),
                content=self.content.toPlainText().strip(), received_on=self.received.value(),
                contact=self.contact.text().strip(), channel=self.channel.currentText()))
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法登记异议")
            return
        self.accept()


class HandleObjectionDialog(QDialog):
    """处理异议: the result (upheld / dismissed) and how it was checked."""

    def __init__(self, session: UiSession, objection: ObjectionView, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = session.ctx
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
            self.result_view = notices.handle_objection(self.ctx, self.objection.id, result,
                                                        self.handling.toPlainText().strip())
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法保存处理结果")
            return
        self.accept()


# ---------------------------------------------------------------------------- the page

class NoticesPage(QWidget):
    statusText = Signal(str)
    status_text = ""

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.ctx = session.ctx
        self.current: NoticeView | None = None
        can = session.can(MANAGE)

        self.status_filter = QComboBox()
        self.status_filter.addItem("全部状态", None)
        for code, text in NOTICE_STATUS_LABELS.items():
            self.status_filter.addItem(text, code)
        self.year_filter = QComboBox()
        self.year_filter.addItem("全部年度", None)
        this_year = date.today().year
        for y in range(this_year + 1, this_year - 6, -1):
            self.year_filter.addItem(f"{y} 年", y)
        self.new_button = QPushButton("新建公示…")
        self.new_button.setEnabled(can)
        self.refresh_button = QPushButton("刷新")

        self.model = RowsModel(NOTICE_COLUMNS, self, foreground=notice_foreground)
        self.table = RowsTable(self.model)
        self.table.setMinimumHeight(120)

        # detail
        self.title_label = QLabel()
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() + 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #c62828;")

        self.edit_button = QPushButton("修改…")
        self.refresh_entries_button = QPushButton("刷新名单")
        self.refresh_entries_button.setToolTip("按筛选条件重新取已审批的申请（新审批的加入，金额按最新审批）")
        self.remove_entry_button = QPushButton("移出名单…")
        self.remark_button = QPushButton("备注…")
        self.delete_button = QPushButton("删除草稿")
        self.publish_button = QPushButton("发布公示")
        self.publish_button.setToolTip("发布后名单固定，不能再增删或修改")
        self.object_button = QPushButton("登记异议…")
        self.handle_button = QPushButton("处理异议…")
        self.close_button = QPushButton("结束公示")
        self.close_button.setToolTip("公示期满、异议都已处理后，标记公示结束")
        self.print_button = QPushButton("打印公示名单…")
        self.print_button.setToolTip("预览后可打印或另存为PDF")
        self._manage_buttons = (self.edit_button, self.refresh_entries_button, self.remove_entry_button,
                                self.remark_button, self.delete_button, self.publish_button, self.object_button,
                                self.handle_button, self.close_button, self.print_button)

        self.entries = RowsModel(ENTRY_COLUMNS, self, foreground=entry_foreground)
        self.entry_table = RowsTable(self.entries)
        self.objections = RowsModel(OBJECTION_COLUMNS, self, foreground=objection_foreground)
        self.objection_table = RowsTable(self.objections)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.entry_table, "公示名单")
        self.tabs.addTab(self.objection_table, "异议登记")

        top = QHBoxLayout()
        top.addWidget(QLabel("状态"))
        top.addWidget(self.status_filter)
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_filter)
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.refresh_button)

        detail = QWidget()
        d = QVBoxLayout(detail)
        d.setContentsMargins(0, 4, 0, 0)
        d.addWidget(self.title_label)
        d.addWidget(self.info_label)
        d.addWidget(self.warning_label)
        actions = QHBoxLayout()
        for b in (self.edit_button, self.refresh_entries_button, self.remove_entry_button, self.remark_button,
                  self.delete_button, self.publish_button, self.object_button, self.handle_button,
                  self.close_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.print_button)
        d.addLayout(actions)
        d.addWidget(self.tabs, 1)

        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([170, 430])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.status_filter.currentIndexChanged.connect(lambda _: self.reload())
        self.year_filter.currentIndexChanged.connect(lambda _: self.reload())
        self.new_button.clicked.connect(self.new_notice)
        self.refresh_button.clicked.connect(self.reload)
        self.table.currentRowChanged.connect(lambda _: self._show_current())
        self.edit_button.clicked.connect(self.edit_notice)
        self.refresh_entries_button.clicked.connect(self.refresh_entries)
        self.remove_entry_button.clicked.connect(self.remove_entry)
        self.remark_button.clicked.connect(self.edit_remark)
        self.delete_button.clicked.connect(self.delete_notice)
        self.publish_button.clicked.connect(self.publish)
        self.object_button.clicked.connect(self.record_objection)
        self.handle_button.clicked.connect(self.handle_objection)
        self.close_button.clicked.connect(self.close_notice)
        self.print_button.clicked.connect(self.print_roster)
        self.entry_table.activatedRow.connect(lambda _: self.record_objection()
                                              if self.current and self.current.summary.status == "published" else None)
        self.objection_table.activatedRow.connect(lambda _: self.handle_objection())
        self.objection_table.currentRowChanged.connect(lambda _: self._update_buttons())
        self.entry_table.currentRowChanged.connect(lambda _: self._update_buttons())
        self.reload()

    # -- page protocol --
    def activated(self) -> None:
        self.reload()

    def _status(self, text: str) -> None:
        self.status_text = text
        self.statusText.emit(text)

    # -- loading --
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (self.current.summary.id if self.current else None)
        try:
            rows = notices.list_notices(self.ctx, self.status_filter.currentData(), self.year_filter.currentData())
        except ServiceError as exc:
            self._status(f"查询失败：{exc}")
            return
        self.model.set_rows(rows)
        if keep is None or not self.table.select_key(keep):
            if rows:
                self.table.selectRow(0)
        self._show_current()
        published = sum(1 for n in rows if n.status == "published")
        open_objections = sum(n.open_objections for n in rows)
        self._status(f"共 {len(rows)} 个公示，公示中 {published} 个"
                     + (f"，待处理异议 {open_objections} 条" if open_objections else ""))

    def _show_current(self) -> None:
        summary = self.table.current_item()
        view = None
        if summary is not None:
            try:
                view = notices.get_notice(self.ctx, summary.id)
            except ServiceError as exc:
                self._status(f"查询失败：{exc}")
        self.show_notice(view)

    def show_notice(self, view: NoticeView | None) -> None:
        self.current = view
        if view is None:
            self.title_label.setText("（没有公示。点“新建公示…”从已审批的申请建立公示名单）")
            self.info_label.setText("")
            self.warning_label.setText("")
            self.entries.set_rows([])
            self.objections.set_rows([])
            self._update_buttons()
            return
        s = view.summary
        self.title_label.setText(s.title)
        state = s.status_label
        if s.status == "published":
            state += "（已期满，待结束）" if s.ended else ""
        info = [f"状态：<b>{state}</b>", f"公示期：{period_text(s.start, s.end, s.working_days)}",
                f"名单：{s.entries} 人，合计 {labels.yuan(s.total_fen)} 元"]
        if view.phone:
            info.append(f"联系电话：{view.phone}")
        if view.place:
            info.append(f"公示地点：{view.place}")
        if view.object_to:
            info.append(f"异议受理：{view.object_to}")
        if s.published_at:
            info.append(f"发布：{s.published_by} {labels.moment(s.published_at)}")
        self.info_label.setText("　｜　".join(info))
        warning = f"⚠ {s.end_warning}" if s.end_warning else ""
        if s.open_objections:
            warning = "　".join(x for x in (warning, f"有 {s.open_objections} 条异议待处理：处理前涉及人员不能发放") if x)
        self.warning_label.setText(warning)
        self.warning_label.setVisible(bool(warning))
        self.entries.set_rows(view.entries)
        self.objections.set_rows(view.objections)
        self.tabs.setTabText(1, f"异议登记（{len(view.objections)}）" if view.objections else "异议登记")
        self._update_buttons()

    def _update_buttons(self) -> None:
        can = self.session.can(MANAGE)
        v = self.current
        status = v.summary.status if v else None
        draft, published = status == "draft", status == "published"
        entry = self.entry_table.current_item()
        has_open = bool(v and any(o.result == "open" for o in v.objections))
        self.edit_button.setVisible(draft)
        self.refresh_entries_button.setVisible(draft)
        self.remove_entry_button.setVisible(draft)
        self.remark_button.setVisible(draft)
        self.delete_button.setVisible(draft)
        self.publish_button.setVisible(draft)
        self.object_button.setVisible(published)
        self.handle_button.setVisible(status in ("published", "closed") and bool(v and v.objections))
        self.close_button.setVisible(published)
        for b in self._manage_buttons:
            b.setEnabled(can and v is not None)
        if can and v is not None:
            self.remove_entry_button.setEnabled(entry is not None)
            self.remark_button.setEnabled(entry is not None)
            self.publish_button.setEnabled(v.summary.entries > 0)
            self.handle_button.setEnabled(has_open)
            self.close_button.setEnabled(v.summary.ended and not has_open)
            self.close_button.setToolTip("公示期满、异议都已处理后，标记公示结束" if not v.summary.ended or has_open
                                         else "标记公示结束")
        self.print_button.setText("预览草稿名单…" if draft else "打印公示名单…")

    # -- commands --
    def _selected_entry(self):
        entry = self.entry_table.current_item()
        if entry is None:
            messages.info(self, "公示名单", "请先在公示名单中选择一人。")
        return entry

    def _after(self, view: NoticeView | None) -> None:
        if view is not None:
            self.reload(view.summary.id)

    def new_notice(self) -> None:
        dialog = NoticeDialog(self.session, self.window())
        if dialog.exec() == QDialog.Accepted and dialog.result_view is not None:
            self.status_filter.setCurrentIndex(0)
            self._after(dialog.result_view)

    def edit_notice(self) -> None:
        if self.current is None:
            return
        dialog = NoticeDialog(self.session, self.window(), draft=self.current)
        if dialog.exec() == QDialog.Accepted:
            self._after(dialog.result_view)

    def refresh_entries(self) -> None:
        if self.current is not None:
            self._after(messages.guarded(self, notices.refresh_notice, self.ctx, self.current.summary.id,
                                         title="无法刷新名单"))

    def remove_entry(self) -> None:
        entry = self._selected_entry()
        if entry is None or self.current is None:
            return
        reason, ok = QInputDialog.getText(self, "移出名单", f"把 {entry.name} 移出本次公示草稿。原因（可不填）：")
        if ok:
            self._after(messages.guarded(self, notices.remove_notice_entry, self.ctx, entry.id, reason.strip(),
                                         title="无法移出"))

    def edit_remark(self) -> None:
        entry = self._selected_entry()
        if entry is None:
            return
        text, ok = QInputDialog.getText(self, "备注", f"{entry.name} 的备注（公开张贴，勿写病情、收入、证件号）：",
                                        QLineEdit.Normal, entry.remark)
        if ok:
            self._after(messages.guarded(self, notices.set_entry_remark, self.ctx, entry.id, text.strip(),
                                         title="无法保存备注"))

    def delete_notice(self) -> None:
        if self.current is None:
            return
        if not messages.ask(self, "删除草稿", f"删除公示草稿“{self.current.summary.title}”？名单中的人员可以重新公示。",
                            yes="删除", no="取消"):
            return
        try:
            notices.delete_notice(self.ctx, self.current.summary.id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法删除")
            return
        self.current = None
        self.reload()

    def publish(self) -> None:
        v = self.current
        if v is None:
            return
        s = v.summary
        try:
            end, warning = notice_end(self.ctx, s.start, s.working_days)
        except (ServiceError, ValueError):
            end, warning = s.end, s.end_warning
        text = (f"发布“{s.title}”？\n\n名单 {s.entries} 人，合计 {labels.yuan(s.total_fen)} 元。\n"
                f"公示期：{period_text(s.start, end, s.working_days)}。\n\n"
                "发布后名单即固定（姓名、工会、救助类型、金额），不能再增删或修改；"
                "发现问题只能通过登记、处理异议撤下。")
        if warning:
            text += f"\n\n⚠ {warning}"
        if not messages.ask(self, "发布公示", text, yes="发布", no="取消"):
            return
        self._after(messages.guarded(self, notices.publish_notice, self.ctx, s.id, title="无法发布"))

    def record_objection(self) -> None:
        if self.current is None or self.current.summary.status != "published":
            return
        entry = self.entry_table.current_item()
        dialog = ObjectionDialog(self.session, self.current, entry.id if entry else None, self.window())
        if dialog.exec() == QDialog.Accepted:
            self.reload(self.current.summary.id)
            self.tabs.setCurrentIndex(1)

    def handle_objection(self) -> None:
        if self.current is None:
            return
        objection = self.objection_table.current_item()
        if objection is None or objection.result != "open":
            objection = next((o for o in self.current.objections if o.result == "open"), None)
        if objection is None:
            messages.info(self, "处理异议", "没有待处理的异议。")
            return
        dialog = HandleObjectionDialog(self.session, objection, self.window())
        if dialog.exec() == QDialog.Accepted:
            self.reload(self.current.summary.id)
            self.tabs.setCurrentIndex(1)

    def close_notice(self) -> None:
        if self.current is not None:
            self._after(messages.guarded(self, notices.close_notice, self.ctx, self.current.summary.id,
                                         title="无法结束公示"))

    def print_roster(self):
        v = self.current
        if v is None:
            return None
        notice_id, title = v.summary.id, v.summary.title
        ctx = self.ctx

        built = []

        def build(path, progress, cancelled):
            # the preview records nothing; what is printed or saved from it is recorded below
            built.append(payout_print.build_roster(ctx, notice_id, path, progress=progress, cancelled=cancelled))
            return built[-1]

        def printed(how: str, where: str, pages: int) -> None:
            people = f"{built[-1].rows} 人，" if built else ""
            audit.record_event(ctx, "print" if how == "printer" else "export", "notice", notice_id,
                               summary=(f"打印公示名单“{title}”：{people}送打印机 {where}，{pages} 页"
                                        if how == "printer" else f"公示名单“{title}”另存为 PDF：{people}{where}"))

        name = f"公示名单_{labels.day(v.summary.start)}.pdf"
        return build_and_preview(self.window(), "公示名单", build, printed, suggested_name=name,
                                 label=f"正在生成公示名单（{v.summary.entries} 人）……")
