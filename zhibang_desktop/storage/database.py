"""Opening a database: engine, session factory, SQLite safety settings, migrations.

Only this module, `server_engine.py`, `migrate.py` and `engine_checks.py` know about the engines
(SQLite, PostgreSQL); models and services are portable.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .file_check import check_file_while, quick_check, refuse_foreign_file  # noqa: F401  (re-exported)
from .errors import (
    BadDatabaseAddress, DatabaseCorrupt, DatabaseError, DatabaseMissing, NetworkPathRefused, NotAZhibangDatabase,
    PasswordNeeded,
)
from .lock import DatabaseLocked, WriterLock
from .locations import NETWORK_PATH_MESSAGE, is_network_path
from .migrate import head_revision, upgrade_to_head
from .private_files import create_private_file, make_private_dir, restrict
from .restore_leftovers import clean_restore_leftovers
from .server_engine import connection_problem, server_engine
from .server_url import BadServerUrl, display_url, looks_like_url, server_url
from .write_lock import READ_ONLY, serialize_writes  # noqa: F401  (registers the before-flush lock)

# One program holds the file (the writer lock), so a busy database is only our own threads:
# the GUI's background queries waiting for a save. Waiting longer beats an error dialog.
BUSY_TIMEOUT_MS = 30_000
# SQLite's default page cache is 2 MB: a search that scanned the 200 MB file at 100,000
# households spent half its time re-reading pages. The searches use their index now: 16 MB per
# connection keeps them as fast as 64 MB did (bench, 100,000 households, p95 within 25–50 ms
# either way), and the file is not memory-mapped: every mapped page read counts in the
# program's resident memory (a list scrolled to its end mapped the whole file, the GUI
# peaked at 700 MB), and the GUI holds a connection per pool thread.
CACHE_KIB = 16_384
MMAP_BYTES = 0


MISSING_MESSAGE = (
    "数据库文件“{path}”不存在。请检查 --db 路径（或 ZHIBANG_DB）；新建数据库请用 zhibang init，"
    "演示数据请用 zhibang demo，或直接启动程序按首次使用向导设置。"
)


def real_path(path: Path | str) -> Path:
    """The absolute path with every symlink resolved: the lock, the checks and a restore all act
    on the real file, so a link to the database is the same database, not a second one."""
    return Path(path).expanduser().resolve()


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker
    path: Path | None  # None for a server (PostgreSQL) URL
    lock: WriterLock | None = None
    url: str | None = None  # the server's address as shown to people (no password), else None
    password: str | None = field(default=None, repr=False)  # asked for by the program (pg_dump needs it too)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        """The file path or the server address, for messages and titles."""
        return str(self.path) if self.path is not None else (self.url or "")

    @contextmanager
    def session(self, *, read_only: bool = False, snapshot: bool = False) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error. `read_only`: it only reads
        (searches, lists), so on SQLite it begins DEFERRED and never waits for or blocks a writer;
        a flush inside it is refused (write_lock.WriteInReadOnlySession). `snapshot` (read-only):
        every statement sees the database as of the first one — what a SQLite transaction does
        anyway; PostgreSQL's READ COMMITTED gives each statement its own, so it is REPEATABLE READ."""
        session = self.sessions()
        read_only = read_only or snapshot
        if read_only:
            session.info[READ_ONLY] = True
        try:
            with session.begin():
                if read_only:
                    options = {READ_ONLY: True}
                    if snapshot and not self.is_sqlite:
                        options["isolation_level"] = "REPEATABLE READ"
                    session.connection(execution_options=options)
                yield session
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (SQLAlchemy docs).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # IMMEDIATE takes the write lock up front: no deadlock between a reader that later
        # writes and another writer. A read-only transaction never writes, so it begins
        # DEFERRED: in WAL mode it reads its snapshot while a writer commits.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_database(path: Path | str, *, migrate: bool = True, take_lock: bool = True,
                  create: bool = True, password: str | None = None) -> Database:
    """Open (and migrate) the database at `path`: a local file, or a server address
    (`postgresql://user@host/db`, see :mod:`.server_url`). A file is created only when
    `create` is true (`zhibang init`, `zhibang demo`, the GUI's first start); otherwise a missing
    file is `DatabaseMissing` and nothing is created, not even its folder."""
    if looks_like_url(path):
        return open_url(str(path), migrate=migrate, password=password)
    given = Path(path).expanduser()
    path = real_path(given)
    if is_network_path(given) or is_network_path(path):
        raise NetworkPathRefused(NETWORK_PATH_MESSAGE.format(path=given))
    if not path.exists():
        if not create:
            raise DatabaseMissing(MISSING_MESSAGE.format(path=path))
        make_private_dir(path.parent)
    lock = WriterLock(path) if take_lock else None
    if lock is not None:
        lock.acquire()
    try:
        if lock is not None:
            clean_restore_leftovers(path)
        if path.exists():
            restrict(path)
        else:
            create_private_file(path)
        if path.stat().st_size > 0:
            check_file_while(path, head_revision if migrate else lambda: None)
        engine = sqlite_engine(path)
        if migrate:
            upgrade_to_head(engine, path)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), path=path, lock=lock)


def open_url(url: str, *, migrate: bool = True, password: str | None = None) -> Database:
    """A server database (PostgreSQL). Its password comes from .pgpass, PGPASSWORD or `password`
    (asked for by the caller after PasswordNeeded), never from the address."""
    try:
        parsed = server_url(url)
    except BadServerUrl as exc:
        raise BadDatabaseAddress(str(exc)) from None
    engine = server_engine(parsed, password)
    shown = display_url(parsed)
    try:
        with engine.connect():
            pass
        if migrate:
            upgrade_to_head(engine, None, shown)
    except OperationalError as exc:
        engine.dispose()
        raise connection_problem(exc, shown) from None
    except BaseException:
        engine.dispose()
        raise
    return Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), path=None, url=shown,
                    password=password)


def sqlite_readonly_engine(path: Path) -> Engine:
    """The file opened read-only (`mode=ro`): reading it cannot change a byte of it."""
    uri = f"file:{real_path(path)}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


__all__ = [
    "BadDatabaseAddress", "Database", "DatabaseError", "DatabaseCorrupt", "DatabaseLocked", "DatabaseMissing",
    "NetworkPathRefused", "NotAZhibangDatabase", "PasswordNeeded", "looks_like_url", "real_path", "open_database",
    "open_url", "quick_check", "sqlite_readonly_engine", "text",
]
