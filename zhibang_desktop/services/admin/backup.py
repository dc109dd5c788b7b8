"""Backups of the local (SQLite) database: making them and rotating the automatic ones.

Backups
    `backup_now` copies the live file through the SQLite backup API (consistent even while
    the app is writing: one step, one read snapshot), runs `PRAGMA integrity_check` on the
    copy and only then gives it its final name `zhibang-YYYYMMDD-HHMMSS-<kind>.sqlite3`
    (local time). A file with that name therefore passed the check when it was made.
    Kinds: `manual` (never deleted by rotation), and the automatic `daily` (once a day
    while the app runs), `on_close` and `monthly`.

Rotation (automatic backups only, like `restic forget --keep-daily N --keep-monthly M`)
    Of the automatic backups in the folder, keep the newest of each of the last
    `keep_daily` days that have one, and the newest of each of the last `keep_monthly`
    months that have one; delete the other automatic ones. Manual backups and files
    whose names are not ours are never touched.

The backup folder and its files (names, listing, checks) are in `backup_files`, restoring one
in `backup_restore`; this module re-exports both, so `backup` is the whole API.
"""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ...domain import clock
from ...storage.database import Database
from ...storage.private_files import partial_of
from ...storage.sqlite_backup import BackupFailed, copy_database
from .. import audit_chain
from ..context import SYSTEM, AppContext
from ..errors import Cancelled, FieldProblem, ServiceError, ValidationFailed
from .backup_files import (
    AUTOMATIC_KINDS, KINDS, BackupError, BackupInfo, _info, _remove_quietly, _retention, _size_text, _usable_folder,
    backup_dir_for, backup_name, default_backup_dir, list_backups, remove_stale_partials, rotate,
)
from .server_backup import backup_on_server, server_backup_due


def backup_now(target: AppContext | Database, dest_dir: Path | str | None = None, kind: str = "manual", *,
               dest_file: Path | str | None = None,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> BackupInfo:
    """Copy the live database into a verified backup file and audit it.

    `target` is the signed-in user's AppContext (needs 'backup.run'), or the Database for
    the app's own automatic backups (recorded as the system). `dest_file` names the file
    exactly (`zhibang backup --out FILE`); otherwise a new name in `dest_dir`, the
    chosen backup folder or `<db folder>/backups`. Automatic kinds then rotate the folder.
    """
    if kind not in KINDS:
        raise ValidationFailed([FieldProblem("kind", "备份类型", f"“{kind}”不是有效类型")])
    if isinstance(target, AppContext):
        target.require("backup.run")
        ctx = target
    else:
        ctx = AppContext(target, SYSTEM)
    db = ctx.db
    if db.path is None:  # a server database: pg_dump (server_backup.py)
        return backup_on_server(db, ctx.actor, dest_dir, kind, dest_file)
    note = ""
    if progress:
        progress(0, 0)
    if dest_file is not None:
        dest = Path(dest_file).expanduser()
        if dest.resolve() == db.path.resolve():
            raise ValidationFailed([FieldProblem("dest_file", "备份文件", "不能与数据库文件相同")])
        problem = _usable_folder(dest.parent)
        if problem:
            raise BackupError(problem + "。请检查路径或 U 盘后重试。")
        folder = dest.parent
    else:
        folder = Path(dest_dir).expanduser() if dest_dir is not None else backup_dir_for(db)
        problem = _usable_folder(folder)
        if problem and kind in AUTOMATIC_KINDS and folder != default_backup_dir(db.path):
            # An absent USB drive must not stop the automatic backups: use the default folder.
            fallback = default_backup_dir(db.path)
            if _usable_folder(fallback) is None:
                note = f"{problem}，已改为备份到默认文件夹“{fallback}”"
                folder, problem = fallback, None
        if problem:
            raise BackupError(problem + "。请检查备份文件夹设置或插入 U 盘后重试。")
        now = clock.local_now()
        n = 1
        while (folder / backup_name(now, kind, n)).exists():
            n += 1
        dest = folder / backup_name(now, kind, n)
    if cancelled and cancelled():
        raise Cancelled("备份已取消")
    try:
        copy_database(db.path, dest)
    except BackupFailed as exc:
        raise BackupError(f"{exc}。备份未完成，请重试或换一个备份位置。") from exc
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(partial_of(dest))
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BackupError(f"写入备份“{dest}”失败（{reason}）。备份位置空间不足或不可写？") from exc
    removed: tuple[Path, ...] = ()
    if kind in AUTOMATIC_KINDS and dest_file is None:
        keep_daily, keep_monthly = _retention(db)
        removed = tuple(rotate(folder, keep_daily, keep_monthly, protect=dest))
    leftovers = remove_stale_partials(folder, clock.local_now())
    info = _info(dest, True, note, removed)
    with ctx.tx(None) as tx:
        seq, head_hash = audit_chain.chain_head(tx.session)  # what the copy holds: nothing was written since
        info = replace(info, chain_head=f"第 {seq} 条 {head_hash}")
        tx.audit("backup", "database", summary=f"{KINDS[kind]}备份到 {dest}（{_size_text(info.size)}，完整性检查通过；"
                                               f"备份中的审计链头：{info.chain_head}）",
                 changes=([["删除过期自动备份", "", "、".join(p.name for p in removed)]] if removed else [])
                 + ([["删除中断备份留下的半成品", "", "、".join(p.name for p in leftovers)]] if leftovers else [])
                 or None)
    if progress:
        progress(1, 1)
    return info


def due_daily_backup(db: Database) -> bool:
    """True when no automatic backup has been made today (local date) yet; for a server database,
    by any PC of the office (the audit trail says)."""
    if db.path is None:
        return server_backup_due(db)
    today = clock.today()
    folders = {default_backup_dir(db.path)}
    try:
        folders.add(backup_dir_for(db))
    except ServiceError:
        pass
    for folder in folders:
        for b in list_backups(folder):
            if b.kind in AUTOMATIC_KINDS and b.created_at.date() == today:
                return False
    return True


# `backup` is the whole API: the folder and its files, making backups, restoring one
from .backup_files import (  # noqa: E402
    BackupCheck, RestoreError, RestoreResult, backup_dirs_for_path, check_backup, newest_good_backup,
    parse_backup_name,
)
from .backup_restore import restore  # noqa: E402

__all__ = [
    "AUTOMATIC_KINDS", "BackupCheck", "BackupError", "BackupInfo", "KINDS", "RestoreError", "RestoreResult",
    "backup_dir_for", "backup_dirs_for_path", "backup_name", "backup_now", "check_backup", "default_backup_dir",
    "due_daily_backup", "list_backups", "newest_good_backup", "parse_backup_name", "restore", "rotate",
]
