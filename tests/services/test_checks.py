"""`run_checks`: integrity, foreign keys, audit chain, archive consistency, attachments."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.archive_helpers import archived, household, id_no, member
from zhibang_desktop.services import archive
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.storage.models import AttachmentBlob, FamilyMember, Household


def items(report):
    return {i.name: i for i in report.items}


def test_a_clean_archive_passes(ctx):
    view = archived(ctx, household(ctx, members=[member("曾小红", 7)]))
    archive.add_attachment(ctx, view.id, "a.png", b"png")
    report = run_checks(ctx.db)
    assert report.ok, [i for i in report.items if not i.ok]
    engine_items = ({"数据库完整性（integrity_check）", "外键（foreign_key_check）"} if ctx.db.is_sqlite
                    else {"数据库服务器（PostgreSQL）", "外键（服务器约束）"})
    assert engine_items | {"审计日志哈希链", "身份证号重复", "走访日期", "附件内容"} <= set(items(report))


def test_inconsistencies_are_found(ctx):
    one = archived(ctx, household(ctx, members=[member("曾小红", 7)]))
    two = archived(ctx, household(ctx, name="二号", seq=2))
    three = archive.create_household(ctx, household(ctx, name="三号", seq=3))
    archive.add_attachment(ctx, one.id, "a.png", b"png")
    with ctx.db.session() as s:
        s.execute(update(Household).where(Household.id == one.id).values(archived_on=None, next_visit_due=None))
        s.execute(update(Household).where(Household.id == two.id).values(
            status="phasing_out", id_number="440183198005061234"))
        s.execute(update(FamilyMember).values(id_number=id_no(3)))  # the member = head of household three
        s.execute(update(AttachmentBlob).values(data=b"PNG"))
    report = run_checks(ctx.db)
    assert not report.ok
    got = items(report)
    assert not got["在档档案的建档日期"].ok and one.archive_no in got["在档档案的建档日期"].examples[0]
    assert not got["渐退期截止日期"].ok
    assert not got["户主身份证号"].ok and "校验位" in got["户主身份证号"].examples[0]
    assert not got["身份证号重复"].ok and three.archive_no in got["身份证号重复"].examples[0]
    assert id_no(3) not in " ".join(got["身份证号重复"].examples)  # masked
    assert not got["走访日期"].ok
    assert not got["附件内容"].ok
    assert got["外键（foreign_key_check）" if ctx.db.is_sqlite else "外键（服务器约束）"].ok


@pytest.mark.sqlite_only
def test_broken_foreign_key_and_audit_chain(ctx):
    view = archive.create_household(ctx, household(ctx))
    with ctx.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("UPDATE households SET unit_id = 9999 WHERE id = ?", (view.id,))
        raw.execute("UPDATE audit_log SET summary = 'changed' WHERE seq = 1")
        raw.execute("PRAGMA foreign_keys=ON")
    got = items(run_checks(ctx.db))
    assert not got["外键（foreign_key_check）"].ok
    assert not got["审计日志哈希链"].ok


@pytest.mark.server_only
def test_switched_off_foreign_keys_and_edited_audit_chain_on_the_server(ctx):
    archive.create_household(ctx, household(ctx))
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE households DISABLE TRIGGER ALL")
        conn.exec_driver_sql("UPDATE audit_log SET summary = 'changed' WHERE seq = 1")
    got = items(run_checks(ctx.db))
    assert not got["外键（服务器约束）"].ok and "households" in got["外键（服务器约束）"].examples[0]
    assert not got["审计日志哈希链"].ok
