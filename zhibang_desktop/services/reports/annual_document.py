"""The annual report on paper and in Excel (documents.tabular_report).

``build_annual_document`` builds the file for the in-app preview and records nothing (the
GUI records the print or the save when it happens); ``export_annual`` writes it to a path
and records the print (PDF) or the export (xlsx) in the audit trail.
"""
from __future__ import annotations

from pathlib import Path

from ...documents.tabular_report import (
    Column, ReportTable, TabularReport, date_cn, write_report_pdf, write_report_xlsx,
)
from ...documents.output import CancelFn, ProgressFn
from ...domain.money import format_yuan
from ..admin.settings import demo_banner
from ..errors import FieldProblem, ValidationFailed
from ..funds import rate_bp, rate_text
from .annual import annual_report
from ..document_output import write_cancellable
from .common import READ
from .types import AnnualReport, Indicator
from ..context import one_snapshot

PDF_EXCEPTIONS = 150  # rows of the exception list on paper; the workbook has them all
SUFFIXES = (".pdf", ".xlsx")


def _rate(part: int, whole: int) -> str:
    return rate_text(rate_bp(part, whole))


def _fraction(i: Indicator) -> str:
    if not i.answerable or i.numerator is None:
        return "—"
    if i.key == "budget_execution":
        return f"{format_yuan(i.numerator)} ÷ {format_yuan(i.denominator or 0)} 元"
    return f"{i.numerator} ÷ {i.denominator}"


def annual_tables(rep: AnnualReport) -> tuple[ReportTable, ...]:
    money, count = "money", "count"
    types = ReportTable("分救助类型发放情况", (
        Column("救助类型", 24), Column("户数", 11, count), Column("人数", 11, count), Column("笔数", 11, count),
        Column("金额（元）", 22, money), Column("户均（元）", 18, money), Column("户最低（元）", 18, money),
        Column("户最高（元）", 18, money)),
        tuple((r.name, r.households, r.persons, r.payments, r.amount_fen, r.average_fen, r.min_fen, r.max_fen)
              for r in rep.by_type + (rep.total,)),
        note="户数：受助家庭（未建档的受助人各计 1 户）；人数：受助人（子女助学、医疗救助计受助的家庭成员）；"
             "户均、户最低、户最高按每户全年所得计（报告000 表1-3）。")
    sources = ReportTable("分资金来源预算执行情况", (
        Column("资金来源", 28), Column("预算（元）", 22, money), Column("已发放（元）", 22, money),
        Column("已下拨（元）", 20, money), Column("已支出（元）", 22, money), Column("结余（元）", 20, money),
        Column("执行率", 14)),
        tuple((r.name, r.budget_fen, r.paid_fen, r.allocated_fen, r.spent_fen, r.budget_fen - r.spent_fen,
               _rate(r.spent_fen, r.budget_fen)) for r in rep.by_source)
        + ((("合计", rep.budget_fen, sum(r.paid_fen for r in rep.by_source),
             sum(r.allocated_fen for r in rep.by_source), rep.spent_fen, rep.budget_fen - rep.spent_fen,
             _rate(rep.spent_fen, rep.budget_fen)),) if rep.by_source else ()),
        note=f"截至 {date_cn(rep.as_of)}；已支出 = 已发放 + 已下拨；执行率 = 已支出 ÷ 预算。")
    unions = ReportTable("分工会发放情况", (
        Column("工会", 50), Column("受助户数", 20, count), Column("发放笔数", 20, count),
        Column("金额（元）", 26, money), Column("年末在档户数（含渐退期）", 22, count)),
        tuple((r.name, r.households, r.payments, r.amount_fen, r.archived_households) for r in rep.by_union)
        + ((("合计", rep.total.households, rep.total.payments, rep.total.amount_fen,
             sum(r.archived_households for r in rep.by_union)),) if rep.by_union else ()),
        note="合计的受助户数按户计一次（同一户在两个工会受助只计 1 户），可能少于各行之和；笔数、金额为各行之和。")
    indicators = ReportTable("绩效指标", (
        Column("指标", 24), Column("数值", 17), Column("分子 ÷ 分母", 25), Column("定义", 56), Column("来源", 30),
        Column("例外（条）", 14, count)),  # 3 characters wide: "例外" over "（条）", not "（条" over a lone "）"
        tuple((i.name, (i.value_text if i.answerable else "无法计算") + (f"（{i.source}）" if i.source else ""),
               _fraction(i), i.definition if i.answerable else f"{i.definition}。无法计算：{i.reason}", i.seed,
               i.shortfalls if i.answerable else None) for i in rep.indicators))
    exceptions = ReportTable("指标例外明细", (Column("指标", 24), Column("情况", 100), Column("书面说明", 46)),
                             tuple((i.name, e.description, e.justification) for i in rep.indicators
                                   for e in i.exceptions), pdf_limit=PDF_EXCEPTIONS)
    return types, sources, unions, indicators, exceptions


def annual_document(rep: AnnualReport, banner: str = "") -> TabularReport:
    who = rep.unit_name or rep.office
    period = f"{date_cn(rep.start)}至{date_cn(rep.end)}"
    if rep.as_of < rep.end:
        period += f"（截至{date_cn(rep.as_of)}）"
    return TabularReport(f"{who}{rep.year}年度困难职工帮扶工作报表", rep.office, period, rep.as_of,
                         rep.prepared_by, annual_tables(rep), banner=banner or None)


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationFailed([FieldProblem("out", "输出文件", f"“{path.name}”应以 .pdf 或 .xlsx 结尾")])
    return suffix


@one_snapshot
def _write(ctx, year: int, path, unit_id: int | None, progress: ProgressFn | None = None,
           cancelled: CancelFn | None = None) -> tuple[Path, AnnualReport, int]:
    out = Path(path)
    suffix = _suffix(out)
    rep = annual_report(ctx, year, unit_id)
    with ctx.tx(READ, read_only=True) as tx:
        banner = demo_banner(tx.session)
    doc = annual_document(rep, banner)
    writer = write_report_pdf if suffix == ".pdf" else write_report_xlsx
    pages = write_cancellable(writer, doc, out, progress, cancelled)
    return out, rep, pages or 0


def build_annual_document(ctx, year: int, path, unit_id: int | None = None) -> Path:
    """The annual report as .pdf or .xlsx at ``path`` for a preview; records nothing."""
    return _write(ctx, year, path, unit_id)[0]


def export_annual(ctx, year: int, path, unit_id: int | None = None, *, progress: ProgressFn | None = None,
                  cancelled: CancelFn | None = None) -> Path:
    """Write the annual report (.pdf printed, .xlsx exported) and record it in the audit trail;
    a cancel leaves no file and no record."""
    out, rep, pages = _write(ctx, year, path, unit_id, progress, cancelled)
    what = f"{rep.unit_name or rep.office}{year}年度帮扶工作报表"
    with ctx.tx(READ) as tx:
        if pages:
            tx.audit("print", "annual_report", year, summary=f"打印{what}（{pages} 页）")
        else:
            tx.audit("export", "annual_report", year, summary=f"导出{what}（Excel）")
    return out
