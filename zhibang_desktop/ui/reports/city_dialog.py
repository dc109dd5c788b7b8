"""City mode (区县上报与核查): the county files imported, the cross-county findings (the same
ID number aided in two counties; heads who are members elsewhere), the city's allocations
against what each county reports spent and the indicators as each county reported them with
the city's sums — for the chosen year, read off the GUI thread; the import action
(city_import) is here too."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from ...domain import clock
from ...domain.idnumber import mask_id_number
from ...domain.money import format_yuan
from ...services import exchange
from ..common.rows_model import RIGHT, Col, RowsModel
from ..common.session import UiSession
from ..common.widgets.rows_table import RowsTable
from .city_import import import_county_files


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(fen)


RECORD_COLUMNS = (
    Col("区县", lambda r: f"{r.county}（{r.county_code}）", width=170),
    Col("年度", lambda r: str(r.year), RIGHT, 56),
    Col("文件", lambda r: r.file_name, width=220, tip=lambda r: f"SHA-256：{r.file_sha256}"),
    Col("导入时间", lambda r: clock.local_date(r.imported_at).isoformat(), width=100),
    Col("导入人", lambda r: r.imported_by, width=80),
    Col("户数", lambda r: str(r.counts.get("households", 0)), RIGHT, 60),
    Col("发放笔数", lambda r: str(r.counts.get("payments", 0)), RIGHT, 70),
    Col("状态", lambda r: "有效" if r.current else "已被再次导入替换", stretch=True),
)
TWICE_COLUMNS = (
    Col("身份证号", lambda t: mask_id_number(t.id_number), width=170),
    Col("各区县受助", lambda t: "；".join(f"{c.county} {c.name} {c.payments} 笔 {_yuan(c.amount_fen)} 元"
                                       for c in t.counties), stretch=True),
    Col("合计（元）", lambda t: _yuan(t.amount_fen), RIGHT, 110),
)
ELSEWHERE_COLUMNS = (
    Col("身份证号", lambda h: mask_id_number(h.id_number), width=170),
    Col("姓名", lambda h: h.name, width=80),
    Col("户主所在", lambda h: f"{h.head_county} {h.head_archive_no}", width=220),
    Col("又是家庭成员", lambda h: f"{h.member_county} {h.member_archive_no}（户主 {h.member_of}，{h.relation}）",
        stretch=True),
)
RECONCILE_COLUMNS = (
    Col("区县", lambda r: r.county, width=150),
    Col("资金来源", lambda r: r.source_name, width=120),
    Col("市下拨（元）", lambda r: _yuan(r.allocated_fen), RIGHT, 110),
    Col("区县该来源预算（元）", lambda r: _yuan(r.county_budget_fen), RIGHT, 140),
    Col("区县报告支出（元）", lambda r: _yuan(r.spent_fen) if r.imported else "未导入", RIGHT, 130),
    Col("差额（元）", lambda r: _yuan(r.difference_fen) if r.matched else "未核对", RIGHT, 110),
    Col("核对说明", lambda r: r.problem or ("一致" if r.imported else "上报文件未导入"), stretch=True),
)


def _city_text(i) -> str:
    return exchange.rate_text(i.numerator, i.denominator) if i.denominator else "无法计算"


def _city_tip(i) -> str:
    lines = [f"各区县分子之和 {i.numerator} ÷ 分母之和 {i.denominator}"] if i.denominator else []
    if i.not_computed:
        lines.append("无法计算的区县：" + "、".join(i.not_computed))
    return "\n".join(lines)


def indicator_columns(counties: list[str]) -> tuple[Col, ...]:
    """指标, 全市 (the sums), then one column per county."""
    def county_text(i, county):
        c = next((c for c in i.counties if c.county == county), None)
        if c is None:
            return ""
        return "无法计算" if c.denominator is None else exchange.rate_text(c.numerator, c.denominator)

    return (Col("指标", lambda i: i.name, width=170),
            Col("全市", _city_text, RIGHT, 110, tip=_city_tip),
            *(Col(county, lambda i, c=county: county_text(i, c), RIGHT, 110) for county in counties))


class CityExchangeDialog(QDialog):
    """区县上报与核查 (opened from the 报表 page in city mode)."""

    def __init__(self, session: UiSession, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.loaded = None  # (records, cross county, reconciliation) of the shown year
        self.setWindowTitle("区县上报与核查")
        self.resize(1000, 600)
        self.year = QComboBox()
        for y in range(clock.today().year, clock.today().year - 6, -1):
            self.year.addItem(f"{y} 年", y)
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self.import_button = QPushButton("导入区县上报文件…")
        self.import_button.setToolTip("选择一个或多个区县的年度上报文件（.xlsx）；同一区县同一年度再次导入即替换")
        self.status = QLabel("正在读取……")
        self.records = RowsModel(RECORD_COLUMNS, self)
        self.twice = RowsModel(TWICE_COLUMNS, self, key=lambda t: t.id_number)
        self.elsewhere = RowsModel(ELSEWHERE_COLUMNS, self, key=lambda h: (h.id_number, h.member_archive_no))
        self.reconcile = RowsModel(RECONCILE_COLUMNS, self, key=lambda r: (r.unit_id, r.source_code))
        self.twice_label, self.elsewhere_label, self.reconcile_label = QLabel(), QLabel(), QLabel()
        self.tabs = QTabWidget()
        self.tabs.addTab(RowsTable(self.records), "导入记录")
        dup = QWidget()
        lay = QVBoxLayout(dup)
        for label, model in ((self.twice_label, self.twice), (self.elsewhere_label, self.elsewhere)):
            lay.addWidget(label)
            lay.addWidget(RowsTable(model), 1)
        self.tabs.addTab(dup, "跨区县重复")
        rec = QWidget()
        lay = QVBoxLayout(rec)
        lay.addWidget(RowsTable(self.reconcile), 1)
        lay.addWidget(self.reconcile_label)
        self.tabs.addTab(rec, "下拨核对")
        self.indicators = RowsModel(indicator_columns([]), self, key=lambda i: i.key)
        self.indicator_table = RowsTable(self.indicators)
        box = QWidget()
        self.indicator_layout = QVBoxLayout(box)
        self.indicator_layout.addWidget(self.indicator_table, 1)
        self.indicator_layout.addWidget(QLabel("各区县按本县数据计算并在上报文件中报送的指标；全市 = 各区县分子之和 ÷ 分母之和"))
        self.tabs.addTab(box, "区县上报指标")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.import_button)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.year.currentIndexChanged.connect(lambda _: self.reload())
        self.import_button.clicked.connect(lambda: self.import_files())
        self.reload()

    def reload(self) -> None:
        ctx, year = self.session.ctx, self.year.currentData()
        self.loaded = None
        self.status.setText("正在读取……")

        def read():  # one snapshot: the four tables agree whatever is imported meanwhile
            with ctx.snapshot():
                return (exchange.import_records(ctx, year), exchange.cross_county(ctx, year),
                        exchange.reconcile_allocations(ctx, year), exchange.reported_indicators(ctx, year))

        self.session.executor.run(read, lambda result: self._show(year, result),
                                  lambda exc: self.status.setText(f"无法读取：{exc}"))

    def _show(self, year: int, result) -> None:
        if year != self.year.currentData():
            return  # an older year's answer
        records, found, rec, indicators = result
        self.records.set_rows(records)
        counties = sorted({c.county for i in indicators for c in i.counties})
        self.indicators = RowsModel(indicator_columns(counties), self, key=lambda i: i.key)
        self.indicators.set_rows(indicators)
        table = RowsTable(self.indicators)  # the columns are the year's counties
        self.indicator_layout.replaceWidget(self.indicator_table, table)
        self.indicator_table.deleteLater()
        self.indicator_table = table
        self.twice.set_rows(found.aided_twice)
        self.elsewhere.set_rows(found.heads_members_elsewhere)
        self.reconcile.set_rows(rec.rows)
        current = sum(1 for r in records if r.current)
        self.status.setText(f"{year} 年度已导入 {current} 个区县的上报文件")
        self.twice_label.setText(f"同一身份证号在两个及以上区县受助：{len(found.aided_twice)} 人")
        self.elsewhere_label.setText(f"户主又是其他区县家庭的成员：{len(found.heads_members_elsewhere)} 人")
        self.reconcile_label.setText(f"合计：市下拨 {_yuan(rec.allocated_fen)} 元，区县报告支出 {_yuan(rec.spent_fen)} 元，"
                                     f"差额 {_yuan(rec.difference_fen)} 元（差额 = 下拨 − 支出）"
                                     + (f"；{len(rec.problems)} 行资金来源未能核对，原因见“核对说明”"
                                        if rec.problems else ""))
        self.loaded = result

    def import_files(self):
        outcomes = import_county_files(self, self.session)
        if outcomes:
            self.reload()
        return outcomes
