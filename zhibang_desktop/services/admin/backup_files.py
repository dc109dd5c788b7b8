"""The backup folder and the files in it: where it is, what a backup is called, the backups
it holds, and whether a file is a good backup (integrity, a zhibang database, a schema
version this program knows)."""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from platformdirs import user_data_dir

from ...config import APP_AUTHOR, APP_NAME
from ...storage.database import Database
from ...storage.migrate import head_revision
from ...storage.private_files import PARTIAL_SUFFIX, make_private_dir, restrict
from ...storage.sqlite_backup import integrity_problems
from ..errors import ServiceError
from .settings import read_settings

KINDS: dict[str, str] = {"manual": "手动", "daily": "每日", "monthly": "每月", "on_close": "关闭时"}
AUTOMATIC_KINDS = frozenset({"daily", "monthly", "on_close"})
BACKUP_SUFFIX = ".sqlite3"
DUMP_SUFFIX = ".dump"  # a server database's backup: pg_dump's custom format (server_backup.py)
NAME_RE = re.compile(r"^zhibang-(\d{8})-(\d{6})-(manual|daily|monthly|on_close)(?:-(\d+))?\.(?:sqlite3|dump)$")
DEFAULT_FOLDER = "backups"
DEFAULT_DB_STEM = "zhibang"  # config.default_db_path: zhibang.sqlite3
# Tables every zhibang database has had since the first schema.
REQUIRED_TABLES = frozenset({"alembic_version", "audit_log", "audit_head", "users", "settings"})
SQLITE_HEADER = b"SQLite format 3\x00"
# A backup is copied to `<name>.partial` and renamed when complete; a copy in progress keeps its
# file's time fresh, so one untouched this long was left by a backup that was killed.
STALE_PARTIAL_AGE = timedelta(hours=1)


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
    """The folder chosen in the settings (`backup_dir`), else `<db folder>/backups`; for a server
    database `backups-<database>` in this user's data folder on this PC (pg_dump runs here)."""
    with db.session(read_only=True) as session:
        chosen = read_settings(session).backup_dir
    if chosen:
        return Path(chosen).expanduser()
    if db.path is None:
        return Path(user_data_dir(APP_NAME, APP_AUTHOR)) / f"{DEFAULT_FOLDER}-{db.engine.url.database or 'server'}"
    return default_backup_dir(db.path)


def _retention(db: Database) -> tuple[int, int]:
    with db.session(read_only=True) as session:
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


def remove_stale_partials(folder: Path | str, now: datetime) -> list[Path]:
    """Delete the half-written copies that killed backups (power cut, 任务管理器) left in `folder`:
    they hold personal data and are never a usable backup. Returns the deleted paths."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    for path in folder.iterdir():
        if not (path.name.endswith(PARTIAL_SUFFIX) and parse_backup_name(path.name[:-len(PARTIAL_SUFFIX)])):
            continue
        try:
            if now.timestamp() - path.stat().st_mtime >= STALE_PARTIAL_AGE.total_seconds():
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return sorted(removed)


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

