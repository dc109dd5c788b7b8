"""File content kept inside the database (so a backup carries it), keyed by sha256.

Household, request and batch attachments (the scanned signed 签领表) share the
`attachment_blobs` table: the same scan attached twice is stored once, and its content
is freed only when no attachment of any kind refers to it any more.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...storage.models import Attachment, AttachmentBlob, BatchAttachment, RequestAttachment
from ..errors import FieldProblem, ServiceError, ValidationFailed

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


class AttachmentCorrupt(ServiceError):
    pass


def clean_filename(filename: str) -> str:
    name = PurePath(str(filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    return (name or "附件")[:255]


def checked_upload(filename: str, data: bytes) -> tuple[str, bytes, str]:
    """(clean name, content, sha256) of an upload, or ValidationFailed saying what is wrong."""
    name = clean_filename(filename)
    if not isinstance(data, (bytes, bytearray)) or len(data) == 0:
        raise ValidationFailed([FieldProblem("data", "附件", f"文件“{name}”是空的")])
    if len(data) > MAX_ATTACHMENT_BYTES:
        mb = len(data) / 1024 / 1024
        raise ValidationFailed([FieldProblem(
            "data", "附件", f"文件“{name}”有 {mb:.1f} MB，超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB 的上限；"
                           "请压缩或缩小扫描分辨率后再添加")])
    data = bytes(data)
    return name, data, hashlib.sha256(data).hexdigest()


def store_blob(s: Session, sha: str, data: bytes) -> None:
    if s.get(AttachmentBlob, sha) is None:
        s.add(AttachmentBlob(sha256=sha, data=data))
        s.flush()  # no ORM relationship orders the blob before the row that points to it


def read_blob(s: Session, sha: str, size: int, filename: str) -> bytes:
    blob = s.get(AttachmentBlob, sha)
    data = bytes(blob.data) if blob is not None else b""
    if blob is None or hashlib.sha256(data).hexdigest() != sha or len(data) != size:
        raise AttachmentCorrupt(f"附件“{filename}”的内容校验失败（可能已损坏），请从备份恢复")
    return data


def release_blob(s: Session, sha: str) -> None:
    """Delete the content once no household, request or batch attachment uses it."""
    s.flush()
    for model in (Attachment, RequestAttachment, BatchAttachment):
        if s.execute(select(func.count()).select_from(model).where(model.sha256 == sha)).scalar_one():
            return
    blob = s.get(AttachmentBlob, sha)
    if blob is not None:
        s.delete(blob)
