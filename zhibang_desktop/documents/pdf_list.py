"""Generic printed list (名单 / 签领表 / 汇总表) as PDF, A4 landscape or portrait.

Layout of every page::

    [title + subtitle lines]            first page only
    [title（续）]                        continuation pages (``repeat_title``)
    ┌ header row ──────────────┐        repeated on every page
    │ data rows …              │
    │ 本页小计                  │        every page, when the list has >1 page
    │ 合计                      │        last page
    │ 合计：人民币（大写）…元整 ¥… │        last page, one line per money column
    └──────────────────────────┘
    [notes paragraphs]                  last page
    [footer lines: 填报单位（盖章） 负责人 …]   last page
                 第 N 页 共 M 页           every page
          [page_footer_text, small]     every page (e.g. the audit-chain head)

How the page subtotals are kept exact
-------------------------------------
We never let platypus decide where a table breaks.  Before drawing anything,
every row's height is computed from its cell texts (the same paragraph
styles, column widths and paddings the table is drawn with; signature rows
get at least ``row_height_mm``), and rows are packed greedily into pages
whose capacity is the frame height minus the title block (first page), the
header row and the subtotal row; the last page must also hold the grand
total rows, notes and footer lines (if it cannot, its last row moves to a
new final page).  Each page is then drawn as its own ``Table`` with those
explicit row heights via ``wrapOn``/``drawOn``, so the rows whose amounts
make a page's 本页小计 are exactly the rows printed on that page, the page
subtotals add up to the 合计 by construction, and the page count ``M`` for
"第 N 页 共 M 页" is known before the first page is drawn (no second pass).

Money cells are integer fen and are printed with :func:`format_yuan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from zhibang_desktop.domain.money import amount_in_words, format_yuan

from .fonts import FontSet, ensure_fonts
from .output import CancelFn, Cancelled, ProgressFn, Target, Ticker, target_file
from .pdf_common import cell_text, date_from_clock, draw_page_footer
from .pdf_common import markup as _markup
from .pdf_list_parts import (
    _ALIGN, _GRID, _HEADER_BG, _MIN_FONT, _PAD, MIN_LAST_ROWS, Align, Column, PageLayoutError, _money_text,
    _PageTable, _short_header, _Styles,
)

_ALIGN_NAMES = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}

__all__ = [
    "Column",
    "ListReport",
    "Cancelled",
    "PageLayoutError",
    "cell_text",
]

class ListReport:
    """A printed list with repeated header, page subtotals, grand total in 大写 and page numbers.

    ``rows`` are lists of cell values in column order; values in
    ``money_columns`` are ``int`` fen (or ``None`` for blank).  Other values
    are printed with :func:`cell_text`.
    """

    def __init__(
        self,
        title: str,
        subtitle_lines: Sequence[str] = (),
        columns: Sequence[Column] = (),
        rows: Sequence[Sequence[Any]] = (),
        money_columns: Sequence[int] = (),
        landscape: bool = True,
        footer_lines: Sequence[str] = (),
        page_footer_text: str | None = None,
        banner: str | None = None,
        row_height_mm: float | None = None,
        *,
        notes: Sequence[str] = (),
        page_subtotals: bool = True,
        repeat_title: bool = True,
        font_size: float = 10.0,
        subtitle_align: Align = "left",
        footer_line_gap_mm: float = 6.0,
        margins_mm: tuple[float, float, float, float] | None = None,
        fonts: FontSet | None = None,
        author: str = "",
    ) -> None:
        if not columns:
            raise ValueError("a list needs at least one column")
        for index in money_columns:
            if not 0 <= index < len(columns):
                raise ValueError(f"money column {index} out of range")
        self.title = title
        self.subtitle_lines = list(subtitle_lines)
        self.columns = list(columns)
        self.rows = rows
        self.money_columns = sorted(set(money_columns))
        self.landscape = landscape
        self.footer_lines = list(footer_lines)
        self.page_footer_text = page_footer_text
        self.banner = banner  # a line at the top of every page (演示数据 — 非真实单位)
        self.row_height_mm = row_height_mm
        self.notes = list(notes)
        self.page_subtotals = page_subtotals
        self.repeat_title = repeat_title
        self.font_size = font_size
        self.subtitle_align = subtitle_align
        self.footer_line_gap_mm = footer_line_gap_mm
        # top, right, bottom, left
        self.margins_mm = margins_mm or ((12, 12, 16, 12) if landscape else (15, 15, 16, 15))
        self.fonts = fonts
        self.author = author
        #: filled in by :meth:`write`: row indexes per page, and the money sums per page
        self.page_rows: list[range] = []
        self.page_sums: list[list[int]] = []

    # ------------------------------------------------------------------ geometry

    def _setup(self) -> None:
        self._fonts = self.fonts or ensure_fonts()
        self._styles = _Styles(self._fonts, self.font_size)
        self._page_w, self._page_h = to_landscape(A4) if self.landscape else A4
        top, right, bottom, left = (m * mm for m in self.margins_mm)
        self._left, self._bottom = left, bottom
        self._avail_w = self._page_w - left - right
        self._top_y = self._page_h - top
        self._avail_h = self._top_y - bottom

        widths = [c.width_mm * mm for c in self.columns]
        total = sum(widths)
        if total > self._avail_w + 0.5:
            scale = self._avail_w / total
            widths = [w * scale for w in widths]
            total = self._avail_w
        self._col_w = widths
        self._table_x = left + (self._avail_w - total) / 2
        # title, subtitles, notes and footer lines line up with the table's edges
        self._block_x, self._block_w = self._table_x, total
        self._align = [
            _ALIGN[c.align or ("right" if i in self.money_columns else "left")]
            for i, c in enumerate(self.columns)
        ]
        self._min_row_h = (self.row_height_mm or 0) * mm
        fs = self.font_size
        self._line_h = round(fs * 1.3, 2)

        title_style = ParagraphStyle(
            "title",
            fontName=self._fonts.title,
            fontSize=18,
            leading=26,
            alignment=TA_CENTER,
            wordWrap="CJK",
        )
        sub_style = ParagraphStyle(
            "subtitle",
            fontName=self._fonts.body,
            fontSize=10.5,
            leading=16,
            alignment=_ALIGN[self.subtitle_align],
            wordWrap="CJK",
        )
        cont_style = ParagraphStyle(
            "continued",
            fontName=self._fonts.title,
            fontSize=10.5,
            leading=15,
            alignment=TA_CENTER,
            wordWrap="CJK",
        )
        self._text_style = ParagraphStyle(
            "text",
            fontName=self._fonts.body,
            fontSize=10.5,
            leading=17,
            alignment=TA_LEFT,
            wordWrap="CJK",
            firstLineIndent=21,
        )
        self._footer_style = ParagraphStyle(
            "footer",
            fontName=self._fonts.body,
            fontSize=10.5,
            leading=16,
            alignment=TA_LEFT,
            wordWrap="CJK",
        )

        gap = 3 * mm
        self._first_block = [(Paragraph(_markup(self.title), title_style), gap)]
        self._first_block += [(Paragraph(_markup(s), sub_style), 0.0) for s in self.subtitle_lines]
        self._first_block[-1] = (self._first_block[-1][0], gap)
        self._cont_block = (
            [(Paragraph(_markup(f"{self.title}（续）"), cont_style), 2 * mm)]
            if self.repeat_title
            else []
        )
        self._first_h = self._block_height(self._first_block)
        self._cont_h = self._block_height(self._cont_block)

        tail: list[tuple[Paragraph, float]] = []
        if self.notes:
            tail.append((None, 4 * mm))  # type: ignore[arg-type]
            tail += [(Paragraph(_markup(n), self._text_style), 1 * mm) for n in self.notes]
        if self.footer_lines:
            tail.append((None, 6 * mm))  # type: ignore[arg-type]
            tail += [
                (Paragraph(_markup(f), self._footer_style), self.footer_line_gap_mm * mm)
                for f in self.footer_lines
            ]
        self._tail_block = tail
        self._tail_h = self._block_height(tail)

        # header row and fixed total rows
        header_cells = [
            Paragraph(_markup(c.header), self._styles.cell(self.font_size, TA_CENTER))
            for c in self.columns
        ]
        self._header_cells = header_cells
        self._header_h = max(
            self._para_height(p, w) for p, w in zip(header_cells, self._col_w, strict=True)
        ) + 2 * _PAD
        self._has_money = bool(self.money_columns)
        self._total_row_h = self._line_h + 2 * _PAD + 2
        self._words_rows_h = 0.0  # set once the grand totals are known

    def _block_height(self, block: Sequence[tuple[Paragraph | None, float]]) -> float:
        height = 0.0
        for para, gap in block:
            if para is not None:
                _, h = para.wrap(self._block_w, self._avail_h)
                height += h
            height += gap
        return height

    @staticmethod
    def _para_height(para: Paragraph, col_w: float) -> float:
        _, h = para.wrap(max(1.0, col_w - 2 * _PAD), 1e6)
        return h

    # ------------------------------------------------------------- cell content

    def _row_texts(self, row: Sequence[Any]) -> list[str]:
        if len(row) != len(self.columns):
            raise ValueError(f"row has {len(row)} cells, expected {len(self.columns)}: {row!r}")
        return [
            _money_text(v, self.columns[i].header) if i in self._money_set else cell_text(v)
            for i, v in enumerate(row)
        ]

    def _cell(self, text: str, col: int) -> tuple[float, Paragraph | None]:
        """Measure one cell; return (content height, paragraph or None if not built)."""
        width = self._col_w[col] - 2 * _PAD
        fs = self.font_size
        align = self._align[col]
        if "\n" not in text:
            tw = stringWidth(text, self._fonts.body, fs)
            if tw <= width:
                return self._line_h, None
            if not self.columns[col].wrap:
                size = max(_MIN_FONT, fs * width / tw * 0.98)
                if stringWidth(text, self._fonts.body, size) <= width:
                    style = self._styles.cell(size, align)
                    return max(style.leading, 0), Paragraph(_markup(text), style)
        para = Paragraph(_markup(text), self._styles.cell(fs, align))
        return self._para_height(para, self._col_w[col]), para

    def _measure_row(self, texts: list[str]) -> float:
        content = max(self._cell(t, i)[0] for i, t in enumerate(texts))
        return max(self._min_row_h, content + 2 * _PAD)

    def _build_cells(self, texts: list[str]) -> list[Paragraph | str]:
        """A cell that fits on one line at the body size is a plain string (the table style gives
        its font and its column's alignment): a Paragraph per cell, parsed as markup and broken
        into lines, was most of a 10,000-line list's time."""
        cells: list[Paragraph | str] = []
        for i, text in enumerate(texts):
            _, para = self._cell(text, i)
            cells.append(text if para is None else para)
        return cells

    # ---------------------------------------------------------------- paginate

    def _paginate(self, heights: list[float], with_subtotals: bool) -> list[range]:
        fixed = self._header_h + (self._total_row_h if with_subtotals else 0.0)
        final = self._total_row_h + self._words_rows_h if self._has_money else 0.0
        final += self._tail_h
        first_cap = self._avail_h - self._first_h - fixed
        other_cap = self._avail_h - self._cont_h - fixed

        def cap(page_no: int) -> float:
            return first_cap if page_no == 0 else other_cap

        if cap(0) < 0 or other_cap < 0:
            raise PageLayoutError("标题或表头过高，一页放不下")
        pages: list[list[int]] = [[0, 0]]  # [start, stop]
        used = 0.0
        for i, h in enumerate(heights):
            if h > other_cap and h > cap(0):
                raise PageLayoutError(f"第 {i + 1} 行内容过多，一页放不下")
            if used + h > cap(len(pages) - 1) + 0.01 and pages[-1][1] > pages[-1][0]:
                pages.append([i, i])
                used = 0.0
            pages[-1][1] = i + 1
            used += h
        # the last page must also hold the totals, notes and footer lines
        if used + final > cap(len(pages) - 1) + 0.01:
            start, stop = pages[-1]
            if stop > start:
                last_h = heights[stop - 1]
                if last_h + final > other_cap + 0.01:
                    if final > other_cap + 0.01:
                        raise PageLayoutError("合计和落款内容过多，一页放不下")
                    pages.append([stop, stop])  # totals alone on the final page
                else:
                    pages[-1][1] = stop - 1
                    pages.append([stop - 1, stop])
            else:
                raise PageLayoutError("合计和落款内容过多，一页放不下")
        self._balance_last_page(pages, heights, cap(len(pages) - 1) - final)
        return [range(a, b) for a, b in pages]

    @staticmethod
    def _balance_last_page(pages: list[list[int]], heights: list[float], last_cap: float) -> None:
        """No widow rows: the last page takes rows from the page before until it holds at least
        MIN_LAST_ROWS (or half of the two pages' rows), as far as it has room."""
        if len(pages) < 2:
            return
        prev, last = pages[-2], pages[-1]
        used = sum(heights[last[0]:last[1]])
        while (last[1] - last[0] < MIN_LAST_ROWS and prev[1] - prev[0] - 1 > last[1] - last[0]
               and used + heights[prev[1] - 1] <= last_cap + 0.01):
            prev[1] -= 1
            last[0] -= 1
            used += heights[last[0]]

    # ------------------------------------------------------------------ drawing

    def _table_style(self, n_rows: int, extra: list[tuple]) -> TableStyle:
        cmds: list[tuple] = [
            ("GRID", (0, 0), (-1, -1), 0.6, _GRID),
            # plain-string cells (blank signature cells) would otherwise use Helvetica
            ("FONT", (0, 0), (-1, -1), self._fonts.body, self.font_size),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
            ("TOPPADDING", (0, 0), (-1, -1), _PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD),
            ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG),
            # plain-string data cells (one line) align as their column does
            *(("ALIGN", (i, 1), (i, -1), _ALIGN_NAMES[a]) for i, a in enumerate(self._align)),
        ]
        return TableStyle(cmds + extra)

    def _total_row(self, label: str, sums: list[int]) -> tuple[list[Any], int]:
        """Cells for a 小计/合计 row and the last column its label spans (-1: no label)."""
        ncols = len(self.columns)
        first_money = self.money_columns[0]
        style_c = self._styles.cell(self.font_size, TA_CENTER, self._fonts.title)
        cells: list[Any] = [""] * ncols
        if first_money > 0:
            cells[0] = Paragraph(_markup(label), style_c)
        for col, total in zip(self.money_columns, sums, strict=True):
            cells[col] = Paragraph(
                _markup(format_yuan(total)),
                self._styles.cell(self.font_size, self._align[col], self._fonts.title),
            )
        return cells, first_money - 1

    def _words_rows(self, sums: list[int]) -> list[tuple[list[Any], float]]:
        out = []
        style = self._styles.cell(self.font_size, TA_LEFT, self._fonts.title)
        single = len(self.money_columns) == 1
        for col, total in zip(self.money_columns, sums, strict=True):
            label = "" if single else _short_header(self.columns[col].header)
            text = f"{label}合计：人民币（大写）{amount_in_words(total)}　¥{format_yuan(total)}"
            para = Paragraph(_markup(text), style)
            h = self._para_height(para, sum(self._col_w)) + 2 * _PAD
            out.append(([para] + [""] * (len(self.columns) - 1), h))
        return out

    def _draw_block(self, canvas: Canvas, block, y: float) -> float:
        for para, gap in block:
            if para is not None:
                _, h = para.wrapOn(canvas, self._block_w, self._avail_h)
                para.drawOn(canvas, self._block_x, y - h)
                y -= h
            y -= gap
        return y

    # -------------------------------------------------------------------- write

    def write(
        self,
        target: Target,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> int:
        """Write the PDF to a path (atomically) or a binary file object; return the page count.

        Raises :class:`Cancelled` (nothing written) when ``cancelled()`` turns true.
        """
        self._setup()
        self._money_set = set(self.money_columns)
        n = len(self.rows)
        ticker = Ticker(2 * n + 1, progress, cancelled, every=50)
        ticker.start()

        heights: list[float] = []
        expected = [0] * len(self.money_columns)
        for row in self.rows:
            heights.append(self._measure_row(self._row_texts(row)))
            for k, col in enumerate(self.money_columns):
                if row[col] is not None:
                    expected[k] += row[col]
            ticker.advance()
        words_rows = self._words_rows(expected) if self._has_money else []
        self._words_rows_h = sum(h for _, h in words_rows)

        with_subtotals = self._has_money and self.page_subtotals
        pages = self._paginate(heights, with_subtotals)
        if len(pages) == 1 and with_subtotals:
            with_subtotals = False
            pages = self._paginate(heights, False)
        self.page_rows = pages
        page_count = len(pages)

        with target_file(target) as out:
            canvas = Canvas(
                out,
                pagesize=(self._page_w, self._page_h),
                pageCompression=1,
                initialFontName=self._fonts.body,  # else every page references unembedded Helvetica
                initialFontSize=self.font_size,
            )
            date_from_clock(canvas)
            canvas.setTitle(self.title)
            canvas.setCreator("职帮 zhibang_desktop")
            if self.author:
                canvas.setAuthor(self.author)

            grand = [0] * len(self.money_columns)
            self.page_sums = []
            for page_no, page in enumerate(pages):
                ticker.check()
                last = page_no == page_count - 1
                y = self._top_y
                y = self._draw_block(canvas, self._first_block if page_no == 0 else self._cont_block, y)

                page_table = _PageTable(self._header_cells, self._header_h)
                sums = [0] * len(self.money_columns)
                for r in page:
                    row = self.rows[r]
                    page_table.add(self._build_cells(self._row_texts(row)), heights[r])
                    for k, col in enumerate(self.money_columns):
                        if row[col] is not None:
                            sums[k] += row[col]
                    ticker.advance()
                grand = [g + s for g, s in zip(grand, sums, strict=True)]
                self.page_sums.append(sums)

                if with_subtotals:
                    page_table.add_total(*self._total_row("本页小计", sums), self._total_row_h)
                if last and self._has_money:
                    if grand != expected:  # rows changed while we were writing
                        raise RuntimeError("page totals do not add up to the grand total")
                    page_table.add_total(*self._total_row("合　计", grand), self._total_row_h)
                    for cells, h in words_rows:
                        page_table.add(cells, h, span_all=True)
                data, row_heights, extra = page_table.data, page_table.heights, page_table.style

                table = Table(data, colWidths=self._col_w, rowHeights=row_heights)
                table.setStyle(self._table_style(len(data), extra))
                _, th = table.wrapOn(canvas, self._avail_w, self._avail_h)
                table.drawOn(canvas, self._table_x, y - th)
                y -= th
                if last:
                    y = self._draw_block(canvas, self._tail_block, y)
                if y < self._bottom - 0.5:  # pagination bug guard: never silently overflow
                    raise PageLayoutError(f"第 {page_no + 1} 页内容超出页面（内部分页错误）")
                draw_page_footer(
                    canvas, self._fonts.body, self._page_w, page_no + 1, page_count,
                    self.page_footer_text, banner=self.banner,
                )
                canvas.showPage()

            canvas.save()
        ticker.finish()
        return page_count
