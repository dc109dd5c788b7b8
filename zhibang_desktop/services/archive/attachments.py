"""Attachments (scans, photos) of a household, kept inside the database.

The content lives in `attachment_blobs`, keyed by its sha256 (the same file attached
twice is stored once), so a backup of the database carries every attachment. Reading
checks the content against the sha256 again.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...storage.models import Attachment
from .store import attachment_view, load_household
from .types import AttachmentView
from ..context import AppContext
from .blobs import (  # noqa: F401  (MAX_ATTACHMENT_BYTES, AttachmentCorrupt: part of this API)
    MAX_ATTACHMENT_BYTES, AttachmentCorrupt, checked_upload, read_blob, release_blob, store_blob,
)
from ..errors import NotFound

def add_attachment(ctx: AppContext, household_id: int, filename: str, data: bytes, kind: str = "",
                   note: str = "") -> AttachmentView:
    """Attach a file (at most 20 MB) to a household."""
    name, data, sha = checked_upload(filename, data)
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        hh = load_household(s, ctx.actor, household_id)
        store_blob(s, sha, data)
        row = Attachment(household_id=hh.id, filename=name, kind=(kind or "").strip()[:40], size=len(data),
                         sha256=sha, note=(note or "").strip(), added_at=clock.now(), added_by=ctx.actor.username)
        s.add(row)
        s.flush()
        tx.audit("create", "attachment", row.id, household_id=hh.id, summary=f"添加附件：{name}",
                 changes=[["附件", "", f"{name}（{len(data)} 字节，sha256 {sha[:12]}…）"]])
        return attachment_view(row)


def _load(s: Session, ctx: AppContext, attachment_id: int) -> Attachment:
    row = s.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(f"附件（编号 {attachment_id}）不存在")
    load_household(s, ctx.actor, row.household_id)  # scope check
    return row


def attachment_content(ctx: AppContext, attachment_id: int) -> tuple[str, bytes]:
    """(filename, content); raises AttachmentCorrupt if the content no longer matches its sha256."""
    with ctx.tx("archive.read", read_only=True) as tx:
        row = _load(tx.session, ctx, attachment_id)
        return row.filename, read_blob(tx.session, row.sha256, row.size, row.filename)


def remove_attachment(ctx: AppContext, attachment_id: int) -> None:
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        row = _load(s, ctx, attachment_id)
        name, sha, household_id = row.filename, row.sha256, row.household_id
        s.delete(row)
        release_blob(s, sha)
        tx.audit("delete", "attachment", attachment_id, household_id=household_id, summary=f"删除附件：{name}",
                 changes=[["附件", name, ""]])


def list_attachments(ctx: AppContext, household_id: int) -> list[AttachmentView]:
    with ctx.tx("archive.read", read_only=True) as tx:
        load_household(tx.session, ctx.actor, household_id)
        rows = tx.session.execute(select(Attachment).where(Attachment.household_id == household_id)
                                  .order_by(Attachment.id)).scalars()
        return [attachment_view(r) for r in rows]
