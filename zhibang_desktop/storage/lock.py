"""One writer per database file.

An OS-level lock on `<db>.lock` is held for the life of the process. The OS drops it
when the process dies, so a lock file left behind by a crash is simply re-locked: the
stale pid written inside is only used to explain who holds a live lock.
"""
from __future__ import annotations

import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

from ..domain import clock
from .private_files import create_private_file


class DatabaseLocked(RuntimeError):
    pass


def lock_path(db_path: Path | str) -> Path:
    # The real file's lock: a symlink to the database must meet the same lock.
    return Path(str(Path(db_path).expanduser().resolve()) + ".lock")


def held_by_another(db_path: Path | str) -> bool:
    """Whether another program holds the file's writer lock, found without writing anything:
    the lock file (if there is one) is opened for reading, locked and let go at once. A lock
    taken by somebody a moment later is still met by `WriterLock.acquire`."""
    try:
        fh = open(lock_path(db_path), "rb")
    except OSError:  # no lock file: nobody has opened this database yet
        return False
    with fh:
        try:
            _lock(fh)
        except OSError:
            return True
        _unlock(fh)
        return False


class WriterLock:
    def __init__(self, db_path: Path):
        self.path = lock_path(db_path)
        self._fh = None

    def acquire(self) -> None:
        create_private_file(self.path)
        fh = open(self.path, "r+b")
        try:
            _lock(fh)
        except OSError:
            fh.seek(0)
            holder = _describe(fh.read())
            fh.close()
            raise DatabaseLocked(
                f"数据库“{self.path.stem}”正被另一个职帮程序使用（{holder}）。"
                "同一数据库同时只能由一个程序写入，请先关闭另一个窗口后再打开。"
            ) from None
        fh.seek(0)
        fh.truncate()
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": clock.now().isoformat(timespec="seconds")}
        fh.write(json.dumps(info).encode())
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None


def _describe(raw: bytes) -> str:
    try:
        info = json.loads(raw.decode() or "{}")
    except ValueError:
        return "未知进程"
    return f"计算机 {info.get('host', '?')}，进程 {info.get('pid', '?')}，{_since_text(info.get('since'))}"


def _since_text(stamp) -> str:
    """'自 2026年11月23日 10:00 起' in this computer's time zone (stored as UTC ISO text)."""
    try:
        at = datetime.fromisoformat(str(stamp)).astimezone()
    except ValueError:
        return "开始时间不明"
    return f"自 {at.year}年{at.month}月{at.day}日 {at:%H:%M} 起"


if sys.platform == "win32":  # pragma: no cover - Windows only
    import msvcrt

    def _lock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
