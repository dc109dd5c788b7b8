"""The GUI's side of `zhibang bench` (zhibang_desktop/bench/works/archive_gui.py), in a process
of its own: `python -m zhibang_desktop.ui.bench_probe MODE DB [QUERY …]` opens the database as
the program does, signs the demo clerk in, shows the main window (offscreen without a display)
and measures, on the archive page, what a clerk does:

- typed:  each query typed key by key; the time from the last key to its first rows on screen;
- enter:  each query then Enter; the time to its first rows and its counts on screen;
- scroll: scrolling to the end of the whole list, page after page; one sample for it all;
- window: opening the database, signing in and showing the main window until its queries are in;
- bare:   the floor of that: a bare QMainWindow and QTableView with 200 rows read by sqlite3.

"On screen" is the list's first paint after its rows (and counts) are in: the paint that shows
them is part of the time the clerk waits. The start's objects are frozen out of the garbage
collector, as the program does a second after its window shows (common/startup_objects.py).

Prints one line of JSON: the samples (seconds), the process's peak memory (MB) and the CPU
time spent during the samples (seconds, all threads; typed, enter and scroll).
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from typing import Callable

TIMEOUT_S = 600
QUERYING = "正在查询……"  # the archive page's status until its counts are in (archive_page.refresh)
_cpu = [0.0]  # CPU seconds (all threads of the process) spent during the timed samples


def _sample(start: float, cpu_start: float) -> float:
    """The seconds since `start` (perf_counter); adds the CPU time since `cpu_start` to `_cpu`."""
    _cpu[0] += time.process_time() - cpu_start
    return time.perf_counter() - start


def _wait(app, done: Callable[[], bool]) -> None:
    """Run the event loop until `done()`, sleeping between events as the program's own loop
    does (spinning processEvents would take a core and the GIL from the page's worker)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.perf_counter() + TIMEOUT_S
    tick = QTimer(interval=1)  # wakes the wait at least every millisecond to look at `done`
    tick.start()
    try:
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the archive page did not answer")
            app.processEvents(QEventLoop.AllEvents | QEventLoop.WaitForMoreEvents)
    finally:
        tick.stop()


def _on_screen(app, widget, done: Callable[[], bool]) -> None:
    """Run the event loop until `done()`, then until `widget` has been painted after it (the
    window paints every widget that changed in one pass, so the rest of what changed is on screen
    too)."""
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        count = 0

        def eventFilter(self, _obj, event) -> bool:
            if event.type() == QEvent.Paint:
                self.count += 1
            return False

    paints = Paints()
    widget.installEventFilter(paints)
    try:
        _wait(app, done)
        seen = paints.count
        widget.update()  # already due after new rows; asked again so that the wait always ends
        _wait(app, lambda: paints.count > seen)
    finally:
        widget.removeEventFilter(paints)


def _window(app, db_path: str):
    from ..demo import DEMO_PASSWORD
    from ..services.admin import users
    from ..services.context import AppContext
    from ..services.session import open_office_database
    from .common.session import UiSession
    from .common.startup_objects import freeze_startup_objects
    from .main_window import MainWindow

    db = open_office_database(db_path, create=False)
    session = UiSession(AppContext(db, users.authenticate(db, "clerk", DEMO_PASSWORD)))
    window = MainWindow(session)
    window.resize(1366, 768)
    window.show()
    _wait(app, lambda: not session.executor.busy)
    freeze_startup_objects()  # as the program does a second after its window shows (run_gui)
    return window, window.pages["archive"], session


def _clear(app, page, session) -> None:
    """Clear the search and wait until the whole list is on screen (its paint is not the next
    sample's)."""
    page.search.clear()
    _on_screen(app, page.table.viewport(), lambda: page.model.filter.text == "" and not session.executor.busy)


def typed(app, db_path: str, queries: list[str]) -> list[float]:
    from PySide6.QtTest import QTest

    def type_in(char: str) -> None:
        if char.isascii():
            QTest.keyClicks(page.search, char)
        else:  # a Chinese character arrives from the input method as committed text
            page.search.insert(char)

    _, page, session = _window(app, db_path)
    samples = []
    for query in queries:
        _clear(app, page, session)
        for char in query[:-1]:
            type_in(char)
            app.processEvents()
        cpu = time.process_time()
        type_in(query[-1])
        start = time.perf_counter()
        _on_screen(app, page.table.viewport(), lambda: page.model.filter.text == query)  # set with its first rows
        samples.append(_sample(start, cpu))
    return samples


def enter(app, db_path: str, queries: list[str]) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    _, page, session = _window(app, db_path)
    samples = []
    for query in queries:
        _clear(app, page, session)
        page.search.blockSignals(True)
        page.search.setText(query)
        page.search.blockSignals(False)
        start, cpu = time.perf_counter(), time.process_time()
        QTest.keyClick(page.search, Qt.Key_Return)
        _on_screen(app, page.table.viewport(),
                   lambda: page.model.filter.text == query and page.status_text != QUERYING)
        samples.append(_sample(start, cpu))
    return samples


def scroll(app, db_path: str, _queries) -> list[float]:
    _, page, session = _window(app, db_path)
    start, cpu = time.perf_counter(), time.process_time()
    while page.model.canFetchMore() or page.model.loading:  # the total may still be being counted
        page.table.scrollToBottom()
        _wait(app, lambda: not page.model.loading)
    assert page.model.rowCount() == page.model.total, "scrolled to the end but not every row is listed"
    return [_sample(start, cpu)]


def window(app, db_path: str, _queries) -> list[float]:
    start = time.perf_counter()
    _window(app, db_path)
    return [time.perf_counter() - start]


def bare(app, db_path: str, _queries) -> list[float]:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QTableView

    start = time.perf_counter()
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = con.execute("select archive_no, name, id_number, category, status, phone from households "
                       "order by archive_no limit 200").fetchall()
    model = QStandardItemModel(len(rows), 6)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem(str(value or "")))
    window = QMainWindow()
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    con.close()
    return [time.perf_counter() - start]


MODES = {"typed": typed, "enter": enter, "scroll": scroll, "window": window, "bare": bare}


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..bench.memory import peak_rss_mb

    mode, db_path, *queries = argv
    if mode == "bare":  # the floor holds Qt and sqlite3 only
        app = QApplication([])
    else:
        from .app import make_app
        from .login.load_ahead import WHILE_THE_CLERK_TYPES, load_ahead

        app = make_app()
        load_ahead(WHILE_THE_CLERK_TYPES)  # as the sign-in window does while the clerk types: its memory counts
    samples = MODES[mode](app, db_path, queries)
    print(json.dumps({"samples": samples, "peak_rss_mb": peak_rss_mb(), "cpu_s": _cpu[0] or None}))
    sys.stdout.flush()
    os._exit(0)  # the window, its threads and the database go with the process


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
