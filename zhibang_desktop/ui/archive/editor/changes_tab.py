"""变更记录: who changed what and when (from the audit trail)."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ....services import archive
from ....services.archive.history import ACTION_LABELS
from ....services.errors import ServiceError
from ...common import labels

HEADERS = ("时间", "操作人", "操作", "摘要", "字段", "原值", "新值")
WIDTHS = (130, 70, 80, 220, 110, 150)


class ChangesTab(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.note = QLabel()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        for i, width in enumerate(WIDTHS):
            self.table.setColumnWidth(i, width)
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def load(self, household_id: int | None) -> None:
        if household_id is None:
            self.table.setRowCount(0)
            self.note.setText("保存档案后，每一次修改（谁、何时、哪个字段、原值 → 新值）都记录在这里。")
            return
        try:
            entries = archive.household_history(self.session.ctx, household_id)
        except ServiceError as exc:
            self.note.setText(f"无法读取变更记录：{exc}")
            return
        self.note.setText(f"共 {len(entries)} 条变更（身份证号、银行卡号在记录中已打码）")
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = (labels.moment(e.at), e.username, ACTION_LABELS.get(e.action, e.action), e.summary,
                     e.field, e.old, e.new)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
