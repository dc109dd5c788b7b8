"""走访核查: households whose visit is overdue or due within 30 days (seed 002 intervals)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...services import archive
from ...services.archive.types import HouseholdFilter
from ...services.errors import ServiceError
from ..models.household_table_model import COLUMNS, HouseholdTableModel
from ..executor import ChangeSummary
from ..household_windows import open_household
from ..session import UiSession
from ..widgets.household_table import HouseholdTable
from ..widgets.union_combo import UnionCombo

DUE_SOON_DAYS = 30
VIEWS = (("due", f"已逾期及 {DUE_SOON_DAYS} 天内到期"), ("overdue", "仅已逾期"))


class VisitsPage(QWidget):
    statusText = Signal(str)
    status_text = ""

    def _status(self, text: str) -> None:
        self.status_text = text
        self.statusText.emit(text)

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.which = QComboBox()
        for key, label in VIEWS:
            self.which.addItem(label, key)
        self.union = UnionCombo(session.ctx, all_label="全部工会")
        self.union.setMinimumWidth(220)
        self.refresh_button = QPushButton("刷新")
        self.open_button = QPushButton("打开档案（登记走访）")
        self.model = HouseholdTableModel(self._search_page, self)
        self.model.sort_key = "next_visit_due"
        self.table = HouseholdTable(self.model)
        due_column = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "next_visit_due")
        self.table.horizontalHeader().setSortIndicator(due_column, Qt.AscendingOrder)
        self.table.openRequested.connect(lambda hid: open_household(session, hid, self.window()))
        note = QLabel("深度困难家庭每年走访一次，相对困难、意外致困家庭每半年一次（在档及渐退期家庭）。"
                      "双击一户打开档案，在“走访核查”页登记。")
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("范围："))
        bar.addWidget(self.which)
        bar.addWidget(QLabel("工会："))
        bar.addWidget(self.union)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

        self.which.currentIndexChanged.connect(lambda _: self.refresh())
        self.union.currentIndexChanged.connect(lambda _: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self._open_current)
        session.changed.connect(self._changed)
        self.refresh()

    def current_filter(self) -> HouseholdFilter:
        overdue = self.which.currentData() == "overdue"
        return HouseholdFilter(unit_id=self.union.unit_id(), visit_overdue=overdue,
                               visit_due_within_days=None if overdue else DUE_SOON_DAYS)

    def _search_page(self, filt, sort, descending, offset, limit):
        return archive.search_households(self.session.ctx, filt, sort=sort, descending=descending,
                                         offset=offset, limit=limit)

    def refresh(self) -> None:
        self._run(lambda: self.model.set_query(self.current_filter()))

    def reload(self) -> None:
        self._run(self.model.reload)

    def activated(self) -> None:
        self.reload()

    def _changed(self, changes: ChangeSummary) -> None:
        if changes.settings:
            self.union.reload()
        if changes.households:
            self.reload()

    def _run(self, query) -> None:
        try:
            query()
            counts = archive.archive_counts(self.session.ctx, HouseholdFilter(unit_id=self.union.unit_id()))
        except ServiceError as exc:
            self._status(f"查询失败：{exc}")
            return
        due = self.model.total
        self._status(f"走访逾期 {counts.visits_overdue} 户；本列表 {due} 户")

    def _open_current(self) -> None:
        hid = self.table.current_household_id()
        if hid is not None:
            open_household(self.session, hid, self.window())
