"""Print preview of a generated PDF: look at it, print it to any installed printer, save it as PDF.

PySide6-Essentials has no QtPdf, so pages are rasterised with pypdfium2:

* on screen, lazily: only the pages in view are rendered (one per event-loop turn,
  so scrolling a 500-page list stays responsive), at the zoom and the screen's
  pixel ratio, and a few are kept in a small cache;
* on paper, page by page at the printer's resolution (at most ``MAX_PRINT_DPI``),
  each page on paper of its own size and orientation (A4 landscape lists, A4
  portrait forms), on a worker thread with progress and 取消 (QPainter may paint on
  a QPrinter outside the GUI thread).

pdfium is not thread-safe, not even for two different documents, so every call
into it holds ``PDFIUM_LOCK``.

Usage::

    show_pdf_preview(parent, path, "公示名单", on_printed=record)
    build_and_preview(parent, "签领表", lambda path, progress, cancelled:
                      payout_print.build_receipts(ctx, batch_id, path, progress=progress, cancelled=cancelled))

``on_printed(how, where, pages)`` is called after the document went to a printer
(``how == "printer"``, ``where`` = printer name) or was saved (``"pdf"``, the path),
``pages`` the number of pages sent: the caller records it in the audit trail through
its service.  Building the preview records nothing (the ``build_*`` services), so a
preview that is only looked at and closed leaves no print in the audit trail.
"""
from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRect, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut, QWheelEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QAbstractScrollArea, QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox,
    QToolButton, QVBoxLayout, QWidget,
)

from ..services.errors import Cancelled, ServiceError
from . import messages
from .worker import run_with_progress

log = logging.getLogger(__name__)

PDFIUM_LOCK = threading.RLock()
MAX_PRINT_DPI = 300  # enough for text on paper; a 600 dpi A4 page would be a 130 MB image
CACHE_PAGES = 12
GAP = 14  # px between pages and around them
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
FIT_WIDTH, FIT_PAGE = "width", "page"
BACKGROUND = QColor("#7b7f86")
PDF_FILTER = "PDF 文件 (*.pdf)"

OnPrinted = Callable[[str, str, int], None]
BuildFn = Callable[[Path, Callable[[int, int], None], Callable[[], bool]], object]


# ---------------------------------------------------------------------------- the document

class PdfPages:
    """A PDF file opened with pypdfium2: page sizes in points and pages as QImages."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with PDFIUM_LOCK:
            self._doc = pdfium.PdfDocument(str(self.path))
            self.sizes: list[tuple[float, float]] = [tuple(self._doc.get_page_size(i)) for i in range(len(self._doc))]

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, scale: float, *, blocking: bool = True) -> QImage | None:
        """Page ``index`` at ``scale`` pixels per point; None when the lock is busy and not ``blocking``."""
        if not PDFIUM_LOCK.acquire(blocking):
            return None
        try:
            return _render(self._doc, index, scale)
        finally:
            PDFIUM_LOCK.release()

    def close(self) -> None:
        with PDFIUM_LOCK:
            if self._doc is not None:
                self._doc.close()
                self._doc = None


def _render(doc, index: int, scale: float) -> QImage:
    """Call with PDFIUM_LOCK held."""
    page = doc[index]
    try:
        bitmap = page.render(scale=scale, prefer_bgrx=True, fill_color=(255, 255, 255, 255), may_draw_forms=False)
        try:
            # BGRx bytes are QImage's RGB32 on little-endian machines (every Windows PC)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format_RGB32).copy()
        finally:
            bitmap.close()
    finally:
        page.close()
    return image


def page_layout_for(size_pt: tuple[float, float]) -> QPageLayout:
    """Paper of the PDF page's size (A4 when it is A4) in its orientation, no margins."""
    w, h = size_pt
    landscape = w > h
    portrait_size = QSizeF(min(w, h), max(w, h))
    page_id = QPageSize.id(portrait_size, QPageSize.Point, QPageSize.FuzzyOrientationMatch)
    page_size = QPageSize(page_id) if page_id != QPageSize.Custom else QPageSize(portrait_size, QPageSize.Point)
    return QPageLayout(page_size, QPageLayout.Landscape if landscape else QPageLayout.Portrait,
                       QMarginsF(0, 0, 0, 0), QPageLayout.Point)


def print_pages(path: str | Path, printer: QPrinter, pages: list[int],
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
    """Paint ``pages`` (0-based) of the PDF onto ``printer``; return the number of sheets painted.

    Each page goes on paper of its own size and orientation, rendered at the printer's
    resolution (capped at MAX_PRINT_DPI) and scaled to the paper keeping its proportions.
    Copies are repeated here when the printer cannot make them itself. Safe to run on a
    worker thread. Raises Cancelled (the job is aborted) when ``cancelled()`` turns true.
    """
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(path))
        sizes = [tuple(doc.get_page_size(i)) for i in range(len(doc))]
    try:
        pages = [p for p in pages if 0 <= p < len(sizes)]
        if not pages:
            return 0
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if copies > 1 and printer.collateCopies():
            sequence = pages * copies
        else:
            sequence = [p for p in pages for _ in range(copies)]
        printer.setFullPage(True)
        printer.setPageLayout(page_layout_for(sizes[sequence[0]]))
        dpi = max(72, min(printer.resolution(), MAX_PRINT_DPI))
        painter = QPainter()
        if not painter.begin(printer):
            raise ServiceError("无法开始打印：打印机不可用或文件无法写入")
        try:
            painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
            for n, index in enumerate(sequence):
                if cancelled is not None and cancelled():
                    printer.abort()
                    raise Cancelled("已取消打印")
                if n:
                    printer.setPageLayout(page_layout_for(sizes[index]))
                    if not printer.newPage():
                        raise ServiceError("打印机拒绝了新的一页，打印未完成")
                with PDFIUM_LOCK:
                    image = _render(doc, index, dpi / 72.0)
                paper = printer.paperRect(QPrinter.DevicePixel)
                target = _fit(QSizeF(image.size()), paper)
                painter.drawImage(target, image)
                del image
                if progress is not None:
                    progress(n + 1, len(sequence))
        finally:
            if painter.isActive():
                painter.end()
        return len(sequence)
    finally:
        with PDFIUM_LOCK:
            doc.close()


def _fit(size: QSizeF, into: QRectF) -> QRectF:
    scale = min(into.width() / size.width(), into.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    return QRectF(into.x() + (into.width() - w) / 2, into.y() + (into.height() - h) / 2, w, h)


def selected_pages(printer: QPrinter, page_count: int, current: int) -> list[int]:
    """The 0-based pages the print dialog asked for (all, a range like 1-3,5, or the current page)."""
    mode = printer.printRange()
    if mode == QPrinter.CurrentPage:
        return [current]
    if mode == QPrinter.PageRange:
        ranges = printer.pageRanges()
        if not ranges.isEmpty():
            out: list[int] = []
            for r in ranges.toRangeList():
                out.extend(p - 1 for p in range(r.from_, r.to + 1) if 1 <= p <= page_count and p - 1 not in out)
            return out
        first, last = printer.fromPage(), printer.toPage()
        if first > 0:
            return list(range(first - 1, min(last or page_count, page_count)))
    return list(range(page_count))


# ---------------------------------------------------------------------------- the view

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


# ---------------------------------------------------------------------------- the dialog

class PdfPreviewDialog(QDialog):
    """Preview with page navigation, zoom, 打印… and 另存为PDF…"""

    printed = Signal(str, str, int)  # how ("printer" | "pdf"), where, pages

    def __init__(self, pdf_path: str | Path, title: str, parent: QWidget | None = None, *,
                 on_printed: OnPrinted | None = None, suggested_name: str | None = None,
                 delete_on_close: bool = False):
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self.setWindowFlag(Qt.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowContextHelpButtonHint, False)
        self.pdf_path = Path(pdf_path)
        self.title = title
        self.on_printed = on_printed
        self.suggested_name = suggested_name or f"{title}.pdf"
        self._delete_on_close = delete_on_close
        self.pages = PdfPages(self.pdf_path)  # raises for a file pdfium cannot open
        self.view = PdfView(self.pages)

        self.prev_button = QToolButton(text="◀ 上一页", toolTip="上一页（Page Up）")
        self.next_button = QToolButton(text="下一页 ▶", toolTip="下一页（Page Down）")
        self.page_spin = QSpinBox()
        self.page_spin.setRange(1, max(1, len(self.pages)))
        self.page_spin.setAccelerated(True)
        self.page_spin.setMinimumWidth(64)
        self.page_of = QLabel(f"/ {len(self.pages)} 页")
        self.zoom_out_button = QToolButton(text="－", toolTip="缩小（Ctrl+-）")
        self.zoom_in_button = QToolButton(text="＋", toolTip="放大（Ctrl++）")
        self.zoom_combo = QComboBox()
        self.zoom_combo.addItem("适合宽度", FIT_WIDTH)
        self.zoom_combo.addItem("整页", FIT_PAGE)
        for z in ZOOM_STEPS:
            self.zoom_combo.addItem(f"{round(z * 100)}%", z)
        self.zoom_combo.setMinimumWidth(96)
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("选择打印机、页码范围和份数（Ctrl+P）")
        self.save_button = QPushButton("另存为PDF…")
        self.save_button.setToolTip("把这份文件保存到电脑或U盘（Ctrl+S）")
        self.close_button = QPushButton("关闭")
        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")
        self.print_button.setDefault(True)

        bar = QHBoxLayout()
        for w in (self.prev_button, self.page_spin, self.page_of, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        for w in (self.zoom_out_button, self.zoom_combo, self.zoom_in_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self.prev_button.clicked.connect(lambda: self.view.go_to_page(self.view.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.view.go_to_page(self.view.current_page() + 1))
        self.page_spin.valueChanged.connect(lambda v: self.view.go_to_page(v - 1))
        self.view.currentPageChanged.connect(self._page_shown)
        self.zoom_combo.activated.connect(self._zoom_chosen)
        self.view.zoomChanged.connect(self._zoom_shown)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        for keys, slot in ((QKeySequence.Print, self.print_dialog), (QKeySequence.Save, self.save_as),
                           (QKeySequence.ZoomIn, self.view.zoom_in), (QKeySequence("Ctrl+="), self.view.zoom_in),
                           (QKeySequence.ZoomOut, self.view.zoom_out)):
            QShortcut(keys, self, activated=slot)
        self.finished.connect(self._release)
        self.status.setText(f"共 {len(self.pages)} 页。打印或另存为PDF会记入审计日志。")
        self._page_shown(0)
        self._fit_window()
        self.view.setFocus()

    def _fit_window(self) -> None:
        screen = (self.parentWidget().screen() if self.parentWidget() else None) or self.screen()
        area = screen.availableGeometry() if screen else QRect(0, 0, 1366, 728)
        self.resize(min(1180, area.width() - 40), area.height() - 40)

    # -- navigation --
    def page_count(self) -> int:
        return len(self.pages)

    def _page_shown(self, index: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)

    def _zoom_chosen(self, row: int) -> None:
        data = self.zoom_combo.itemData(row)
        if data in (FIT_WIDTH, FIT_PAGE):
            self.view.set_fit(data)
        else:
            self.view.set_zoom(float(data))

    def _zoom_shown(self, zoom: float) -> None:
        fit = self.view.fit_mode()
        row = self.zoom_combo.findData(fit) if fit else self.zoom_combo.findData(zoom)
        self.zoom_combo.blockSignals(True)
        if row >= 0:
            self.zoom_combo.setCurrentIndex(row)
        else:
            self.zoom_combo.setEditable(False)
            self.zoom_combo.setCurrentIndex(-1)
            self.zoom_combo.setPlaceholderText(f"{round(zoom * 100)}%")
        self.zoom_combo.blockSignals(False)

    # -- printing --
    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.HighResolution)
        printer.setDocName(self.title)
        printer.setCreator("职帮")
        printer.setFullPage(True)
        printer.setPageLayout(page_layout_for(self.pages.sizes[0]))
        return printer

    def print_dialog(self) -> bool:
        if not QPrinterInfo.availablePrinters() and not QPrinterInfo.defaultPrinter().printerName():
            messages.warn(self, "打印", "这台电脑没有安装打印机。",
                          "请先在 Windows 的“打印机和扫描仪”中添加打印机；也可以“另存为PDF”后到别的电脑打印。")
            return False
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印 — {self.title}")
        dialog.setOptions(QPrintDialog.PrintPageRange | QPrintDialog.PrintCurrentPage
                          | QPrintDialog.PrintCollateCopies | QPrintDialog.PrintShowPageSize)
        dialog.setMinMax(1, len(self.pages))
        if dialog.exec() != QDialog.Accepted:
            return False
        pages = selected_pages(printer, len(self.pages), self.view.current_page())
        return self.print_to(printer, pages)

    def print_to(self, printer: QPrinter, pages: list[int] | None = None) -> bool:
        """Print (in the background, with progress) the given 0-based pages, default all."""
        pages = list(range(len(self.pages))) if pages is None else pages
        if not pages:
            messages.info(self, "打印", "所选页码范围内没有页面。")
            return False
        where = printer.printerName() if printer.outputFormat() == QPrinter.NativeFormat else printer.outputFileName()
        try:
            sheets = run_with_progress(
                self, "打印", f"正在发送到打印机 {where}（{len(pages)} 页）……",
                lambda progress, cancelled: print_pages(self.pdf_path, printer, pages, progress, cancelled))
        except Cancelled:
            self.status.setText("已取消打印。")
            return False
        except (ServiceError, OSError, pdfium.PdfiumError) as exc:
            messages.warn(self, "打印失败", str(exc))
            return False
        self.status.setText(f"已发送到 {where}：{len(pages)} 页" + (f"，共 {sheets} 张" if sheets != len(pages) else "")
                            + "。")
        self._printed("printer", where, len(pages))
        return True

    def save_as(self, path: str | None = None) -> bool:
        if not path:
            start = str(Path.home() / self.suggested_name)
            path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", start, PDF_FILTER)
            if not path:
                return False
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            if Path(path).resolve() != self.pdf_path.resolve():
                shutil.copyfile(self.pdf_path, path)
        except OSError as exc:
            messages.warn(self, "无法保存", f"无法保存到“{path}”：{exc.strerror or exc}",
                          "如果这个文件正在别的程序中打开，请先关闭它，或换一个文件名。")
            return False
        self.status.setText(f"已保存：{path}")
        self._printed("pdf", path, len(self.pages))
        return True

    def _printed(self, how: str, where: str, pages: int) -> None:
        self.printed.emit(how, where, pages)
        if self.on_printed is not None:
            try:
                self.on_printed(how, where, pages)
            except ServiceError as exc:  # the paper is out; say that the record failed
                messages.warn(self, "未能记录", f"打印/保存已完成，但没有记入审计日志：{exc}")

    # -- clean-up --
    def _release(self) -> None:
        self.pages.close()
        if self._delete_on_close:
            _remove_temp(self.pdf_path.parent)


# ---------------------------------------------------------------------------- helpers for pages

_TEMP_DIRS: set[Path] = set()


def _new_temp_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="zhibang-print-"))
    _TEMP_DIRS.add(path)
    return path


def _remove_temp(path: Path) -> None:
    """Generated documents hold personal data: do not leave them in the temp folder."""
    if path in _TEMP_DIRS:
        shutil.rmtree(path, ignore_errors=True)
        _TEMP_DIRS.discard(path)


@atexit.register
def _remove_all_temp() -> None:
    for path in list(_TEMP_DIRS):
        _remove_temp(path)


def show_pdf_preview(parent: QWidget | None, pdf_path: str | Path, title: str,
                     on_printed: OnPrinted | None = None, *, suggested_name: str | None = None,
                     delete_on_close: bool = False) -> PdfPreviewDialog | None:
    """Open the preview window (non-modal) on a PDF file; None after explaining why it cannot."""
    try:
        dialog = PdfPreviewDialog(pdf_path, title, parent, on_printed=on_printed, suggested_name=suggested_name,
                                  delete_on_close=delete_on_close)
    except (pdfium.PdfiumError, OSError) as exc:
        messages.error(parent, "无法预览", f"无法打开生成的 PDF 文件：{exc}")
        if delete_on_close:
            _remove_temp(Path(pdf_path).parent)
        return None
    dialog.setAttribute(Qt.WA_DeleteOnClose, True)
    dialog.show()
    return dialog


def build_and_preview(parent: QWidget | None, title: str, build_fn: BuildFn,
                      on_printed: OnPrinted | None = None, *, suggested_name: str | None = None,
                      label: str | None = None) -> PdfPreviewDialog | None:
    """Run ``build_fn(path, progress, cancelled)`` on a worker (progress dialog, 取消), then preview.

    The PDF is written to a private temporary folder that is removed when the preview closes.
    Service errors are shown; returns the preview or None (cancelled / failed).
    """
    folder = _new_temp_dir()
    path = folder / (suggested_name or f"{title}.pdf")
    try:
        run_with_progress(parent, title, label or f"正在生成“{title}”……",
                          lambda progress, cancelled: build_fn(path, progress, cancelled))
    except Cancelled:
        _remove_temp(folder)
        messages.info(parent, title, "已取消，未生成文件。")
        return None
    except ServiceError as exc:
        _remove_temp(folder)
        messages.show_service_error(parent, exc, f"无法生成{title}")
        return None
    except OSError as exc:
        _remove_temp(folder)
        messages.warn(parent, f"无法生成{title}", str(exc))
        return None
    if not path.exists():
        _remove_temp(folder)
        messages.warn(parent, f"无法生成{title}", "没有生成文件。")
        return None
    return show_pdf_preview(parent, path, title, on_printed, suggested_name=path.name, delete_on_close=True)


__all__ = ["show_pdf_preview", "build_and_preview", "PdfPreviewDialog", "PdfView", "PdfPages", "print_pages",
           "selected_pages", "page_layout_for", "MAX_PRINT_DPI"]
