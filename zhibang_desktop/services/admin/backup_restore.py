"""Restoring a backup of the local (SQLite) database.

`restore(db_path, backup_file)` checks the backup first (integrity, that it is a zhibang
database, that its schema version is one this program knows and not newer), copies it beside
the database and migrates the copy forward if it is older — all without touching the live
file. Only then the live file (with its WAL) is kept as
`<name>.replaced-YYYYMMDD-HHMMSS.sqlite3` and the checked copy is moved into place. The
restore is audited in the restored database.

The app must not have the database open: restore takes the writer lock itself and refuses
while another window (or this one) holds it. The GUI and the CLI therefore close their
`Database`, call `restore`, and open the file again (`ui/login/restore_flow.py`;
`zhibang restore FILE`). After a restore the users are those of the backup, so the GUI asks
for a login again.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import select

from ...domain import clock
from ...domain.permissions import denied_message
from ...storage import restore_leftovers
from ...storage.database import DatabaseLocked, open_database, real_path, sqlite_engine
from ...storage.lock import WriterLock
from ...storage.migrate import head_revision, upgrade_to_head
from ...storage.models import User
from ...storage.private_files import copy_private, make_private_dir, partial_of
from ...storage.sqlite_backup import BackupFailed, copy_database, integrity_problems, merge_wal
from .. import audit_chain
from ..context import SYSTEM, Actor, AppContext
from ..errors import PermissionDenied, ServiceError
from .backup_files import BackupCheck, RestoreError, RestoreResult, _remove_quietly, check_backup


def _fsync_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    _fsync_file(folder)


def _stage(backup_file: Path, staged: Path, needs_migration: bool) -> None:
    """Copy (backup API) and, if older, migrate the copy; leaves one self-contained file."""
    copy_database(backup_file, staged)
    if needs_migration:
        engine = sqlite_engine(staged)
        try:
            upgrade_to_head(engine, None)
        finally:
            engine.dispose()
        merge_wal(staged)
        problems = integrity_problems(staged)
        if problems:
            raise RestoreError("升级后的备份完整性检查未通过：" + "；".join(problems[:3]))
    for side in ("-wal", "-shm"):
        if Path(str(staged) + side).exists():
            raise RestoreError("准备恢复的文件仍有未合并的日志，已停止恢复（数据库未改动）")
    _fsync_file(staged)


def _keep_replaced(db_path: Path) -> Path:
    """Copy the live file byte for byte (with its WAL merged if possible) to `<db>.replacing`,
    owner-only, through a `.partial` name so that only a complete copy ever has that name."""
    pending = restore_leftovers.pending_path(db_path)
    partial = partial_of(pending)
    restore_leftovers.remove_with_sides(partial)
    copy_private(db_path, partial)
    wal = Path(str(db_path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        copy_private(wal, Path(str(partial) + "-wal"))
        try:  # a sound file absorbs its WAL; a damaged one is kept as the two raw files
            merge_wal(partial)
        except sqlite3.Error:
            pass
        partial_wal = Path(str(partial) + "-wal")
        if partial_wal.exists():
            _fsync_file(partial_wal)
            os.replace(partial_wal, Path(str(pending) + "-wal"))
    _fsync_file(partial)
    os.replace(partial, pending)
    return pending


def restore(db_path: Path | str, backup_file: Path | str, *, actor: Actor = SYSTEM) -> RestoreResult:
    """Replace the database at `db_path` with a checked copy of `backup_file`.

    The database must be closed (this takes its writer lock). Nothing at `db_path` is
    touched until the backup has been checked, copied and (if older) migrated.
    """
    if not actor.can("backup.restore"):
        raise PermissionDenied(denied_message("backup.restore", actor.roles, actor.scope_unit_id))
    db_path = real_path(db_path)  # a symlink stays a symlink: the file it points to is restored
    backup_file = Path(backup_file).expanduser()
    if backup_file.exists() and db_path.exists() and backup_file.resolve() == db_path:
        raise RestoreError("不能用数据库文件本身作为备份来恢复")
    check = check_backup(backup_file)
    if not check.ok:
        raise RestoreError(f"未恢复（数据库未改动）：{check.message}")
    lock = WriterLock(db_path)
    try:
        make_private_dir(db_path.parent)
        lock.acquire()
    except DatabaseLocked as exc:
        raise RestoreError(f"{exc}（恢复前必须先关闭数据库；数据库未改动）") from exc
    except OSError as exc:
        raise RestoreError(f"无法在“{db_path.parent}”中恢复：{exc.strerror or exc}") from exc
    staged = restore_leftovers.staged_path(db_path)
    moved_in = False
    try:
        restore_leftovers.clean_restore_leftovers(db_path)
        try:
            _stage(backup_file, staged, check.needs_migration)
        except (BackupFailed, OSError, sqlite3.Error) as exc:
            raise RestoreError(f"准备恢复文件失败（数据库未改动）：{exc}") from exc
        except ServiceError:
            raise
        except Exception as exc:  # a failed migration of an old backup
            raise RestoreError(f"升级旧备份失败（数据库未改动）：{exc}") from exc
        had_database = db_path.exists()
        if had_database:
            try:
                _keep_replaced(db_path)
            except OSError as exc:
                raise RestoreError(f"无法保存当前数据库的副本（{exc.strerror or exc}），未恢复（数据库未改动）") from exc
        # The old WAL must never meet the new file: its content is in the kept copy now.
        for side in ("-wal", "-shm", "-journal"):
            _remove_quietly(Path(str(db_path) + side))
        os.replace(staged, db_path)
        moved_in = True
        _fsync_dir(db_path.parent)
        replaced = None
        if had_database:
            replaced = restore_leftovers.promote_pending(db_path, clock.local_now().strftime("%Y%m%d-%H%M%S"))
            _fsync_dir(db_path.parent)
        seq = _audit_restore(db_path, backup_file, replaced, check, actor)
    finally:
        if not moved_in:  # nothing replaced: the copy of the live file is a mere duplicate
            restore_leftovers.remove_with_sides(restore_leftovers.pending_path(db_path))
        for leftover in (staged, partial_of(staged)):
            restore_leftovers.remove_with_sides(leftover)
        lock.release()
    return RestoreResult(db_path, backup_file, replaced, check.revision or "", check.needs_migration, seq)


def _audit_restore(db_path: Path, backup_file: Path, replaced: Path | None, check: BackupCheck, actor: Actor) -> int:
    db = open_database(db_path, take_lock=False)
    try:
        with db.session() as session:
            user = session.execute(select(User).where(User.username == actor.username)).scalar_one_or_none()
        recorded = Actor.make(user.id if user else None, actor.username, actor.display_name, actor.roles)
        summary = f"从备份恢复：{backup_file}"
        if replaced is not None:
            summary += f"；原数据库已保存为 {replaced.name}"
        changes = [["备份中的数据库版本", "", check.revision or ""]]
        if check.needs_migration:
            changes.append(["升级到", check.revision or "", head_revision()])
        with AppContext(db, recorded).tx(None) as tx:
            tx.session.info[audit_chain.RESET_ANCHOR] = True  # the restored chain's head is recorded from now on
            tx.audit("restore", "database", summary=summary, changes=changes)
            tx.session.flush()
            return audit_chain.chain_head(tx.session)[0]
    finally:
        db.close()
