"""困难职工档案: the searchable, filterable household list with import and export."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QMenu, QPushButton, QWidget

from ...services import archive
from ...services.archive.types import ArchiveCounts, HouseholdFilter
from ..common import labels, messages
from ..common.executor import ChangeSummary
from ..common.search_page import SearchListPage
from ..common.session import UiSession
from ..relief.request_from_household import TITLE as NEW_REQUEST, request_blocker
from . import archive_io
from .household_table import HouseholdTable
from .household_table_model import HouseholdTableModel


def counts_text(counts: ArchiveCounts) -> str:
    by = counts.by_status
    return (f"共 {counts.total} 户，在档 {by.get('active', 0)}，渐退 {by.get('phasing_out', 0)}，"
            f"走访逾期 {counts.visits_overdue}")


def household_search(ctx):
    """The model's query (run off the GUI thread): a page from the start or after `after`;
    it stops early once `stop()` is true."""
    def search(filt, sort, descending, after, limit, count, stop=None):
        return archive.search_households(ctx, filt, sort=sort, descending=descending, limit=limit, after=after,
                                         count=count, stop=stop)
    return search


def household_counts(ctx):
    """The model's counts (run off the GUI thread; `quick`: None rather than a slow count)."""
    return lambda filt, quick, stop=None: archive.archive_counts(ctx, filt, quick=quick, stop=stop)


class ArchivePage(SearchListPage):
    REFRESH_ON = ("households",)
    COUNT_UNIT = "户"

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent, overdue="走访逾期", union_width=200,
                         placeholder="搜索：姓名 / 拼音 / 首字母 / 身份证号（或末几位）/ 档案号 / 电话")
        ctx = session.ctx
        self.category = QComboBox()
        self.category.addItem("全部类别", None)
        for code, label in labels.CATEGORIES.items():
            self.category.addItem(label, code)
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for code, label in labels.STATUSES.items():
            self.status.addItem(label, code)

        self.model = HouseholdTableModel(household_search(ctx), session.executor, self, counts=household_counts(ctx))
        self.model.countsShown.connect(lambda counts: self.set_status(counts_text(counts)))
        self.table = HouseholdTable(self.model)
        self.table.openRequested.connect(self.open_household)

        self.new_button = QPushButton("新建档案")
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton("打开")
        self.open_action = QAction("打开", self)
        # a relief request for the chosen household (also on the list's context menu)
        self.request_action = QAction(NEW_REQUEST + "…", self)
        self.request_button = QPushButton(NEW_REQUEST)
        self.import_action = QAction("导入档案（Excel）…", self)
        self.export_action = QAction("导出当前列表（Excel）…", self)
        self.template_action = QAction("下载空白导入模板…", self)
        self.import_button = QPushButton(self.import_action.text())
        self.export_button = QPushButton(self.export_action.text())
        self.template_button = QPushButton("下载空白模板…")
        self.print_form_action = QAction("打印选中一户的档案表…", self)
        self.print_list_action = QAction("打印当前列表的档案表…", self)
        self.print_visits_action = QAction("打印应走访家庭的入户走访表（预填）…", self)
        self.print_blank_visits_action = QAction("打印应走访家庭的入户走访表（空白）…", self)
        self.print_actions = (self.print_form_action, self.print_list_action, self.print_visits_action,
                              self.print_blank_visits_action)
        self.print_button = QPushButton("打印…")
        self.print_button.setMenu(QMenu(self.print_button))
        self.print_button.menu().addActions(list(self.print_actions))

        can_edit, can_import = session.can("archive.edit"), session.can("archive.import")
        self.new_button.setEnabled(can_edit)
        for widget in (self.import_action, self.import_button):
            widget.setEnabled(can_import)
        for widget in (self.export_action, self.export_button, self.print_form_action, self.print_list_action):
            widget.setEnabled(session.can("archive.export"))  # the 档案表 carries full ID and card numbers

        self.lay_out((self.category, self.status), (self.new_button, self.open_button, self.request_button,
                                                    self.import_button, self.export_button, self.template_button,
                                                    self.print_button),
                     self.table, self.model)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.show_context_menu)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_request_action())
        for signal in (self.model.modelReset, self.model.dataChanged, self.model.layoutChanged):
            signal.connect(lambda *_: self._update_request_action())
        self._update_request_action()
        self.reload_on(self.category, self.status, self.union, self.overdue)
        self.new_button.clicked.connect(self.new_household)
        self.open_button.clicked.connect(self._open_current)
        self.open_action.triggered.connect(self._open_current)
        self.request_action.triggered.connect(self.new_request)
        self.request_button.clicked.connect(self.new_request)
        self.import_action.triggered.connect(self.import_file)
        self.import_button.clicked.connect(self.import_file)
        self.export_action.triggered.connect(self.export_list)
        self.export_button.clicked.connect(self.export_list)
        self.template_action.triggered.connect(self.save_template)
        self.template_button.clicked.connect(self.save_template)
        self.print_form_action.triggered.connect(self.print_selected_form)
        self.print_list_action.triggered.connect(self.print_list_forms)
        self.print_visits_action.triggered.connect(lambda: self.print_visit_forms(prefilled=True))
        self.print_blank_visits_action.triggered.connect(lambda: self.print_visit_forms(prefilled=False))
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
        """A new query from the filters (the rows and the counts load off the GUI thread, in
        one round trip when the counts are quick; the status says 正在查询 until they are in)."""
        self._timer.stop()
        self.set_status("正在查询……")
        self.model.set_query(self.current_filter())

    def reload(self) -> None:
        """The same query again, after a change elsewhere (keeps the rows loaded and the selection)."""
        self._timer.stop()
        selected = self.table.current_household_id()
        if selected is not None:
            self.after_load(lambda: self.table.select_household(selected))
        self.model.set_query(self.current_filter(), keep_loaded=True)

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
    def menu_actions(self) -> list[QAction]:
        """The main window's 档案 menu: the chosen household's commands, then the list's."""
        chosen_end = QAction(self)
        chosen_end.setSeparator(True)
        return [self.open_action, self.request_action, chosen_end,
                self.import_action, self.export_action, self.template_action, *self.print_actions]

    # -- commands --
    # the household editor (and the services of its tabs) loads when a household is first opened
    def new_household(self) -> None:
        from .household_windows import new_household

        new_household(self.session, self.window())

    def open_household(self, household_id: int) -> None:
        from .household_windows import open_household

        open_household(self.session, household_id, self.window())

    def _open_current(self) -> None:
        hid = self.table.current_household_id()
        if hid is None:
            messages.info(self, "打开档案", "请先在列表中选择一户。")
        else:
            self.open_household(hid)

    def _chosen_for_request(self):
        """(the chosen household's row or None, why 新建救助申请 is disabled for it — "" when it is not)."""
        row = self.table.current_row()
        return row, request_blocker(self.session, row.status if row else None)

    def _update_request_action(self) -> None:
        _, blocker = self._chosen_for_request()
        for widget in (self.request_action, self.request_button):
            widget.setEnabled(not blocker)
            widget.setToolTip(blocker or "为选中的一户新建救助申请（不必再查找）")

    def context_menu(self) -> QMenu:
        """The chosen household's commands (the list's right-click menu)."""
        self._update_request_action()
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # a disabled command says why
        menu.addActions([self.open_action, self.request_action, self.print_form_action])
        menu.setAttribute(Qt.WA_DeleteOnClose)
        return menu

    def show_context_menu(self, pos: QPoint) -> None:
        if self.table.indexAt(pos).isValid():
            self.context_menu().popup(self.table.viewport().mapToGlobal(pos))

    def new_request(self) -> None:
        row, blocker = self._chosen_for_request()
        if blocker:
            messages.info(self, NEW_REQUEST, blocker)
            return
        from ..relief.request_from_household import new_request_for

        new_request_for(self.session, row.id, self.window())

    def listed_count(self) -> int:
        """The number of households the list's filter selects; counted here when its counts
        are still on their way (the first rows of a broad query show before them)."""
        if self.model.counts is not None:
            return self.model.total
        return archive.archive_counts(self.ctx, self.model.filter).total

    def export_list(self) -> None:
        archive_io.export_flow(self, self.session, self.model.filter, self.listed_count())

    def import_file(self) -> None:
        if archive_io.import_flow(self, self.session):
            self.session.announce(ChangeSummary(households=True))

    # the printing modules (reportlab, pdfium) load when something is first printed
    def print_selected_form(self) -> None:
        from . import archive_prints

        hid = self.table.current_household_id()
        if hid is None:
            messages.info(self, "打印档案表", "请先在列表中选择一户。")
            return
        archive_prints.print_archive_forms(self, self.session, household_id=hid)

    def print_list_forms(self) -> None:
        from . import archive_prints

        archive_prints.print_archive_forms(self, self.session, filt=self.model.filter, count=self.listed_count())

    def print_visit_forms(self, prefilled: bool) -> None:
        """The households due a visit (overdue or within 30 days) in the union chosen above."""
        from ...services.archive.printing import due_filter
        from . import archive_prints

        archive_prints.print_visit_forms(self, self.session, due_filter(self.union.unit_id()), prefilled=prefilled)

    def save_template(self) -> None:
        archive_io.template_flow(self, self.session)
