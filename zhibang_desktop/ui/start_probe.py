"""One cold start, in a process of its own, to the first paint of the main window; prints
{"seconds": …, "cpu_seconds": …, "peak_rss_mb": …} (the CPU time this process had used at the
first paint: on a loaded machine the wall time says more about the load than about the start). The program's side is the real start (the app, the database
opened and checked as at every start, the clerk signed in with argon2, the main window);
the floor is a bare QMainWindow with a QTableView of the first 200 households (plain sqlite3).
`python -m zhibang_desktop.ui.start_probe STARTED_AT DB app|floor`, run by the bench's start.cold:
STARTED_AT is the parent's clock.process_seconds() (one clock for every process) just before it launched this process, so the
interpreter's own start counts."""
from __future__ import annotations

import sys

from ..domain import clock

STARTED_AT, DB, SIDE = float(sys.argv[1]), sys.argv[2], sys.argv[3]


def _floor_window():
    import sqlite3

    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication.instance() or QApplication(sys.argv)
    con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    count = con.execute("select count(*) from households").fetchone()[0]
    model = QStandardItemModel(0, 6)
    for row in con.execute("select archive_no, name, id_number, category, status, phone from households "
                           "order by archive_no limit 200"):
        model.appendRow([QStandardItem(str(v)) for v in row])
    con.close()
    window = QMainWindow()
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.statusBar().showMessage(f"共 {count} 户")
    return app, window


def _app_window():
    from ..services.start_check import begin_check

    begin_check(DB)  # as `zhibang` does before importing the GUI (cli._start_gui)
    from ..demo.account import DEMO_PASSWORD
    from ..services.admin import users
    from ..services.context import AppContext
    from .app import make_app, open_or_explain
    from .common.session import UiSession
    from .main_window import MainWindow

    app = make_app()
    db = open_or_explain(DB)
    actor = users.authenticate(db, "clerk", DEMO_PASSWORD)
    return app, MainWindow(UiSession(AppContext(db, actor)))


def main() -> None:
    import json
    import os
    import time

    app, window = _floor_window() if SIDE == "floor" else _app_window()
    from PySide6.QtCore import QEvent, QObject, QTimer

    from ..bench.memory import peak_rss_mb

    painted: list[float] = []
    cpu: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, _watched, event) -> bool:
            if event.type() == QEvent.Paint and not painted:
                painted.append(clock.process_seconds() - STARTED_AT)
                cpu.append(time.process_time())
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.showMaximized()
    app.exec()
    print(json.dumps({"seconds": painted[0] if painted else None, "cpu_seconds": cpu[0] if cpu else None,
                      "peak_rss_mb": peak_rss_mb()}), flush=True)
    os._exit(0)  # the start is measured; closing down is not


if __name__ == "__main__":
    main()
