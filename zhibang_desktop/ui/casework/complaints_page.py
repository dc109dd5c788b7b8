"""投诉: complaints with their working-day deadline, the overdue ones in red; 登记投诉… and 办理…."""
from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QPushButton, QVBoxLayout, QWidget

from ...domain import clock
from ...domain.casework import COMPLAINT_CHANNELS, COMPLAINT_STATUSES
from ...services import casework
from ..common.page import Page, hide_unless
from ..common.rows_model import CENTER, Col, RowsModel
from ..common.widgets.rows_table import RowsTable
from .complaint_dialogs import ComplaintDialog, HandleComplaintDialog

VIEWS = (("all", "全部"), ("open", "办理中"), ("overdue", "已超过办理期限"))


def _state(c) -> str:
    late = c.overdue_days(clock.today())
    fault = "" if c.at_fault is None else ("，有责" if c.at_fault else "，无责")
    return COMPLAINT_STATUSES.get(c.status, c.status) + (f"，超期 {late} 天" if late else "") + fault


COLUMNS = [
    Col("编号", lambda c: c.number, width=95),
    Col("收到日期", lambda c: c.received_on.isoformat(), CENTER, 95),
    Col("方式", lambda c: COMPLAINT_CHANNELS.get(c.channel, c.channel), CENTER, 70),
    Col("投诉人", lambda c: c.complainant, width=80),
    Col("涉及", lambda c: c.household_name or c.unit_name, width=160, tip=lambda c: c.unit_name),
    Col("办理期限", lambda c: c.due_date.isoformat(), CENTER, 95, tip=lambda c: c.due_warning),
    Col("状态", _state, width=150),
    Col("内容", lambda c: c.content, stretch=True, tip=lambda c: c.content),
]


class ComplaintsPage(Page):
    REFRESH_ON = ("casework",)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.which = QComboBox()
        for key, label in VIEWS:
            self.which.addItem(label, key)
        self.refresh_button = QPushButton("刷新")
        self.add_button = QPushButton("登记投诉…")
        self.handle_button = QPushButton("办理/办结…")
        hide_unless(session.can("complaint.manage"), self.add_button, self.handle_button)
        self.model = RowsModel(COLUMNS, self, foreground=lambda c, _col: QColor("#c62828")
                               if c.status == "open" and c.overdue_days(clock.today()) else None)
        self.table = RowsTable(self.model)
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar([("范围：", self.which)],
                                         [self.refresh_button, self.add_button, self.handle_button]))
        layout.addWidget(self.table, 1)
        self.reload_on(self.which)
        self.refresh_button.clicked.connect(self.reload)
        self.add_button.clicked.connect(self.add)
        self.handle_button.clicked.connect(self.handle)
        self.table.activatedRow.connect(lambda _row: self.handle())
        self.table.currentRowChanged.connect(lambda _row: self._enable())
        self._enable()
        self.reload()

    def _enable(self) -> None:
        c = self.table.current_item()
        self.handle_button.setEnabled(c is not None and c.status == "open")

    def reload(self) -> None:
        ctx, which = self.ctx, self.which.currentData()

        def show(rows) -> None:
            self.table.replace_rows(rows)
            self._enable()
            late = sum(1 for c in rows if c.status == "open" and c.overdue_days(clock.today()))
            self.set_status(f"本列表 {len(rows)} 件；超期未办结 {late} 件")

        self.query(lambda: casework.list_complaints(ctx, status="open" if which == "open" else None,
                                                    overdue_only=which == "overdue"), show)

    def add(self) -> None:
        if self.session.can("complaint.manage"):
            ComplaintDialog(self.session, self).exec()

    def handle(self) -> None:
        c = self.table.current_item()
        if c is not None and c.status == "open" and self.session.can("complaint.manage"):
            HandleComplaintDialog(self.session, c, self).exec()
