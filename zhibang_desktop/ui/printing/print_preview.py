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

The work is split by job: pages rendered with pypdfium2 (preview_pages), the printing
job to a QPrinter (preview_printing), the page view (preview_view), the dialog
(preview_dialog) and the temporary folders (preview_temp); this module opens the
preview (``show_pdf_preview``, ``build_and_preview``) and re-exports the rest.

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

import logging
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ...services.errors import Cancelled, ServiceError
from ..common import messages
from .preview_dialog import PDF_FILTER, OnPrinted, PdfPreviewDialog
from .preview_printing import print_pages, selected_pages
from .preview_temp import _new_temp_dir, _remove_temp
from .preview_view import FIT_PAGE
from ..common.worker import run_with_progress

log = logging.getLogger(__name__)

BuildFn = Callable[[Path, Callable[[int, int], None], Callable[[], bool]], object]


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


__all__ = ["show_pdf_preview", "build_and_preview", "BuildFn", "OnPrinted", "PdfPreviewDialog", "PDF_FILTER",
           # the printing and view pieces callers and tests reach through this module
           "print_pages", "selected_pages", "FIT_PAGE"]
