"""The automatic backups while the app runs: once a day, and when it closes.

The main window owns one `AutoBackup(db)`:

    self.auto_backup = AutoBackup(session.ctx.db, self)
    self.auto_backup.backup_failed.connect(lambda text: self.statusBar().showMessage(text))
    self.auto_backup.start()
    ...
    def closeEvent(self, event):
        self.auto_backup.backup_on_close()   # before the database is closed
        self.auto_backup.stop()

On a server database (PostgreSQL) only the daily backup runs, as a pg_dump onto this PC, and
only where `server_daily` is set (the main window sets it for users who may run backups): the
first such PC of the day makes it, the others find it in the audit trail. Closing makes none
(a whole server's dump at every close would hold each clerk up).

After a restore (a new `Database` object) call `set_database(new_db)`. Backups are
recorded in the audit trail as the system; failures (e.g. the USB drive of the backup
folder is missing) never stop the app: they are reported through `backup_failed`, and
`services.backup` falls back to the default folder when the chosen one is unavailable.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from ...services.admin import backup
from ...services.admin.backup import BackupInfo
from ...services.errors import ServiceError
from ...services.session import Database
from ..common.worker import BackgroundTask

CHECK_EVERY_MS = 30 * 60 * 1000  # is a daily backup due? (also catches the date changing at midnight)
FIRST_CHECK_MS = 60 * 1000  # not during the first minute after login
CLOSE_WAIT_S = 120  # a daily backup still running when the window closes is waited for


class AutoBackup(QObject):
    """Signals: `backup_done(BackupInfo)`, `backup_failed(str)` (a Chinese message)."""

    backup_done = Signal(object)
    backup_failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None, *, server_daily: bool = False):
        super().__init__(parent)
        self.db = db
        self.server_daily = server_daily
        self._task: BackgroundTask | None = None
        self._finished: threading.Event | None = None  # set in the worker when the daily backup ends
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        self.timer.start()
        QTimer.singleShot(first_check_ms, self.check)

    def stop(self) -> None:
        self.timer.stop()

    def set_database(self, db: Database) -> None:
        self.db = db

    def check(self) -> bool:
        """Start today's backup in the background if it is due; True if one was started."""
        if self._task is not None or (self.db.path is None and not self.server_daily):
            return False
        try:
            due = backup.due_daily_backup(self.db)
        except ServiceError as exc:
            self.backup_failed.emit(f"无法检查自动备份：{exc}")
            return False
        if not due:
            return False
        db, finished = self.db, threading.Event()

        def job(progress, cancelled):
            try:
                return backup.backup_now(db, kind="daily")
            finally:
                finished.set()

        self._finished = finished
        task = BackgroundTask(job, self)
        task.succeeded.connect(self._done)
        task.failed.connect(self._failed)
        self._task = task
        task.start()
        return True

    def _done(self, info: BackupInfo) -> None:
        self._task = None
        self.backup_done.emit(info)
        if info.note:
            self.backup_failed.emit(info.note)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.backup_failed.emit(f"自动备份失败：{exc}")

    def backup_on_close(self) -> BackupInfo | None:
        """The closing backup, synchronously (the window is closing anyway) — after a daily
        backup still running in the background has finished, so the database is not closed
        under it."""
        if self.db.path is None:
            return None
        if self._finished is not None:
            self._finished.wait(CLOSE_WAIT_S)
        try:
            info = backup.backup_now(self.db, kind="on_close")
        except Exception as exc:  # noqa: BLE001 — closing must go on; the message says what failed
            self.backup_failed.emit(f"关闭时自动备份失败：{exc}")
            return None
        self.backup_done.emit(info)
        return info
