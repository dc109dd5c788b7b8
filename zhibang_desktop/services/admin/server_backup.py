"""Backups and restore of a server (PostgreSQL) database with pg_dump / pg_restore.

`backup_now` on a server database comes here: `pg_dump --format=custom` into
`zhibang-YYYYMMDD-HHMMSS-<kind>.dump` on this PC (the folder chosen in the settings, else
`backups-<database>` in this user's data folder), checked with `pg_restore --list` (it must
hold the data of the zhibang tables) before it gets its name, and audited with the chain head
it holds. The daily automatic one is made by the first administrator's PC that finds none in
the audit trail for today, and rotated like the SQLite ones. `restore_server` loads a dump into an EMPTY database only (a new one the server's
administrator made with createdb): nothing existing is ever overwritten, and pg_restore runs
as one transaction, so a failed restore leaves the database empty. The restored database is
migrated to this version, its audit chain verified, and the restore recorded in it.
"""
from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from sqlalchemy import func, select

from ...domain import clock
from ...storage import pg_tools
from ...storage.database import Database, DatabaseError, open_database
from ...storage.migrate import head_revision
from ...storage.models import AuditEntry, User
from .. import audit_chain
from ..context import SYSTEM, Actor, AppContext
from .backup_files import (
    AUTOMATIC_KINDS, DUMP_SUFFIX, KINDS, BackupError, BackupInfo, RestoreError, RestoreResult, _retention, _size_text,
    _usable_folder, backup_dir_for, rotate,
)


def server_backup_due(db: Database) -> bool:
    """No automatic backup of this server database today (local date), by any PC."""
    midnight = datetime.combine(clock.today(), time(), tzinfo=clock.local_now().tzinfo)
    with db.session(read_only=True) as s:
        made = s.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "backup", AuditEntry.entity == "database",
            AuditEntry.entity_id.in_(sorted(AUTOMATIC_KINDS)), AuditEntry.at >= midnight)).scalar_one()
    return made == 0


def backup_on_server(db: Database, actor: Actor, dest_dir: Path | str | None, kind: str,
                     dest_file: Path | str | None) -> BackupInfo:
    """Called by backup.backup_now, which checked the permission ('backup.run') and the kind."""
    ctx = AppContext(db, actor)
    if dest_file is not None:
        dest = Path(dest_file).expanduser()
        folder = dest.parent
    else:
        folder = Path(dest_dir).expanduser() if dest_dir is not None else backup_dir_for(db)
        now = clock.local_now()
        dest, n = folder / f"zhibang-{now:%Y%m%d-%H%M%S}-{kind}{DUMP_SUFFIX}", 1
        while dest.exists():
            n += 1
            dest = folder / f"zhibang-{now:%Y%m%d-%H%M%S}-{kind}-{n}{DUMP_SUFFIX}"
    problem = _usable_folder(folder)
    if problem:
        raise BackupError(problem + "。请检查备份位置后重试。")
    with ctx.tx(None) as tx:  # the head before the dump: pg_dump's snapshot holds at least this much
        seq, head_hash = audit_chain.chain_head(tx.session)
    try:
        pg_tools.dump(db.engine, dest, db.password)
    except pg_tools.PgToolError as exc:
        raise BackupError(f"{exc}。备份未完成，请重试或换一个备份位置。") from exc
    removed: tuple[Path, ...] = ()
    if kind in AUTOMATIC_KINDS and dest_file is None:
        removed = tuple(rotate(folder, *_retention(db), protect=dest))
    info = BackupInfo(dest, dest.stat().st_size, clock.local_now(), True, kind, removed=removed,
                      chain_head=f"第 {seq} 条 {head_hash}")
    with ctx.tx(None) as tx:
        tx.audit("backup", "database", kind,
                 summary=f"{KINDS[kind]}备份（pg_dump）到 {dest}（{_size_text(info.size)}，"
                         f"检查通过；备份中的审计链头不早于：{info.chain_head}）",
                 changes=[["删除过期自动备份", "", "、".join(p.name for p in removed)]] if removed else None)
    return info


def restore_server(url: str, backup_file: Path | str, *, actor: Actor = SYSTEM,
                   password: str | None = None) -> RestoreResult:
    """Load `backup_file` (pg_dump custom format) into the empty server database at `url`."""
    from ...storage.server_engine import server_engine
    from ...storage.server_url import server_url

    source = Path(backup_file).expanduser()
    if not source.is_file():
        raise RestoreError(f"找不到备份文件“{source}”")
    problems = pg_tools.dump_problems(source)
    if problems:
        raise RestoreError("未恢复（数据库未改动）：" + "；".join(problems))
    engine = server_engine(server_url(url), password)
    try:
        if not pg_tools.is_empty(engine):
            raise RestoreError("服务器模式只恢复到空数据库，不覆盖已有数据：请由服务器管理员新建一个空数据库"
                               "（如 createdb zhibang_restored），再恢复到它的地址。")
        pg_tools.restore(engine, source, password)
    except pg_tools.PgToolError as exc:
        raise RestoreError(f"{exc}。恢复未完成（已整体撤销，目标数据库仍为空）。") from exc
    finally:
        engine.dispose()
    try:
        db = open_database(url, password=password)  # migrates a backup of an older version
    except DatabaseError as exc:
        raise RestoreError(f"恢复后无法打开数据库：{exc}") from exc
    try:
        with db.session() as s:
            chain = audit_chain.verify(s)
            user = s.execute(select(User).where(User.username == actor.username)).scalar_one_or_none()
        if not chain.ok:
            raise RestoreError(f"恢复的数据审计链不完整：{chain.reason}。请换一个备份。")
        recorded = Actor.make(user.id if user else None, actor.username, actor.display_name, actor.roles)
        with AppContext(db, recorded).tx(None) as tx:
            tx.session.info[audit_chain.RESET_ANCHOR] = True
            tx.audit("restore", "database", summary=f"从备份恢复（pg_restore）：{source}",
                     changes=[["恢复到", "", db.location], ["数据库版本", "", head_revision()]])
            tx.session.flush()
            seq = audit_chain.chain_head(tx.session)[0]
    finally:
        db.close()
    return RestoreResult(db.location, source, None, head_revision(), False, seq)
