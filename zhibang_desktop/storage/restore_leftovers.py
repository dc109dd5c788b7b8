"""The files a restore works with beside the database, and cleaning up after a killed one.

A restore (services.admin.backup.restore) goes:

1. the checked backup is copied (and migrated) to `<db>.restoring` (via `.restoring.partial`);
2. the live database is copied to `<db>.replacing.partial`, its WAL merged into the copy,
   then renamed `<db>.replacing`;
3. the live WAL is removed and `<db>.restoring` is renamed over the database;
4. `<db>.replacing` becomes `<stem>.replaced-YYYYMMDD-HHMMSS.sqlite3`, kept for the admin.

A process killed anywhere in between leaves some of these. Under the writer lock, before
the next open or restore, `clean_restore_leftovers` removes what is only a duplicate and
keeps what may be the sole copy of data:

- `.restoring`, `.restoring.partial`, `.replacing.partial`: duplicates (the backup file and
  the live database are still there) — removed;
- `.replacing` while `.restoring` still exists: step 3 did not finish, the live database is
  still the original; removed if it is byte-identical to the live file or the live WAL is
  still there, otherwise (the WAL had been removed) kept as a `.replaced-…` copy;
- `.replacing` without `.restoring`: step 3 finished, it is the previous database — kept
  as a `.replaced-…` copy.
"""
from __future__ import annotations

import filecmp
import os
from datetime import datetime
from pathlib import Path

from ..domain import clock
from .private_files import partial_of

SUFFIX = ".sqlite3"


def staged_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.restoring")


def pending_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.replacing")


def _side(path: Path, side: str) -> Path:
    return Path(str(path) + side)


def remove_with_sides(path: Path) -> bool:
    removed = False
    for candidate in (path, _side(path, "-wal"), _side(path, "-shm"), _side(path, "-journal")):
        try:
            candidate.unlink()
            removed = True
        except FileNotFoundError:
            continue
    return removed


def replaced_path(db_path: Path, stamp: str) -> Path:
    """`<stem>.replaced-<stamp>.sqlite3`, numbered if that name is taken."""
    suffix = db_path.suffix or SUFFIX
    kept = db_path.with_name(f"{db_path.stem}.replaced-{stamp}{suffix}")
    n = 1
    while kept.exists():
        n += 1
        kept = db_path.with_name(f"{db_path.stem}.replaced-{stamp}-{n}{suffix}")
    return kept


def promote_pending(db_path: Path, stamp: str | None = None) -> Path:
    """Give `<db>.replacing` (and a raw WAL kept beside it) its final `.replaced-…` name."""
    pending = pending_path(db_path)
    if stamp is None:
        stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    kept = replaced_path(db_path, stamp)
    wal = _side(pending, "-wal")
    if wal.exists():
        os.replace(wal, _side(kept, "-wal"))
    os.replace(pending, kept)
    return kept


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def clean_restore_leftovers(db_path: Path) -> list[str]:
    """Tidy what a killed restore left beside `db_path` (the caller holds the writer lock).
    Returns a line per file removed or kept, for the caller to report if it wishes."""
    report: list[str] = []
    staged, pending = staged_path(db_path), pending_path(db_path)
    for partial in (partial_of(staged), partial_of(pending)):
        if remove_with_sides(partial):
            report.append(f"已删除未完成的恢复临时文件 {partial.name}")
    if pending.exists():
        live_wal = _side(db_path, "-wal")
        not_replaced = staged.exists() and db_path.exists()
        live_intact = live_wal.exists() and live_wal.stat().st_size > 0
        if not_replaced and (live_intact or _same_bytes(pending, db_path)):
            remove_with_sides(pending)
            report.append(f"已删除中断的恢复留下的重复副本 {pending.name}")
        else:
            stamp = datetime.fromtimestamp(pending.stat().st_mtime).astimezone().strftime("%Y%m%d-%H%M%S")
            kept = promote_pending(db_path, stamp)
            report.append(f"中断的恢复之前的数据库已保留为 {kept.name}")
    if remove_with_sides(staged):
        report.append(f"已删除中断的恢复留下的临时文件 {staged.name}")
    return report
