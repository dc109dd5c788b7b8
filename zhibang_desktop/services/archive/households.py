"""The household archive (困难职工家庭档案): create, edit, read.

This module is the archive API the GUI and the CLI share; it also re-exports the search,
lifecycle, visit, attachment and history functions so one import gives all of it:

    from zhibang_desktop.services import archive
    archive.search_households(ctx, HouseholdFilter(text="zeng"))

Every write runs in one transaction, needs 'archive.edit', stays inside the actor's
unit scope and writes audit rows with field-level, masked changes.
"""
from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ...domain import clock
from ...storage.models import Attachment, Household
from .fields import household_diff, member_diff
from .history import household_changes  # noqa: F401  (re-export)
from .history import household_changes as household_history  # noqa: F401  (alias)
from .lifecycle import (  # noqa: F401  (re-export)
    archive_household, begin_exit, complete_exit, reactivate,
)
from .search import archive_counts, search_households  # noqa: F401  (re-export)
from .store import (
    apply_input, build_view, household_by_id_number, load_household, member_input, member_row, next_archive_no, to_input,
    unit_names,
)
from .types import HouseholdInput, HouseholdView
from .validation import clean_input, problems_in, validate_household  # noqa: F401
from .attachments import (  # noqa: F401  (re-export)
    add_attachment, attachment_content, remove_attachment,
)
from .blobs import release_blob
from ..context import AppContext
from ..record_conflicts import told_who_changed
from ..errors import Conflict, FieldProblem, ValidationFailed
from ..admin.settings import read_settings
from ..admin.visit_intervals import visit_intervals
from .visits import add_visit, delete_visit  # noqa: F401  (re-export)

__all__ = [
    # households
    "validate_household", "create_household", "update_household", "get_household", "find_by_id_number",
    "delete_draft",
    # list
    "search_households", "archive_counts",
    # lifecycle
    "archive_household", "begin_exit", "complete_exit", "reactivate",
    # visits, attachments, change history
    "add_visit", "delete_visit", "add_attachment", "attachment_content", "remove_attachment",
    "household_changes", "household_history",
]

STALE_MESSAGE = "该档案已被他人修改，请重新打开"


def _who(hh: Household) -> str:
    return f"{hh.archive_no}（{hh.name}）"


def create_household(ctx: AppContext, data: HouseholdInput) -> HouseholdView:
    """A new draft archive; the archive number comes from the office's pattern."""
    data = clean_input(data)
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        problems = problems_in(s, ctx.actor, data)
        if problems:
            raise ValidationFailed(problems)
        settings = read_settings(s)
        now = clock.now()
        hh = Household(status="draft", archive_no=next_archive_no(s, settings, clock.today().year),
                       created_at=now, updated_at=now, version=1)
        apply_input(hh, data, visit_intervals(s))
        hh.members = [member_row(m) for m in data.members]
        s.add(hh)
        s.flush()
        names = unit_names(s)
        tx.audit("create", "household", hh.id, household_id=hh.id, summary=f"新建档案 {_who(hh)}",
                 changes=[["档案编号", "", hh.archive_no]] + household_diff(None, data, names))
        for m in hh.members:
            tx.audit("create", "member", m.id, household_id=hh.id, summary=f"新增家庭成员：{m.name}",
                     changes=member_diff(None, member_input(m)))
        return build_view(s, hh)


def update_household(ctx: AppContext, household_id: int, version: int, data: HouseholdInput) -> HouseholdView:
    """Save the editor's fields and members; `version` is the one the editor opened. Saved in the
    meantime by someone else: Conflict naming who changed what (record_conflicts.py), nothing written."""
    with told_who_changed(ctx.db, Household, household_id, version, entity="household", noun="档案"):
        return _update_household(ctx, household_id, version, data)


def _update_household(ctx: AppContext, household_id: int, version: int, data: HouseholdInput) -> HouseholdView:
    data = clean_input(data)
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        hh = load_household(s, ctx.actor, household_id)
        if hh.version != version:
            raise Conflict(STALE_MESSAGE)
        problems = problems_in(s, ctx.actor, data, household_id)
        existing = {m.id: m for m in hh.members}
        for i, m in enumerate(data.members):
            if m.id is not None and m.id not in existing:
                problems.append(FieldProblem(f"members[{i}]", f"家庭成员第{i + 1}人", "不属于本档案（可能已被删除），请重新打开档案"))
        if problems:
            raise ValidationFailed(problems)
        names = unit_names(s)
        old = to_input(hh)
        changes = household_diff(old, data, names)
        member_audits = []
        kept = []
        for m in data.members:
            row = existing.get(m.id) if m.id is not None else None
            before = member_input(row) if row is not None else None
            diff = member_diff(before, m)
            if row is None:
                row = member_row(m)
                member_audits.append(("create", row, f"新增家庭成员：{m.name}", diff))
            elif diff:
                member_row(m, row)
                member_audits.append(("update", row, f"修改家庭成员：{m.name}", diff))
            kept.append(row)
        kept_ids = {row.id for row in kept if row.id is not None}
        for mid, row in existing.items():
            if mid not in kept_ids:
                member_audits.append(("delete", row, f"删除家庭成员：{row.name}",
                                      member_diff(member_input(row), None)))
        if not changes and not member_audits and [r.id for r in kept] == list(existing):
            return build_view(s, hh)
        apply_input(hh, data)
        hh.members = kept
        try:
            s.flush()
        except StaleDataError as exc:
            raise Conflict(STALE_MESSAGE) from exc
        if changes:
            tx.audit("update", "household", hh.id, household_id=hh.id, summary=f"修改档案 {_who(hh)}",
                     changes=changes)
        for action, row, summary, diff in member_audits:
            tx.audit(action, "member", row.id, household_id=hh.id, summary=summary, changes=diff)
        return build_view(s, hh)


def get_household(ctx: AppContext, household_id: int) -> HouseholdView:
    with ctx.tx("archive.read", read_only=True) as tx:
        return build_view(tx.session, load_household(tx.session, ctx.actor, household_id))


def find_by_id_number(ctx: AppContext, id_number: str) -> int | None:
    """The household whose head has this ID number (in the actor's scope), or None; a number on
    file in two counties of a city's database is refused naming them (Ambiguous)."""
    with ctx.tx("archive.read", read_only=True) as tx:
        hh, _ = household_by_id_number(tx.session, ctx.actor, id_number)
        if hh is None:
            return None
        return load_household(tx.session, ctx.actor, hh.id).id


def delete_draft(ctx: AppContext, household_id: int, version: int) -> None:
    """Delete a household that was never archived (草稿). Archived households exit instead."""
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        hh = load_household(s, ctx.actor, household_id)
        if hh.version != version:
            raise Conflict(STALE_MESSAGE)
        if hh.status != "draft":
            raise ValidationFailed([FieldProblem("status", "状态", "只能删除草稿档案；已建档的档案请办理退档")])
        attachments = s.execute(select(Attachment).where(Attachment.household_id == hh.id)).scalars().all()
        shas = {a.sha256 for a in attachments}
        for a in attachments:
            s.delete(a)
        summary = f"删除草稿档案 {_who(hh)}"
        changes = household_diff(to_input(hh), None, unit_names(s))
        s.delete(hh)
        s.flush()
        for sha in shas:
            release_blob(s, sha)
        tx.audit("delete", "household", household_id, household_id=household_id, summary=summary,
                 changes=changes)
