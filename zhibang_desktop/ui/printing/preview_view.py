"""The print preview's page view: all pages one below the other, rendered lazily.

Only the pages in view are rendered (one per event-loop turn, so scrolling a
500-page list stays responsive), at the zoom and the screen's pixel ratio, and a few
are kept in a small cache.
"""
from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from .preview_pages import PdfPages

CACHE_PAGES = 12
GAP = 14  # px between pages and around them
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
FIT_WIDTH, FIT_PAGE = "width", "page"
BACKGROUND = QColor("#7b7f86")


class PdfView(QAbstractScrollArea):
    """All pages one below the other; pages are rendered when they come into view."""

    currentPageChanged = Signal(int)  # 0-based
    zoomChanged = Signal(float)

    def __init__(self, pages: PdfPages, parent: QWidget | None = None):
        super().__init__(parent)
        self.pages = pages
        self._zoom = 1.0
        self._fit: str | None = FIT_WIDTH
        self._offsets: list[int] = []
        self._sizes: list[QSize] = []
        self._cache: OrderedDict[tuple[int, int], QImage] = OrderedDict()
        self._wanted: list[int] = []
        self._current = 0
        self._render_timer = QTimer(self, singleShot=True, interval=0)
        self._render_timer.timeout.connect(self._render_next)
        self.viewport().setAutoFillBackground(False)
        self.setFocusPolicy(Qt.StrongFocus)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _: self.viewport().update())
        self._relayout()

    # -- zoom and layout --
    def px_per_point(self, zoom: float | None = None) -> float:
        return (self._zoom if zoom is None else zoom) * self.logicalDpiX() / 72.0

    def zoom(self) -> float:
        return self._zoom

    def fit_mode(self) -> str | None:
        return self._fit

    def set_fit(self, mode: str) -> None:
        self._fit = mode
        self._relayout()

    def set_zoom(self, zoom: float) -> None:
        self._fit = None
        self._apply_zoom(max(0.1, min(zoom, 6.0)))

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom + 0.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self._zoom - 0.01), ZOOM_STEPS[0]))

    def _fit_zoom(self) -> float:
        if not self.pages.sizes or self._fit is None:
            return self._zoom
        view = self.viewport().size()
        widest = max(w for w, _ in self.pages.sizes)
        width_zoom = (view.width() - 2 * GAP) / (widest * self.logicalDpiX() / 72.0)
        if self._fit == FIT_WIDTH:
            return max(0.1, width_zoom)
        w, h = self.pages.sizes[min(self._current, len(self.pages.sizes) - 1)]
        page_zoom = min((view.width() - 2 * GAP) / (w * self.logicalDpiX() / 72.0),
                        (view.height() - 2 * GAP) / (h * self.logicalDpiX() / 72.0))
        return max(0.1, page_zoom)

    def _relayout(self) -> None:
        self._apply_zoom(self._fit_zoom())

    def _apply_zoom(self, zoom: float) -> None:
        keep = self._current
        changed = abs(zoom - self._zoom) > 1e-6
        self._zoom = zoom
        k = self.px_per_point()
        self._sizes = [QSize(max(1, round(w * k)), max(1, round(h * k))) for w, h in self.pages.sizes]
        self._offsets = []
        y = GAP
        for size in self._sizes:
            self._offsets.append(y)
            y += size.height() + GAP
        content_w = max((s.width() for s in self._sizes), default=0) + 2 * GAP
        view = self.viewport().size()
        self.verticalScrollBar().setRange(0, max(0, y - view.height()))
        self.verticalScrollBar().setPageStep(view.height())
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setRange(0, max(0, content_w - view.width()))
        self.horizontalScrollBar().setPageStep(view.width())
        self.horizontalScrollBar().setSingleStep(40)
        if changed:
            self.go_to_page(keep)
            self.zoomChanged.emit(self._zoom)
        self.viewport().update()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._relayout()

    # -- navigation --
    def page_count(self) -> int:
        return len(self._sizes)

    def current_page(self) -> int:
        return self._current

    def go_to_page(self, index: int) -> None:
        if not self._offsets:
            return
        index = max(0, min(index, len(self._offsets) - 1))
        self.verticalScrollBar().setValue(self._offsets[index] - GAP)
        self._set_current(index)

    def _scrolled(self, value: int) -> None:
        probe = value + self.viewport().height() // 3
        index = 0
        for i, top in enumerate(self._offsets):
            if top <= probe:
                index = i
            else:
                break
        self._set_current(index)
        self.viewport().update()

    def _set_current(self, index: int) -> None:
        if index != self._current:
            self._current = index
            self.currentPageChanged.emit(index)

    def page_rect(self, index: int) -> QRect:
        """Where page ``index`` is drawn in viewport coordinates."""
        size = self._sizes[index]
        content_w = max(s.width() for s in self._sizes) + 2 * GAP
        x = max(GAP, (max(content_w, self.viewport().width()) - size.width()) // 2)
        return QRect(x - self.horizontalScrollBar().value(),
                     self._offsets[index] - self.verticalScrollBar().value(), size.width(), size.height())

    def visible_pages(self) -> list[int]:
        area = self.viewport().rect()
        return [i for i in range(len(self._sizes)) if self.page_rect(i).intersects(area)]

    # -- rendering --
    def _key(self, index: int) -> tuple[int, int]:
        return index, self._sizes[index].width()

    def cached_image(self, index: int) -> QImage | None:
        image = self._cache.get(self._key(index))
        if image is not None:
            self._cache.move_to_end(self._key(index))
        return image

    def render_visible_now(self) -> None:
        """Render every page in view at once (tests, screenshots)."""
        for index in self.visible_pages():
            if self.cached_image(index) is None:
                self._render(index, blocking=True)
        self.viewport().update()

    def _render(self, index: int, blocking: bool) -> bool:
        ratio = self.devicePixelRatioF()
        image = self.pages.render(index, self.px_per_point() * ratio, blocking=blocking)
        if image is None:
            return False
        image.setDevicePixelRatio(ratio)
        self._cache[self._key(index)] = image
        while len(self._cache) > CACHE_PAGES:
            self._cache.popitem(last=False)
        return True

    def _render_next(self) -> None:
        visible = set(self.visible_pages())
        todo = [i for i in self._wanted if i in visible and self.cached_image(i) is None]
        self._wanted = []
        if not todo:
            return
        if not self._render(todo[0], blocking=False):  # a print job holds pdfium: try again shortly
            self._wanted = todo
            self._render_timer.start(60)
            return
        self.viewport().update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self.viewport())
        painter.fillRect(self.viewport().rect(), BACKGROUND)
        missing = []
        for index in self.visible_pages():
            rect = self.page_rect(index)
            painter.fillRect(rect.translated(3, 3), QColor(0, 0, 0, 70))
            image = self.cached_image(index)
            if image is None:
                painter.fillRect(rect, Qt.white)
                painter.setPen(QColor("#888888"))
                painter.drawText(rect, Qt.AlignCenter, f"第 {index + 1} 页\n正在显示……")
                missing.append(index)
            else:
                painter.drawImage(rect, image)
        painter.end()
        if missing:
            self._wanted = missing
            if not self._render_timer.isActive():
                self._render_timer.start(0)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.ControlModifier:
            (self.zoom_in if event.angleDelta().y() > 0 else self.zoom_out)()
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key_PageDown and self._fit == FIT_PAGE:
            self.go_to_page(self._current + 1)
        elif key == Qt.Key_PageUp and self._fit == FIT_PAGE:
            self.go_to_page(self._current - 1)
        elif key == Qt.Key_Home and event.modifiers() & Qt.ControlModifier:
            self.go_to_page(0)
        elif key == Qt.Key_End and event.modifiers() & Qt.ControlModifier:
            self.go_to_page(self.page_count() - 1)
        else:
            super().keyPressEvent(event)


__all__ = ["PdfView", "CACHE_PAGES", "GAP", "ZOOM_STEPS", "FIT_WIDTH", "FIT_PAGE", "BACKGROUND"]
