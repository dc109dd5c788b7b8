"""What another clerk changed in a household since this editor opened it.

Every save of a household raises its `version` by one (SQLAlchemy's version counter: the
UPDATE carries `WHERE version = <the one read>`, so of two clerks saving at once exactly one
wins, on SQLite and PostgreSQL alike). The loser is told who saved, when, and which fields,
from the audit trail; nothing of theirs is written and the editor keeps what they typed.
"""
from __future__ import annotations

from sqlalchemy import select

from ...domain import clock
from ...storage.models import AuditEntry, Household, User
from ...storage.database import Database
from ..context import SYSTEM
from ..errors import Conflict

SHOWN_SAVES = 3


def household_conflict(db: Database, household_id: int, version: int) -> Conflict:
    """The Conflict for an editor that opened `household_id` at `version`, read afresh. Called
    by update_household only after it found the household within the actor's scope."""
    with db.session() as s:
        current = s.execute(select(Household.version).where(Household.id == household_id)).scalar_one_or_none()
        if current is None:
            return Conflict("该档案已被他人删除，本次修改未保存。")
        saves = max(current - version, 1)
        rows = s.execute(
            select(AuditEntry).where(AuditEntry.household_id == household_id, AuditEntry.entity == "household")
            .order_by(AuditEntry.seq.desc()).limit(min(saves, SHOWN_SAVES))).scalars().all()
        names = dict(s.execute(select(User.username, User.display_name)
                               .where(User.username.in_({r.username for r in rows}))).all())
        names[SYSTEM.username] = SYSTEM.display_name
        lines = [_line(row, names.get(row.username) or row.username) for row in rows]
    times = f"（共 {saves} 次）" if saves > 1 else ""
    head = f"该档案在您打开后已被他人修改{times}，您这次的修改没有保存，填写的内容仍保留在窗口中。"
    detail = ("\n" + "\n".join(lines)) if lines else ""
    return Conflict(f"{head}{detail}\n请重新打开档案核对后再修改")


def _line(row: AuditEntry, who: str) -> str:
    at = row.at.astimezone(clock.local_now().tzinfo)
    fields = "、".join(dict.fromkeys(str(c[0]) for c in (row.changes or []) if c))
    what = f"修改了：{fields}" if fields else row.summary
    return f"· {who} 于 {at.month}月{at.day}日 {at:%H:%M} {what}"
