"""回访: the paid lines due for a follow-up (all, or the admin's sample), the most overdue first;
登记回访… records a call or a visit."""
from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ...domain import clock
from ...domain.casework import SATISFACTION
from ...services import casework
from ..common import labels
from ..common.page import Page, hide_unless
from ..common.rows_model import CENTER, RIGHT, Col, RowsModel
from ..common.widgets.rows_table import RowsTable
from .followup_dialog import FollowUpDialog

VIEWS = (("due", "尚未回访"), ("all", "全部应回访的发放"))


def _state(d) -> str:
    if d.done:
        last = next(f for f in reversed(d.followups) if f.reached)
        return f"已回访（{SATISFACTION.get(last.satisfaction, '')}）"
    late = d.overdue_days(clock.today())
    tried = "，未联系上" if d.followups else ""
    return (f"逾期 {late} 天" if late else "待回访") + tried


COLUMNS = [
    Col("批次", lambda d: d.batch_number, width=110),
    Col("姓名", lambda d: d.name, width=80),
    Col("工会", lambda d: d.unit_name, width=200),
    Col("救助类型", lambda d: d.relief_type_label, width=110),
    Col("金额（元）", lambda d: labels.yuan(d.amount_fen), RIGHT, 90),
    Col("发放日期", lambda d: d.paid_on.isoformat(), CENTER, 95),
    Col("回访期限", lambda d: d.due_on.isoformat(), CENTER, 95),
    Col("状态", _state, stretch=True),
]


class FollowupsPage(Page):
    REFRESH_ON = ("casework", "payouts")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.which = QComboBox()
        for key, label in VIEWS:
            self.which.addItem(label, key)
        self.refresh_button = QPushButton("刷新")
        self.record_button = QPushButton("登记回访…")
        hide_unless(session.can("followup.record"), self.record_button)
        self.model = RowsModel(COLUMNS, self, key=lambda d: d.line_id,
                               foreground=lambda d, _c: QColor("#c62828") if d.overdue_days(clock.today()) else None)
        self.table = RowsTable(self.model)
        note = QLabel("发放后按“单位与组织”设置的期限回访（电话或上门）：资金是否到账、是否满意、还有什么需求。"
                      "设置了抽样比例时只列抽中的发放（按发放日当时的比例，抽样结果固定）。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar([("范围：", self.which)], [self.refresh_button, self.record_button]))
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        self.reload_on(self.which)
        self.refresh_button.clicked.connect(self.reload)
        self.record_button.clicked.connect(self.record)
        self.table.activatedRow.connect(lambda _row: self.record())
        self.table.currentRowChanged.connect(lambda _row: self._enable())
        self._enable()
        self.reload()

    def _enable(self) -> None:
        self.record_button.setEnabled(self.table.current_item() is not None)

    def reload(self) -> None:
        ctx, due_only = self.ctx, self.which.currentData() == "due"

        def show(rows) -> None:
            self.table.replace_rows(rows)
            late = sum(1 for d in rows if d.overdue_days(clock.today()))
            self.set_status(f"本列表 {len(rows)} 笔；逾期未回访 {late} 笔")

        self.query(lambda: casework.followup_list(ctx, due_only=due_only), show)

    def record(self) -> None:
        due = self.table.current_item()
        if due is None or not self.session.can("followup.record"):
            return
        FollowUpDialog(self.session, due, self).exec()
