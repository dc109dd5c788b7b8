"""Restoring a backup over the database in use: close it, restore, open the file again.

`admin.backup.restore` refuses while the database is open (it takes the writer lock), so
whoever holds the open `Database` restores through here. If the restore is refused (a bad
file, no permission) the original database is reopened unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...domain.permissions import denied_message
from ..admin import backup
from ..admin.backup import RestoreResult
from ..context import SYSTEM, Actor
from ..errors import ServiceError
from .database import Database, open_office_database


@dataclass
class RestoreOutcome:
    db: Database  # open: the restored database, or the original one if the restore was refused
    result: RestoreResult | None  # None when refused
    error: str = ""

    @property
    def restored(self) -> bool:
        return self.result is not None


def close_restore_reopen(db: Database, backup_file: str | Path, actor: Actor) -> RestoreOutcome:
    """Close `db`, restore `backup_file` over its file, and open the file again."""
    if db.path is None:
        return RestoreOutcome(db, None, "服务器（PostgreSQL）模式的数据库请在数据库服务器上恢复")
    path = db.path
    if not actor.can("backup.restore"):  # refuse before closing anything
        return RestoreOutcome(db, None, denied_message("backup.restore", actor.roles, actor.scope_unit_id))
    check = backup.check_backup(backup_file)
    if not check.ok:
        return RestoreOutcome(db, None, f"未恢复（数据库未改动）：{check.message}")
    db.close()
    try:
        result = backup.restore(path, backup_file, actor=actor)
    except ServiceError as exc:
        return RestoreOutcome(open_office_database(path), None, str(exc))
    return RestoreOutcome(open_office_database(path), result)


def restore_damaged(db_path: Path, backup_file: Path, actor: Actor = SYSTEM) -> tuple[Database, RestoreResult]:
    """Replace a database that cannot be opened (the damaged file is kept beside it) and open
    the restored one, as `actor` (the GUI has an administrator sign in first)."""
    result = backup.restore(db_path, backup_file, actor=actor)
    return open_office_database(db_path), result
