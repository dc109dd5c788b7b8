"""报表: the auditors' indicators (DESIGN.md §3) for a period and a union subtree — the
compliance rate, review and payout timeliness, archive coverage, real-name payout, budget
execution and the rest — each with its definition, its figures and the records behind it;
a double-click on a record opens its request or household.

The head, the auditor and the clerk read it (report.read), within their union scope.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget,
)

from ...domain import clock
from ...domain.money import yuan_text
from ...services import reports
from ...services.admin import settings
from ..common.page import Page, hide_unless
from ..common.rows_model import RIGHT, Col, RowsModel
from ..common.session import UiSession
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.rows_table import RowsTable
from ..common.widgets.union_combo import union_filter
from .city_import import can_import
from .exchange_export import can_export, export_exchange_file
from .report_exports import export_annual_xlsx, export_selfeval_file, preview_annual

PERIODS = (("year", "全年"), ("quarter", "季度"), ("custom", "自定义"))
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
MONEY_FIGURES = {"budget_execution"}  # indicators whose numerator and denominator are money (fen)
PICK_HINT = "选择上表中的一项指标，查看其不达标的记录"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def payouts_text(paid) -> str:
    """期内发放 12 户 12 笔，合计 18,000.00 元（季度救助 9,000.00 元，…）, or that nothing was paid."""
    t = paid.total
    if not t.payments:
        return "期内没有发放记录"
    kinds = "，".join(f"{r.name} {yuan_text(r.amount_fen)} 元" for r in paid.by_type)
    return f"期内发放 {t.households} 户 {t.payments} 笔，合计 {yuan_text(t.amount_fen)} 元（{kinds}）"


def value_text(i) -> str:
    text = i.value_text if i.answerable else f"无法计算：{i.reason}"
    return f"{text}（{i.source}）" if i.source else text


def figures_text(i) -> str:
    if not i.answerable or i.numerator is None or i.denominator is None:
        return ""
    if i.key in MONEY_FIGURES:
        return f"{yuan_text(i.numerator)} / {yuan_text(i.denominator)} 元"
    return f"{i.numerator} / {i.denominator}"


def target_text(e) -> str:
    if e.request_id is not None:
        return "申请"
    return "档案" if e.household_id is not None else ""


INDICATOR_COLUMNS = (
    Col("指标", lambda i: i.name, width=170, tip=lambda i: i.definition),
    Col("数值", value_text, width=200, tip=lambda i: i.reason or i.definition),
    Col("分子 / 分母", figures_text, RIGHT, 140),
    Col("不达标", lambda i: str(i.shortfalls) if i.shortfalls else "", RIGHT, 56),
    Col("依据", lambda i: i.seed, stretch=True, tip=lambda i: i.seed),
)

EXCEPTION_COLUMNS = (
    Col("序号", lambda e: "", RIGHT, 48),  # filled by the model's row number
    Col("情况", lambda e: e.description, stretch=True, tip=lambda e: e.description),
    Col("书面说明", lambda e: e.justification, width=300, tip=lambda e: e.justification or None),
    Col("打开", target_text, width=56),
)


class _Numbered(RowsModel):
    """Rows numbered 1, 2, … in the first column."""

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and index.column() == 0 and index.isValid():
            return str(index.row() + 1)
        return super().data(index, role)


class ReportsPage(Page):
    REFRESH_ON = ("households", "requests", "notices", "payouts", "settings", "policies")

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        today = clock.today()
        self.result: list | None = None
        self.shown_period: tuple[date, date, int | None] | None = None
        self.payouts = None

        self.period = QComboBox()
        for key, text in PERIODS:
            self.period.addItem(text, key)
        self.year = QComboBox()
        for y in range(today.year + 1, today.year - 6, -1):
            self.year.addItem(f"{y} 年", y)
        self.year.setCurrentIndex(1)
        self.quarter = QComboBox()
        for q, text in enumerate(QUARTERS, start=1):
            self.quarter.addItem(text, q)
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.start = DateEdit(date(today.year, 1, 1))
        self.end = DateEdit(today)
        self.to_label = QLabel("至")
        self.union = union_filter(session)
        self.union.setMinimumWidth(220)
        self.refresh_button = QPushButton("刷新")
        self.period_label = QLabel()
        self.period_label.setStyleSheet("color: #555;")
        self.period_label.setWordWrap(True)

        self.indicators = RowsModel(INDICATOR_COLUMNS, self, key=lambda i: i.key)
        self.table = RowsTable(self.indicators)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.exceptions = _Numbered(EXCEPTION_COLUMNS, self, key=lambda e: id(e))
        self.exception_table = RowsTable(self.exceptions)
        self.exception_label = QLabel(PICK_HINT)
        self.open_button = QPushButton("打开档案或申请")
        self.open_button.setToolTip("打开所选记录的救助申请（或困难职工档案）；也可双击该行")
        self.annual_print_button = QPushButton("年度报表：打印预览…")
        self.annual_print_button.setToolTip("所选年度（自定义期间取结束日期所在年度）和工会的年度报表：预览后打印或另存为 PDF")
        self.annual_xlsx_button = QPushButton("年度报表：导出 Excel…")
        self.selfeval_button = QPushButton("绩效自评表…")
        self.selfeval_button.setToolTip("选择本年度的绩效目标文件，按数据填写实际完成值、计算得分并起草偏差说明（Excel 或 PDF）")
        self.exchange_button = QPushButton("年度上报文件…")
        self.exchange_button.setToolTip("所选年度报市总工会的上报文件（Excel，含说明页和校验值；可加打开密码）")
        hide_unless(can_export(session), self.exchange_button)
        self.city_button = QPushButton("区县上报与核查…")
        self.city_button.setToolTip("导入各区县的年度上报文件；跨区县重复受助的核查；市下拨资金与区县报告支出的核对")
        hide_unless(can_import(session, settings.is_city_of(session.ctx)), self.city_button)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("期间"))
        bar.addWidget(self.period)
        bar.addWidget(self.year)
        bar.addWidget(self.quarter)
        bar.addWidget(self.start)
        bar.addWidget(self.to_label)
        bar.addWidget(self.end)
        bar.addSpacing(8)
        bar.addWidget(QLabel("工会"))
        bar.addWidget(self.union)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.annual_print_button)
        bar.addWidget(self.annual_xlsx_button)
        bar.addWidget(self.selfeval_button)
        bar.addWidget(self.exchange_button)
        bar.addWidget(self.city_button)
        top = QSplitter(Qt.Horizontal)
        top.addWidget(self.table)
        top.addWidget(self.detail)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([760, 420])
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.exception_label, 1)
        row.addWidget(self.open_button)
        low.addLayout(row)
        low.addWidget(self.exception_table, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(lower)
        split.setSizes([330, 260])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.period_label)
        layout.addWidget(split, 1)

        self._period_changed()
        self.reload_on(self.year, self.quarter, self.union)
        self.period.currentIndexChanged.connect(lambda _: self._period_changed(refresh=True))
        self.start.dateChanged.connect(lambda _: self.refresh())
        self.end.dateChanged.connect(lambda _: self.refresh())
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.table.currentRowChanged.connect(lambda _: self._show_current())
        self.exception_table.activatedRow.connect(lambda _: self.open_exception())
        self.exception_table.currentRowChanged.connect(lambda _: self._update_buttons())
        self.open_button.clicked.connect(lambda: self.open_exception())
        self.annual_print_button.clicked.connect(lambda: self.print_annual())
        self.annual_xlsx_button.clicked.connect(lambda: self.export_annual())
        self.selfeval_button.clicked.connect(lambda: self.export_selfeval())
        self.exchange_button.clicked.connect(lambda: self.export_exchange())
        self.city_button.clicked.connect(lambda: self.open_city())
        # no query here: the indicators are computed when the page is shown (activated), not at
        # start-up for every user who might never open it

    # -- the period --
    def _period_changed(self, refresh: bool = False) -> None:
        kind = self.period.currentData()
        self.year.setVisible(kind in ("year", "quarter"))
        self.quarter.setVisible(kind == "quarter")
        for widget in (self.start, self.to_label, self.end):
            widget.setVisible(kind == "custom")
        if refresh:
            self.refresh()

    def chosen_period(self) -> tuple[date, date]:
        kind, year = self.period.currentData(), self.year.currentData()
        if kind == "quarter":
            return quarter_bounds(year, self.quarter.currentData())
        if kind == "custom":
            return self.start.value(), self.end.value()
        return date(year, 1, 1), date(year, 12, 31)

    # -- loading --
    def reload(self) -> None:
        ctx, unit_id = self.ctx, self.union.unit_id()
        start, end = self.chosen_period()
        self.set_status("正在计算指标……")
        self.period_label.setText(self._period_text(start, end))

        def read():  # one snapshot: the money line and the indicators agree whatever is saved meanwhile
            with ctx.snapshot():
                return (reports.compute_indicators(ctx, start, end, unit_id),
                        reports.period_payouts(ctx, start, end, unit_id))

        self.query(read, lambda result: self.show_results(*result, (start, end, unit_id)))

    def _period_text(self, start: date, end: date) -> str:
        return (f"统计期间：{start.year}年{start.month}月{start.day}日 至 {end.year}年{end.month}月{end.day}日"
                f"　{self.union.currentText()}")

    def show_results(self, indicators: list, paid, period: tuple[date, date, int | None]) -> None:
        self.payouts = paid
        self.period_label.setText(f"{self._period_text(paid.start, paid.end)}　{payouts_text(paid)}")
        self.show_indicators(indicators, period)

    def on_changes(self, changes) -> None:
        if changes.settings:
            self.union.reload()
        if self.isVisible():  # a hidden page recomputes when it is shown again
            super().on_changes(changes)

    def show_indicators(self, result: list, period: tuple[date, date, int | None]) -> None:
        current = self.table.current_item()
        self.result, self.shown_period = list(result), period
        self.indicators.set_rows(self.result)
        if not (current is not None and self.table.select_key(current.key)) and self.result:
            self.table.selectRow(0)
        self._show_current()
        answered = [i for i in self.result if i.answerable]
        self.set_status(f"共 {len(self.result)} 项指标，可计算 {len(answered)} 项；"
                        f"不达标记录 {sum(i.shortfalls for i in self.result)} 条")

    def _show_current(self) -> None:
        i = self.table.current_item()
        if i is None:
            self.detail.clear()
            self.exceptions.set_rows([])
            self.exception_label.setText(PICK_HINT)
            self._update_buttons()
            return
        self.detail.setHtml(_detail_html(i))
        self.exceptions.set_rows(list(i.exceptions))
        if i.source:
            self.exception_label.setText(f"{i.name}：{i.source}，各区县的数字如下（不达标记录 {i.shortfalls} 条，明细在区县）")
        elif i.exceptions:
            self.exception_label.setText(f"{i.name}：不达标记录 {len(i.exceptions)} 条（双击打开申请或档案）")
        elif i.answerable:
            self.exception_label.setText(f"{i.name}：没有不达标的记录")
        else:
            self.exception_label.setText(f"{i.name}：无法计算，没有记录可列")
        self._update_buttons()

    def _update_buttons(self) -> None:
        e = self.exception_table.current_item()
        self.open_button.setEnabled(e is not None and bool(target_text(e)))

    # -- documents --
    def report_year(self) -> int:
        """The annual report's year: the chosen year, or the end date's for a custom period."""
        return self.end.value().year if self.period.currentData() == "custom" else self.year.currentData()

    def _union_name(self) -> str:
        return self.union.currentText() if self.union.unit_id() is not None else ""

    def print_annual(self):
        return preview_annual(self.window(), self.session, self.report_year(), self.union.unit_id(),
                              self._union_name())

    def export_annual(self):
        return export_annual_xlsx(self, self.session, self.report_year(), self.union.unit_id(), self._union_name())

    def export_selfeval(self):
        return export_selfeval_file(self, self.session, self.report_year(), self.union.unit_id())

    def export_exchange(self):
        return export_exchange_file(self, self.session, self.report_year())

    def open_city(self):
        from .city_dialog import CityExchangeDialog

        dialog = CityExchangeDialog(self.session, self.report_year(), self)
        dialog.exec()
        return dialog

    # -- opening the record behind an exception --
    def open_exception(self):
        e = self.exception_table.current_item()
        if e is None:
            return None
        if e.request_id is not None:
            from ..relief.relief_page import open_request

            return open_request(self.window(), self.session, e.request_id)
        if e.household_id is not None:
            from ..archive.household_windows import open_household

            return open_household(self.session, e.household_id, self.window())
        self.set_status("这条记录没有对应的申请或档案（如预算指标），请到“资金”页查看")
        return None


def _detail_html(i) -> str:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    parts = [f"<h3>{esc(i.name)}</h3>", f"<p><b>定义：</b>{esc(i.definition)}</p>"]
    if i.answerable:
        figures = figures_text(i)
        parts.append(f"<p><b>数值：</b>{esc(i.value_text)}" + (f"（{esc(figures)}）" if figures else "") + "</p>")
        parts.append(f"<p><b>不达标记录：</b>{i.shortfalls} 条</p>")
    else:
        parts.append(f"<p><b>无法计算：</b>{esc(i.reason)}</p>")
    if i.source:
        parts.append(f"<p><b>数据来源：</b>{esc(i.source)}（市总工会的数据库没有区县的审核、走访、公示等记录，"
                     "取各区县年度上报文件中的数字，全市为各区县分子之和 ÷ 分母之和）</p>")
    parts.append(f"<p><b>依据：</b>{esc(i.seed)}</p>")
    return "".join(parts)
