"""The session service: opening an office's database and restoring one, so that ui/ and cli/
never touch storage."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from tests.admin_helpers import admin_context, user_context
from zhibang_desktop.services import session
from zhibang_desktop.services.admin import audit, backup, org
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.storage.models import OrgUnit


# opening, locking and restoring a SQLite file.
pytestmark = pytest.mark.sqlite_only


def unit_names(db) -> set[str]:
    with db.session() as s:
        return set(s.execute(select(OrgUnit.name)).scalars())


def test_open_creates_migrates_and_locks(tmp_path):
    path = tmp_path / "新建" / "zhibang.sqlite3"
    db = session.open_office_database(path)
    try:
        assert path.exists() and db.path == path
        with pytest.raises(session.DatabaseLocked):
            session.open_office_database(path)  # one writer per file
    finally:
        db.close()
    session.open_office_database(path).close()  # the lock went with the close


@pytest.mark.parametrize("content, error, words", [
    (b"garbage" * 100, session.DatabaseCorrupt, "请从备份恢复"),
    (None, session.DatabaseError, "不是职帮数据库"),
])
def test_open_refuses_a_damaged_or_foreign_file_and_keeps_it(tmp_path, content, error, words):
    path = tmp_path / "zhibang.sqlite3"
    if content is None:
        con = sqlite3.connect(path)
        con.execute("create table customers (id integer)")
        con.commit()
        con.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(error, match=words):
        session.open_office_database(path)
    assert path.read_bytes() == before


def test_close_restore_reopen(ctx, db_path):
    info = backup.backup_now(ctx)
    district = next(u.id for u in org.list_units(ctx) if u.level == "district")
    org.add_unit(ctx, "备份之后新增的工会", "grassroots", district)
    outcome = session.close_restore_reopen(ctx.db, info.path, ctx.actor)
    try:
        assert outcome.restored and outcome.db is not ctx.db and outcome.db.path == db_path
        assert "备份之后新增的工会" not in unit_names(outcome.db)
        assert outcome.result.replaced_path.exists()
    finally:
        outcome.db.close()


def test_close_restore_reopen_refuses_without_permission_and_keeps_the_database_open(ctx):
    info = backup.backup_now(ctx)
    clerk = user_context(admin_context(ctx), "lina", ["clerk"])
    outcome = session.close_restore_reopen(ctx.db, info.path, clerk.actor)
    assert not outcome.restored and "恢复备份" in outcome.error and outcome.db is ctx.db
    assert "荔城街总工会" in unit_names(ctx.db)  # still open


def test_close_restore_reopen_of_a_bad_file_changes_nothing(ctx, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database")
    outcome = session.close_restore_reopen(ctx.db, bad, ctx.actor)
    assert not outcome.restored and outcome.error.startswith("未恢复（数据库未改动）") and outcome.db is ctx.db


def test_restore_damaged_keeps_the_damaged_file_and_records_the_system(ctx, db_path):
    info = backup.backup_now(ctx)
    ctx.db.close()
    db_path.write_bytes(b"garbage" * 100)
    with pytest.raises(session.DatabaseCorrupt):
        session.open_office_database(db_path)
    db, result = session.restore_damaged(db_path, info.path)
    try:
        assert "荔城街总工会" in unit_names(db)
        assert result.replaced_path.read_bytes() == b"garbage" * 100
        row = audit.query_audit(AppContext(db, SYSTEM), action="restore").rows[0]
        assert row.username == "system"
    finally:
        db.close()
