"""A start of the real GUI that closes itself once the main window has painted: the release
build runs the built program this way (installer/check_bundle.py) to prove that the bundle
starts — Qt's platform plugin, the translations, the fonts, the migrations, every page of the
main window, the 关于 dialog's licence list and the print preview's PDF renderer.

Asked for with ZHIBANG_SMOKE=1; the user is signed in from ZHIBANG_USER / ZHIBANG_PASSWORD
(as the CLI does) instead of the login dialog. One line of results goes to stdout; exit 0
only when the window painted within the time limit.
"""
from __future__ import annotations

import json
import os
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ..config import PASSWORD_ENV, USER_ENV
from ..services.admin import users
from ..services.context import AppContext
from .common.first_paint import on_first_paint

SMOKE_PDF_ENV = "ZHIBANG_SMOKE_PDF"  # a PDF whose first page the preview renderer draws
TIME_LIMIT_MS = 120_000


def run_smoke(app: QApplication, db, translations_loaded: bool) -> int:
    from .about_dialog import AboutDialog
    from .common.session import UiSession
    from .main_window import MainWindow

    started = time.monotonic()
    actor = users.authenticate(db, os.environ[USER_ENV], os.environ[PASSWORD_ENV])
    session = UiSession(AppContext(db, actor))
    window = MainWindow(session)
    painted = []

    def quit_after_this_paint(_window) -> None:
        painted.append(True)
        QTimer.singleShot(0, app.quit)

    on_first_paint(window, quit_after_this_paint)
    time_limit = QTimer(window, singleShot=True, interval=TIME_LIMIT_MS)  # stopped below: no stray quit later
    time_limit.timeout.connect(app.quit)
    time_limit.start()
    window.showMaximized()
    app.exec()
    time_limit.stop()
    about = AboutDialog(session, window)
    result = {
        "painted": bool(painted),
        "seconds_to_paint": round(time.monotonic() - started, 2),
        "platform": QGuiApplication.platformName(),
        "pages": len([window.pages[key] for key in window.pages]),  # each built (and imported) now
        "title": window.windowTitle(),
        "translations": translations_loaded,
        "font": app.font().family(),
        "components": [c.name for c in about.components],
        "build_date": about.build_label.text(),
        "pdf_page_size": _render_first_page(os.environ.get(SMOKE_PDF_ENV)),
    }
    about.deleteLater()
    window.close()
    print(json.dumps(result), flush=True)  # ASCII: whatever the console's code page
    return 0 if painted else 1


def _render_first_page(pdf: str | None) -> list[int] | None:
    if not pdf:
        return None
    from .printing.preview_pages import PdfPages

    pages = PdfPages(pdf)
    try:
        image = pages.render(0, 0.5)
        return [image.width(), image.height()]
    finally:
        pages.close()
