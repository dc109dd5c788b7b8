"""Attachments live in the database (backups carry them) and are checked by sha256."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select, update

from tests.archive_helpers import household, scoped, with_roles
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.attachments import MAX_ATTACHMENT_BYTES, AttachmentCorrupt, list_attachments
from zhibang_desktop.services.errors import NotFound, PermissionDenied, ValidationFailed
from zhibang_desktop.storage.models import AttachmentBlob

SCAN = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def test_add_read_remove(ctx):
    view = archive.create_household(ctx, household(ctx))
    att = archive.add_attachment(ctx, view.id, r"C:\扫描\身份证正面.png", SCAN, kind="身份证", note="正反面")
    assert att.filename == "身份证正面.png" and att.size == len(SCAN)
    assert att.sha256 == hashlib.sha256(SCAN).hexdigest() and att.added_by == "系统"
    assert archive.attachment_content(ctx, att.id) == ("身份证正面.png", SCAN)
    assert [a.id for a in archive.get_household(ctx, view.id).attachments] == [att.id]
    assert [a.id for a in list_attachments(ctx, view.id)] == [att.id]
    archive.remove_attachment(ctx, att.id)
    with pytest.raises(NotFound):
        archive.attachment_content(ctx, att.id)
    with ctx.db.session() as s:
        assert s.execute(select(func.count()).select_from(AttachmentBlob)).scalar_one() == 0
    history = archive.household_history(ctx, view.id)
    assert {c.summary for c in history if "附件" in c.summary} == {"添加附件：身份证正面.png", "删除附件：身份证正面.png"}


def test_same_content_is_stored_once_and_kept_while_used(ctx):
    one = archive.create_household(ctx, household(ctx))
    two = archive.create_household(ctx, household(ctx, name="二号", seq=2))
    a = archive.add_attachment(ctx, one.id, "a.png", SCAN)
    b = archive.add_attachment(ctx, two.id, "b.png", SCAN)
    with ctx.db.session() as s:
        assert s.execute(select(func.count()).select_from(AttachmentBlob)).scalar_one() == 1
    archive.remove_attachment(ctx, a.id)
    assert archive.attachment_content(ctx, b.id)[1] == SCAN


def test_size_limit_and_empty_file(ctx):
    view = archive.create_household(ctx, household(ctx))
    with pytest.raises(ValidationFailed, match="超过 20 MB"):
        archive.add_attachment(ctx, view.id, "big.pdf", b"x" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(ValidationFailed, match="空的"):
        archive.add_attachment(ctx, view.id, "empty.pdf", b"")


def test_tampered_content_is_detected(ctx):
    view = archive.create_household(ctx, household(ctx))
    att = archive.add_attachment(ctx, view.id, "a.png", SCAN)
    with ctx.db.session() as s:
        s.execute(update(AttachmentBlob).values(data=SCAN[:-1] + b"!"))
    with pytest.raises(AttachmentCorrupt, match="校验失败"):
        archive.attachment_content(ctx, att.id)


def test_permissions_and_scope(ctx):
    view = archive.create_household(ctx, household(ctx))
    att = archive.add_attachment(ctx, view.id, "a.png", SCAN)
    assert archive.attachment_content(with_roles(ctx, "auditor"), att.id)[1] == SCAN
    with pytest.raises(PermissionDenied):
        archive.add_attachment(with_roles(ctx, "auditor"), view.id, "b.png", SCAN)
    with pytest.raises(PermissionDenied):
        archive.attachment_content(scoped(ctx, "新塘镇总工会"), att.id)
    with pytest.raises(PermissionDenied):
        archive.remove_attachment(scoped(ctx, "新塘镇总工会"), att.id)


@pytest.mark.sqlite_only  # a SQLite file backup; server backups: pg_dump
def test_a_backup_carries_the_attachment_and_its_sha256(ctx, tmp_path):
    from zhibang_desktop.services.admin.backup import backup_now
    from zhibang_desktop.services.context import AppContext
    from zhibang_desktop.storage.database import open_database

    view = archive.create_household(ctx, household(ctx))
    att = archive.add_attachment(ctx, view.id, "收入证明.png", SCAN, kind="收入证明")
    info = backup_now(ctx.db, dest_file=tmp_path / "copy.sqlite3")
    assert info.verified
    copy = open_database(info.path)
    try:
        restored = AppContext(copy, ctx.actor)
        assert archive.attachment_content(restored, att.id) == ("收入证明.png", SCAN)
        [listed] = list_attachments(restored, view.id)
        assert listed.sha256 == hashlib.sha256(SCAN).hexdigest()
    finally:
        copy.close()
