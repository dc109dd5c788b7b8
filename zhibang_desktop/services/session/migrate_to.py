"""Moving an office from its SQLite file to a PostgreSQL server (`zhibang migrate-to URL`).

The file is only read (opened `mode=ro`): it stays exactly as it was, so the office can go
back to it. The target must be an empty database (made by the server's administrator); it
is given the schema, every row is copied with its id in one transaction, and the copy is
checked before it counts: the rows of every table, and the audit chain, which must verify
on the server and end in the same head as in the file. The move itself is then recorded in
the server's audit trail under the administrator who made it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...domain.permissions import denied_message
from ...storage import copy_tables
from ...storage.database import (
    DatabaseError, open_database, quick_check, real_path, sqlite_readonly_engine,
)
from ...storage.migrate import current_revision, head_revision
from .. import audit_chain
from ..context import Actor, AppContext
from ..errors import PermissionDenied, ServiceError


class MigrationFailed(ServiceError):
    """The move was refused or its check failed; the SQLite file is unchanged either way."""


@dataclass(frozen=True)
class MigrationReport:
    source: str
    target: str
    tables: int
    rows: int
    audit_rows: int
    chain_head: str


def migrate_to_server(source: Path | str, url: str, actor: Actor, *, password: str | None = None,
                      progress: Callable[[int, int], None] | None = None) -> MigrationReport:
    if not actor.can("backup.restore"):
        raise PermissionDenied(denied_message("backup.restore", actor.roles, actor.scope_unit_id))
    path = real_path(source)
    try:
        quick_check(path)
    except DatabaseError as exc:
        raise MigrationFailed(str(exc)) from exc
    src = sqlite_readonly_engine(path)
    try:
        with src.connect() as conn:
            if current_revision(conn) != head_revision():
                raise MigrationFailed("该数据库文件的版本与本程序不同：请先用本版本的职帮打开它一次（自动升级），再迁移。")
        with src.connect() as conn, conn.begin():
            from sqlalchemy.orm import Session

            chain = audit_chain.verify(Session(bind=conn))
        if not chain.ok:
            raise MigrationFailed(f"本机数据库的审计链不完整（{chain.reason}），不迁移。请先检查或从备份恢复。")
        counts = copy_tables.row_counts(src)
        try:
            target = open_database(url, password=password)
        except DatabaseError as exc:
            raise MigrationFailed(str(exc)) from exc
        try:
            if any(copy_tables.row_counts(target.engine).values()):
                raise MigrationFailed("目标数据库中已有数据，不迁移（不覆盖任何数据）。请由服务器管理员新建一个空数据库再迁移。")
            copy_tables.copy_all(src, target.engine, progress)
            copied = copy_tables.row_counts(target.engine)
            wrong = [f"{t}：本机 {counts[t]} 行，服务器 {copied.get(t)} 行" for t in counts if copied.get(t) != counts[t]]
            if wrong:
                raise MigrationFailed("迁移后核对行数不一致：" + "；".join(wrong[:5]))
            with target.session() as s:
                copied_chain = audit_chain.verify(s)
            if not copied_chain.ok or copied_chain.head_hash != chain.head_hash or copied_chain.rows != chain.rows:
                raise MigrationFailed(f"迁移后服务器上的审计链与本机不一致：{copied_chain.reason or '链头不同'}")
            with AppContext(target, actor).tx(None) as tx:
                tx.audit("migrate", "database", summary=f"从本机数据库 {path} 迁移到服务器 {target.location}"
                                                        f"（{sum(counts.values())} 行，审计链 {chain.rows} 条已核对）")
            return MigrationReport(str(path), target.location, len(counts), sum(counts.values()), chain.rows,
                                   chain.head_hash)
        finally:
            target.close()
    finally:
        src.dispose()
