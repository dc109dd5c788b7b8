"""A form that is one ruled grid with merged cells (the 项目支出绩效自评表 of seed 004), printed
with :class:`FormDocument` and exported as a workbook whose merged cells follow the same grid.

Rows list their cells left to right as :class:`Cell` (text, colspan, rowspan, label); a cell
covered by a span from the left or from above is not listed — the same convention on paper
and in the sheet.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .output import CancelFn, ProgressFn, Ticker, atomic_path, is_file_object
from .pdf_form import Cell, FormDocument
from .xlsx_safe import safe_cell, save_workbook

__all__ = ["Cell", "GridForm", "write_grid_pdf", "write_grid_xlsx"]


@dataclass(frozen=True)
class GridForm:
    title: str
    subtitle: str  # e.g. "（2025年度）"
    office: str
    widths_mm: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]
    signatures: str  # "制表人：… 审核人：… 负责人：…"
    date_line: str  # "XX总工会（盖章）  年 月 日"
    banner: str | None = None


def write_grid_pdf(form: GridForm, target: str | os.PathLike | BinaryIO,
                   progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> int:
    """A4 portrait, embedded fonts, page N/M; return the page count."""
    doc = FormDocument(form.title, [form.subtitle] if form.subtitle else [], page_footer_text=f"{form.office}　{form.title}",
                       banner=form.banner, author=form.office, font_size=9.5)
    doc.add_grid([list(r) for r in form.rows], list(form.widths_mm), min_row_height_mm=8)
    doc.add_spacer(6)
    doc.add_paragraph(form.signatures)
    doc.add_spacer(3)
    doc.add_paragraph(form.date_line, align="right")
    return doc.write(target, progress=progress, cancelled=cancelled)


def _placed(rows: tuple[tuple[Cell, ...], ...], ncols: int):
    """(row, column, cell) of every listed cell, spans skipped as on paper."""
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            if c + cell.colspan > ncols:
                raise ValueError(f"grid row {r + 1} is wider than {ncols} columns")
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            yield r, c, cell
            c += cell.colspan


def write_grid_xlsx(form: GridForm, target: str | os.PathLike | BinaryIO,
                    progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> None:
    """The same grid as a sheet: merged cells, wrapped text, thin borders, A4 portrait; a
    cancel before the file is stored leaves nothing at ``target``."""
    ticker = Ticker(1, progress, cancelled, every=1)
    ticker.start()
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效自评表"[:31]
    ncols = len(form.widths_mm)
    thin = Side(style="thin")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1, safe_cell(form.title)).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.cell(2, 1, safe_cell(form.subtitle)).alignment = Alignment(horizontal="center")
    top = 3
    last_row = top
    for r, c, cell in _placed(form.rows, ncols):
        row, col = top + r, 1 + c
        target_cell = ws.cell(row, col, safe_cell(cell.text if cell.text is not None else ""))
        target_cell.alignment = Alignment(wrap_text=True, vertical="center",
                                          horizontal=cell.align or ("center" if cell.label else "left"))
        if cell.label:
            target_cell.font = Font(bold=True)
        if cell.colspan > 1 or cell.rowspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1,
                           end_column=col + cell.colspan - 1)
        last_row = max(last_row, row + cell.rowspan - 1)
    for row in ws.iter_rows(min_row=top, max_row=last_row, max_col=ncols):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i, width in enumerate(form.widths_mm, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(6.0, width * 0.55)
    ws.cell(last_row + 2, 1, safe_cell(form.signatures))
    ws.cell(last_row + 3, 1, safe_cell(form.date_line))
    if form.banner:
        ws.cell(last_row + 4, 1, safe_cell(form.banner))
    ws.page_setup.paperSize = "9"
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ticker.check()
    if is_file_object(target):
        save_workbook(wb, target)
    else:
        with atomic_path(target) as tmp:
            save_workbook(wb, tmp)
    ticker.advance()
