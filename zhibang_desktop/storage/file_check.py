"""The check a database file passes before anything writes to it: `PRAGMA quick_check` and a
look at its tables, read-only, on a thread of its own (SQLite releases the GIL, so Python work
goes on beside it).

It reads the whole file (0.85 s at 100,000 households on a quiet machine), the largest piece of
a start. The GUI therefore begins it first thing (`begin_check`), before its own imports, and
opening the file (`check_file_while`, under the writer lock) uses that result when the file
and its WAL are still exactly as they were when the check began — same inode, size and
modification time — and checks again otherwise. Nothing here writes, and only the standard
library is imported, so beginning the check costs the start nothing.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Callable

from .errors import DatabaseCorrupt, NotAZhibangDatabase
from .locations import is_network_path


def check_rows(path: Path, pragma: str = "quick_check") -> list[str]:
    """What `PRAGMA quick_check` (or `integrity_check`) says of the file opened read-only:
    ["ok"] for a sound file. Raises sqlite3.DatabaseError for one SQLite cannot read."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in con.execute(f"PRAGMA {pragma}")]
    finally:
        con.close()


def quick_check(path: Path) -> None:
    """Raise DatabaseCorrupt / NotAZhibangDatabase before anything writes to `path`."""
    try:
        rows = check_rows(path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(
            f"无法读取数据库“{path}”：{exc}。文件可能已损坏或不是职帮数据库；"
            "程序不会修改或删除它。请从备份恢复。"
        ) from exc
    if rows != ["ok"]:
        detail = "；".join(rows[:3])
        raise DatabaseCorrupt(f"数据库“{path}”完整性检查未通过（{detail}）。程序不会修改它，请从备份恢复。")


def refuse_foreign_file(path: Path) -> None:
    """Checked read-only before any PRAGMA (even journal_mode) touches the file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    finally:
        con.close()
    if tables and "alembic_version" not in tables:
        raise NotAZhibangDatabase(f"文件“{path}”不是职帮数据库（含有其他程序的数据表），程序不会修改它。")


def file_state(path: Path) -> tuple:
    """What a write to the database changes: the file's and its WAL's inode, size and mtime. An
    empty WAL holds nothing, as a missing one (the check's own connection creates it empty)."""
    state = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            st = os.stat(part)
        except FileNotFoundError:
            state.append(None)
        else:
            state.append((st.st_ino, st.st_size, st.st_mtime_ns) if st.st_size or part == path else None)
    return tuple(state)


class FileCheck:
    """One run of both checks on a thread; `result()` waits and raises what they raised."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state = file_state(path)  # taken before the check reads anything
        self._failed: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="zhibang-quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            quick_check(self.path)
            refuse_foreign_file(self.path)
        except BaseException as exc:  # noqa: BLE001 — raised again on the caller's thread
            self._failed.append(exc)

    def result(self) -> None:
        self._thread.join()
        if self._failed:
            raise self._failed[0]


_begun: dict[Path, FileCheck] = {}
_begun_lock = threading.Lock()


def begin_check(location: Path | str | None) -> None:
    """Start checking a local database file now, for `check_file_while` to use when the file is
    opened. Nothing for an address, a missing or empty file, or a network path (refused there)."""
    if location is None or "://" in str(location):
        return
    path = Path(location).expanduser().resolve()
    if is_network_path(path) or not path.is_file() or path.stat().st_size == 0:
        return
    with _begun_lock:
        if path not in _begun:
            _begun[path] = FileCheck(path)


def _begun_check(path: Path) -> FileCheck | None:
    with _begun_lock:
        return _begun.pop(path, None)


def check_file_while(path: Path, meanwhile: Callable[[], object]) -> None:
    """Both checks on a thread of their own while `meanwhile` runs here; raises what either raised
    once both are done. A check begun earlier serves if the file has not changed since it began.
    Nothing touches the file (not even a PRAGMA) before both are done."""
    check = _begun_check(path)
    if check is None or check.state != file_state(path):
        check = FileCheck(path)  # a stale one is left to finish on its own: it only reads
    try:
        meanwhile()
    finally:
        check.result()
