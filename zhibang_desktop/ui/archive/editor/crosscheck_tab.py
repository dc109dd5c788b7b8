"""数据比对 tab of the household editor: what the agencies' lists found about this household's
people and how each was decided (decisions are made on the 数据比对 page)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ....domain.casework import FINDING_DECISIONS
from ....services import casework
from ....services.errors import ServiceError
from ...common.rows_model import CENTER, Col, RowsModel
from ...common.widgets.rows_table import RowsTable

COLUMNS = [
    Col("名单", lambda f: f"{f.source} {f.list_date.isoformat()}", CENTER, 120),
    Col("姓名", lambda f: f.name, width=70),
    Col("比对发现", lambda f: f.finding, width=220, tip=lambda f: f.finding),
    Col("名单所载", lambda f: f.list_says, width=170),
    Col("档案记载", lambda f: f.archive_says, width=160),
    Col("处理", lambda f: FINDING_DECISIONS.get(f.decision, "待处理") + (f"：{f.decision_note}" if f.decision_note else ""),
        stretch=True, tip=lambda f: f.decision_note),
]


class CrossCheckTab(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.model = RowsModel(COLUMNS, self)
        self.table = RowsTable(self.model)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def load(self, household_id: int | None) -> None:
        rows = []
        if household_id is not None:
            try:
                rows = casework.list_findings(self.session.ctx, household_id=household_id)
            except ServiceError as exc:
                self.note.setText(f"无法读取比对结果：{exc}")
                return
        waiting = sum(1 for f in rows if f.decision is None)
        self.note.setText(f"部门名单比对发现 {len(rows)} 条，待处理 {waiting} 条（在“数据比对”页处理；"
                          "处理结论同时记入走访记录）。" if rows else "部门比对名单中没有关于本户的发现。")
        self.model.set_rows(rows)
