"""A PDF file's pages rasterised with pypdfium2 (for the print preview, ui/printing/print_preview.py).

pdfium is not thread-safe, not even for two different documents, so every call
into it holds ``PDFIUM_LOCK``.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

PDFIUM_LOCK = threading.RLock()


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


__all__ = ["PDFIUM_LOCK", "PdfPages"]
