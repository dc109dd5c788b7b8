"""工作概览: the year at a glance — payouts month by month per relief type, execution per fund
source, requests by state, reviews overdue and visits due. Every bar opens the list behind it
(the page asks the main window through `openListRequested`; no page calls another)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...domain import clock
from ...domain.money import yuan_text
from ...services import reports
from ...services.admin import settings
from ...services.funds import rate_text
from ..common import labels
from ..common.page import Page, hide_unless
from ..common.session import UiSession
from ..common.widgets.bar_chart import BarChart, Series
from ..common.widgets.union_combo import union_filter

MONTHS = [f"{m}月" for m in range(1, 13)]
OVERDUE_COLOR, DUE_SOON_COLOR = "#c2504d", "#e0a12e"
SPENT_COLOR, COMMITTED_COLOR = "#3b78c2", "#9dbde3"


def _panel(title: str, chart: BarChart) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setFrameShape(QFrame.StyledPanel)
    box = QVBoxLayout(frame)
    box.setContentsMargins(8, 6, 8, 6)
    box.setSpacing(2)
    heading = QLabel(title)
    font = QFont(heading.font())
    font.setBold(True)
    heading.setFont(font)
    summary = QLabel()
    summary.setStyleSheet("color: #555;")
    summary.setWordWrap(True)
    box.addWidget(heading)
    box.addWidget(summary)
    box.addWidget(chart, 1)
    return frame, summary


class DashboardPage(Page):
    """Signal `openListRequested(page key, filters)`: a bar was clicked (see navigation.py)."""

    openListRequested = Signal(str, dict)
    REFRESH_ON = ("households", "requests", "notices", "payouts", "settings", "policies")

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.data: reports.Dashboard | None = None
        this_year = clock.today().year
        self.year = QComboBox()
        for y in range(this_year + 1, this_year - 6, -1):
            self.year.addItem(f"{y} 年", y)
        self.year.setCurrentIndex(1)
        self.refresh_button = QPushButton("刷新")
        # in a city union's database: all counties, or one county (a union of the city's tree)
        self.union = union_filter(session, all_label="全部区县")
        self.union.setMinimumWidth(200)
        self.union_label = QLabel("区县")
        city = settings.is_city_of(session.ctx)
        hide_unless(city, self.union, self.union_label)
        self.as_of_label = QLabel()
        hint = QLabel("点击柱条查看其背后的名单")
        hint.setStyleSheet("color: #777;")

        self.payouts = BarChart(value_text=yuan_text, unit=100, empty_text="本年度还没有发放记录")
        self.execution = BarChart(horizontal=True, value_text=yuan_text, unit=100,
                                  empty_text="本年度还没有预算指标（在“资金”页设置）")
        self.states = BarChart(horizontal=True, empty_text="本年度还没有救助申请")
        self.overdue = BarChart(horizontal=True, empty_text="没有超期未审的申请")
        self.visits = BarChart(horizontal=True, empty_text="没有逾期或即将到期的走访")
        for chart, tip in ((self.payouts, self._payout_tip), (self.execution, self._execution_tip),
                           (self.states, self._state_tip), (self.overdue, self._overdue_tip),
                           (self.visits, self._visit_tip)):
            chart.tooltip = tip

        payouts_panel, self.payouts_summary = _panel("每月发放金额（元，按救助类型）", self.payouts)
        execution_panel, self.execution_summary = _panel("预算执行（按资金来源）", self.execution)
        states_panel, self.states_summary = _panel("救助申请（按状态）", self.states)
        overdue_panel, self.overdue_summary = _panel("审核超期（待审核的申请，按审核级）", self.overdue)
        visits_panel, self.visits_summary = _panel("走访到期（在档及渐退期家庭，按困难类别）", self.visits)

        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addWidget(self.union_label)
        top.addWidget(self.union)
        top.addWidget(self.refresh_button)
        top.addSpacing(12)
        top.addWidget(self.as_of_label)
        top.addStretch(1)
        top.addWidget(hint)
        grid = QGridLayout()
        grid.setSpacing(8)
        grid.addWidget(payouts_panel, 0, 0, 1, 2)
        grid.addWidget(execution_panel, 0, 2)
        grid.addWidget(states_panel, 1, 0)
        grid.addWidget(overdue_panel, 1, 1)
        grid.addWidget(visits_panel, 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        for row in range(2):
            grid.setRowStretch(row, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)

        self.reload_on(self.year, self.union)
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.payouts.barClicked.connect(self._open_month)
        self.execution.barClicked.connect(self._open_source)
        self.states.barClicked.connect(self._open_state)
        self.overdue.barClicked.connect(lambda *_: self._open("relief", status="open", overdue=True))
        self.visits.barClicked.connect(self._open_visits)
        # no query here: the page loads when it is shown (activated), so the pages a user does
        # not look at compute nothing at start-up

    def on_changes(self, changes) -> None:
        if self.isVisible():  # a hidden page reloads when it is shown again
            super().on_changes(changes)

    # -- loading --
    @property
    def selected_year(self) -> int:
        return self.year.currentData()

    def reload(self) -> None:
        ctx, year, unit = self.ctx, self.selected_year, self.union.unit_id()
        self.set_status("正在统计……")
        self.query(lambda: reports.dashboard(ctx, year, unit), self.show_dashboard)

    def show_dashboard(self, d: reports.Dashboard) -> None:
        self.data = d
        self.as_of_label.setText(f"统计至 {labels.day(d.as_of)}")
        self._show_payouts(d)
        self._show_execution(d)
        self._show_states(d)
        self._show_overdue(d)
        self._show_visits(d)
        overdue_visits = sum(v.overdue for v in d.visits)
        self.set_status(f"{d.year} 年已发放 {yuan_text(d.payout_total_fen)} 元；审核超期 {d.overdue_total} 件；"
                        f"走访逾期 {overdue_visits} 户")

    def _show_payouts(self, d: reports.Dashboard) -> None:
        self.payouts.set_data(MONTHS, [Series(p.name, p.amounts_fen) for p in d.payouts])
        count = sum(sum(p.counts) for p in d.payouts)
        parts = [f"{p.name} {yuan_text(p.total_fen)} 元" for p in d.payouts]
        self.payouts_summary.setText(f"全年已发放 {yuan_text(d.payout_total_fen)} 元，{count} 笔"
                                     + (f"（{'，'.join(parts)}）" if len(parts) > 1 else ""))

    def _show_execution(self, d: reports.Dashboard) -> None:
        rows = d.execution
        self.execution.set_data([r.name for r in rows],
                                [Series("已支出（含下拨）", tuple(r.spent_fen for r in rows), SPENT_COLOR),
                                 Series("待发放", tuple(r.committed_fen for r in rows), COMMITTED_COLOR)],
                                totals=[r.budget_fen for r in rows], notes=[rate_text(r.rate_bp) for r in rows])
        t = d.execution_total
        self.execution_summary.setText(f"预算 {yuan_text(t.budget_fen)} 元，已支出 {yuan_text(t.spent_fen)} 元，"
                                       f"执行率 {rate_text(t.rate_bp)}（浅色底为预算）")

    def _show_states(self, d: reports.Dashboard) -> None:
        self.states.set_data([s.label for s in d.requests_by_state],
                             [Series("申请", tuple(s.count for s in d.requests_by_state))])
        total = sum(s.count for s in d.requests_by_state)
        self.states_summary.setText(f"{d.year} 年度共 {total} 件申请")

    def _show_overdue(self, d: reports.Dashboard) -> None:
        rows = d.overdue_reviews
        self.overdue.set_data([o.name for o in rows], [Series("超期", tuple(o.count for o in rows), OVERDUE_COLOR)],
                              notes=[f"{o.count} 件" for o in rows])
        most = max((o.most_working_days_late for o in rows), default=0)
        self.overdue_summary.setText(f"共 {d.overdue_total} 件" + (f"，最长超期 {most} 个工作日" if most else "")
                                     + "（各级应在规定的工作日内审核）")

    def _show_visits(self, d: reports.Dashboard) -> None:
        rows = d.visits
        self.visits.set_data([v.label for v in rows],
                             [Series("已逾期", tuple(v.overdue for v in rows), OVERDUE_COLOR),
                              Series(f"{d.due_soon_days} 天内到期", tuple(v.due_soon for v in rows), DUE_SOON_COLOR)],
                             notes=[f"逾期 {v.overdue}，将到期 {v.due_soon}" for v in rows])
        overdue, soon = sum(v.overdue for v in rows), sum(v.due_soon for v in rows)
        self.visits_summary.setText(f"逾期 {overdue} 户，{d.due_soon_days} 天内到期 {soon} 户")

    # -- tooltips --
    def _payout_tip(self, month_index: int, series: int) -> str:
        d = self.data
        month = month_index + 1
        lines = [f"{d.year}年{month}月 发放 {yuan_text(d.month_total_fen(month))} 元"]
        for i, p in enumerate(d.payouts):
            if p.amounts_fen[month_index]:
                mark = "▶ " if i == series else ""
                lines.append(f"{mark}{p.name}：{yuan_text(p.amounts_fen[month_index])} 元，{p.counts[month_index]} 笔")
        lines.append("点击查看该月的发放批次")
        return "\n".join(lines)

    def _execution_tip(self, index: int, _series: int) -> str:
        r = self.data.execution[index]
        return (f"{r.name}\n预算 {yuan_text(r.budget_fen)} 元\n已支出（含下拨）{yuan_text(r.spent_fen)} 元\n"
                f"待发放 {yuan_text(r.committed_fen)} 元\n执行率 {rate_text(r.rate_bp)}\n点击查看其发放明细")

    def _state_tip(self, index: int, _series: int) -> str:
        s = self.data.requests_by_state[index]
        return f"{s.label}：{s.count} 件\n点击查看这些申请"

    def _overdue_tip(self, index: int, _series: int) -> str:
        o = self.data.overdue_reviews[index]
        text = f"在{o.name}待审核且超期：{o.count} 件"
        if o.most_working_days_late:
            text += f"\n本级已超过期限：{o.late_now} 件，最长 {o.most_working_days_late} 个工作日"
        if o.count > o.late_now:
            text += f"\n此前有一级审核超期：{o.count - o.late_now} 件"
        return text + "\n点击查看这些申请"

    def _visit_tip(self, index: int, series: int) -> str:
        v = self.data.visits[index]
        every = f"（每 {v.interval_months} 个月走访一次）" if v.interval_months else ""
        action = "点击查看走访到期的家庭" if series == 1 else "点击查看走访逾期的家庭"
        return (f"{v.label}{every}\n已逾期 {v.overdue} 户\n{self.data.due_soon_days} 天内到期 {v.due_soon} 户\n"
                + action)

    # -- click-through --
    def _open(self, page: str, **filters) -> None:
        """Open the list behind a bar, narrowed to the union chosen here (in a city: the county),
        as the figure is."""
        self.openListRequested.emit(page, {**filters, "unit_id": self.union.unit_id()})

    def _open_month(self, month_index: int, _series: int) -> None:
        self._open("batches", year=self.data.year, month=month_index + 1)

    def _open_source(self, index: int, _series: int) -> None:
        self._open("funds", year=self.data.year, view="by_source", key=self.data.execution[index].code)

    def _open_state(self, index: int, _series: int) -> None:
        self._open("relief", year=self.data.year, status=self.data.requests_by_state[index].status)

    def _open_visits(self, index: int, series: int) -> None:
        if series == 1:
            self._open("visits", view="due")
        else:
            self._open("archive", category=self.data.visits[index].category, visit_overdue=True)
