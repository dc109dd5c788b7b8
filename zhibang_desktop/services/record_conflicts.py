"""What another person changed in a record since this window opened it.

Households, users, unions and budget lines carry a `version` column that every save raises
by one; the UPDATE carries `WHERE version = <the one read>` (SQLAlchemy's version counter),
so of two people saving the same record at once exactly one wins, on SQLite and PostgreSQL
alike. The loser is told who saved, when, and which fields, from the audit trail; nothing of
theirs is written and the window keeps what they typed.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import select

from ..domain import clock
from ..storage.database import Database
from ..storage.models import AuditEntry, User
from .context import STALE_MESSAGE, SYSTEM
from .errors import Conflict

SHOWN_SAVES = 3
# Audit rows about a record that are not edits of it (a user's own logins).
NOT_EDITS = ("login", "login_failed", "password")


def check_version(row, opened: int | None) -> None:
    """Refuse to write `row` when the window opened an older version (`None`: no window, the
    command line reads and writes in one transaction)."""
    if opened is not None and row.version != opened:
        raise Conflict(STALE_MESSAGE)


@contextmanager
def told_who_changed(db: Database, model, row_id: int, opened: int | None, *, entity: str | tuple[str, ...],
                     noun: str) -> Iterator[None]:
    """Turn a stale save inside the body into a Conflict naming who changed what."""
    try:
        yield
    except Conflict:
        if opened is None:
            raise
        raise record_conflict(db, model, row_id, opened, entity=entity, noun=noun) from None


def record_conflict(db: Database, model, row_id: int, opened: int, *, entity: str | tuple[str, ...],
                    noun: str) -> Conflict:
    """The Conflict for a window that opened `row_id` of `model` at version `opened`, read afresh;
    `entity` names the audit rows that record its edits."""
    entities = (entity,) if isinstance(entity, str) else entity
    with db.session(read_only=True) as s:
        current = s.execute(select(model.version).where(model.id == row_id)).scalar_one_or_none()
        if current is None:
            return Conflict(f"该{noun}已被他人删除，本次修改未保存。")
        saves = max(current - opened, 1)
        rows = s.execute(
            select(AuditEntry).where(AuditEntry.entity.in_(entities), AuditEntry.entity_id == str(row_id),
                                     AuditEntry.action.notin_(NOT_EDITS))
            .order_by(AuditEntry.seq.desc()).limit(min(saves, SHOWN_SAVES))).scalars().all()
        names = dict(s.execute(select(User.username, User.display_name)
                               .where(User.username.in_({r.username for r in rows}))).all())
    names[SYSTEM.username] = SYSTEM.display_name
    lines = [_line(row, names.get(row.username) or row.username) for row in rows]
    times = f"（共 {saves} 次）" if saves > 1 else ""
    head = f"该{noun}在您打开后已被他人修改{times}，您这次的修改没有保存，填写的内容仍保留在窗口中。"
    detail = ("\n" + "\n".join(lines)) if lines else ""
    return Conflict(f"{head}{detail}\n请重新打开{noun}核对后再修改")


def _line(row: AuditEntry, who: str) -> str:
    at = row.at.astimezone(clock.local_now().tzinfo)
    fields = "、".join(dict.fromkeys(str(c[0]) for c in (row.changes or []) if c))
    what = f"修改了：{fields}" if fields else row.summary
    return f"· {who} 于 {at.month}月{at.day}日 {at:%H:%M} {what}"
