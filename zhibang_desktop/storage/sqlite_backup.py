"""Consistent copies of a live SQLite file (the backup API), verified before they count."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .file_check import check_rows
from .private_files import create_private_file, make_private_dir, partial_of


class BackupFailed(RuntimeError):
    pass


def integrity_problems(path: Path) -> list[str]:
    try:
        rows = check_rows(path, "integrity_check")
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def merge_wal(path: Path) -> None:
    """Fold the file's write-ahead log into it and leave it a single self-contained file
    (raises sqlite3.Error for a file SQLite cannot read)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def copy_database(src: Path, dest: Path) -> None:
    """Copy `src` to `dest` through the backup API, then check it; a bad copy is removed."""
    make_private_dir(dest.parent)
    partial = partial_of(dest)
    if partial.exists():
        partial.unlink()
    create_private_file(partial)  # owner-only before a byte of the database is in it
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    problems = integrity_problems(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise BackupFailed("备份文件完整性检查未通过：" + "；".join(problems[:3]))
    os.replace(partial, dest)
