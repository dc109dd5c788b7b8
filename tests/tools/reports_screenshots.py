"""Screenshots of 工作概览 (the dashboard) and the 报表 page, from demo data, as the head sees them.

    QT_QPA_PLATFORM=offscreen python tests/tools/reports_screenshots.py [OUT_DIR]

Writes dashboard.png and reports.png into OUT_DIR (default:
resources/screenshots/), the window at 1366×768. The demo database lives in a temporary
folder; nothing else is touched.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from zhibang_desktop import demo  # noqa: E402
from zhibang_desktop.services.admin import users  # noqa: E402
from zhibang_desktop.services.context import AppContext  # noqa: E402
from zhibang_desktop.storage.database import open_database  # noqa: E402

SCREEN = (1366, 768)
ROOT = Path(__file__).resolve().parents[2]


def settle(app: QApplication, seconds: float = 1.5) -> None:
    """Let the pages' queries (off the GUI thread) come back and paint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, out: Path, name: str, app: QApplication) -> None:
    settle(app)
    path = out / name
    widget.grab().save(str(path))
    print(path)


def main(out: Path) -> int:
    from zhibang_desktop.ui.app import make_app
    from zhibang_desktop.ui.common.session import UiSession
    from zhibang_desktop.ui.main_window import MainWindow

    app = make_app()
    out.mkdir(parents=True, exist_ok=True)
    db = open_database(Path(tempfile.mkdtemp(prefix="zhibang-shots-")) / "demo.sqlite3")
    demo.create_demo(db, 2000, seed=11)
    window = MainWindow(UiSession(AppContext(db, users.authenticate(db, "head", demo.DEMO_PASSWORD))))
    window.resize(*SCREEN)
    window.show()
    save(window, out, "dashboard.png", app)  # the head's first page
    page = window.show_page("reports")
    settle(app, 3)
    # an indicator with records behind it, one of them written up (a justification)
    rows = page.result or []
    row = next((r for r, i in enumerate(rows) if any(e.justification for e in i.exceptions)), 0)
    page.table.selectRow(row)
    save(window, out, "reports.png", app)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots"))
