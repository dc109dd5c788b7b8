"""Server backups (pg_dump -Fc / pg_restore into an empty database) and the move of an office
from its SQLite file to the server (`migrate-to`). Run with ZHIBANG_TEST_PG."""
from __future__ import annotations

import hashlib
import uuid

import pytest

from tests import pg_backend
from tests.admin_helpers import admin_context, snapshot
from tests.archive_helpers import household
from zhibang_desktop.cli import main
from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import audit, backup
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.services.admin.server_backup import restore_server
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.errors import ServiceError
from zhibang_desktop.services.session.migrate_to import migrate_to_server
from zhibang_desktop.services.session.setup import UnitSpec, initialise_office
from zhibang_desktop.storage.copy_tables import data_tables
from zhibang_desktop.storage.database import open_database

pytestmark = pytest.mark.server_only


@pytest.fixture
def empty_url(request):
    name = f"zt_{uuid.uuid4().hex[:16]}"
    url = pg_backend.create_database(name)
    request.addfinalizer(lambda: pg_backend.drop_database(name))
    return url


def test_backup_is_a_checked_pg_dump_and_restores_into_an_empty_database(ctx, tmp_path, empty_url):
    admin = admin_context(ctx)
    archive.create_household(ctx, household(ctx))
    info = backup.backup_now(admin, dest_file=tmp_path / "office.dump")
    assert info.verified and info.path.read_bytes()[:5] == b"PGDMP" and info.chain_head.startswith("第 ")
    assert audit.verify_chain(admin).ok
    before = snapshot(ctx.db)
    result = restore_server(empty_url, info.path, actor=SYSTEM)
    restored = open_database(empty_url)
    try:
        after = snapshot(restored)
        assert {t: v for t, v in after.items() if not t.startswith(("audit_", "__audit"))} == \
               {t: v for t, v in before.items() if not t.startswith(("audit_", "__audit"))}
        chain = audit.verify_chain(AppContext(restored, admin.actor))
        assert chain.ok and chain.rows == result.audit_seq  # the restore is the last entry of the restored chain
        assert run_checks(restored).ok
    finally:
        restored.close()
    # never over existing data, never from a file that is not a dump
    with pytest.raises(ServiceError, match="空数据库"):
        restore_server(empty_url, info.path)
    (tmp_path / "junk.dump").write_bytes(b"not a dump")
    with pytest.raises(ServiceError, match="不是可读取的 PostgreSQL 备份"):
        restore_server(empty_url, tmp_path / "junk.dump")


def test_backup_and_restore_from_the_command_line(ctx, tmp_path, empty_url, monkeypatch, capsys):
    admin_context(ctx, password="Secret123")
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Secret123")
    source = str(ctx.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    assert main(["--db", source, "--user", "admin", "backup", "--out", str(tmp_path / "b.dump")]) == 0
    assert "备份完成" in capsys.readouterr().out
    assert main(["--db", empty_url, "restore", str(tmp_path / "b.dump")]) == 0
    assert "已从备份恢复" in capsys.readouterr().out
    assert main(["--db", empty_url, "--user", "admin", "check"]) == 0


def test_migrate_to_copies_everything_checks_it_and_leaves_the_file_alone(tmp_path, empty_url, monkeypatch, capsys):
    path = tmp_path / "office.sqlite3"
    db = open_database(path)
    ctx = initialise_office(db, "增城区总工会", archive_prefix="ZC", units=[
        UnitSpec("荔城街总工会", "street"), UnitSpec("荔城街某某电子厂工会", "grassroots", "荔城街总工会")],
        admin=("admin", "Secret123"))
    for i in range(3):
        archive.create_household(ctx, household(ctx, name=f"迁移{i}", seq=500 + i))
    before = snapshot(db)
    db.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Secret123")
    assert main(["--db", str(path), "--user", "admin", "migrate-to", empty_url]) == 0
    out = capsys.readouterr().out
    assert "行数逐表核对一致" in out and "本机数据库文件未改动" in out
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    server = open_database(empty_url)
    try:
        after = snapshot(server)
        # the same rows in every table (the values are checked by their seals and the chain below);
        # the SQLite file's search index (households_fts*) is the engine's own, rebuilt from the rows
        tables = {t.name for t in data_tables()} | {"alembic_version"}
        assert {t: v[0] for t, v in after.items() if t in tables} == \
               {t: v[0] + (t == "audit_log") for t, v in before.items() if t in tables}
        assert set(after) - tables <= {"__audit_head__"}
        assert after["__audit_head__"][0] == before["__audit_head__"][0] + 1  # + the move itself
        assert run_checks(server).ok
    finally:
        server.close()
    # a second time: the server is no longer empty, nothing is copied over it
    assert main(["--db", str(path), "--user", "admin", "migrate-to", empty_url]) == 1
    assert "已有数据" in capsys.readouterr().err
    with pytest.raises(ServiceError):
        migrate_to_server(path, empty_url, SYSTEM.__class__.make(None, "clerk", "经办人", {"clerk"}))
