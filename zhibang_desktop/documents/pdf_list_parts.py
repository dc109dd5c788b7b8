"""The pieces of a printed list (pdf_list.ListReport): its columns, cell styles, the money text of a
cell and the table of one page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from zhibang_desktop.domain.money import format_yuan

from .fonts import FontSet

Align = Literal["left", "center", "right"]
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}

_PAD = 3.0  # cell padding, points, all four sides
_MIN_FONT = 6.0  # smallest size a non-wrapping cell is shrunk to before it wraps
_GRID = colors.black
_HEADER_BG = colors.Color(0.90, 0.90, 0.90)
_TOTAL_BG = colors.Color(0.96, 0.96, 0.96)
MIN_LAST_ROWS = 3  # a last page with fewer rows takes some from the page before (no widow rows)


class PageLayoutError(ValueError):
    """The content cannot be laid out (e.g. one row or the footer is taller than a page)."""


@dataclass(frozen=True)
class Column:
    """One table column.

    ``wrap=False`` keeps the text on one line (ID numbers, amounts, dates),
    shrinking the font down to 6 pt if needed before wrapping after all.
    ``align=None`` means right for money columns, left otherwise.
    """

    header: str
    width_mm: float
    align: Align | None = None
    wrap: bool = True


def _money_text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"money column {column!r} needs int fen, got {value!r}")
    return format_yuan(value)


class _Styles:
    """Paragraph styles, cached per (font size, alignment)."""

    def __init__(self, fonts: FontSet, font_size: float) -> None:
        self.fonts = fonts
        self.font_size = font_size
        self._cache: dict[tuple[str, float, int], ParagraphStyle] = {}

    def cell(self, size: float, align: int, font: str | None = None) -> ParagraphStyle:
        font = font or self.fonts.body
        key = (font, round(size, 2), align)
        style = self._cache.get(key)
        if style is None:
            style = ParagraphStyle(
                f"cell-{key}",
                fontName=font,
                fontSize=size,
                leading=round(size * 1.3, 2),
                alignment=align,
                wordWrap="CJK",
                spaceBefore=0,
                spaceAfter=0,
            )
            self._cache[key] = style
        return style


class _PageTable:
    """Rows, explicit heights and extra style commands of one page's table."""

    def __init__(self, header_cells: list[Paragraph], header_h: float) -> None:
        self.data: list[list[Any]] = [list(header_cells)]
        self.heights: list[float] = [header_h]
        self.style: list[tuple] = []

    def add(self, cells: list[Any], height: float, span_all: bool = False) -> None:
        if span_all:
            at = len(self.data)
            self.style.append(("SPAN", (0, at), (-1, at)))
        self.data.append(cells)
        self.heights.append(height)

    def add_total(self, cells: list[Any], span_to: int, height: float) -> None:
        at = len(self.data)
        if span_to > 0:
            self.style.append(("SPAN", (0, at), (span_to, at)))
        self.style.append(("BACKGROUND", (0, at), (-1, at), _TOTAL_BG))
        self.add(cells, height)


def _short_header(header: str) -> str:
    for suffix in ("（元）", "(元)"):
        header = header.replace(suffix, "")
    return header
