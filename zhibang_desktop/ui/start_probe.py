"""One cold start, in a process of its own, to the first paint of the main window; prints
{"seconds": …, "cpu_seconds": …, "peak_rss_mb": …} (the CPU time this process had used at the
first paint: on a loaded machine the wall time says more about the load than about the start). The program's side is the real start (the app, the database
opened and checked as at every start, the clerk signed in with argon2, the main window);
the floor is a bare QMainWindow with a QTableView of the first 200 households (plain sqlite3).
The `signin` side is the start a clerk sees (ui/login/sign_in_first.py): "seconds" is the first
paint of the sign-in window; the clerk then types for TYPING_SECONDS while the program loads
behind it and presses 登录, and "enter_seconds" (with "enter_cpu_seconds") is from that press to
the first paint of the main window.
`python -m zhibang_desktop.ui.start_probe STARTED_AT DB app|floor|signin`, run by the bench's start works:
STARTED_AT is the parent's clock.process_seconds() (one clock for every process) just before it launched this process, so the
interpreter's own start counts."""
from __future__ import annotations

import sys

from ..domain import clock

STARTED_AT, DB, SIDE = float(sys.argv[1]), sys.argv[2], sys.argv[3]
TYPING_SECONDS = 1.0  # a quick clerk's user name and password; a real one takes longer


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


def _signed_in_window(figures: dict):
    """The sign-in-first start as the clerk goes through it; fills `figures` with the sign-in
    window's first paint and the moment 登录 is pressed."""
    from ..config import db_location
    from ..demo.account import DEMO_PASSWORD
    from ..services.start_check import begin_check
    from .app import make_app, office_ready_to_sign_in
    from .common.first_paint import on_first_paint
    from .login.login_dialog import LoginDialog
    from .login.sign_in_first import sign_in_while_opening
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    path = db_location(DB)
    begin_check(path)
    app = make_app()
    office = office_ready_to_sign_in(path)
    if office is None:
        raise SystemExit(f"{DB}: not an office ready to sign in to")

    def clerk_types(dialog: LoginDialog) -> None:
        figures["seconds"], figures["cpu_seconds"] = _now()
        dialog.username.setText("clerk")
        dialog.password.setText(DEMO_PASSWORD)

        def press() -> None:
            figures["pressed"] = _now()
            dialog.buttons.button(QDialogButtonBox.Ok).click()

        QTimer.singleShot(int(TYPING_SECONDS * 1000), press)

    on_first_paint(app, clerk_types, LoginDialog)
    early = sign_in_while_opening(path, office)
    from ..services.context import AppContext
    from .common.session import UiSession
    from .main_window import MainWindow

    return app, MainWindow(UiSession(AppContext(early.db, early.actor)))


def _now() -> tuple[float, float]:
    import time

    return clock.process_seconds() - STARTED_AT, time.process_time()


def main() -> None:
    import json
    import os

    figures: dict = {}
    if SIDE == "signin":
        app, window = _signed_in_window(figures)
    else:
        app, window = _floor_window() if SIDE == "floor" else _app_window()
    from PySide6.QtCore import QTimer

    from ..bench.memory import peak_rss_mb
    from .common.first_paint import on_first_paint

    def painted(_window) -> None:
        at, cpu = _now()
        if SIDE == "signin":
            pressed_at, pressed_cpu = figures.pop("pressed")
            figures["enter_seconds"], figures["enter_cpu_seconds"] = at - pressed_at, cpu - pressed_cpu
        else:
            figures["seconds"], figures["cpu_seconds"] = at, cpu
        QTimer.singleShot(0, app.quit)

    on_first_paint(window, painted)
    window.showMaximized()
    app.exec()
    print(json.dumps({"seconds": None, "cpu_seconds": None, **figures, "peak_rss_mb": peak_rss_mb()}), flush=True)
    os._exit(0)  # the start is measured; closing down is not


if __name__ == "__main__":
    main()
