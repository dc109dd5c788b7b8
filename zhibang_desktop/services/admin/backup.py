"""Backups and restore of the local (SQLite) database.

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

Restore
    `restore(db_path, backup_file)` checks the backup first (integrity, that it is a
    zhibang database, that its schema version is one this program knows and not newer),
    copies it beside the database and migrates the copy forward if it is older — all
    without touching the live file. Only then the live file (with its WAL) is kept as
    `<name>.replaced-YYYYMMDD-HHMMSS.sqlite3` and the checked copy is moved into place.
    The restore is audited in the restored database.

    The app must not have the database open: restore takes the writer lock itself and
    refuses while another window (or this one) holds it. The GUI and the CLI therefore
    close their `Database`, call `restore`, and open the file again
    (`ui/login/restore_flow.py`; `zhibang restore FILE`). After a restore the users are those
    of the backup, so the GUI asks for a login again.
"""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from ...domain import clock
from ...domain.permissions import denied_message
from ...storage import restore_leftovers
from ...storage.database import Database, DatabaseLocked, open_database, real_path, sqlite_engine
from ...storage.lock import WriterLock
from ...storage.migrate import head_revision, upgrade_to_head
from ...storage.models import User
from ...storage.private_files import copy_private, make_private_dir, restrict
from ...storage.sqlite_backup import BackupFailed, copy_database, integrity_problems
from .. import audit_chain
from ..context import SYSTEM, Actor, AppContext
from ..errors import Cancelled, FieldProblem, PermissionDenied, ServiceError, ValidationFailed
from .settings import read_settings

KINDS: dict[str, str] = {"manual": "手动", "daily": "每日", "monthly": "每月", "on_close": "关闭时"}
AUTOMATIC_KINDS = frozenset({"daily", "monthly", "on_close"})
BACKUP_SUFFIX = ".sqlite3"
NAME_RE = re.compile(r"^zhibang-(\d{8})-(\d{6})-(manual|daily|monthly|on_close)(?:-(\d+))?\.sqlite3$")
DEFAULT_FOLDER = "backups"
DEFAULT_DB_STEM = "zhibang"  # config.default_db_path: zhibang.sqlite3
# Tables every zhibang database has had since the first schema.
REQUIRED_TABLES = frozenset({"alembic_version", "audit_log", "audit_head", "users", "settings"})
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(ServiceError):
    """A backup could not be made or checked; the message says why and what to do."""


class RestoreError(ServiceError):
    """A restore was refused or failed; the live database was not changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: datetime  # timezone-aware (local time of the name)
    verified: bool  # passed integrity_check when it was made (or when checked)
    kind: str = "manual"
    note: str = ""  # e.g. the chosen folder was unavailable and the default one was used
    removed: tuple[Path, ...] = ()  # older automatic backups deleted by rotation
    chain_head: str = ""  # the audit chain's head the copy holds ("第 N 条 <sha256>"), also in the audit row

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    ok: bool
    problems: tuple[str, ...]
    revision: str | None = None
    needs_migration: bool = False
    office_name: str = ""
    households: int | None = None
    users: int | None = None
    audit_rows: int | None = None

    @property
    def message(self) -> str:
        if self.ok:
            extra = "（版本较旧，恢复时将自动升级）" if self.needs_migration else ""
            return f"备份文件检查通过{extra}"
        return "；".join(self.problems)


@dataclass(frozen=True)
class RestoreResult:
    db_path: Path
    backup_file: Path
    replaced_path: Path | None  # the previous database, kept; None if there was none
    from_revision: str
    migrated: bool
    audit_seq: int


# ---------------------------------------------------------------------------
# Folders and names
# ---------------------------------------------------------------------------

def default_backup_dir(db_path: Path | str) -> Path:
    """`backups` beside the database. Another database in the same folder (typically the demo,
    `zhibang-demo.sqlite3`, beside the office's `zhibang.sqlite3`) gets `backups-<file name>`:
    sharing one folder, each one's rotation would delete the other's automatic backups, a
    demo backup would count as the office's backup of the day, and a damaged database would
    be offered the other one's backup to restore."""
    db_path = Path(db_path).expanduser()
    if db_path.stem == DEFAULT_DB_STEM:
        return db_path.parent / DEFAULT_FOLDER
    return db_path.parent / f"{DEFAULT_FOLDER}-{db_path.stem}"


def backup_dir_for(db: Database) -> Path:
    """The folder chosen in the settings (`backup_dir`), else `<db folder>/backups`."""
    if db.path is None:
        raise BackupError("服务器（PostgreSQL）模式的数据库请用数据库服务器自带的备份工具备份")
    with db.session() as session:
        chosen = read_settings(session).backup_dir
    return Path(chosen).expanduser() if chosen else default_backup_dir(db.path)


def _retention(db: Database) -> tuple[int, int]:
    with db.session() as session:
        s = read_settings(session)
    return max(1, int(s.keep_daily)), max(1, int(s.keep_monthly))


def backup_name(when: datetime, kind: str, n: int = 1) -> str:
    suffix = f"-{n}" if n > 1 else ""
    return f"zhibang-{when:%Y%m%d-%H%M%S}-{kind}{suffix}{BACKUP_SUFFIX}"


def parse_backup_name(name: str) -> tuple[datetime, str] | None:
    m = NAME_RE.match(name)
    if not m:
        return None
    try:
        when = datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S").astimezone()
    except ValueError:
        return None
    return when, m.group(3)


def _info(path: Path, verified: bool = True, note: str = "", removed: tuple[Path, ...] = ()) -> BackupInfo:
    parsed = parse_backup_name(path.name)
    stat = path.stat()
    if parsed is None:
        when, kind = datetime.fromtimestamp(stat.st_mtime).astimezone(), "manual"
    else:
        when, kind = parsed
    return BackupInfo(path, stat.st_size, when, verified, kind, note, removed)


def list_backups(folder: Path | str) -> list[BackupInfo]:
    """Our backups in `folder`, newest first (files named by `backup_now`)."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if path.is_file() and parse_backup_name(path.name) is not None:
            try:
                found.append(_info(path))
            except OSError:
                continue
    found.sort(key=lambda b: (b.created_at, b.path.name), reverse=True)
    return found


def _usable_folder(folder: Path) -> str | None:
    """None if we can write backups into `folder` (created owner-only if missing), else why not.
    A folder named `backups…` (ours: beside the database) is made owner-only even if it exists."""
    try:
        make_private_dir(folder)
        if folder.name.startswith(DEFAULT_FOLDER):
            restrict(folder, 0o700)
    except OSError as exc:
        return f"无法创建备份文件夹“{folder}”（{exc.strerror or exc}）"
    if not os.access(folder, os.W_OK):
        return f"备份文件夹“{folder}”不可写"
    return None


# ---------------------------------------------------------------------------
# Making backups
# ---------------------------------------------------------------------------

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
    if db.path is None:
        raise BackupError("服务器（PostgreSQL）模式的数据库请用数据库服务器自带的备份工具备份")
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
        _remove_quietly(dest.with_name(dest.name + ".partial"))
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BackupError(f"写入备份“{dest}”失败（{reason}）。备份位置空间不足或不可写？") from exc
    removed: tuple[Path, ...] = ()
    if kind in AUTOMATIC_KINDS and dest_file is None:
        keep_daily, keep_monthly = _retention(db)
        removed = tuple(rotate(folder, keep_daily, keep_monthly, protect=dest))
    info = _info(dest, True, note, removed)
    with ctx.tx(None) as tx:
        seq, head_hash = audit_chain.chain_head(tx.session)  # what the copy holds: nothing was written since
        info = replace(info, chain_head=f"第 {seq} 条 {head_hash}")
        tx.audit("backup", "database", summary=f"{KINDS[kind]}备份到 {dest}（{_size_text(info.size)}，完整性检查通过；"
                                               f"备份中的审计链头：{info.chain_head}）",
                 changes=[["删除过期自动备份", "", "、".join(p.name for p in removed)]] if removed else None)
    if progress:
        progress(1, 1)
    return info


def rotate(folder: Path | str, keep_daily: int, keep_monthly: int, *, protect: Path | None = None) -> list[Path]:
    """Delete automatic backups beyond the retention; returns the deleted paths."""
    automatic = [b for b in list_backups(folder) if b.kind in AUTOMATIC_KINDS]  # newest first
    keep: set[Path] = set()
    days: list[date] = []
    months: list[tuple[int, int]] = []
    for b in automatic:
        day = b.created_at.date()
        if day not in days and len(days) < keep_daily:
            days.append(day)
            keep.add(b.path)
        month = (day.year, day.month)
        if month not in months and len(months) < keep_monthly:
            months.append(month)
            keep.add(b.path)
    if protect is not None:
        keep.add(Path(protect))
    removed = []
    for b in automatic:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                continue
    return removed


def due_daily_backup(db: Database) -> bool:
    """True when no automatic backup has been made today (local date) yet."""
    if db.path is None:
        return False
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


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


# ---------------------------------------------------------------------------
# Checking backups
# ---------------------------------------------------------------------------

def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from ...storage.migrate import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_backup(path: Path | str) -> BackupCheck:
    """Read-only: is this a sound zhibang database this program can restore?"""
    path = Path(path).expanduser()

    def bad(*problems: str, revision: str | None = None) -> BackupCheck:
        return BackupCheck(path, False, tuple(problems), revision)

    if not path.is_file():
        return bad(f"找不到备份文件“{path}”")
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        return bad(f"无法读取备份文件（{exc.strerror or exc}）")
    if header != SQLITE_HEADER:
        return bad("不是职帮数据库备份（文件格式不符）")
    for side in ("-wal", "-journal"):
        if Path(str(path) + side).exists():
            return bad(f"备份文件旁有未合并的日志文件“{path.name}{side}”，它可能是正在使用的数据库而不是备份；"
                       "请改用程序生成的备份文件")
    problems = integrity_problems(path)
    if problems:
        return bad("备份文件完整性检查未通过：" + "；".join(problems[:3]))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
            missing = REQUIRED_TABLES - tables
            if missing:
                return bad("不是职帮数据库备份（缺少数据表：" + "、".join(sorted(missing)) + "）")
            versions = [r[0] for r in con.execute("select version_num from alembic_version")]

            def count(table: str) -> int | None:
                if table not in tables:
                    return None
                return con.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: S608 (fixed names)

            office = con.execute("select value from settings where key='office_name'").fetchone()
            households, users_n, audit_rows = count("households"), count("users"), count("audit_log")
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return bad(f"无法读取备份文件：{exc}")
    if len(versions) != 1:
        return bad("备份文件没有有效的数据库版本号，不是完整的职帮数据库")
    revision = versions[0]
    if revision not in _known_revisions():
        return bad(f"备份文件的数据库版本（{revision}）比本程序新，请先升级职帮再恢复", revision=revision)
    office_name = ""
    if office is not None:
        try:
            import json

            office_name = str(json.loads(office[0]))
        except (TypeError, ValueError):
            office_name = str(office[0])
    return BackupCheck(path, True, (), revision, revision != head_revision(), office_name,
                       households, users_n, audit_rows)


def newest_good_backup(folder: Path | str) -> BackupInfo | None:
    """The newest backup in `folder` that passes `check_backup` now (for a damaged database)."""
    for b in list_backups(folder):
        if check_backup(b.path).ok:
            return b
    return None


def backup_dirs_for_path(db_path: Path | str) -> list[Path]:
    """Where to look for backups of a database that may not open: its chosen folder, the default."""
    db_path = Path(db_path).expanduser()
    folders = []
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = con.execute("select value from settings where key='backup_dir'").fetchone()
        finally:
            con.close()
        if row and row[0]:
            import json

            chosen = json.loads(row[0])
            if chosen:
                folders.append(Path(chosen).expanduser())
    except (sqlite3.Error, ValueError, TypeError):
        pass
    default = default_backup_dir(db_path)
    if default not in folders:
        folders.append(default)
    return folders


# ---------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------

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
        con = sqlite3.connect(staged)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode=DELETE")
        finally:
            con.close()
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
    partial = restore_leftovers.partial_of(pending)
    restore_leftovers.remove_with_sides(partial)
    copy_private(db_path, partial)
    wal = Path(str(db_path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        copy_private(wal, Path(str(partial) + "-wal"))
        try:  # a sound file absorbs its WAL; a damaged one is kept as the two raw files
            con = sqlite3.connect(partial)
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                con.execute("PRAGMA journal_mode=DELETE")
            finally:
                con.close()
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
        raise PermissionDenied(denied_message("backup.restore", actor.roles))
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
        for leftover in (staged, restore_leftovers.partial_of(staged)):
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
