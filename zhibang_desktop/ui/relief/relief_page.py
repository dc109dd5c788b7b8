"""救助申请: the request list with filters and counts; new, open, submit, withdraw, print.

Ctrl+N on this page opens a new request (the main window's Ctrl+N, 新建档案, applies
on the other pages).
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QWidget

from ...domain import clock
from ...services.relief import policies
from ...services import relief
from ...services.errors import ServiceError
from ...services.relief.types import STATUS_LABELS, RequestFilter
from ..common import messages
from ..common.executor import ChangeSummary
from ..common.page import hide_unless
from ..common.search_page import SearchListPage
from ..common.session import UiSession
from .relief_common import print_approval_flow, request_changed
from .relief_table_model import LIST_COLUMNS, ReliefTableModel
from .request_table import RequestTable

EDITABLE = ("draft", "returned")
WITHDRAWABLE = ("draft", "returned", "submitted", "in_review")


def open_request(parent: QWidget, session: UiSession, request_id: int):
    """The editor for a draft or returned request (for its clerks), else the request view."""
    from .relief_request_dialog import ReliefRequestDialog
    from .request_view import RequestViewDialog

    try:
        view = relief.get_request(session.ctx, request_id)
    except ServiceError as exc:
        messages.show_service_error(parent, exc, "无法打开申请")
        return None
    if view.can_edit:
        dialog = ReliefRequestDialog(session, view=view, parent=parent)
    else:
        dialog = RequestViewDialog(session, view=view, parent=parent)
    dialog.show()
    return dialog


class ReliefPage(SearchListPage):
    REFRESH_ON = ("requests",)
    COUNT_UNIT = "件"

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent, placeholder="搜索：姓名 / 身份证号 / 申请编号", overdue="审核超期",
                         union_width=170)
        self.dialogs: list[QWidget] = []
        self.year = QComboBox()
        self.quarter = QComboBox()
        self.quarter.addItem("全部季度", None)
        for q, text in enumerate("一二三四", start=1):
            self.quarter.addItem(f"第{text}季度", q)
        self.state = QComboBox()
        self.state.addItem("全部状态", None)
        self.state.addItem("待审核", "open")
        self.state.setItemData(1, "已提交及审核中的申请", Qt.ToolTipRole)
        for code, label in STATUS_LABELS.items():
            self.state.addItem(label, code)
        self.type = QComboBox()
        self.type.setMinimumWidth(110)
        self.overdue.setToolTip("当前审核级已超过规定的工作日，或有一级审核超期")
        self.year.addItem("全部年度", None)
        self.type.addItem("全部类型", None)

        self.model = ReliefTableModel(session.executor, LIST_COLUMNS, self)
        self.table = RequestTable(self.model, key="relief_requests")
        self.table.openRequested.connect(self.open_request)

        self.new_button = QPushButton("新建申请")
        self.new_button.setToolTip("新建救助申请（Ctrl+N）")
        self.open_button = QPushButton("打开")
        self.submit_button = QPushButton("提交审核")
        self.withdraw_button = QPushButton("撤回")
        self.print_button = QPushButton("打印审批表…")
        self.print_button.setToolTip("预览并打印所选申请的救助申请审批表（也可另存为 PDF）")
        self.can_create = session.can("relief.create")
        self.new_button.setEnabled(self.can_create)
        hide_unless(self.can_create, self.submit_button, self.withdraw_button)

        self.lay_out((self.year, self.quarter, self.state, self.type),
                     (self.new_button, self.open_button, self.submit_button, self.withdraw_button, self.print_button),
                     self.table, self.model)
        self.reload_on(self.quarter, self.state, self.type, self.union, self.overdue)
        self.year.currentIndexChanged.connect(self._year_changed)
        self.new_button.clicked.connect(self.new_request)
        self.open_button.clicked.connect(self._open_current)
        self.submit_button.clicked.connect(self.submit_current)
        self.withdraw_button.clicked.connect(self.withdraw_current)
        self.print_button.clicked.connect(self.print_current)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._load_choices(refresh=True)

    # -- filter choices: the years with a policy, and the relief types of the chosen year --
    def _load_choices(self, *, refresh: bool = False) -> None:
        """Fill the year and type combos off the GUI thread; then (`refresh`) run the query."""
        ctx, year = self.ctx, self.year.currentData()

        def work():
            years = sorted({p.year for p in policies.list_policies(ctx)}, reverse=True)
            return years, _type_names(ctx, [year] if year is not None else years)

        def show(result) -> None:
            years, names = result
            self._fill_years(years)
            self._fill_types(names)
            if refresh:
                self.refresh()

        def failed(exc: Exception) -> None:  # no policy data: the filters offer "全部" only
            if refresh:
                self.refresh()

        self.query(work, show, failed, key="choices")

    def _fill_years(self, policy_years: list[int]) -> None:
        current = self.year.currentData()
        this_year = clock.today().year
        years = sorted(set(policy_years) | {this_year, this_year - 1} | ({current} if current else set()), reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("全部年度", None)
        for y in years:
            self.year.addItem(f"{y}年", y)
        index = self.year.findData(current) if current is not None else 0
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)

    def _fill_types(self, names: dict[str, str]) -> None:
        current = self.type.currentData()
        self.type.blockSignals(True)
        self.type.clear()
        self.type.addItem("全部类型", None)
        for code, name in names.items():
            self.type.addItem(name, code)
        index = self.type.findData(current) if current is not None else 0
        self.type.setCurrentIndex(max(index, 0))
        self.type.blockSignals(False)

    def _year_changed(self) -> None:
        self._load_choices(refresh=True)

    # -- the query --
    def current_filter(self, **changes) -> RequestFilter:
        flt = RequestFilter(
            status=self.state.currentData(), relief_type=self.type.currentData(), year=self.year.currentData(),
            quarter=self.quarter.currentData(), unit_id=self.union.unit_id(),
            overdue=True if self.overdue.isChecked() else None, text=self.search.text().strip() or None,
        )
        for key, value in changes.items():
            setattr(flt, key, value)
        return flt

    def refresh(self, *, keep_loaded: bool = False) -> None:
        """A new query from the filters: the rows and the counts load off the GUI thread."""
        self._timer.stop()
        selected = self.table.current_request_id()
        if selected is not None:
            self.after_load(lambda: self.table.select_request(selected))
        ctx, flt = self.ctx, self.current_filter()
        self.model.load(lambda offset, limit: relief.list_requests(ctx, replace(flt, offset=offset, limit=limit)),
                        keep_loaded=keep_loaded)
        self.query(lambda: _counts_text(ctx, flt), self.set_status)

    def reload(self) -> None:
        self.refresh(keep_loaded=True)

    def on_changes(self, changes: ChangeSummary) -> None:
        if changes.requests and changes.request_id is not None:
            self.after_load(lambda: self.table.select_request(changes.request_id))
        super().on_changes(changes)

    def first_page_shown(self) -> None:
        self._update_buttons()

    def reset_choices(self) -> None:
        self._load_choices(refresh=True)

    def show_filtered(self, *, year: int | None = None, status: str | None = None, overdue: bool = False,
                      unit_id: int | None = None) -> None:
        """Show the requests these filters select (the others cleared), e.g. from a bar of the dashboard."""
        widgets = (self.search, self.year, self.quarter, self.state, self.type, self.union, self.overdue)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        index = self.year.findData(year) if year is not None else 0
        if index < 0:
            self.year.addItem(f"{year}年", year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)
        self.quarter.setCurrentIndex(0)
        self.state.setCurrentIndex(max(self.state.findData(status), 0) if status else 0)
        self.type.setCurrentIndex(0)
        self.union.set_unit_id(unit_id, emit=False)
        self.overdue.setChecked(overdue)
        for widget in widgets:
            widget.blockSignals(False)
        self._load_choices(refresh=True)

    def _update_buttons(self) -> None:
        row = self.table.current_summary()
        self.open_button.setEnabled(row is not None)
        self.print_button.setEnabled(row is not None)
        self.submit_button.setEnabled(self.can_create and row is not None and row.status in EDITABLE)
        self.withdraw_button.setEnabled(self.can_create and row is not None and row.status in WITHDRAWABLE)

    # -- page protocol (see navigation.py) --
    def activated(self) -> None:
        self._load_choices()
        self.refresh(keep_loaded=True)
        if QApplication.mouseButtons() & Qt.LeftButton:
            # reached by a click in the navigation: take the focus, so that Ctrl+N means
            # 新建申请 here (keyboard navigation through the list keeps its focus)
            QTimer.singleShot(0, lambda: self.table.setFocus(Qt.OtherFocusReason))

    def event(self, event: QEvent) -> bool:
        # Ctrl+N means 新建申请 while the focus is on this page: claim it before the
        # main window's 新建档案 shortcut sees it.
        if event.type() == QEvent.ShortcutOverride and event.matches(QKeySequence.New):
            event.accept()
            return True
        if event.type() == QEvent.KeyPress and event.matches(QKeySequence.New):
            self.new_request()
            return True
        return super().event(event)

    # -- commands --
    def _keep(self, dialog: QWidget | None) -> QWidget | None:
        if dialog is not None:
            self.dialogs = [d for d in self.dialogs if _alive(d)] + [dialog]
        return dialog

    def new_request(self):
        if not self.can_create:
            return None
        from .relief_request_dialog import ReliefRequestDialog

        dialog = ReliefRequestDialog(self.session, parent=self.window())
        dialog.show()
        return self._keep(dialog)

    def open_request(self, request_id: int):
        return self._keep(open_request(self.window(), self.session, request_id))

    def _selected(self, action: str):
        row = self.table.current_summary()
        if row is None:
            messages.info(self, action, "请先在列表中选择一件申请。")
        return row

    def _open_current(self) -> None:
        row = self._selected("打开申请")
        if row is not None:
            self.open_request(row.id)

    def submit_current(self) -> None:
        row = self._selected("提交审核")
        if row is None:
            return
        try:
            view = self.session.executor.call(lambda: relief.submit_request(self.session.ctx, row.id),
                                              changes=request_changed)
        except ServiceError as exc:
            messages.show_service_error(self, exc, f"无法提交 {row.number}")
            return
        level = view.pending.level_name if view.pending else ""
        messages.info(self, "提交审核", f"申请 {view.number} 已提交" + (f"，等待{level}审核。" if level else "。"))

    def withdraw_current(self) -> None:
        row = self._selected("撤回申请")
        if row is None:
            return
        if not messages.ask(self, "撤回申请", f"撤回 {row.number}（{row.name}，{row.relief_type_name}）？\n"
                                          "撤回后该申请不再审核，需要时请重新录入。", yes="撤回", no="不撤回"):
            return
        try:
            self.session.executor.call(lambda: relief.withdraw(self.session.ctx, row.id), changes=request_changed)
        except ServiceError as exc:
            messages.show_service_error(self, exc, f"无法撤回 {row.number}")
            return

    def print_current(self):
        row = self._selected("打印审批表")
        if row is None:
            return None
        result = print_approval_flow(self, self.session, row.id, row.number)
        return self._keep(result) if isinstance(result, QWidget) else result


def _type_names(ctx, years: list[int]) -> dict[str, str]:
    """Relief type code -> name, over the policies of these years (off the GUI thread)."""
    names: dict[str, str] = {}
    for y in years:
        try:
            options = policies.policy_options(ctx, y)
        except ServiceError:
            continue
        for t in options.relief_types:
            names.setdefault(t.code, t.name)
    return names


def _counts_text(ctx, flt: RequestFilter) -> str:
    """共 N 件申请 and, where the filters leave room for them, the open, draft, returned and
    overdue counts (off the GUI thread)."""
    def count(**changes) -> int:
        return relief.list_requests(ctx, replace(flt, offset=0, limit=1, **changes)).total

    total = count()
    parts = [f"共 {total} 件申请"]
    if total:
        if flt.status in (None, "open"):
            parts.append(f"待审核 {count(status='open')}")
        if flt.status in (None, "draft"):
            parts.append(f"草稿 {count(status='draft')}")
        if flt.status in (None, "returned"):
            parts.append(f"已退回 {count(status='returned')}")
        if not flt.overdue:
            parts.append(f"审核超期 {count(overdue=True)}")
    return "，".join(parts)


def _alive(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:  # deleted on close
        return False
