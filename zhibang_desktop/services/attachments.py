"""Attachments (scans, photos) of a household, kept inside the database.

The content lives in `attachment_blobs`, keyed by its sha256 (the same file attached
twice is stored once), so a backup of the database carries every attachment. Reading
checks the content against the sha256 again.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..storage.models import Attachment, AttachmentBlob
from ..storage.types import utcnow
from .archive_store import attachment_view, load_household
from .archive_types import AttachmentView
from .context import AppContext
from .errors import FieldProblem, NotFound, ServiceError, ValidationFailed

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


class AttachmentCorrupt(ServiceError):
    pass


def clean_filename(filename: str) -> str:
    name = PurePath(str(filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    return (name or "附件")[:255]


def add_attachment(ctx: AppContext, household_id: int, filename: str, data: bytes, kind: str = "",
                   note: str = "") -> AttachmentView:
    """Attach a file (at most 20 MB) to a household."""
    name = clean_filename(filename)
    if not isinstance(data, (bytes, bytearray)) or len(data) == 0:
        raise ValidationFailed([FieldProblem("data", "附件", f"文件“{name}”是空的")])
    if len(data) > MAX_ATTACHMENT_BYTES:
        mb = len(data) / 1024 / 1024
        raise ValidationFailed([FieldProblem(
            "data", "附件", f"文件“{name}”有 {mb:.1f} MB，超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB 的上限；"
                           "请压缩或缩小扫描分辨率后再添加")])
    data = bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        hh = load_household(s, ctx.actor, household_id)
        if s.get(AttachmentBlob, sha) is None:
            s.add(AttachmentBlob(sha256=sha, data=data))
            s.flush()  # no ORM relationship orders the blob before the row that points to it
        row = Attachment(household_id=hh.id, filename=name, kind=(kind or "").strip()[:40], size=len(data),
                         sha256=sha, note=(note or "").strip(), added_at=utcnow(), added_by=ctx.actor.username)
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
    with ctx.tx("archive.read") as tx:
        row = _load(tx.session, ctx, attachment_id)
        blob = tx.session.get(AttachmentBlob, row.sha256)
        data = bytes(blob.data) if blob is not None else b""
        if blob is None or hashlib.sha256(data).hexdigest() != row.sha256 or len(data) != row.size:
            raise AttachmentCorrupt(f"附件“{row.filename}”的内容校验失败（可能已损坏），请从备份恢复")
        return row.filename, data


def drop_unused_blob(s: Session, sha: str) -> None:
    s.flush()
    used = s.execute(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha)).scalar_one()
    if not used:
        blob = s.get(AttachmentBlob, sha)
        if blob is not None:
            s.delete(blob)


def remove_attachment(ctx: AppContext, attachment_id: int) -> None:
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        row = _load(s, ctx, attachment_id)
        name, sha, household_id = row.filename, row.sha256, row.household_id
        s.delete(row)
        drop_unused_blob(s, sha)
        tx.audit("delete", "attachment", attachment_id, household_id=household_id, summary=f"删除附件：{name}",
                 changes=[["附件", name, ""]])


def list_attachments(ctx: AppContext, household_id: int) -> list[AttachmentView]:
    with ctx.tx("archive.read") as tx:
        load_household(tx.session, ctx.actor, household_id)
        rows = tx.session.execute(select(Attachment).where(Attachment.household_id == household_id)
                                  .order_by(Attachment.id)).scalars()
        return [attachment_view(r) for r in rows]
