"""Long work off the GUI thread, with a progress dialog and a 取消 button.

A *job* is any callable taking two arguments, ``progress(done, total)`` and
``cancelled() -> bool``, which is exactly what the import, export, demo and backup
services accept::

    count = run_with_progress(self, "导出档案", "正在导出……",
                              lambda progress, cancelled: export_households(ctx, path, filt, progress, cancelled))

`run_with_progress` keeps the window responsive while the job runs in a worker thread
and returns its result (or re-raises its exception) in the GUI thread. If the user
pressed 取消, it raises `services.errors.Cancelled` whatever the job returned.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from ...services.errors import Cancelled  # noqa: F401  (raised when the user pressed 取消)

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

SHOW_AFTER_MS = 300  # quick jobs finish without a flashing dialog
PROGRESS_EVERY_S = 0.05  # at most ~20 progress updates a second reach the GUI


class BackgroundTask(QObject):
    """Runs a job on the global thread pool; its signals arrive in the GUI thread."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job, parent: QObject | None = None):
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()
        self._last_progress = 0.0
        self.done = False

    def start(self) -> None:
        QThreadPool.globalInstance().start(_Runner(self))

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- called in the worker thread --
    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_progress >= PROGRESS_EVERY_S:
            self._last_progress = now
            self.progressed.emit(int(done), int(total))

    def _run(self) -> None:
        try:
            result = self._job(self._progress, self.is_cancelled)
        except BaseException as exc:  # noqa: BLE001 — handed to the GUI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask):
        super().__init__()
        self.task = task

    def run(self) -> None:
        self.task._run()


def run_with_progress(parent: QWidget | None, title: str, label: str, job: Job, *,
                      cancellable: bool = True) -> Any:
    """Run `job` in the background behind a window-modal progress dialog; return its result."""
    task = BackgroundTask(job)
    dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setMinimumWidth(360)
    if not cancellable:
        dialog.setCancelButton(None)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def on_progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def finish(key: str, value: Any) -> None:
        outcome[key] = value
        loop.quit()

    def on_cancel() -> None:
        # QProgressDialog hides itself on 取消; stay visible until the job has stopped.
        task.cancel()
        dialog.setLabelText("正在取消，请稍候……")
        for button in dialog.findChildren(QPushButton):
            button.setEnabled(False)
        dialog.show()

    task.progressed.connect(on_progress)
    task.succeeded.connect(lambda result: finish("result", result))
    task.failed.connect(lambda exc: finish("error", exc))
    dialog.canceled.connect(on_cancel)
    # Qt 6 shows a QProgressDialog only once setValue() is called; a job that reports no
    # progress must still get its dialog (and its 取消 button) after a moment.
    show_timer = QTimer(dialog, singleShot=True, interval=SHOW_AFTER_MS)
    show_timer.timeout.connect(dialog.show)
    show_timer.start()
    task.start()
    while not outcome:
        loop.exec()
        if not outcome:
            # A nested loop returns at once once the application has been told to quit: keep
            # handling events until the job has ended; never return without its result.
            QCoreApplication.processEvents(QEventLoop.AllEvents | QEventLoop.WaitForMoreEvents, 50)
    show_timer.stop()
    dialog.canceled.disconnect(on_cancel)
    dialog.reset()  # also stops its own "show after minimumDuration" timer
    dialog.close()
    dialog.deleteLater()
    if task.is_cancelled():
        raise outcome["error"] if isinstance(outcome.get("error"), Cancelled) else Cancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
