"""What a sign-in-first start (sign_in_first.py) imports on its loading thread while the clerk types.

First what the main window needs, before the window may sign in: after 登录 only argon2 and
building the window remain. Then, while the clerk is still typing, what a first print needs
(reportlab, openpyxl, pdfium and the archive page's prints, about 0.3 s on a quiet two-core PC)
and the other pages (about 0.25 s together). Imported on the GUI thread when first needed, the
printing froze the window for a quarter of a second before the progress dialog showed, and a
page's module delayed its first opening by up to 70 ms (公示与异议; 工作概览, where the head
starts, 40 ms). These go one module at a time and stop at the next module once the window
closes, so a quick clerk waits at most for the module under way; what was not loaded loads when
first needed, as before.
"""
from __future__ import annotations

import importlib
import logging
import threading

from ..navigation import PAGES

log = logging.getLogger(__name__)

FOR_THE_MAIN_WINDOW = ("zhibang_desktop.ui.main_window", PAGES[0].module)
# the cheapest first, so that a stop waits least; the program's own modules last (they need the rest)
FOR_THE_FIRST_PRINT = ("pypdfium2", "reportlab.platypus", "openpyxl", "zhibang_desktop.ui.printing.print_preview",
                       "zhibang_desktop.ui.archive.archive_prints")
THE_OTHER_PAGES = tuple(spec.module for spec in PAGES[1:])
WHILE_THE_CLERK_TYPES = FOR_THE_FIRST_PRINT + THE_OTHER_PAGES


def load_ahead(modules: tuple[str, ...], stop: threading.Event | None = None) -> None:
    """Import `modules` in order, until `stop` is set. A module that fails to import is left for
    the code that needs it to report as it would have."""
    for module in modules:
        if stop is not None and stop.is_set():
            return
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001
            log.warning("could not load %s ahead", module, exc_info=True)
