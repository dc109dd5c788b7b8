"""Small helpers shared by the PDF writers."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..domain import clock

__all__ = ["cell_text", "markup", "draw_page_number", "draw_page_footer", "date_from_clock"]

_SPACE_RUN = re.compile(r" {2,}")
_NBSP = "\u00a0"


def cell_text(value: Any) -> str:
    """Text shown for a non-money cell value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def date_from_clock(canvas: Canvas) -> None:
    """Give the PDF's CreationDate and ModDate from the program's clock.

    reportlab stamps them with the machine's time, so a list printed on a pinned or
    training day (ZHIBANG_TODAY) said one date on the page and another in the reader's
    document properties. Call right after the canvas is made, before anything is saved.
    """
    moment = clock.local_now()
    minutes = int((moment.utcoffset() or dt.timedelta()).total_seconds() // 60)
    stamp = canvas._doc._timeStamp
    stamp.t = moment.timestamp()
    stamp.lt = moment.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh, stamp.dmm = int(minutes / 60), abs(minutes) % 60
    stamp.tzname = moment.tzname() or "UTC"


def _nbsp_per_em() -> int:
    from .fonts import ensure_fonts

    body = ensure_fonts().body
    return _nbsp_count(body)


@lru_cache(maxsize=8)
def _nbsp_count(font: str) -> int:
    return max(1, round(stringWidth("\u3000", font, 10) / max(0.1, stringWidth(_NBSP, font, 10))))


def markup(text: str) -> str:
    """Paragraph markup for plain text: escaped, newlines kept, spacing kept.

    Paragraph collapses runs of whitespace (U+3000 included), which would
    squeeze "负责人：____　　审核人：____" together; each full-width space becomes
    as many no-break spaces as make 1 em in the body font (4 in WenQuanYi, 2 in
    UMing) and runs of ASCII spaces keep their length, leaving one breakable space.
    """
    text = escape(text).replace("\r\n", "\n")
    text = text.replace("\u3000", _NBSP * _nbsp_per_em())
    text = _SPACE_RUN.sub(lambda m: " " + _NBSP * (len(m.group()) - 1), text)
    return text.replace("\n", "<br/>")


def draw_page_number(
    canvas: Canvas, font: str, center_x: float, y: float, page_no: int, page_count: int,
    size: float = 9.0,
) -> None:
    """Draw "第 N 页 共 M 页" centred at (center_x, y).

    The words are placed as separate tokens half an em apart: a plain space
    glyph in a CJK font is so narrow that text extractors (and some readers'
    search) run the words together as "第1页共3页".
    """
    tokens = ["第", str(page_no), "页", "共", str(page_count), "页"]
    gap = size * 0.5
    widths = [stringWidth(t, font, size) for t in tokens]
    x = center_x - (sum(widths) + gap * (len(tokens) - 1)) / 2
    canvas.setFont(font, size)
    for token, width in zip(tokens, widths):
        canvas.drawString(x, y, token)
        x += width + gap


def draw_page_footer(
    canvas: Canvas,
    font: str,
    page_width: float,
    page_no: int,
    page_count: int,
    small_text: str | None = None,
    *,
    banner: str | None = None,
) -> None:
    """"第 N 页 共 M 页" 9 mm above the bottom edge, and an optional small grey line below it."""
    canvas.saveState()
    if banner:  # e.g. the demo office: 演示数据 — 非真实单位, at the top of every page
        canvas.setFont(font, 9)
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1))
        canvas.drawCentredString(page_width / 2, canvas._pagesize[1] - 7 * mm, banner)
        canvas.setFillColor(colors.black)
    draw_page_number(canvas, font, page_width / 2, 9 * mm, page_no, page_count)
    if small_text:
        size = 6.5
        width = stringWidth(small_text, font, size)
        max_w = page_width - 20 * mm
        if width > max_w:
            size = max(4.0, size * max_w / width)
        canvas.setFont(font, size)
        canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
        canvas.drawCentredString(page_width / 2, 5 * mm, small_text)
    canvas.restoreState()
