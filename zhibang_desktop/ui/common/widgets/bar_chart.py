"""A small bar chart painted with QPainter: vertical or horizontal, stacked series, a legend,
a tooltip per bar and a click that says which bar (and which series of it) was hit.

No chart library: the dashboard needs bars and stacked bars only, and Qt's own painting adds
nothing to install or to bundle (QtCharts would need PySide6-Addons, ~100 MB more in the
Windows bundle; pyqtgraph pulls in numpy).

    chart = BarChart(horizontal=False, value_text=lambda v: f"{v // 100:,}")
    chart.set_data(["1月", "2月"], [Series("季度救助", (100, 200)), Series("紧急救助", (0, 50))])
    chart.barClicked.connect(lambda category, series: ...)

Keyboard: Left/Right (Up/Down when horizontal) choose a bar, Enter or Space opens it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

PALETTE = ("#3b78c2", "#e08a2e", "#4f9d5a", "#c2504d", "#8064a2", "#3fa7b8", "#9c7a3c", "#7f7f7f")
AXIS = QColor("#9a9a9a")
GRID = QColor("#e4e4e4")
TEXT = QColor("#333333")
TRACK = QColor("#eef1f5")  # the whole of a horizontal bar (e.g. the budget) behind its parts
FOCUS = QColor("#1a56a0")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]  # one per category, >= 0
    color: str | None = None


def fitted_label(fm: QFontMetrics, name: str, room: QRectF) -> str:
    """`name` whole when the lines `room` has space for hold it (wrapped anywhere: Chinese has no
    spaces to wrap at), else elided in the middle on one line — 镇（街）或区直局（系统）工会 is read in
    two lines rather than as 镇（街）或…系统）工会."""
    needed = fm.boundingRect(0, 0, max(1, int(room.width())), 100000, Qt.TextWrapAnywhere, name)
    if needed.width() <= room.width() and needed.height() <= room.height():
        return name
    return fm.elidedText(name, Qt.ElideMiddle, int(room.width()))


def nice_ceiling(value: int, ticks: int = 4) -> tuple[int, int]:
    """(top, step): a round axis top at or above `value`, divided into about `ticks` steps."""
    if value <= 0:
        return ticks, 1
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(math.ceil(step)))
    return step * math.ceil(value / step), step


class BarChart(QWidget):
    """Signal `barClicked(category_index, series_index)`: series_index is -1 when the click (or
    Enter) hit a category's bar as a whole (a label, or an empty bar)."""

    barClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False,
                 value_text: Callable[[int], str] = str, empty_text: str = "暂无数据", unit: int = 1):
        """`unit`: the axis steps are whole multiples of it (100 for fen: whole yuan)."""
        super().__init__(parent)
        self.horizontal = horizontal
        self.unit = unit
        self.value_text = value_text
        self.empty_text = empty_text
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.totals: list[int | None] = []  # horizontal: a whole drawn behind the parts (budget)
        self.notes: list[str] = []  # text after each bar (horizontal) or above it (vertical)
        self.tooltip: Callable[[int, int], str] | None = None
        self.current = -1  # the bar chosen with the keyboard
        self._hits: list[tuple[int, int, QRectF]] = []
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(220, 140)

    # -- data --
    def set_data(self, categories: Sequence[str], series: Sequence[Series], *, totals: Sequence[int | None] = (),
                 notes: Sequence[str] = ()) -> None:
        self.categories = list(categories)
        self.series = [s if s.color else Series(s.name, s.values, PALETTE[i % len(PALETTE)])
                       for i, s in enumerate(series)]
        self.totals = list(totals) or [None] * len(self.categories)
        self.notes = list(notes) or [""] * len(self.categories)
        self.current = min(self.current, len(self.categories) - 1)
        self.update()

    def stack(self, category: int) -> int:
        return sum(s.values[category] for s in self.series)

    def is_empty(self) -> bool:
        return not self.categories or all(self.stack(i) == 0 and not self.totals[i] for i in range(len(self.categories)))

    def bar_rect(self, category: int, series: int = -1) -> QRectF:
        """Where a category's bar (or one series' part of it) is drawn, in widget coordinates;
        empty when it is not drawn (the tests click its centre)."""
        self._layout()
        parts = [r for c, s, r in self._hits if c == category and (series < 0 or s == series)]
        if not parts:
            return QRectF()
        whole = QRectF(parts[0])
        for r in parts[1:]:
            whole = whole.united(r)
        return whole

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 240)

    # -- geometry --
    def _legend_height(self, fm: QFontMetrics) -> int:
        return fm.height() + 6 if len(self.series) > 1 else 0

    def _scale_top(self) -> tuple[int, int]:
        highest = max([self.stack(i) for i in range(len(self.categories))]
                      + [t or 0 for t in self.totals] + [0])
        top, step = nice_ceiling(-(-highest // self.unit))
        return top * self.unit, step * self.unit

    def _layout(self) -> None:
        """Compute the plot area and every bar part's rectangle (used by painting and clicks)."""
        self._hits = []
        fm = QFontMetrics(self.font())
        self._fm = fm
        area = QRectF(self.rect()).adjusted(6, 6, -8, -6)
        area.setTop(area.top() + self._legend_height(fm))
        self._top, self._step = self._scale_top()
        n = len(self.categories)
        if n == 0:
            self._plot = area
            return
        if self.horizontal:
            label_w = min(max(fm.horizontalAdvance(c) for c in self.categories) + 10, area.width() * 0.45)
            note_w = min(max([fm.horizontalAdvance(t) for t in self.notes] + [0]) + 8, area.width() * 0.3)
            plot = QRectF(area.left() + label_w, area.top(), area.width() - label_w - note_w,
                          area.height() - fm.height() - 4)
            band = plot.height() / n
            thick = min(band * 0.62, 30)
            for i in range(n):
                y = plot.top() + band * i + (band - thick) / 2
                x = plot.left()
                for j, s in enumerate(self.series):
                    w = plot.width() * s.values[i] / self._top
                    if w > 0:
                        self._hits.append((i, j, QRectF(x, y, w, thick)))
                        x += w
                self._hits.append((i, -1, self._label_room(plot, band, i)))
        else:
            axis_w = fm.horizontalAdvance(self.value_text(self._top)) + 10
            plot = QRectF(area.left() + axis_w, area.top() + fm.height(), area.width() - axis_w,
                          area.height() - 2 * fm.height() - 8)
            band = plot.width() / n
            thick = min(band * 0.66, 56)
            for i in range(n):
                x = plot.left() + band * i + (band - thick) / 2
                y = plot.bottom()
                for j, s in enumerate(self.series):
                    h = plot.height() * s.values[i] / self._top
                    if h > 0:
                        self._hits.append((i, j, QRectF(x, y - h, thick, h)))
                        y -= h
                self._hits.append((i, -1, QRectF(plot.left() + band * i, plot.bottom() + 2, band, fm.height() + 4)))
        self._plot = plot

    @staticmethod
    def _label_room(plot: QRectF, band: float, category: int) -> QRectF:
        """Where a horizontal bar's label is drawn (right-aligned, wrapped onto its band's lines):
        a click anywhere on it is a click on the bar."""
        return QRectF(0, plot.top() + band * category, plot.left() - 8, band)

    def hit(self, pos: QPointF) -> tuple[int, int] | None:
        for category, series, rect in self._hits:
            if rect.contains(pos):
                return category, series
        return None

    # -- painting --
    def paintEvent(self, _event) -> None:  # noqa: N802
        self._layout()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setFont(self.font())
        if self.is_empty():
            p.setPen(AXIS)
            p.drawText(self.rect(), Qt.AlignCenter, self.empty_text)
            return
        self._paint_legend(p)
        if self.horizontal:
            self._paint_horizontal(p)
        else:
            self._paint_vertical(p)
        if self.hasFocus() and 0 <= self.current < len(self.categories):
            rect = self.bar_rect(self.current)
            if not rect.isEmpty():
                p.setPen(QPen(FOCUS, 1.5, Qt.DashLine))
                p.setBrush(Qt.NoBrush)
                p.drawRect(rect.adjusted(-2, -2, 2, 2).intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1)))

    def _paint_legend(self, p: QPainter) -> None:
        if len(self.series) <= 1:
            return
        fm = self._fm
        x, y = self.width() - 8.0, 6.0
        for s in reversed(self.series):
            w = fm.horizontalAdvance(s.name)
            x -= w
            p.setPen(TEXT)
            p.drawText(QRectF(x, y, w + 2, fm.height()), Qt.AlignLeft | Qt.AlignVCenter, s.name)
            x -= 16
            p.fillRect(QRectF(x, y + fm.height() / 2 - 5, 11, 11), QColor(s.color))
            x -= 12

    def _paint_parts(self, p: QPainter) -> None:
        for _category, series, rect in self._hits:
            if series >= 0:
                p.fillRect(rect, QColor(self.series[series].color))

    def _paint_vertical(self, p: QPainter) -> None:
        fm, plot = self._fm, self._plot
        for k in range(0, self._top + 1, self._step):
            y = plot.bottom() - plot.height() * k / self._top
            p.setPen(GRID if k else AXIS)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(TEXT)
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                       Qt.AlignRight | Qt.AlignVCenter, self.value_text(k))
        self._paint_parts(p)
        band = plot.width() / len(self.categories)
        for i, name in enumerate(self.categories):
            x = plot.left() + band * i
            p.setPen(TEXT)
            text = fm.elidedText(name, Qt.ElideRight, int(band))
            p.drawText(QRectF(x, plot.bottom() + 4, band, fm.height()), Qt.AlignHCenter | Qt.AlignTop, text)
            note = self.notes[i] or (self.value_text(self.stack(i)) if self.stack(i) else "")
            if note and fm.horizontalAdvance(note) <= band + 4:
                top = plot.bottom() - plot.height() * self.stack(i) / self._top
                p.drawText(QRectF(x - 2, top - fm.height() - 1, band + 4, fm.height()), Qt.AlignCenter, note)

    def _paint_horizontal(self, p: QPainter) -> None:
        fm, plot = self._fm, self._plot
        n = len(self.categories)
        band = plot.height() / n
        thick = min(band * 0.62, 30)
        for i, name in enumerate(self.categories):
            y = plot.top() + band * i + (band - thick) / 2
            if self.totals[i]:
                p.fillRect(QRectF(plot.left(), y, plot.width() * self.totals[i] / self._top, thick), TRACK)
            p.setPen(TEXT)
            label = self._label_room(plot, band, i)
            p.drawText(label, Qt.AlignRight | Qt.AlignVCenter | Qt.TextWrapAnywhere, fitted_label(fm, name, label))
        self._paint_parts(p)
        p.setPen(AXIS)
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
        for i in range(n):
            y = plot.top() + band * i + (band - thick) / 2
            end = plot.left() + plot.width() * max(self.stack(i), self.totals[i] or 0) / self._top
            note = self.notes[i] or self.value_text(self.stack(i))
            p.setPen(TEXT)
            p.drawText(QRectF(end + 6, y, self.width() - end - 8, thick), Qt.AlignLeft | Qt.AlignVCenter, note)
        p.setPen(AXIS)
        for k in range(0, self._top + 1, self._step):
            x = plot.left() + plot.width() * k / self._top
            p.drawText(QRectF(x - 40, plot.bottom() + 2, 80, fm.height()), Qt.AlignHCenter | Qt.AlignTop,
                       self.value_text(k))

    # -- interaction --
    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        found = self.hit(event.position())
        self.setCursor(Qt.PointingHandCursor if found else Qt.ArrowCursor)
        if found and self.tooltip is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip(*found), self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        found = self.hit(event.position()) if event.button() == Qt.LeftButton else None
        if found is not None:
            self.current = found[0]
            self.update()
            self.barClicked.emit(*found)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        n = len(self.categories)
        back, forward = (Qt.Key_Up, Qt.Key_Down) if self.horizontal else (Qt.Key_Left, Qt.Key_Right)
        if n and event.key() in (back, forward):
            step = -1 if event.key() == back else 1
            self.current = max(0, min(n - 1, (self.current if self.current >= 0 else -step) + step))
            self.update()
            if self.tooltip is not None:
                rect = self.bar_rect(self.current)
                QToolTip.showText(self.mapToGlobal(rect.center().toPoint()), self.tooltip(self.current, -1), self)
            return
        if n and event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space) and self.current >= 0:
            self.barClicked.emit(self.current, -1)
            return
        super().keyPressEvent(event)
