"""Search-as-you-type runs off the GUI thread, and only the newest query is shown."""
from __future__ import annotations

import threading
import time

from zhibang_desktop.ui.common.background_query import LatestQuery


def test_only_the_newest_result_is_delivered(qtbot):
    runner = LatestQuery()
    got, errors = [], []

    def slow(value, delay):
        def work():
            time.sleep(delay)
            return value
        return work

    runner.submit(slow("old", 0.3), got.append, errors.append)
    runner.submit(slow("new", 0.05), got.append, errors.append)
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    qtbot.wait(400)  # the old one has finished too by now
    assert got == ["new"] and not errors and not runner.busy


def test_errors_reach_the_gui_thread_and_cancel_drops_results(qtbot):
    runner = LatestQuery()
    errors, got, threads = [], [], []

    def boom():
        raise ValueError("坏了")

    runner.submit(boom, got.append, lambda exc: (errors.append(exc), threads.append(threading.current_thread())))
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert str(errors[0]) == "坏了" and threads[0] is threading.main_thread()
    runner.submit(lambda: "late", got.append, errors.append)
    runner.cancel()
    qtbot.wait(200)
    assert got == []
