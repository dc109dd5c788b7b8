"""资金: fund sources, budget lines with their history, allocations to lower unions, and
execution at any date with a drill-down to the payments (issue 12).

Seed 001: 480,000 cut to 270,000, 98.44 % spent; seed 002: sources with their allowed uses
and the carry-over; seed 004: allocations to the counties and what they reported back.
The admin or the head sets budgets; everyone who reads reports sees them (within scope).
Its queries run off the GUI thread; it reloads after any change of budgets or payouts.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from ...domain import clock
from ...domain.permissions import denied_message
from ...services import funds
from ..common import labels
from ..common.page import Page
from .funds_dialogs import AddBudgetDialog, AdjustDialog, AllocateDialog, CarryOverDialog, ReportSpendingDialog, \
    SourceDialog
from .funds_plan_dialog import PlanDialog
from .funds_models import (
    ALLOCATION_COLUMNS, EXECUTION_COLUMNS, LINE_COLUMNS, PAYMENT_COLUMNS, SOURCE_COLUMNS, negative_remaining,
)
from ..payout.payout_models import RowsModel
from ..common.session import UiSession
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.rows_table import RowsTable
from ..common.widgets.union_combo import union_filter

MANAGE = "funds.manage"
SOURCES = "funds.sources"  # office-wide: not for a user bound to a union
VIEWS = (("by_line", "按预算指标"), ("by_source", "按资金来源"), ("by_programme", "按项目"),
         ("by_relief_type", "按救助类型"))


class FundsPage(Page):
    REFRESH_ON = ("funds", "payouts")

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        can = session.can(MANAGE)
        this_year = clock.today().year

        self.year = QComboBox()
        for y in range(this_year + 1, this_year - 6, -1):
            self.year.addItem(f"{y} 年", y)
        self.year.setCurrentIndex(1)
        self.as_of = DateEdit()
        self.as_of.setToolTip("执行情况截至该日（默认今天）")
        # the budget lines, allocations and execution of a union's subtree (in a city's database: of one county)
        self.union = union_filter(session)
        self.union.setMinimumWidth(180)
        self.union.setToolTip("预算指标、下拨和执行情况只列该工会及其下级工会的")
        self.add_button = QPushButton("新增预算…")
        self.carry_button = QPushButton("年末结转…")
        self.plan_button = QPushButton("预算测算…")
        self.refresh_button = QPushButton("刷新")
        for b in (self.add_button, self.carry_button):
            b.setEnabled(can)

        # budget lines with their history
        self.lines = RowsModel(LINE_COLUMNS, self, foreground=negative_remaining)
        self.line_table = RowsTable(self.lines)
        self.history = QTextBrowser()
        self.adjust_button = QPushButton("调整预算…")
        self.allocate_button = QPushButton("下拨…")
        lines_tab = QWidget()
        lt = QVBoxLayout(lines_tab)
        buttons = QHBoxLayout()
        buttons.addWidget(self.adjust_button)
        buttons.addWidget(self.allocate_button)
        buttons.addStretch(1)
        lt.addLayout(buttons)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.line_table)
        split.addWidget(self.history)
        split.setSizes([260, 200])
        lt.addWidget(split, 1)

        # allocations
        self.allocations = RowsModel(ALLOCATION_COLUMNS, self)
        self.allocation_table = RowsTable(self.allocations)
        self.report_button = QPushButton("登记报告支出…")
        alloc_tab = QWidget()
        at = QVBoxLayout(alloc_tab)
        row = QHBoxLayout()
        row.addWidget(self.report_button)
        row.addStretch(1)
        at.addLayout(row)
        at.addWidget(self.allocation_table, 1)

        # execution with drill-down
        self.view = QComboBox()
        for key, text in VIEWS:
            self.view.addItem(text, key)
        self.execution = RowsModel(EXECUTION_COLUMNS, self, foreground=negative_remaining, key=lambda r: r.key)
        self.execution_table = RowsTable(self.execution)
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        self.total_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.payments = RowsModel(PAYMENT_COLUMNS, self, key=lambda d: d.line_id)
        self.payment_table = RowsTable(self.payments)
        self.drill_label = QLabel("双击上表一行，查看其发放明细")
        exec_tab = self.execution_tab = QWidget()
        et = QVBoxLayout(exec_tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("汇总方式"))
        row.addWidget(self.view)
        row.addStretch(1)
        et.addLayout(row)
        et.addWidget(self.total_label)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.execution_table)
        lower = QWidget()
        lw = QVBoxLayout(lower)
        lw.setContentsMargins(0, 0, 0, 0)
        lw.addWidget(self.drill_label)
        lw.addWidget(self.payment_table, 1)
        split.addWidget(lower)
        split.setSizes([200, 260])
        et.addWidget(split, 1)

        # sources
        self.sources = RowsModel(SOURCE_COLUMNS, self)
        self.source_table = RowsTable(self.sources)
        self.source_button = QPushButton("新增资金来源…")
        self.source_button.setEnabled(session.can(SOURCES))
        if can and not session.can(SOURCES):  # a budget holder bound to a union: say why, as the service would
            actor = session.actor
            self.source_button.setToolTip(denied_message(SOURCES, actor.roles, actor.scope_unit_id))
        src_tab = QWidget()
        st = QVBoxLayout(src_tab)
        row = QHBoxLayout()
        row.addWidget(self.source_button)
        row.addStretch(1)
        st.addLayout(row)
        st.addWidget(self.source_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(lines_tab, "预算指标")
        self.tabs.addTab(alloc_tab, "下拨")
        self.tabs.addTab(exec_tab, "执行情况")
        self.tabs.addTab(src_tab, "资金来源")

        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addWidget(QLabel("截至"))
        top.addWidget(self.as_of)
        top.addWidget(QLabel("工会"))
        top.addWidget(self.union)
        top.addStretch(1)
        for b in (self.add_button, self.carry_button, self.plan_button, self.refresh_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self.year.currentIndexChanged.connect(lambda _: self.reload())
        self.as_of.dateChanged.connect(lambda _: self.reload())
        self.view.currentIndexChanged.connect(lambda _: self._show_execution())
        self.union.currentIndexChanged.connect(lambda _: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.add_button.clicked.connect(self.add_budget)
        self.carry_button.clicked.connect(self.carry_over)
        self.plan_button.clicked.connect(self.open_plan)
        self.adjust_button.clicked.connect(self.adjust)
        self.allocate_button.clicked.connect(self.allocate)
        self.report_button.clicked.connect(self.report_spending)
        self.source_button.clicked.connect(self.add_source)
        self.line_table.currentRowChanged.connect(lambda _: self._show_history())
        self.allocation_table.currentRowChanged.connect(lambda _: self._update_buttons())
        self.execution_table.activatedRow.connect(lambda _: self.drill_down())
        self.report: funds.ExecutionReport | None = None
        # no query here: the page loads when it is shown (activated), so a user who does not
        # open 资金 computes no execution report at start-up

    def on_changes(self, changes) -> None:
        if self.isVisible():  # a hidden page reloads when it is shown again
            super().on_changes(changes)

    @property
    def selected_year(self) -> int:
        return self.year.currentData()

    # -- loading --
    def reload(self, select_line: int | None = None, *, then=None) -> None:
        """Query the year off the GUI thread, keep (or select) the budget line, then run `then()`."""
        current = self.line_table.current_item()
        keep = select_line if select_line is not None else (current.id if current else None)
        ctx, year, as_of, unit = self.ctx, self.selected_year, self.as_of.value(), self.union.unit_id()
        whose = self.union.currentText() if unit is not None else ""

        def work():
            return (funds.list_budgets(ctx, year, as_of, unit_id=unit), funds.execution(ctx, year, as_of, unit),
                    funds.list_allocations(ctx, year, unit_id=unit), funds.list_sources(ctx))

        def show(result) -> None:
            self._show_year(year, whose, keep, *result)
            if then is not None:
                then()

        self.query(work, show, key="year")

    def _show_year(self, year: int, whose: str, keep: int | None, rows, report, allocations, sources) -> None:
        self.report = report
        self.lines.set_rows(rows)
        if keep is None or not self.line_table.select_key(keep):
            if rows:
                self.line_table.selectRow(0)
        self.allocations.set_rows(allocations)
        self.sources.set_rows(sources)
        self._show_execution()
        self._show_history()
        t = self.report.total
        self.set_status(f"{year} 年{whose}预算 {labels.yuan(t.budget_fen)} 元，已发放（含下拨）{labels.yuan(t.spent_fen)} 元，"
                     f"执行率 {funds.rate_text(t.rate_bp)}")

    def _show_execution(self) -> None:
        r = self.report
        if r is None:
            return
        self.execution.set_rows(getattr(r, self.view.currentData()))
        t = r.total
        text = (f"截至 {labels.day(r.as_of)}：预算 {labels.yuan(t.budget_fen)} 元（其中上年结转 {labels.yuan(t.carried_in_fen)} 元），"
                f"下拨 {labels.yuan(t.allocated_fen)} 元，待发放 {labels.yuan(t.committed_fen)} 元，"
                f"已发放 {labels.yuan(t.paid_fen)} 元，退回 {labels.yuan(t.returned_fen)} 元，"
                f"余额 {labels.yuan(t.remaining_fen)} 元，执行率 {funds.rate_text(t.rate_bp)}")
        if r.unbudgeted_count:
            text += f"。另有 {r.unbudgeted_count} 笔、{labels.yuan(r.unbudgeted_fen)} 元发放未纳入预算"
        self.total_label.setText(text)
        self.payments.set_rows([])
        self.drill_label.setText("双击上表一行，查看其发放明细")

    def _show_history(self) -> None:
        v = self.line_table.current_item()
        self._update_buttons()
        if v is None:
            if self.union.unit_id() is not None:
                self.history.setPlainText(f"（{self.union.currentText()}及其下级工会本年度没有预算指标）")
            else:
                self.history.setPlainText("（本年度还没有预算指标。管理员或负责人可点“新增预算…”）")
            return
        parts = [f"<b>{v.label}</b>　所属：{v.unit_name}",
                 f"{labels.day(v.set_on)}　年初预算 {labels.yuan(v.initial_fen)} 元" + (f"（{v.doc_no}）" if v.doc_no else "")]
        parts += [f"{labels.day(c.confirmed_at.date())}　上年结转转入 {labels.yuan(c.amount_fen)} 元"
                  + (f"（{c.note}）" if c.note else "") for c in v.carried_in]
        parts += [f"{labels.day(a.adjusted_on)}　{a.kind_label} {labels.yuan(abs(a.amount_fen))} 元：{a.reason}"
                  + (f"（{a.doc_no}）" if a.doc_no else "") for a in v.adjustments]
        parts += [f"{labels.day(a.allocated_on)}　下拨 {a.unit_name} {labels.yuan(a.amount_fen)} 元"
                  + (f"（{a.doc_no}）" if a.doc_no else "")
                  + (f"，报告支出 {labels.yuan(a.reported_spent_fen)} 元" if a.reported_spent_fen is not None else "")
                  for a in v.allocations]
        if v.carried_out is not None:
            c = v.carried_out
            parts.append(f"年末结转 {labels.yuan(c.amount_fen)} 元至 {c.to_year} 年")
        parts.append(f"当前预算 {labels.yuan(v.figures.budget_fen)} 元，余额 {labels.yuan(v.figures.remaining_fen)} 元，"
                     f"执行率 {funds.rate_text(v.figures.rate_bp)}")
        self.history.setHtml("<br>".join(parts))

    def _update_buttons(self) -> None:
        can = self.session.can(MANAGE)
        line = self.line_table.current_item()
        self.adjust_button.setEnabled(can and line is not None)
        self.allocate_button.setEnabled(can and line is not None)
        self.report_button.setEnabled(can and self.allocation_table.current_item() is not None)

    def show_filtered(self, *, year: int, view: str = "by_source", key: str | None = None,
                      unit_id: int | None = None) -> None:
        """The execution tab of `year` summed by `view` (one of VIEWS), of `unit_id`'s budget lines
        (all when None); with `key`, that row's payments listed below (e.g. a fund source's bar
        of the dashboard)."""
        for combo in (self.year, self.view, self.union):
            combo.blockSignals(True)
        index = self.year.findData(year)
        if index < 0:
            self.year.addItem(f"{year} 年", year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)
        self.view.setCurrentIndex(max(self.view.findData(view), 0))
        self.union.set_unit_id(unit_id, emit=False)
        for combo in (self.year, self.view, self.union):
            combo.blockSignals(False)
        self.tabs.setCurrentWidget(self.execution_tab)

        def to_the_row() -> None:
            if key is not None and self.execution_table.select_key(key):
                self.drill_down()

        self.reload(then=to_the_row)

    # -- drill-down --
    def drill_down(self) -> None:
        row = self.execution_table.current_item()
        if row is None or self.report is None:
            return
        key = self.view.currentData()
        field = {"by_line": "budget_line_id", "by_source": "source_code", "by_programme": "programme",
                 "by_relief_type": "relief_type"}[key]
        where = {field: int(row.key) if field == "budget_line_id" else row.key}
        ctx, year, as_of, label = self.ctx, self.selected_year, self.report.as_of, row.label
        where["unit_id"] = self.union.unit_id()

        def show(rows) -> None:
            self.payments.set_rows(rows)
            self.drill_label.setText(f"{label}：{len(rows)} 笔，{labels.yuan(sum(d.amount_fen for d in rows))} 元")

        self.query(lambda: funds.execution_payments(ctx, year, as_of=as_of, **where), show, key="drill")

    # -- actions (the dialogs write through the executor, which announces the change: this page reloads) --
    def _run(self, dialog) -> object | None:
        if dialog.exec() and dialog.result_value is not None:
            return dialog.result_value
        return None

    def add_budget(self):
        v = self._run(AddBudgetDialog(self.session, self.selected_year, self))
        if v is not None:
            index = self.year.findData(v.year)
            if index >= 0 and index != self.year.currentIndex():
                self.year.setCurrentIndex(index)
            self.reload(v.id, then=lambda: self._find_new_line(v.id))
        return v

    def _find_new_line(self, line_id: int) -> None:
        """A line added outside the union chosen is not listed: list every union's lines to show it."""
        if self.union.unit_id() is not None and self.lines.row_of(line_id) < 0:
            self.union.set_unit_id(None, emit=False)
            self.reload(line_id)

    def adjust(self):
        line = self.line_table.current_item()
        if line is None:
            return None
        v = self._run(AdjustDialog(self.session, line, self))
        if v is not None:
            self.reload(v.id)
        return v

    def allocate(self):
        line = self.line_table.current_item()
        if line is None:
            return None
        a = self._run(AllocateDialog(self.session, line, self))
        if a is not None:
            self.reload(line.id)
        return a

    def report_spending(self):
        a = self.allocation_table.current_item()
        if a is None:
            return None
        done = self._run(ReportSpendingDialog(self.session, a, self))
        if done is not None:
            self.reload(then=lambda: self.allocation_table.select_key(done.id))
        return done

    def carry_over(self):
        done = self._run(CarryOverDialog(self.session, self.selected_year, self))
        if done is not None:
            total = labels.yuan(sum(c.amount_fen for c in done))
            self.reload(then=lambda: self.set_status(f"已结转 {len(done)} 项，合计 {total} 元"))
        return done

    def add_source(self):
        return self._run(SourceDialog(self.session, self.selected_year, self))

    def open_plan(self):
        dialog = PlanDialog(self.session, self.selected_year + 1, self)
        dialog.exec()
        return dialog
