"""Upgrading an office database made before row seals (migration 0004): the existing rows get
a baseline seal, so its users still log in after another user is changed, `check` stays clean,
and a user inserted with SQL after the upgrade is still refused."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from zhibang_desktop.services.admin import users
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.services.admin.users import LoginFailed
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.migrate import alembic_config

# upgrading an old SQLite office file.
pytestmark = pytest.mark.sqlite_only


SEALS = "业务数据校验值（发放、明细、审批、账户、用户）"


@pytest.fixture
def upgraded(demo_copy):
    """The demo year as an office that had it before seals existed, opened by this version."""
    db = open_database(demo_copy)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM row_seals"))
        conn.execute(text("UPDATE audit_log SET seal_digest = NULL, mac = NULL"))
    _rehash_chain(db)  # the chain as the older version wrote it, without seal digests
    with db.engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # batch rebuilds, as the app migrates
        with conn.begin():
            command.downgrade(alembic_config(conn), "0003")
    db.close()
    db = open_database(demo_copy)
    yield db
    db.close()


def _rehash_chain(db) -> None:
    from zhibang_desktop.services import audit_chain
    from zhibang_desktop.storage.models import AuditEntry, AuditHead

    with db.session() as s:
        prev = audit_chain.GENESIS
        for e in s.query(AuditEntry).order_by(AuditEntry.seq):
            e.prev_hash, e.hash = prev, audit_chain.entry_hash(prev, e)
            prev = e.hash
        s.get(AuditHead, 1).hash = prev


def _failed(db) -> dict:
    return {i.name: i.examples for i in run_checks(db).items if not i.ok}


def test_an_upgraded_office_passes_check_and_every_user_still_logs_in(upgraded):
    with upgraded.engine.connect() as conn:
        baseline = conn.execute(text("SELECT count(*) FROM row_seals WHERE audit_seq = 0")).scalar_one()
        users_ = conn.execute(text("SELECT count(*) FROM users")).scalar_one()
    assert baseline > users_ > 1
    assert _failed(upgraded) == {}
    admin = AppContext(upgraded, users.authenticate(upgraded, "admin", "demo1234"))
    clerk = users.authenticate(upgraded, "clerk", "demo1234")
    users.update_user(admin, clerk.user_id, display_name="陈晓（已改）")  # a sealed row changes after the upgrade
    for name in ("admin", "clerk", "reviewer", "head"):
        assert users.authenticate(upgraded, name, "demo1234").username == name
    assert _failed(upgraded) == {}


def test_after_the_upgrade_an_inserted_user_is_refused_and_a_late_baseline_seal_is_named(upgraded):
    admin = AppContext(upgraded, users.authenticate(upgraded, "admin", "demo1234"))
    clerk = users.authenticate(upgraded, "clerk", "demo1234")
    users.update_user(admin, clerk.user_id, display_name="陈晓（已改）")
    with upgraded.engine.begin() as conn:
        hash_ = conn.execute(text("SELECT password_hash FROM users WHERE username = 'admin'")).scalar_one()
        conn.execute(text("INSERT INTO users (username, display_name, password_hash, roles, active, "
                          "failed_attempts, created_at) VALUES ('mallory', '入侵者', :h, '[\"admin\"]', 1, 0, "
                          "'2026-11-23 01:00:00.000000')"), {"h": hash_})
    with pytest.raises(LoginFailed):
        users.authenticate(upgraded, "mallory", "demo1234")
    assert SEALS in _failed(upgraded)
