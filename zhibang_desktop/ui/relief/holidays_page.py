"""节假日 (admin): the holiday table the review due dates count on.

The built-in calendar knows the State Council's holidays and make-up workdays (调休)
up to the last year it ships; for later years (2027 …) the admin enters that year's
notice here — holidays as a range, make-up workdays one by one — and then marks the
year complete.  Until then due dates in that year count weekends only, and the review
screens say so.
"""
from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import clock
from ...services.relief import holidays
from ...services.errors import ServiceError
from ...services.relief.types import HolidayView
from ..common import messages
from .relief_common import ERROR_COLOR, MUTED_COLOR, OK_COLOR, WARNING_COLOR
from ..common.session import UiSession
from ..common.page import Page

WEEKDAYS = "一二三四五六日"
HEADERS = ("日期", "星期", "安排", "名称")
MAX_RANGE_DAYS = 31


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class HolidaysPage(Page):
    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.days: list[HolidayView] = []
        can_edit = session.can("org.edit")

        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year + 1 if clock.today().month >= 11 else clock.today().year)
        self.year.setSuffix(" 年")
        self.year_state = QLabel()
        self.year_state.setTextFormat(Qt.RichText)
        self.year_state.setWordWrap(True)
        self.complete = QCheckBox("本年度的节假日和调休已全部录入")
        self.complete.setToolTip("按国务院办公厅当年的放假安排通知全部录入后勾选；勾选后到期日不再提示“仅按周末推算”")
        self.complete.setEnabled(can_edit)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for i, width in enumerate((120, 80, 100)):
            header.setSectionResizeMode(i, QHeaderView.Interactive)
            self.table.setColumnWidth(i, width)
        header.setSectionResizeMode(3, QHeaderView.Stretch)

        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.addItem("放假", False)
        self.kind.addItem("调休上班", True)
        self.name = QLineEdit(placeholderText="例如：春节、国庆节")
        self.name.setMaxLength(50)
        self.name.setMaximumWidth(320)
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("删除所选")
        for w in (self.start, self.end, self.kind, self.name, self.add_button, self.remove_button):
            w.setEnabled(can_edit)

        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year)
        top.addWidget(self.complete)
        top.addStretch(1)
        add_box = QGroupBox("添加放假安排（按国务院办公厅通知）")
        add = QHBoxLayout(add_box)
        add.addWidget(QLabel("从"))
        add.addWidget(self.start)
        add.addWidget(QLabel("到"))
        add.addWidget(self.end)
        add.addWidget(self.kind)
        add.addWidget(self.name, 1)
        add.addWidget(self.add_button)
        add.addStretch(1)
        note = QLabel("放假可按整段添加（如 春节 2 月 6 日到 2 月 12 日）；调休上班的周末逐日添加。"
                      "表中只列本机录入的日期；内置日历已有的年份无需录入，录入的日期优先于内置日历。")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {MUTED_COLOR};")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.year_state)
        layout.addWidget(add_box)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.year.valueChanged.connect(lambda _: self.refresh())
        self.start.dateChanged.connect(self._start_changed)
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.complete.toggled.connect(self._complete_toggled)
        self.refresh()

    # -- data --
    def refresh(self) -> None:
        year = self.year.value()
        try:
            self.days = holidays.list_days(self.session.ctx, year)
            state = holidays.calendar_years(self.session.ctx, [year])[0]
        except ServiceError as exc:
            self.set_status(f"读取节假日失败：{exc}")
            return
        self.table.setRowCount(len(self.days))
        for i, d in enumerate(self.days):
            color = QColor(WARNING_COLOR) if d.is_workday else None
            cells = (d.day.isoformat(), f"星期{WEEKDAYS[d.day.weekday()]}", "调休上班" if d.is_workday else "放假",
                     d.name)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, d.day.isoformat())
                if color is not None:
                    item.setForeground(QBrush(color))
                self.table.setItem(i, j, item)
        if state.source == "admin":
            text = f"<b style='color:{OK_COLOR}'>{year} 年的节假日安排已录入完整</b>（共 {state.entries} 天），到期日按此推算。"
        elif state.source == "package":
            text = (f"<span style='color:{OK_COLOR}'>{year} 年使用内置日历的节假日和调休数据</span>"
                    + (f"；另有本机录入 {state.entries} 天，优先使用。" if state.entries else "，无需录入。"))
        else:
            text = (f"<b style='color:{ERROR_COLOR}'>{year} 年尚无节假日数据</b>：审核到期日仅按周末推算，"
                    "各审核页面会提示。请按国务院办公厅通知录入放假和调休安排，全部录入后勾选“已全部录入”。"
                    + (f"（已录入 {state.entries} 天）" if state.entries else ""))
        self.year_state.setText(text)
        self.complete.blockSignals(True)
        self.complete.setChecked(state.source == "admin")
        self.complete.blockSignals(False)
        first = date(year, 1, 1)
        if self.start.date().year() != year:
            self.start.setDate(_qdate(first))
            self.end.setDate(_qdate(first))
        holidays_n = sum(1 for d in self.days if not d.is_workday)
        self.set_status(f"{year} 年：录入放假 {holidays_n} 天，调休上班 {len(self.days) - holidays_n} 天")

    def _start_changed(self, q: QDate) -> None:
        if self.end.date() < q:
            self.end.setDate(q)

    def year_state_text(self) -> str:
        return html.unescape(self.year_state.text())

    # -- commands --
    def add_entry(self) -> list[HolidayView] | None:
        start, end = _pydate(self.start.date()), _pydate(self.end.date())
        if end < start:
            messages.warn(self, "添加放假安排", "结束日期不能早于开始日期。")
            return None
        if (end - start).days >= MAX_RANGE_DAYS:
            messages.warn(self, "添加放假安排", f"一次最多添加 {MAX_RANGE_DAYS} 天，请检查日期。")
            return None
        is_workday = bool(self.kind.currentData())
        name = self.name.text().strip()
        days = [HolidayView(start + timedelta(days=i), is_workday, name) for i in range((end - start).days + 1)]
        try:
            added = holidays.add_days(self.session.ctx, days)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法添加")
            return None
        if start.year != self.year.value():
            self.year.setValue(start.year)
        self.refresh()
        self.name.clear()
        return added

    def selected_days(self) -> list[date]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.days[r].day for r in rows if 0 <= r < len(self.days)]

    def remove_selected(self) -> None:
        days = self.selected_days()
        if not days:
            messages.info(self, "删除", "请先在表中选择要删除的日期。")
            return
        if not messages.ask(self, "删除", f"删除所选的 {len(days)} 天？", yes="删除", no="取消"):
            return
        for d in days:
            try:
                holidays.remove_day(self.session.ctx, d)
            except ServiceError as exc:
                messages.show_service_error(self, exc, "无法删除")
                break
        self.refresh()

    def _complete_toggled(self, checked: bool) -> None:
        year = self.year.value()
        if checked and not self.days and not messages.ask(
                self, "标记已全部录入", f"{year} 年还没有录入任何放假安排，确定标记为已全部录入？",
                yes="确定", no="取消"):
            self.complete.blockSignals(True)
            self.complete.setChecked(False)
            self.complete.blockSignals(False)
            return
        try:
            holidays.mark_year_complete(self.session.ctx, year, checked)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法修改")
        self.refresh()

    # -- page protocol --
    def activated(self) -> None:
        self.refresh()
