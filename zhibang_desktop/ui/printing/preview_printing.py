"""The printing job of the print preview: a PDF's pages painted onto a QPrinter.

Page by page at the printer's resolution (at most ``MAX_PRINT_DPI``), each page on
paper of its own size and orientation (A4 landscape lists, A4 portrait forms); safe
to run on a worker thread (QPainter may paint on a QPrinter outside the GUI thread).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from ...services.errors import Cancelled, ServiceError
from .preview_pages import PDFIUM_LOCK, _render

MAX_PRINT_DPI = 300  # enough for text on paper; a 600 dpi A4 page would be a 130 MB image


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


__all__ = ["MAX_PRINT_DPI", "page_layout_for", "print_pages", "selected_pages"]
