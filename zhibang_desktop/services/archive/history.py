"""The 变更记录 tab: a household's changes, read back from the audit trail."""
from __future__ import annotations

from sqlalchemy import select

from ...storage.models import AuditEntry
from .store import load_household
from .types import ChangeEntry
from ..context import AppContext
from ..people import name_of

HISTORY_ENTITIES = ("household", "member", "visit", "attachment")
ACTION_LABELS = {
    "create": "新增", "update": "修改", "delete": "删除", "archive": "建档", "begin_exit": "进入渐退期",
    "complete_exit": "退档", "reactivate": "重新在档", "import": "导入",
}


def household_changes(ctx: AppContext, household_id: int) -> list[ChangeEntry]:
    """One entry per changed field (who, when, field, old → new), newest first.

    Audit rows without field changes (e.g. a lifecycle step with no dates) give one entry
    with an empty field. ID and card numbers are masked in the trail itself.
    """
    with ctx.tx("archive.read", read_only=True) as tx:
        load_household(tx.session, ctx.actor, household_id)
        rows = tx.session.execute(
            select(AuditEntry).where(AuditEntry.household_id == household_id,
                                     AuditEntry.entity.in_(HISTORY_ENTITIES))
            .order_by(AuditEntry.seq.desc())
        ).scalars()
        entries: list[ChangeEntry] = []
        person = name_of(tx.session)
        for row in rows:
            changes = row.changes or []
            if not changes:
                entries.append(ChangeEntry(row.at, person(row.username), row.action, row.summary, "", "", ""))
            for change in changes:
                field, old, new = (list(change) + ["", "", ""])[:3]
                entries.append(ChangeEntry(row.at, person(row.username), row.action, row.summary,
                                           str(field), "" if old is None else str(old), "" if new is None else str(new)))
        return entries
