"""Alembic migrations shipped in the package, run at every start.

PostgreSQL: in one transaction (DDL is transactional there) under an advisory lock.
SQLite: batch mode, foreign keys off while migrating (a batch rebuild with ON DELETE
CASCADE would otherwise delete child rows), checked with foreign_key_check afterwards,
and a verified copy of the file taken before an existing database is changed.

Alembic is imported only when a migration is due: a start on a database already at head reads
the head from the scripts' `revision =` lines and the database's from `alembic_version` with
plain SQL (importing Alembic cost 0.3 s of CPU at every start and every command). Anything
those lines do not answer plainly (a branch, a merge, a script not written one per line) is
left to Alembic.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from ..domain import clock
from .errors import DatabaseError, NotAZhibangDatabase
from .server_engine import ADVISORY_MIGRATION_KEY
from .sqlite_backup import copy_database

if TYPE_CHECKING:
    from alembic.config import Config


def script_location() -> str:
    return str(files("zhibang_desktop.storage") / "migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return _head_of(script_location())


@lru_cache(maxsize=8)
def _head_of(script_location: str) -> str:
    return plain_head(Path(script_location) / "versions") or _scripts(script_location).get_current_head()


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(None|'([^']*)'|\"([^\"]*)\")\s*$", re.M)


def plain_head(versions: Path) -> str | None:
    """The one revision no script names as its down_revision, read from the scripts' lines; None
    when the folder is not a plain chain of one revision per script (Alembic decides then)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted(versions.glob("*.py")):
        if script.name == "__init__.py":
            continue
        found = {m.group(1): m.group(3) or m.group(4) for m in _REVISION_LINE.finditer(script.read_text("utf-8"))}
        if set(found) != {"revision", "down_revision"} or not found["revision"]:
            return None
        revisions.add(found["revision"])
        if found["down_revision"]:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def _scripts(script_location: str):
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    cfg.set_main_option("script_location", script_location)
    return ScriptDirectory.from_config(cfg)


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) == 1:
        return rows[0][0]
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine, path: Path | None, shown: str | None = None) -> str | None:
    """Bring the schema to head. Returns the path of the pre-migration copy, if one was made.
    `shown` names a server database in messages (`path` is None then)."""
    where = f"文件“{path}”" if path is not None else f"服务器上的数据库“{shown}”"
    head = head_revision()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = current_revision(conn) if "alembic_version" in tables else None
    if current == head:
        return None
    if current is None and tables - {"alembic_version"}:
        raise NotAZhibangDatabase(
            f"{where}不是职帮数据库（含有其他程序的数据表），程序不会修改它。"
        )
    known = {rev.revision for rev in _scripts(script_location()).walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"数据库版本 {current} 比本程序新，请升级职帮后再打开（程序不会修改该数据库）。"
        )
    saved = None
    if current is not None and path is not None:
        stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
        saved = path.with_name(f"{path.stem}.before-migration-{current}-{stamp}{path.suffix or '.sqlite3'}")
        copy_database(path, saved)
    _run_upgrade(engine)
    return str(saved) if saved else None


def _run_upgrade(engine: Engine) -> None:
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        # PRAGMA foreign_keys is a no-op inside a transaction: set it on the raw connection.
        raw = conn.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # Two clients starting at once: the second waits, then finds nothing to do.
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_MIGRATION_KEY})")
                from alembic import command

                command.upgrade(alembic_config(conn), "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(f"迁移后外键检查未通过：{broken[:3]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")
