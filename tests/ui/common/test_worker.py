"""Long work off the GUI thread: result, errors and 取消."""
from __future__ import annotations

import threading
import time

import pytest

from zhibang_desktop.services.errors import Cancelled, ValidationFailed
from zhibang_desktop.ui.common.worker import BackgroundTask, run_with_progress


def test_result_comes_back_and_the_job_ran_in_another_thread(qtbot):
    seen = []

    def job(progress, cancelled):
        seen.append(threading.current_thread() is threading.main_thread())
        for i in range(5):
            progress(i + 1, 5)
        return "完成"

    assert run_with_progress(None, "测试", "运行中", job) == "完成"
    assert seen == [False]


def test_errors_are_raised_in_the_gui_thread(qtbot):
    def job(progress, cancelled):
        raise ValidationFailed([])

    with pytest.raises(ValidationFailed):
        run_with_progress(None, "测试", "运行中", job)


def test_cancel_stops_the_job_and_raises_cancelled(qtbot):
    task_started = threading.Event()

    def job(progress, cancelled):
        task_started.set()
        while not cancelled():
            time.sleep(0.01)
        return "不应使用"

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    def press_cancel():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if dialogs:
            dialogs[0].findChild(QPushButton).click()  # the 取消 button
        else:
            QTimer.singleShot(50, press_cancel)

    QTimer.singleShot(50, press_cancel)
    with pytest.raises(Cancelled):
        run_with_progress(None, "测试", "运行中", job)
    assert task_started.is_set()


def test_progress_signals_arrive(qtbot):
    task = BackgroundTask(lambda progress, cancelled: [progress(i, 3) for i in range(1, 4)] and 3)
    got = []
    task.progressed.connect(lambda d, t: got.append((d, t)))
    with qtbot.waitSignal(task.succeeded, timeout=3000):
        task.start()
    assert got[-1] == (3, 3)
