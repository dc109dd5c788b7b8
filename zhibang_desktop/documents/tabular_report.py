"""A report made of titled tables (the annual report), printed and exported alike.

PDF: A4 portrait in the office's format — 黑体 title, the office, the period and the day it
was made, each table with its header repeated on every page, 第 N 页 共 M 页, and the
制表人 / 审核人 / 负责人 lines with the seal area.  A table may print only its first rows
(``pdf_limit``) with a line saying how many more the Excel file holds.

xlsx: a first sheet with the title, office, period and signatures, then one sheet per
table (streamed, safe cells; money as yuan numbers).

The service fills :class:`TabularReport`: money as int fen, counts as int, anything else as text.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, Literal

from ..domain.money import format_yuan
from .output import CancelFn, ProgressFn, Ticker
from .pdf_form import FormDocument
from .xlsx_safe import XlsxWriter

__all__ = ["Column", "ReportTable", "TabularReport", "write_report_pdf", "write_report_xlsx"]

Kind = Literal["text", "count", "money"]


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # relative width on paper; roughly Excel characters in the sheet
    kind: Kind = "text"


@dataclass(frozen=True)
class ReportTable:
    heading: str  # printed above the table; the sheet's name
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""  # printed under the table
    pdf_limit: int | None = None  # print at most this many rows


@dataclass(frozen=True)
class TabularReport:
    title: str
    office: str
    period_text: str  # "2025年1月1日至2025年12月31日"
    made_on: date
    prepared_by: str  # 制表人
    tables: tuple[ReportTable, ...]
    notes: tuple[str, ...] = ()
    banner: str | None = None  # 演示数据 — 非真实单位


def date_cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cell(value: Any, kind: Kind) -> str:
    if value is None:
        return "—"
    if kind == "money" and isinstance(value, int):
        return format_yuan(value)
    return str(value)


def write_report_pdf(report: TabularReport, target: str | os.PathLike | BinaryIO,
                     progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> int:
    """Write the report (A4 portrait, embedded fonts); return the page count."""
    # the foot of each page names the office once: "增城区总工会2025年度…报表", not "增城区总工会　增城区总工会2025…"
    footer = report.title if report.title.startswith(report.office) else f"{report.office}　{report.title}"
    doc = FormDocument(
        report.title, [report.office] if report.office else [],
        meta_left=f"统计期间：{report.period_text}", meta_right=f"制表日期：{date_cn(report.made_on)}",
        page_footer_text=footer, banner=report.banner, author=report.office)
    for table in report.tables:
        rows = table.rows if table.pdf_limit is None else table.rows[:table.pdf_limit]
        aligns = ["left" if c.kind == "text" else "right" for c in table.columns]
        doc.add_spacer(3)
        doc.add_table([c.header for c in table.columns],
                      [[_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in rows]
                      or [["—"] + [""] * (len(table.columns) - 1)],
                      [c.width for c in table.columns], heading=table.heading, align=aligns)
        notes = [table.note] if table.note else []
        if len(rows) < len(table.rows):
            notes.append(f"以上列出前 {len(rows)} 条，另有 {len(table.rows) - len(rows)} 条见 Excel 导出")
        for note in notes:
            doc.add_paragraph(note, size=9, space_before_mm=1)
    for note in report.notes:
        doc.add_paragraph(note, size=9)
    doc.add_spacer(8)
    doc.add_paragraph(f"制表人：{report.prepared_by}　　　审核人：____________　　　负责人：____________")
    doc.add_spacer(4)
    doc.add_paragraph(f"{report.office}（盖章）　　　　年　　月　　日", align="right")
    return doc.write(target, progress=progress, cancelled=cancelled)


def write_report_xlsx(report: TabularReport, target: str | os.PathLike | BinaryIO,
                      progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> None:
    """Write the report as a workbook (a cover sheet, then one sheet per table); a cancel
    leaves nothing at ``target``."""
    xw = XlsxWriter()
    try:
        _fill_workbook(xw, report, Ticker(len(report.tables) + 1, progress, cancelled, every=1))
    except BaseException:
        xw.discard()
        raise
    xw.save(target if not isinstance(target, os.PathLike) else os.fspath(target))


def _fill_workbook(xw: XlsxWriter, report: TabularReport, ticker: Ticker) -> None:
    ticker.start()
    xw.add_sheet("报表信息", ["项目", "内容"], [14, 60], auto_filter=False, landscape=False)
    xw.append_rows([["报表", report.title], ["单位", report.office], ["统计期间", report.period_text],
                    ["制表日期", date_cn(report.made_on)], ["制表人", report.prepared_by],
                    ["审核人", ""], ["负责人", ""]])
    for note in report.notes:
        xw.append(["说明", note])
    if report.banner:
        xw.append(["注意", report.banner])
    for table in report.tables:
        headers = [c.header for c in table.columns]
        xw.add_sheet(table.heading, headers, [max(8.0, c.width * 0.8) for c in table.columns],
                     money_columns=[i for i, c in enumerate(table.columns) if c.kind == "money"])
        xw.append_rows(table.rows)
        if table.note:
            xw.append([table.note])
        ticker.advance()
    ticker.check()
