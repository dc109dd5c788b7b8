"""困难职工档案: the searchable, filterable household list with import and export."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services import archive
from ...services.archive.types import ArchiveCounts, HouseholdFilter
from . import archive_io
from ..common import labels, messages
from .household_table_model import HouseholdTableModel
from ..common.executor import ChangeSummary
from .household_windows import new_household, open_household
from ..common.session import UiSession
from .household_table import HouseholdTable
from ..common.widgets.union_combo import UnionCombo
from ..common.page import Page

SEARCH_DELAY_MS = 250


def counts_text(counts: ArchiveCounts) -> str:
    by = counts.by_status
    return (f"共 {counts.total} 户，在档 {by.get('active', 0)}，渐退 {by.get('phasing_out', 0)}，"
            f"走访逾期 {counts.visits_overdue}")


def household_search(ctx):
    """The model's query (run off the GUI thread)."""
    def search(filt, sort, descending, offset, limit):
        return archive.search_households(ctx, filt, sort=sort, descending=descending, offset=offset, limit=limit)
    return search


class ArchivePage(Page):
    REFRESH_ON = ("households",)

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        ctx = session.ctx
        self._after_load: list = []  # what to do once the next first page is shown

        self.search = QLineEdit(placeholderText="搜索：姓名 / 拼音 / 首字母 / 身份证号（或末几位）/ 档案号 / 电话")
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.category.addItem("全部类别", None)
        for code, label in labels.CATEGORIES.items():
            self.category.addItem(label, code)
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for code, label in labels.STATUSES.items():
            self.status.addItem(label, code)
        self.union = UnionCombo(ctx, all_label="全部工会")
        self.union.setMinimumWidth(200)
        self.overdue = QCheckBox("走访逾期")
        self.clear_button = QPushButton("清除条件")

        self.model = HouseholdTableModel(household_search(ctx), session.executor, self)
        self.table = HouseholdTable(self.model)
        self.table.openRequested.connect(self.open_household)

        self.new_button = QPushButton("新建档案")
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton("打开")
        self.import_action = QAction("导入档案（Excel）…", self)
        self.export_action = QAction("导出当前列表（Excel）…", self)
        self.template_action = QAction("下载空白导入模板…", self)
        self.import_button = QPushButton(self.import_action.text())
        self.export_button = QPushButton(self.export_action.text())
        self.template_button = QPushButton("下载空白模板…")
        self.loaded_label = QLabel()
        self.loaded_label.setStyleSheet("color: #555;")

        can_edit, can_import = session.can("archive.edit"), session.can("archive.import")
        self.new_button.setEnabled(can_edit)
        for widget in (self.import_action, self.import_button):
            widget.setEnabled(can_import)
        for widget in (self.export_action, self.export_button):
            widget.setEnabled(session.can("archive.export"))

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.category)
        filters.addWidget(self.status)
        filters.addWidget(self.union, 1)
        filters.addWidget(self.overdue)
        filters.addWidget(self.clear_button)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.import_button, self.export_button,
                       self.template_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.loaded_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.reload_on(self.category, self.status, self.union, self.overdue)
        self.clear_button.clicked.connect(self.clear_filters)
        self.new_button.clicked.connect(lambda: new_household(session, self.window()))
        self.open_button.clicked.connect(self._open_current)
        self.import_action.triggered.connect(self.import_file)
        self.import_button.clicked.connect(self.import_file)
        self.export_action.triggered.connect(self.export_list)
        self.export_button.clicked.connect(self.export_list)
        self.template_action.triggered.connect(self.save_template)
        self.template_button.clicked.connect(self.save_template)
        self.model.loaded.connect(self._show_loaded)
        self.model.modelReset.connect(self._first_page_shown)
        self.model.failed.connect(self.query_failed)
        self.setTabOrder(self.search, self.category)
        self.setTabOrder(self.category, self.status)
        self.setTabOrder(self.status, self.union)
        self.setTabOrder(self.union, self.overdue)
        self.setTabOrder(self.overdue, self.table)
        self.refresh()

    # -- the query --
    def current_filter(self) -> HouseholdFilter:
        category, status = self.category.currentData(), self.status.currentData()
        return HouseholdFilter(
            text=self.search.text().strip(),
            categories=frozenset({category} if category else ()),
            statuses=frozenset({status} if status else ()),
            unit_id=self.union.unit_id(),
            visit_overdue=self.overdue.isChecked(),
        )

    def refresh(self) -> None:
        """A new query from the filters (the rows and the counts load off the GUI thread)."""
        self._timer.stop()
        filt, ctx = self.current_filter(), self.ctx
        self.set_status("正在查询……")
        self.model.set_query(filt)
        self.query(lambda: archive.archive_counts(ctx, filt), lambda counts: self.set_status(counts_text(counts)))

    def reload(self) -> None:
        """The same query again, after a change elsewhere (keeps the rows loaded and the selection)."""
        self._timer.stop()
        selected = self.table.current_household_id()
        if selected is not None:
            self._after_load.append(lambda: self.table.select_household(selected))
        filt, ctx = self.current_filter(), self.ctx
        self.model.set_query(filt, keep_loaded=True)
        self.query(lambda: archive.archive_counts(ctx, filt), lambda counts: self.set_status(counts_text(counts)))

    def on_changes(self, changes: ChangeSummary) -> None:
        if changes.settings:
            self.union.reload()
        super().on_changes(changes)

    def _first_page_shown(self) -> None:
        steps, self._after_load = self._after_load, []
        for step in steps:
            step()

    def _search_now(self) -> None:
        def to_the_list() -> None:
            if self.model.rowCount():
                self.table.setFocus()
                self.table.selectRow(0)

        self._after_load.append(to_the_list)
        self.refresh()

    def _show_loaded(self, loaded: int, total: int) -> None:
        self.loaded_label.setText(f"已显示 {loaded} / {total} 户" if loaded < total else f"{total} 户")

    def clear_filters(self) -> None:
        for widget in (self.search, self.category, self.status, self.union, self.overdue):
            widget.blockSignals(True)
        self.search.clear()
        self.category.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.union.set_unit_id(None, emit=False)
        self.overdue.setChecked(False)
        for widget in (self.search, self.category, self.status, self.union, self.overdue):
            widget.blockSignals(False)
        self.refresh()

    def show_filtered(self, *, category: str | None = None, status: str | None = None, unit_id: int | None = None,
                      visit_overdue: bool = False) -> None:
        """Show the households these filters select (the search and other filters cleared),
        e.g. from a bar of the dashboard."""
        widgets = (self.search, self.category, self.status, self.union, self.overdue)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        self.category.setCurrentIndex(max(self.category.findData(category), 0) if category else 0)
        self.status.setCurrentIndex(max(self.status.findData(status), 0) if status else 0)
        self.union.set_unit_id(unit_id, emit=False)
        self.overdue.setChecked(visit_overdue)
        for widget in widgets:
            widget.blockSignals(False)
        self.refresh()

    def activated(self) -> None:
        """Nothing: the archive list follows every change announced, and reloading 100,000
        households at each visit of the page would only cost time."""

    # -- page protocol (see navigation.py) --
    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def menu_actions(self) -> list[QAction]:
        return [self.import_action, self.export_action, self.template_action]

    # -- commands --
    def open_household(self, household_id: int) -> None:
        open_household(self.session, household_id, self.window())

    def _open_current(self) -> None:
        hid = self.table.current_household_id()
        if hid is None:
            messages.info(self, "打开档案", "请先在列表中选择一户。")
        else:
            self.open_household(hid)

    def export_list(self) -> None:
        archive_io.export_flow(self, self.session, self.model.filter, self.model.total)

    def import_file(self) -> None:
        if archive_io.import_flow(self, self.session):
            self.session.announce(ChangeSummary(households=True))

    def save_template(self) -> None:
        archive_io.template_flow(self, self.session)
