"""Who is acting, and the one-transaction-per-call frame every service function uses."""
from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..domain.permissions import denied_message, permissions_for
from ..storage.database import Database
from ..storage.models import User
from . import audit_chain
from sqlalchemy.orm.exc import StaleDataError

from .errors import Conflict, ConnectionLost, PermissionDenied, StorageError, StorageFull

STORAGE_FULL_MESSAGE = (
    "磁盘空间已满，本次操作未保存（已全部撤销，之前的数据完好）。"
    "请清理磁盘或把数据库移到空间充足的磁盘后重试。"
)
STORAGE_ERROR_MESSAGE = (
    "写入数据库时磁盘出错，本次操作未保存（已全部撤销）。请检查磁盘或 U 盘是否正常，"
    "必要时从备份恢复。技术信息：{detail}"
)
CONNECTION_LOST_MESSAGE = (
    "与数据库服务器的连接中断，本次操作未保存（已全部撤销，服务器上的数据完好）。"
    "填写的内容仍保留在窗口中；请检查网络后再点一次保存。"
)
STALE_MESSAGE = "这条记录刚被他人修改过，本次操作未保存（已全部撤销）。请刷新后核对再操作。"
BUSY_MESSAGE = "数据库正忙（其他人同时在修改相关数据），本次操作未保存（已全部撤销）。请稍后重试。"
# What psycopg/libpq say when the server or the network went away.
_LOST = ("server closed the connection", "terminating connection", "connection already closed",
         "consuming input failed", "connection is lost", "could not receive data", "could not send data",
         "ssl connection has been closed", "connection to server", "the connection is closed",
         "connection is closed", "no connection to the server")


def storage_error(exc: BaseException) -> StorageError | None:
    """The ServiceError for a disk-level database failure, or None for anything else."""
    if not isinstance(exc, (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError)):
        return None
    detail = str(getattr(exc, "orig", exc) or exc)
    lowered = detail.lower()
    if getattr(exc, "connection_invalidated", False) or any(text in lowered for text in _LOST):
        return ConnectionLost(CONNECTION_LOST_MESSAGE)
    if "deadlock detected" in lowered or "could not serialize access" in lowered:
        return StorageError(BUSY_MESSAGE)
    if "database or disk is full" in lowered or "disk full" in lowered or "no space left" in lowered:
        return StorageFull(STORAGE_FULL_MESSAGE)
    if "disk i/o error" in lowered or "malformed" in lowered or "readonly database" in lowered:
        return StorageError(STORAGE_ERROR_MESSAGE.format(detail=detail))
    return None


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[str]
    scope_unit_id: int | None = None  # None: the whole office
    permissions: frozenset[str] = field(default=frozenset())

    @classmethod
    def make(cls, user_id, username, display_name, roles, scope_unit_id=None) -> "Actor":
        roles = frozenset(roles)
        return cls(user_id, username, display_name, roles, scope_unit_id, permissions_for(roles, scope_unit_id))

    def can(self, permission: str) -> bool:
        return permission in self.permissions


F = TypeVar("F", bound=Callable)


def one_snapshot(service: F) -> F:
    """The service's reads, and those of every service it calls, are one snapshot of the database
    (AppContext.snapshot): its figures agree with each other whatever is saved meanwhile."""
    @functools.wraps(service)
    def reading(ctx: "AppContext", *args, **kwargs):
        with ctx.snapshot():
            return service(ctx, *args, **kwargs)
    return reading  # type: ignore[return-value]


# Acts for set-up, migrations and demo data; recorded by this name in the audit trail.
SYSTEM = Actor.make(None, "system", "系统", {"admin", "clerk", "head", "auditor"})


class Tx:
    """A running transaction with its actor; `audit()` adds a chained audit row."""

    def __init__(self, session: Session, actor: Actor):
        self.session = session
        self.actor = actor
        audit_chain.set_actor(session, actor.user_id, actor.username)

    def audit(self, action: str, entity: str, entity_id: object = None, *, summary: str = "",
              changes: list | None = None, household_id: int | None = None) -> None:
        audit_chain.append(
            self.session, user_id=self.actor.user_id, username=self.actor.username,
            action=action, entity=entity, entity_id=entity_id, household_id=household_id,
            summary=summary, changes=changes,
        )


@dataclass
class AppContext:
    db: Database
    actor: Actor
    # per thread: the session of the snapshot() running on it, if any
    _reading: threading.local = field(default_factory=threading.local, init=False, repr=False, compare=False)

    def require(self, permission: str) -> None:
        if not self.actor.can(permission):
            raise PermissionDenied(denied_message(permission, self.actor.roles, self.actor.scope_unit_id))

    @contextmanager
    def tx(self, permission: str | None, *, read_only: bool = False) -> Iterator[Tx]:
        """Check `permission`, then run the body as one all-or-nothing transaction.
        `read_only`: the body only reads (searches, lists): it neither waits for nor blocks a writer;
        inside `snapshot()` on this thread it reads the snapshot's transaction."""
        if permission is not None:
            self.require(permission)
        shared = getattr(self._reading, "session", None) if read_only else None
        try:
            if shared is not None:
                _still_allowed(shared, self.actor, permission)
                yield Tx(shared, self.actor)
                return
            with self.db.session(read_only=read_only) as session:
                _still_allowed(session, self.actor, permission)
                yield Tx(session, self.actor)
        except StaleDataError as exc:  # a version column: someone saved this row first
            raise Conflict(STALE_MESSAGE) from exc
        except (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError) as exc:
            mapped = storage_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read-only service call of this thread inside reads one transaction: a report
        built from several services' figures (its tables, the funds, the indicators) shows them
        all as of one moment, even when a save lands meanwhile. Nested: the outer one holds."""
        if getattr(self._reading, "session", None) is not None:
            yield
            return
        try:
            with self.db.session(snapshot=True) as session:
                self._reading.session = session
                try:
                    yield
                finally:
                    self._reading.session = None
        except (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError) as exc:
            mapped = storage_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    def as_actor(self, actor: Actor) -> "AppContext":
        return AppContext(self.db, actor)


DISABLED_MESSAGE = "该用户已被停用，本次操作未保存。请由其他用户登录。"


# Built once: every service call reads it, and building and keying a statement per call cost
# more than running it.
_USER_NOW = select(User.active, User.roles, User.scope_unit_id).where(User.id == bindparam("user_id"))


def _still_allowed(session: Session, actor: Actor, permission: str | None) -> None:
    """A session opened before its user was disabled (or lost a role) must not go on writing:
    the user's row is read in the same transaction as the write."""
    if actor.user_id is None:
        return
    # through the connection: a plain row, without the ORM's result set-up (60 µs of every call)
    row = session.connection().execute(_USER_NOW, {"user_id": actor.user_id}).one_or_none()
    if row is None or not row.active:
        raise PermissionDenied(DISABLED_MESSAGE)
    if permission is not None and permission not in permissions_for(row.roles or (), row.scope_unit_id):
        raise PermissionDenied(denied_message(permission, row.roles or (), row.scope_unit_id))
