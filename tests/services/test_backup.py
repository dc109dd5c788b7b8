"""Backups (verified copies, names, folders, rotation) and restore (check first, keep the old file)."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.admin_helpers import admin_context, snapshot, user_context
from zhibang_desktop.domain import clock
from zhibang_desktop.services.admin import audit, backup, org, settings
from zhibang_desktop.services.admin.backup import BackupError, RestoreError
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.errors import PermissionDenied
from zhibang_desktop.storage import migrate
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.models import OrgUnit
from zhibang_desktop.storage.sqlite_backup import integrity_problems


# backups of the SQLite file (the server's pg_dump backups: test_server_backup.py).
pytestmark = pytest.mark.sqlite_only


def unit_names(db) -> set[str]:
    with db.session() as s:
        return set(s.execute(select(OrgUnit.name)).scalars())


def district(ctx) -> int:
    return next(u.id for u in org.list_units(ctx) if u.level == "district")


def test_backup_now_default_folder_name_and_audit(ctx, db_path):
    info = backup.backup_now(ctx)
    assert info.path.parent == db_path.parent / "backups"
    assert backup.parse_backup_name(info.path.name)[1] == "manual"
    assert info.verified and info.kind == "manual" and info.size == info.path.stat().st_size
    assert abs((clock.local_now().astimezone() - info.created_at).total_seconds()) < 5
    assert integrity_problems(info.path) == []
    check = backup.check_backup(info.path)
    assert check.ok and check.office_name == "增城区总工会" and not check.needs_migration
    assert not list(info.path.parent.glob("*.partial"))
    row = audit.query_audit(ctx, limit=1).rows[0]
    assert (row.action, row.entity, row.username) == ("backup", "database", "system")
    assert str(info.path) in row.summary and "完整性检查通过" in row.summary


def test_a_killed_backup_leaves_nothing_behind_after_the_next_one(ctx, tmp_path):
    """A backup killed mid-copy (power cut) leaves its `.partial`: personal data, never usable.
    The next backup deletes such leftovers once they are an hour old, and says so in the audit
    row; a younger one may be a copy still being written, and other files are not ours."""
    import os

    folder = tmp_path / "b"
    folder.mkdir()
    now = clock.local_now()
    stale = folder / (backup.backup_name(now - timedelta(hours=3), "daily") + ".partial")
    fresh = folder / (backup.backup_name(now - timedelta(minutes=5), "manual") + ".partial")
    other = folder / "报表.xlsx.partial"
    for path, age in ((stale, timedelta(hours=3)), (fresh, timedelta(minutes=5)), (other, timedelta(days=9))):
        path.write_bytes(b"SQLite format 3\x00 half a copy")
        when = (now - age).timestamp()
        os.utime(path, (when, when))
    info = backup.backup_now(ctx, folder)
    assert not stale.exists() and fresh.exists() and other.exists() and info.path.exists()
    row = audit.query_audit(ctx, limit=1).rows[0]
    assert row.action == "backup" and stale.name in str(row.changes) and fresh.name not in str(row.changes)


def test_same_second_backups_get_distinct_names(ctx, tmp_path):
    first = backup.backup_now(ctx, tmp_path / "b")
    second = backup.backup_now(ctx, tmp_path / "b")
    assert first.path != second.path and first.path.exists() and second.path.exists()
    assert [b.path for b in backup.list_backups(tmp_path / "b")] == sorted([first.path, second.path], reverse=True)


def test_settings_folder_and_explicit_file(ctx, tmp_path):
    chosen = tmp_path / "U盘" / "职帮备份"
    settings.update_settings(ctx, backup_dir=str(chosen))
    assert backup.backup_dir_for(ctx.db) == chosen
    info = backup.backup_now(ctx)
    assert info.path.parent == chosen
    out = tmp_path / "一次性" / "copy.sqlite3"
    explicit = backup.backup_now(ctx, dest_file=out)
    assert explicit.path == out and backup.check_backup(out).ok
    with pytest.raises(Exception, match="不能与数据库文件相同"):
        backup.backup_now(ctx, dest_file=ctx.db.path)


def test_backup_is_consistent_with_the_data(ctx, tmp_path):
    org.add_unit(ctx, "备份前的工会", "grassroots", district(ctx))
    info = backup.backup_now(ctx, tmp_path / "b")
    org.add_unit(ctx, "备份后的工会", "grassroots", district(ctx))
    con = sqlite3.connect(info.path)
    names = {r[0] for r in con.execute("select name from org_units")}
    con.close()
    assert "备份前的工会" in names and "备份后的工会" not in names


def test_unavailable_folder(ctx, tmp_path, db_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.update_settings(ctx, backup_dir=str(blocker / "sub"))
    # Automatic backups fall back to the default folder and say so…
    info = backup.backup_now(ctx.db, kind="on_close")
    assert info.path.parent == db_path.parent / "backups"
    assert "默认文件夹" in info.note
    # …a manual one stops with a clear message.
    with pytest.raises(BackupError, match="备份文件夹"):
        backup.backup_now(ctx)


def make_named(folder: Path, template: Path, when: datetime, kind: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / backup.backup_name(when, kind)
    shutil.copyfile(template, path)
    return path


def test_rotation_keeps_daily_and_monthly_never_manual(ctx, tmp_path):
    template = backup.backup_now(ctx, tmp_path / "t").path
    folder = tmp_path / "rot"
    now = datetime(2026, 11, 22, 18, 0)
    created = {}
    # Two automatic backups a day for the last 40 days, one a month for the 14 months before that.
    for d in range(40):
        day = now - timedelta(days=d)
        created[make_named(folder, template, day.replace(hour=9), "daily")] = day.replace(hour=9)
        created[make_named(folder, template, day.replace(hour=17), "on_close")] = day.replace(hour=17)
    first_month = (now - timedelta(days=40)).replace(day=15)
    for m in range(14):
        when = (first_month.replace(day=1) - timedelta(days=1 + 31 * m)).replace(day=15)
        created[make_named(folder, template, when, "monthly")] = when
    manual = [make_named(folder, template, now - timedelta(days=300 + i), "manual") for i in range(3)]
    stranger = folder / "我的文件.sqlite3"
    stranger.write_text("not ours")

    removed = backup.rotate(folder, keep_daily=7, keep_monthly=12)
    kept = {b.path for b in backup.list_backups(folder)}
    auto_kept = sorted((created[p] for p in kept if p in created), reverse=True)
    # The newest of each of the last 7 days…
    days = [(now - timedelta(days=d)).replace(hour=17) for d in range(7)]
    assert all(d in auto_kept for d in days)
    # …and the newest of each of the last 12 months (the current month's newest is already a daily one).
    months = sorted({(w.year, w.month) for w in auto_kept}, reverse=True)
    assert len(months) == 12
    for y, mo in months:
        newest = max(w for w in created.values() if (w.year, w.month) == (y, mo))
        assert newest in auto_kept
    assert len(auto_kept) == len(set(days) | {max(w for w in created.values() if (w.year, w.month) == ym)
                                               for ym in months})
    assert all(p.exists() for p in manual) and stranger.exists()
    assert set(removed) == set(created) - kept
    assert backup.rotate(folder, 7, 12) == []  # stable


def test_automatic_backup_rotates_with_settings(ctx, tmp_path):
    settings.update_settings(ctx, keep_daily=2, keep_monthly=1)
    folder = tmp_path / "auto"
    template = backup.backup_now(ctx, tmp_path / "t").path
    old = [make_named(folder, template, clock.local_now() - timedelta(days=d), "daily") for d in (1, 2, 3)]
    info = backup.backup_now(ctx.db, folder, kind="daily")
    assert info.path.exists()
    assert set(info.removed) == set(old[1:])
    assert {b.path for b in backup.list_backups(folder)} == {info.path, old[0]}
    row = audit.query_audit(ctx, limit=1).rows[0]
    assert row.changes[0][0] == "删除过期自动备份"


def test_due_daily_backup(ctx, tmp_path):
    assert backup.due_daily_backup(ctx.db)
    backup.backup_now(ctx)  # a manual one does not count
    assert backup.due_daily_backup(ctx.db)
    backup.backup_now(ctx.db, kind="daily")
    assert not backup.due_daily_backup(ctx.db)


def test_demo_beside_the_office_database_keeps_its_backups_apart(ctx, db_path):
    """The GUI puts the demo (zhibang-demo.sqlite3) beside the office's zhibang.sqlite3. Their
    automatic backups must not share a folder: the demo's closing backup would rotate away the
    office's backup of the same day, count as the office's daily backup, and be offered to
    restore over the office's database when it is damaged."""
    demo_db = open_database(db_path.with_name("zhibang-demo.sqlite3"))
    try:
        first_demo = backup.backup_now(demo_db, kind="daily")
        assert backup.due_daily_backup(ctx.db)  # the demo's backup is not the office's of today
        office = backup.backup_now(ctx.db, kind="on_close")
        demo_backup = backup.backup_now(demo_db, kind="on_close")
    finally:
        demo_db.close()
    assert office.path.parent == db_path.parent / "backups"
    assert first_demo.path.parent == demo_backup.path.parent != office.path.parent
    assert office.path.exists() and office.path not in demo_backup.removed
    assert [b.path for b in backup.list_backups(backup.backup_dir_for(ctx.db))] == [office.path]
    for folder in backup.backup_dirs_for_path(db_path):
        found = backup.newest_good_backup(folder)
        assert found is None or found.path == office.path


def test_backup_permission(ctx):
    admin = admin_context(ctx)
    reviewer = user_context(admin, "wu", ["reviewer"])
    with pytest.raises(PermissionDenied, match="备份"):
        backup.backup_now(reviewer)
    clerk = user_context(admin, "lina", ["clerk"])
    with pytest.raises(PermissionDenied, match="备份"):  # a backup holds the password hashes: the admin's
        backup.backup_now(clerk, dest_file=clerk.db.path.parent / "u盘" / "copy.sqlite3")
    assert not (clerk.db.path.parent / "u盘").exists()
    assert backup.backup_now(admin).verified
    row = audit.query_audit(admin, limit=1).rows[0]
    assert row.username == admin.actor.username and row.action == "backup"


# --- checking backups ---------------------------------------------------------------------

def test_check_backup_rejects_what_it_must(ctx, tmp_path):
    good = backup.backup_now(ctx, tmp_path / "b").path
    assert backup.check_backup(good).ok

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"hello" * 1000)
    assert "不是职帮数据库" in backup.check_backup(garbage).message

    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("create table customers(id integer)")
    con.commit()
    con.close()
    assert "缺少数据表" in backup.check_backup(foreign).message

    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(good, newer)
    con = sqlite3.connect(newer)
    con.execute("update alembic_version set version_num='9999'")
    con.commit()
    con.close()
    check = backup.check_backup(newer)
    assert not check.ok and "比本程序新" in check.message and check.revision == "9999"

    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    page = 4096
    for i in range(2 * page + 100, min(len(data), 6 * page), 7):  # scribble over b-tree pages
        data[i] = 0xFF
    damaged.write_bytes(bytes(data))
    assert not backup.check_backup(damaged).ok

    assert "找不到" in backup.check_backup(tmp_path / "nope.sqlite3").message


def test_newest_good_backup_skips_damaged(ctx, tmp_path):
    folder = tmp_path / "b"
    older = backup.backup_now(ctx, folder, kind="daily").path
    template = older
    newest = make_named(folder, template, clock.local_now() + timedelta(hours=1), "on_close")
    newest.write_bytes(b"\0" * 4096)
    assert backup.newest_good_backup(folder).path == older
    assert backup.newest_good_backup(tmp_path / "empty") is None


def test_backup_dirs_for_path(ctx, tmp_path, db_path):
    assert backup.backup_dirs_for_path(db_path) == [db_path.parent / "backups"]
    settings.update_settings(ctx, backup_dir=str(tmp_path / "usb"))
    assert backup.backup_dirs_for_path(db_path) == [tmp_path / "usb", db_path.parent / "backups"]
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 100)
    assert backup.backup_dirs_for_path(broken) == [tmp_path / "backups-broken"]


# --- restore --------------------------------------------------------------------------------

def test_restore_round_trip(ctx, db_path, tmp_path):
    org.add_unit(ctx, "备份里的工会", "grassroots", district(ctx))
    info = backup.backup_now(ctx, tmp_path / "b")
    org.add_unit(ctx, "备份后才加的工会", "grassroots", district(ctx))
    ctx.db.close()  # the app closes the database first

    result = backup.restore(db_path, info.path)
    assert result.replaced_path is not None and result.replaced_path.exists()
    assert result.replaced_path.name.startswith("zhibang.replaced-") and result.replaced_path.suffix == ".sqlite3"
    assert not result.migrated
    db = open_database(db_path)
    try:
        names = unit_names(db)
        assert "备份里的工会" in names and "备份后才加的工会" not in names
        restored = AppContext(db, SYSTEM)
        report = audit.verify_chain(restored)
        assert report.ok and report.rows == result.audit_seq
        row = audit.query_audit(restored, limit=1).rows[0]
        assert row.action == "restore" and str(info.path) in row.summary
        assert result.replaced_path.name in row.summary
    finally:
        db.close()
    kept = open_database(result.replaced_path, migrate=False, take_lock=False)
    try:
        assert "备份后才加的工会" in unit_names(kept)
    finally:
        kept.close()
    assert backup.check_backup(info.path).ok  # the backup itself is untouched
    assert not list(db_path.parent.glob("*.restoring*"))


def test_restore_refused_while_open(ctx, db_path, tmp_path):
    info = backup.backup_now(ctx, tmp_path / "b")
    org.add_unit(ctx, "不能丢的工会", "grassroots", district(ctx))
    before = snapshot(ctx.db)
    with pytest.raises(RestoreError, match="先关闭数据库"):
        backup.restore(db_path, info.path)
    assert snapshot(ctx.db) == before
    assert not list(db_path.parent.glob("*.replaced-*"))


def test_restore_of_bad_file_touches_nothing(ctx, db_path, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    org.add_unit(ctx, "原有工会", "grassroots", district(ctx))
    ctx.db.close()
    before = db_path.read_bytes()
    with pytest.raises(RestoreError, match="数据库未改动"):
        backup.restore(db_path, bad)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.replaced-*")) and not list(db_path.parent.glob("*.restoring*"))
    with pytest.raises(RestoreError, match="数据库文件本身"):
        backup.restore(db_path, db_path)


def test_restore_needs_permission(ctx, db_path, tmp_path):
    admin = admin_context(ctx)
    clerk = user_context(admin, "lina", ["clerk"])
    info = backup.backup_now(admin, tmp_path / "b")
    ctx.db.close()
    before = db_path.read_bytes()
    with pytest.raises(PermissionDenied, match="恢复备份"):
        backup.restore(db_path, info.path, actor=clerk.actor)
    assert db_path.read_bytes() == before
    result = backup.restore(db_path, info.path, actor=admin.actor)
    db = open_database(db_path)
    try:
        row = audit.query_audit(AppContext(db, admin.actor), limit=1).rows[0]
        assert (row.username, row.user_id, row.action) == ("admin", admin.actor.user_id, "restore")
        assert result.audit_seq == row.seq
    finally:
        db.close()


def test_restore_onto_a_new_machine(ctx, tmp_path):
    info = backup.backup_now(ctx, tmp_path / "b")
    target = tmp_path / "新电脑" / "zhibang.sqlite3"
    result = backup.restore(target, info.path)
    assert result.replaced_path is None
    db = open_database(target)
    try:
        assert "荔城街总工会" in unit_names(db)
    finally:
        db.close()


def test_replaced_copy_keeps_uncheckpointed_wal(ctx, db_path, tmp_path):
    """A database left by a crash with its last commits only in the WAL is kept whole."""
    info = backup.backup_now(ctx, tmp_path / "b")
    ctx.db.close()
    script = textwrap.dedent(f"""
        import os, sqlite3
        con = sqlite3.connect({str(db_path)!r})
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("insert into settings(key, value) values ('crash_marker', '\\"in the wal\\"')")
        con.commit()
        os._exit(0)  # no checkpoint, no clean close
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    assert Path(str(db_path) + "-wal").stat().st_size > 0
    result = backup.restore(db_path, info.path)
    con = sqlite3.connect(result.replaced_path)
    assert con.execute("select value from settings where key='crash_marker'").fetchone() == ('"in the wal"',)
    con.close()
    assert integrity_problems(result.replaced_path) == []
    con = sqlite3.connect(db_path)
    assert con.execute("select value from settings where key='crash_marker'").fetchone() is None
    con.close()
    assert integrity_problems(db_path) == []


def _migrations_with_extra_revision(tmp_path: Path) -> Path:
    from importlib.resources import files

    src = Path(str(files("zhibang_desktop.storage") / "migrations"))
    dest = tmp_path / "migrations"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "versions" / "9001_test_marker.py").write_text(textwrap.dedent('''
        from alembic import op
        import sqlalchemy as sa

        revision = "9001"
        down_revision = "%s"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.create_table("restore_test_marker", sa.Column("id", sa.Integer(), primary_key=True))


        def downgrade() -> None:
            op.drop_table("restore_test_marker")
    ''' % migrate.head_revision()))
    return dest


def test_restore_migrates_an_older_backup_forward(ctx, db_path, tmp_path, monkeypatch):
    info = backup.backup_now(ctx, tmp_path / "b")
    old_revision = migrate.head_revision()
    original_bytes = info.path.read_bytes()
    ctx.db.close()
    location = _migrations_with_extra_revision(tmp_path)
    monkeypatch.setattr(migrate, "script_location", lambda: str(location))
    assert migrate.head_revision() == "9001"
    check = backup.check_backup(info.path)
    assert check.ok and check.needs_migration and "自动升级" in check.message

    result = backup.restore(db_path, info.path)
    assert result.migrated and result.from_revision == old_revision
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("select version_num from alembic_version").fetchone() == ("9001",)
        assert con.execute("select count(*) from restore_test_marker").fetchone() == (0,)
        assert con.execute("select count(*) from org_units").fetchone()[0] == 6
    finally:
        con.close()
    assert info.path.read_bytes() == original_bytes  # the backup file itself is never migrated
    assert not Path(str(db_path) + "-wal").exists() or integrity_problems(db_path) == []
    db = open_database(db_path)
    try:
        row = audit.query_audit(AppContext(db, SYSTEM), limit=1).rows[0]
        assert row.action == "restore" and ["升级到", old_revision, "9001"] in [list(c) for c in row.changes]
    finally:
        db.close()


def test_restored_data_survives_reopen(ctx, db_path, tmp_path):
    info = backup.backup_now(ctx, tmp_path / "b")
    before = snapshot(ctx.db)
    ctx.db.close()
    backup.restore(db_path, info.path)
    db = open_database(db_path)
    try:
        after = snapshot(db)
    finally:
        db.close()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"audit_log", "audit_head", "__audit_head__"}  # only the restore row was added
    # The backup was taken before its own "backup" row was written; the restore adds one row.
    assert after["audit_log"][0] == before["audit_log"][0]
