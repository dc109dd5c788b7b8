"""The scanned signed 签领表 (or other paper) of a disbursement batch, kept inside the
database with the other attachments (content keyed by sha256, checked when read)."""
from __future__ import annotations

from sqlalchemy import select

from ...domain import clock
from ...storage.models import BatchAttachment, Disbursement
from . import common as pc
from . import scope
from ..archive.blobs import checked_upload, read_blob, release_blob, store_blob
from ..context import AppContext
from ..errors import NotFound
from .types import BatchAttachmentView

MANAGE = "payout.manage"
READ = "relief.read"
SIGNED_LIST = "签领表签字扫描件"


def _view(a: BatchAttachment) -> BatchAttachmentView:
    return BatchAttachmentView(a.id, a.batch_id, a.filename, a.kind, a.size, a.sha256, a.added_at, a.added_by)


def add_batch_attachment(ctx: AppContext, batch_id: int, filename: str, data: bytes,
                         kind: str = SIGNED_LIST) -> BatchAttachmentView:
    """Attach a file (at most 20 MB) to a batch, e.g. the scan of the signed receipt list."""
    name, data, sha = checked_upload(filename, data)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        batch = pc.get_or_404(s, Disbursement, batch_id, "发放批次")
        scope.require_whole_batch(s, ctx.actor, batch, "添加附件")  # a signed list shows every line's people
        store_blob(s, sha, data)
        row = BatchAttachment(batch_id=batch.id, filename=name, kind=(kind or "").strip()[:40], size=len(data),
                              sha256=sha, added_at=clock.now(), added_by=ctx.actor.username)
        s.add(row)
        s.flush()
        tx.audit("create", "disbursement", batch.id, summary=f"批次 {batch.number} 添加附件：{name}（{row.kind}）",
                 changes=[["附件", "", f"{name}（{len(data)} 字节，sha256 {sha[:12]}…）"]])
        return _view(row)


def list_batch_attachments(ctx: AppContext, batch_id: int) -> list[BatchAttachmentView]:
    with ctx.tx(READ, read_only=True) as tx:
        batch = pc.get_or_404(tx.session, Disbursement, batch_id, "发放批次")
        scope.require_some_of_batch(tx.session, ctx.actor, batch)  # names only; the content needs the whole batch
        rows = tx.session.execute(select(BatchAttachment).where(BatchAttachment.batch_id == batch_id)
                                  .order_by(BatchAttachment.id)).scalars()
        return [_view(a) for a in rows]


def _load(s, attachment_id: int) -> BatchAttachment:
    row = s.get(BatchAttachment, attachment_id)
    if row is None:
        raise NotFound(f"批次附件（编号 {attachment_id}）不存在")
    return row


def batch_attachment_content(ctx: AppContext, attachment_id: int) -> tuple[str, bytes]:
    """(filename, content); AttachmentCorrupt when the content no longer matches its sha256."""
    with ctx.tx(READ, read_only=True) as tx:
        row = _load(tx.session, attachment_id)
        scope.require_whole_batch(tx.session, ctx.actor, tx.session.get(Disbursement, row.batch_id), "查看附件")
        return row.filename, read_blob(tx.session, row.sha256, row.size, row.filename)


def remove_batch_attachment(ctx: AppContext, attachment_id: int) -> None:
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        row = _load(s, attachment_id)
        name, sha, batch_id = row.filename, row.sha256, row.batch_id
        batch = s.get(Disbursement, batch_id)
        scope.require_whole_batch(s, ctx.actor, batch, "删除附件")
        s.delete(row)
        release_blob(s, sha)
        tx.audit("delete", "disbursement", batch_id, summary=f"批次 {batch.number} 删除附件：{name}",
                 changes=[["附件", name, ""]])
