"""走访核查: households whose visit is overdue or due within 30 days (seed 002 intervals)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...services import archive
from ...services.archive.types import HouseholdFilter
from ..common.executor import ChangeSummary
from .household_table_model import COLUMNS, HouseholdTableModel
from ..common.session import UiSession
from .household_table import HouseholdTable
from ..common.widgets.union_combo import union_filter
from .archive_page import household_search
from ..common.page import Page

DUE_SOON_DAYS = 30
VIEWS = (("due", f"已逾期及 {DUE_SOON_DAYS} 天内到期"), ("overdue", "仅已逾期"))


class VisitsPage(Page):
    REFRESH_ON = ("households",)

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.which = QComboBox()
        for key, label in VIEWS:
            self.which.addItem(label, key)
        self.union = union_filter(session)
        self.union.setMinimumWidth(220)
        self.refresh_button = QPushButton("刷新")
        self.open_button = QPushButton("打开档案（登记走访）")
        self.print_button = QPushButton("打印入户走访表…")
        self.print_button.setToolTip("本列表每户一页；空白表可在“档案”菜单中打印")
        self.model = HouseholdTableModel(household_search(session.ctx), session.executor, self)
        self.table = HouseholdTable(self.model)
        due_column = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "next_visit_due")
        self.table.horizontalHeader().setSortIndicator(due_column, Qt.AscendingOrder)
        self.table.openRequested.connect(lambda hid: self._open(hid))
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
        bar.addWidget(self.print_button)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

        self.reload_on(self.which, self.union)
        self.refresh_button.clicked.connect(self.reload)
        self.open_button.clicked.connect(self._open_current)
        self.print_button.clicked.connect(lambda: self._print_forms())
        self.model.failed.connect(self.query_failed)
        self.model.loaded.connect(lambda *_: self._show_status())
        self._overdue: int | None = None
        self.model.set_query(self.current_filter(), sort_key="next_visit_due")
        self._count()

    def current_filter(self) -> HouseholdFilter:
        overdue = self.which.currentData() == "overdue"
        return HouseholdFilter(unit_id=self.union.unit_id(), visit_overdue=overdue,
                               visit_due_within_days=None if overdue else DUE_SOON_DAYS)

    def show_filtered(self, *, view: str = "due", unit_id: int | None = None) -> None:
        """Show one of VIEWS ("due": overdue and due within 30 days; "overdue") for a union."""
        for widget in (self.which, self.union):
            widget.blockSignals(True)
        self.which.setCurrentIndex(max(self.which.findData(view), 0))
        self.union.set_unit_id(unit_id, emit=False)
        for widget in (self.which, self.union):
            widget.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_query(self.current_filter())
        self._count()

    def reload(self) -> None:
        self.model.set_query(self.current_filter(), keep_loaded=True)
        self._count()

    def _count(self) -> None:
        ctx, whole = self.ctx, HouseholdFilter(unit_id=self.union.unit_id())
        self._overdue = None

        def show(counts) -> None:
            self._overdue = counts.visits_overdue
            self._show_status()

        self.query(lambda: archive.archive_counts(ctx, whole), show)

    def _show_status(self) -> None:
        """Once both the union's overdue count and the list's first page are in."""
        if self._overdue is not None and not self.model.loading:
            self.set_status(f"走访逾期 {self._overdue} 户；本列表 {self.model.total} 户")

    def on_changes(self, changes: ChangeSummary) -> None:
        if changes.settings:
            self.union.reload()
        super().on_changes(changes)

    def _open_current(self) -> None:
        hid = self.table.current_household_id()
        if hid is not None:
            self._open(hid)

    # The editor and the printing code (reportlab, openpyxl) load when first used: imported with
    # the page they made its first showing take half a second.
    def _open(self, household_id: int) -> None:
        from .household_windows import open_household

        open_household(self.session, household_id, self.window())

    def _print_forms(self) -> None:
        from .archive_prints import print_visit_forms

        print_visit_forms(self, self.session, self.current_filter())
