"""Generic A4 portrait form (审批表, 档案表/档案卡) built from stacked grid sections.

A form is a title block followed by sections that all share the same width,
so stacked one under the other they read as one ruled form:

* :meth:`FormDocument.add_fields` — label/value grid, ``pairs_per_row`` label
  cells + value cells per row; a field may span several pairs (e.g. 家庭住址);
* :meth:`FormDocument.add_grid` — any grid of :class:`Cell` with col/row spans;
* :meth:`FormDocument.add_table` — a small list with a header row (家庭成员),
  optionally padded with blank rows to be filled in by hand;
* :meth:`FormDocument.add_text_block` — a label cell and a tall free-text cell
  (申请事由, 困难情况);
* :meth:`FormDocument.add_opinion` — a level's opinion: label cell, the
  opinion text, and at the bottom right "负责人：____ （盖章）  年 月 日";
* :meth:`FormDocument.add_paragraph` / :meth:`add_spacer` — text outside the grid.

Pages carry "第 N 页 共 M 页" (two-pass canvas) and an optional small footer
text.  Fonts are the embedded TrueType fonts of :mod:`.fonts`.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFPage, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .fonts import FontSet, ensure_fonts
from .lazy_story import LazyStory
from .output import CancelFn, Cancelled, ProgressFn, Target, Ticker, target_file
from .pdf_common import cell_text, date_from_clock, draw_page_footer, markup

__all__ = ["Cell", "Field", "FormDocument", "Cancelled"]

Align = Literal["left", "center", "right"]
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_PAD = 3.0
_LINE = 0.6


@dataclass(frozen=True)
class Cell:
    """A grid cell. ``label`` cells are centred (the printed caption of a box)."""

    text: Any = ""
    colspan: int = 1
    rowspan: int = 1
    label: bool = False
    align: Align | None = None


@dataclass(frozen=True)
class Field:
    """A label/value pair for :meth:`FormDocument.add_fields`; ``span`` counts pairs."""

    label: str
    value: Any = ""
    span: int = 1


class FormDocument:
    """Build a portrait form section by section, then :meth:`write` it."""

    def __init__(
        self,
        title: str,
        subtitle_lines: Sequence[str] = (),
        *,
        meta_left: str = "",
        meta_right: str = "",
        page_footer_text: str | None = None,
        banner: str | None = None,
        font_size: float = 10.5,
        margins_mm: tuple[float, float, float, float] = (18, 18, 20, 18),
        fonts: FontSet | None = None,
        author: str = "",
    ) -> None:
        """``meta_left``/``meta_right``: the line above the grid ("编号：…" / "填表日期：…")."""
        self.fonts = fonts or ensure_fonts()
        self.title = title
        self.page_footer_text = page_footer_text
        self.banner = banner  # a line at the top of every page (演示数据 — 非真实单位)
        self.font_size = font_size
        self.margins_mm = margins_mm
        self.author = author
        top, right, bottom, left = margins_mm
        self.width = A4[0] - (left + right) * mm
        self._styles: dict[tuple, ParagraphStyle] = {}
        self._story: list[Flowable] = []

        title_style = ParagraphStyle(
            "form-title",
            fontName=self.fonts.title,
            fontSize=18,
            leading=26,
            alignment=TA_CENTER,
            wordWrap="CJK",
            spaceAfter=2 * mm,
        )
        self._story.append(Paragraph(markup(title), title_style))
        for line in subtitle_lines:
            self._story.append(Paragraph(markup(line), self._style(size=font_size, align="center")))
        if subtitle_lines:
            self._story.append(Spacer(1, 2 * mm))
        if meta_left or meta_right:
            meta = Table(
                [[Paragraph(markup(meta_left), self._style()),
                  Paragraph(markup(meta_right), self._style(align="right"))]],
                colWidths=[self.width / 2] * 2,
            )
            meta.setStyle(TableStyle(self._base_style_cmds(grid=False)
                                     + [("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
            self._story.append(meta)
        self._story.append(Spacer(1, 1 * mm))

    # ------------------------------------------------------------------ styles

    def _style(self, size: float | None = None, align: Align = "left", title: bool = False,
               leading: float | None = None) -> ParagraphStyle:
        size = size or self.font_size
        font = self.fonts.title if title else self.fonts.body
        key = (size, align, font, leading)
        style = self._styles.get(key)
        if style is None:
            style = ParagraphStyle(
                f"form-{len(self._styles)}",
                fontName=font,
                fontSize=size,
                leading=leading or round(size * 1.35, 2),
                alignment=_ALIGN[align],
                wordWrap="CJK",
            )
            self._styles[key] = style
        return style

    def _base_style_cmds(self, grid: bool = True) -> list[tuple]:
        cmds: list[tuple] = [
            ("FONT", (0, 0), (-1, -1), self.fonts.body, self.font_size),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
            ("TOPPADDING", (0, 0), (-1, -1), _PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD),
        ]
        if grid:
            cmds.append(("GRID", (0, 0), (-1, -1), _LINE, colors.black))
        return cmds

    def _para(self, value: Any, align: Align = "left", title: bool = False) -> Paragraph:
        return Paragraph(markup(cell_text(value)), self._style(align=align, title=title))

    def _widths(self, widths_mm: Sequence[float] | None, n: int) -> list[float]:
        if not widths_mm:
            return [self.width / n] * n
        if len(widths_mm) != n:
            raise ValueError(f"{n} columns but {len(widths_mm)} widths")
        total = sum(widths_mm)
        return [w / total * self.width for w in widths_mm]  # always the full form width

    # ---------------------------------------------------------------- sections

    def add_grid(
        self,
        rows: Sequence[Sequence[Cell | Any]],
        col_widths_mm: Sequence[float] | None = None,
        *,
        min_row_height_mm: float = 9.0,
        heading: str | None = None,
    ) -> FormDocument:
        """Add a ruled grid.  Each row lists its cells left to right; a cell covered
        by a span from the left or from above is simply not listed.  Values that
        are not :class:`Cell` are value cells.  Widths are scaled to the form width."""
        ncols = len(col_widths_mm) if col_widths_mm else max(
            (sum(c.colspan if isinstance(c, Cell) else 1 for c in r) for r in rows), default=1)
        widths = self._widths(col_widths_mm, ncols)
        occupied: set[tuple[int, int]] = set()
        data: list[list[Any]] = []
        cell_widths: list[list[float]] = []  # per row: the width of the cell starting in each column
        cmds = self._base_style_cmds()
        offset = 0
        if heading:
            data.append([self._para(heading, "center", title=True)] + [""] * (ncols - 1))
            cell_widths.append([sum(widths)] + [0.0] * (ncols - 1))
            cmds.append(("SPAN", (0, 0), (-1, 0)))
            offset = 1
        for r, row in enumerate(rows):
            out: list[Any] = [""] * ncols
            spans = list(widths)
            c = 0
            for item in row:
                cell = item if isinstance(item, Cell) else Cell(item)
                while (r, c) in occupied:
                    c += 1
                if c + cell.colspan > ncols:
                    raise ValueError(f"grid row {r + 1} is wider than {ncols} columns")
                align = cell.align or ("center" if cell.label else "left")
                out[c] = self._para(cell.text, align)
                spans[c] = sum(widths[c:c + cell.colspan])
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        occupied.add((r + dr, c + dc))
                if cell.colspan > 1 or cell.rowspan > 1:
                    cmds.append(("SPAN", (c, r + offset),
                                 (c + cell.colspan - 1, r + offset + cell.rowspan - 1)))
                c += cell.colspan
            data.append(out)
            cell_widths.append(spans)
        min_h = min_row_height_mm * mm
        # a cell spanning columns wraps at the spanned width (a row-spanning cell still
        # sizes its first row, which only ever gives it more room)
        heights = [self._row_height(row, w, min_h) for row, w in zip(data, cell_widths, strict=True)]
        table = Table(data, colWidths=widths, rowHeights=heights)
        table.setStyle(TableStyle(cmds))
        self._story.append(table)
        return self

    def _row_height(self, row: list[Any], widths: list[float], min_h: float) -> float:
        # height of the row from its own (unspanned) cells; spanned cells wider than
        # their column just get more room, which only ever needs less height.
        h = 0.0
        for cell, w in zip(row, widths, strict=True):
            if isinstance(cell, Paragraph):
                _, ch = cell.wrap(max(1.0, w - 2 * _PAD), 1e6)
                h = max(h, ch)
        return max(min_h, h + 2 * _PAD)

    def add_fields(
        self,
        fields: Sequence[Field],
        *,
        pairs_per_row: int = 3,
        label_width_mm: float = 26.0,
        heading: str | None = None,
        min_row_height_mm: float = 9.0,
    ) -> FormDocument:
        """Label/value grid: ``pairs_per_row`` pairs per row; a field with ``span=k``
        takes k pairs (its value cell covers the following label and value cells)."""
        label_w = label_width_mm
        value_w = (self.width / mm - pairs_per_row * label_w) / pairs_per_row
        widths = [label_w, value_w] * pairs_per_row
        rows: list[list[Cell]] = []
        current: list[Cell] = []
        used = 0
        for f in fields:
            span = max(1, min(f.span, pairs_per_row))
            if used + span > pairs_per_row:
                rows.append(self._pad_row(current, used, pairs_per_row))
                current, used = [], 0
            current.append(Cell(f.label, label=True))
            current.append(Cell(f.value, colspan=2 * span - 1))
            used += span
        if current:
            rows.append(self._pad_row(current, used, pairs_per_row))
        return self.add_grid(rows, widths, min_row_height_mm=min_row_height_mm, heading=heading)

    @staticmethod
    def _pad_row(cells: list[Cell], used: int, pairs: int) -> list[Cell]:
        if used < pairs:  # stretch the last value cell to the end of the row
            last = cells[-1]
            cells[-1] = Cell(last.text, colspan=last.colspan + 2 * (pairs - used), label=last.label,
                             align=last.align)
        return cells

    def add_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        col_widths_mm: Sequence[float] | None = None,
        *,
        heading: str | None = None,
        min_rows: int = 0,
        min_row_height_mm: float = 8.0,
        align: Sequence[Align] | None = None,
    ) -> FormDocument:
        """A ruled list with a header row, padded with blank rows up to ``min_rows``."""
        n = len(headers)
        widths = self._widths(col_widths_mm, n)
        aligns = list(align) if align else ["center"] * n
        data: list[list[Any]] = []
        cmds = self._base_style_cmds()
        if heading:
            data.append([self._para(heading, "center", title=True)] + [""] * (n - 1))
            cmds.append(("SPAN", (0, 0), (-1, 0)))
        header_row = len(data)
        data.append([self._para(h, "center") for h in headers])
        for row in rows:
            if len(row) != n:
                raise ValueError(f"row has {len(row)} cells, expected {n}")
            data.append([self._para(v, a) for v, a in zip(row, aligns, strict=True)])
        for _ in range(max(0, min_rows - len(rows))):
            data.append([""] * n)
        min_h = min_row_height_mm * mm
        heights = [self._row_height(r, widths, min_h) for r in data]
        table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=header_row + 1)
        table.setStyle(TableStyle(cmds))
        self._story.append(table)
        return self

    def add_text_block(
        self,
        label: str,
        text: str = "",
        *,
        height_mm: float = 30.0,
        label_width_mm: float = 26.0,
    ) -> FormDocument:
        """A label cell and a free-text cell at least ``height_mm`` tall (text at the top)."""
        widths = self._widths([label_width_mm, self.width / mm - label_width_mm], 2)
        value = self._para(text)
        _, th = value.wrap(widths[1] - 2 * _PAD, 1e6)
        content: list[Flowable] = [value]
        if th < height_mm * mm - 2 * _PAD:
            content.append(Spacer(1, height_mm * mm - 2 * _PAD - th))
        # row height from the content; splitInRow lets a long case description
        # continue on the next page instead of failing the layout
        table = Table([[self._para(label, "center"), content]], colWidths=widths, splitInRow=1)
        table.setStyle(TableStyle(self._base_style_cmds() + [("VALIGN", (1, 0), (1, 0), "TOP")]))
        self._story.append(table)
        return self

    def add_opinion(
        self,
        label: str,
        text: str = "",
        *,
        signer: str = "负责人",
        seal: bool = True,
        date_text: str | None = None,
        height_mm: float = 32.0,
        label_width_mm: float = 26.0,
    ) -> FormDocument:
        """A level's opinion box: text at the top, "负责人：____ （盖章）  年 月 日" at the
        bottom right.  ``date_text`` (e.g. "2026年3月5日") fills the date when known."""
        widths = self._widths([label_width_mm, self.width / mm - label_width_mm], 2)
        inner_w = widths[1] - 2 * _PAD
        sign = f"{signer}：__________"
        if seal:
            sign += "　（盖章）"
        sign += "　　　" + (date_text or "　　　　年　　月　　日")
        opinion = self._para(text)
        signature = Paragraph(markup(sign), self._style(align="right"))
        _, oh = opinion.wrap(inner_w, 1e6)
        _, sh = signature.wrap(inner_w, 1e6)
        gap = max(8 * mm, height_mm * mm - 2 * _PAD - oh - sh)
        content = [opinion, Spacer(1, gap), signature]
        table = Table([[self._para(label, "center"), content]], colWidths=widths, splitInRow=1)
        table.setStyle(TableStyle(self._base_style_cmds() + [("VALIGN", (1, 0), (1, 0), "TOP")]))
        self._story.append(table)
        return self

    def add_paragraph(self, text: str, *, align: Align = "left", size: float | None = None,
                      space_before_mm: float = 2.0) -> FormDocument:
        """Text outside the grid (notes, 落款 lines)."""
        if space_before_mm:
            self._story.append(Spacer(1, space_before_mm * mm))
        self._story.append(Paragraph(markup(text), self._style(size=size, align=align)))
        return self

    def add_spacer(self, height_mm: float) -> FormDocument:
        self._story.append(Spacer(1, height_mm * mm))
        return self

    # -------------------------------------------------------------------- write

    def write(
        self,
        target: Target,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> int:
        """Write the PDF to a path (atomically) or a binary file object; return the page count."""
        ticker = Ticker(len(self._story) + 1, progress, cancelled, every=1)
        ticker.start()
        story = list(self._story)
        for flowable in story:  # report progress as flowables get laid out
            flowable._zhibang_tick = True  # type: ignore[attr-defined]

        def after_flowable(flowable: Flowable) -> None:
            if getattr(flowable, "_zhibang_tick", False):
                ticker.advance()

        pages = self._build(story, target, ticker.check, after_flowable)
        ticker.finish()
        return pages

    def take_story(self) -> list[Flowable]:
        """What the sections added so far; the document starts an empty story."""
        story, self._story = self._story, []
        return story

    def write_parts(self, parts: Iterable[list[Flowable]], target: Target, cancelled: CancelFn | None = None) -> int:
        """Write a story made part by part while it is laid out (one household's form at a
        time, see lazy_story); return the page count."""
        def check() -> None:
            if cancelled is not None and cancelled():
                raise Cancelled()

        return self._build(LazyStory(parts), target, check)

    def _build(self, story: list[Flowable], target: Target, on_page: Callable[[], None],
               after_flowable: Callable[[Flowable], None] | None = None) -> int:
        top, right, bottom, left = self.margins_mm
        with target_file(target) as out:
            doc = SimpleDocTemplate(
                out,
                pagesize=A4,
                topMargin=top * mm,
                rightMargin=right * mm,
                bottomMargin=bottom * mm,
                leftMargin=left * mm,
                title=self.title,
                author=self.author,
                creator="职帮 zhibang_desktop",
                pageCompression=1,
                initialFontName=self.fonts.body,
            )
            pages = [0]
            if after_flowable is not None:
                doc.afterFlowable = after_flowable  # type: ignore[method-assign]
            doc.build(
                story,
                onFirstPage=lambda _canvas, _doc: on_page(),
                onLaterPages=lambda _canvas, _doc: on_page(),
                canvasmaker=_numbered_canvas(self.fonts.body, self.page_footer_text, pages, self.banner),
            )
        return pages[0]


def _numbered_canvas(font: str, footer_text: str | None, page_count_out: list[int], banner: str | None = None):
    """A canvas class that defers pages so each can say "第 N 页 共 M 页"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # the doc template passes initialFontName=None: without our font every
            # page would reference (unembedded) Helvetica
            if not kwargs.get("initialFontName"):
                kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            date_from_clock(self)
            self._deferred: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            state = dict(self.__dict__)
            # a page's drawing is thousands of short strings until the PDF is saved; packed,
            # a thousand-page print keeps megabytes, not hundreds of them
            state["_code"] = zlib.compress("\n".join(self._code).encode("utf-8"), 1)
            self._deferred.append(state)
            self._startPage()

        def save(self) -> None:
            deferred = self._deferred
            total = len(deferred)
            page_count_out[0] = total
            for number in range(total):
                state, deferred[number] = deferred[number], None  # the page's final stream replaces it
                self.__dict__.update(state)
                self._code = [zlib.decompress(state["_code"]).decode("utf-8")]  # joined as reportlab joins them
                draw_page_footer(
                    self, font, self._pagesize[0], self._pageNumber, total, footer_text, banner=banner
                )
                super().showPage()
                _compress_now(self._doc.Pages.pages[-1])
            super().save()

    return NumberedCanvas


class _AlreadyFlate:
    """The FlateDecode filter of a stream compressed before the document is saved."""

    pdfname = "FlateDecode"

    @staticmethod
    def encode(content: bytes) -> bytes:
        return content


def _compress_now(page: PDFPage) -> None:
    """Compress a finished page's stream now rather than when the PDF is saved, when every page
    of the document would be held as text until then (~18 KB a form page). Flate at zlib's
    default level as reportlab's, without the ASCII85 layer it adds by default: the same pages,
    a fifth smaller."""
    stream = PDFStream(content=zlib.compress(page.stream.encode("utf-8")), filters=[_AlreadyFlate])
    stream.__Comment__ = "page stream"
    page.Contents, page.stream = stream, None
