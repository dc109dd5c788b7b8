"""Data safety: two instances, a corrupt file, a tampered audit trail, a backup taken during writes."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from sqlalchemy import func, select, text

from zhibang_desktop.services.admin import audit, backup, org
from zhibang_desktop.services import audit_chain
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.storage.database import DatabaseCorrupt, open_database
from zhibang_desktop.storage.models import AttachmentBlob, AuditEntry, Counter
from zhibang_desktop.storage.sqlite_backup import integrity_problems


def district(ctx) -> int:
    return next(u.id for u in org.list_units(ctx) if u.level == "district")


# --- two instances ----------------------------------------------------------------------------

@pytest.mark.sqlite_only
def test_second_instance_in_another_process_is_refused(ctx, db_path):
    script = textwrap.dedent(f"""
        import sys
        from zhibang_desktop.storage.database import DatabaseLocked, open_database
        try:
            open_database({str(db_path)!r})
        except DatabaseLocked as exc:
            print(exc)
            sys.exit(7)
        sys.exit(0)
    """)
    before = db_path.read_bytes()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 7, done.stderr
    assert "正被另一个职帮程序使用" in done.stdout and f"进程 {os.getpid()}" in done.stdout
    assert db_path.read_bytes() == before
    ctx.db.close()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# --- a corrupt file ----------------------------------------------------------------------------

def scribble(path, start_page: int = 2, pages: int = 6, page_size: int = 4096) -> None:
    data = bytearray(path.read_bytes())
    for i in range(start_page * page_size + 40, min(len(data), (start_page + pages) * page_size), 5):
        data[i] = 0xA5
    path.write_bytes(bytes(data))


@pytest.mark.sqlite_only
def test_corrupt_file_is_never_rewritten_and_newest_backup_is_offered(ctx, db_path, tmp_path):
    for i in range(30):
        org.add_unit(ctx, f"基层工会{i:02d}", "grassroots", district(ctx))
    good = backup.backup_now(ctx.db, kind="daily")
    ctx.db.close()
    scribble(db_path)
    damaged = db_path.read_bytes()
    with pytest.raises(DatabaseCorrupt, match="不会修改"):
        open_database(db_path)
    assert db_path.read_bytes() == damaged
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nothing was written (a read-only check)

    # Start-up path: find the newest good backup beside (or in the chosen folder of) the file.
    folders = backup.backup_dirs_for_path(db_path)
    found = next(b for b in (backup.newest_good_backup(f) for f in folders) if b is not None)
    assert found.path == good.path
    result = backup.restore(db_path, found.path)
    assert result.replaced_path.read_bytes() == damaged  # the damaged file is kept as it was
    db = open_database(db_path)
    try:
        assert len(org.list_units(AppContext(db, SYSTEM))) == 36
    finally:
        db.close()


# --- a tampered audit trail --------------------------------------------------------------------

@pytest.fixture
def chain(ctx):
    for i in range(5):
        org.add_unit(ctx, f"审计测试工会{i}", "grassroots", district(ctx))
    report = audit.verify_chain(ctx)
    assert report.ok and report.rows >= 10
    return ctx, report.rows


def raw(db_path, sql: str) -> None:
    """A tamperer with a SQLite tool (or psql on a server), behind the app's back."""
    if isinstance(db_path, str):
        import psycopg

        with psycopg.connect(db_path, autocommit=True) as con:
            con.execute(sql)
        return
    con = sqlite3.connect(db_path)
    con.execute(sql)
    con.commit()
    con.close()


def test_edited_row_is_reported(chain, db_path):
    ctx, rows = chain
    raw(db_path, "update audit_log set summary='什么也没发生' where seq=4")
    report = audit.verify_chain(ctx)
    assert not report.ok and report.first_broken_seq == 4 and "被修改" in report.reason


def test_edited_changes_are_reported(chain, db_path):
    ctx, rows = chain
    raw(db_path, "update audit_log set username='someone_else' where seq=7")
    assert audit.verify_chain(ctx).first_broken_seq == 7


def test_rehashed_row_is_still_reported(chain, db_path):
    """Recomputing the edited row's own hash does not help: the next row points to the old one."""
    ctx, rows = chain
    with ctx.db.session() as s:
        row = s.get(AuditEntry, 5)
        row.summary = "改过"
        row.hash = audit_chain.entry_hash(row.prev_hash, row)
    report = audit.verify_chain(ctx)
    assert not report.ok and report.first_broken_seq == 6


def test_deleted_middle_row_is_reported(chain, db_path):
    ctx, rows = chain
    raw(db_path, "delete from audit_log where seq=3")
    report = audit.verify_chain(ctx)
    assert not report.ok and report.first_broken_seq == 3 and "删除" in report.reason


def test_deleted_last_row_is_reported(chain, db_path):
    ctx, rows = chain
    raw(db_path, f"delete from audit_log where seq={rows}")
    report = audit.verify_chain(ctx)
    assert not report.ok and report.first_broken_seq == rows and report.rows == rows - 1


def test_deleted_last_row_and_head_rewound_is_reported_only_by_head(chain, db_path):
    """Deleting the last row AND rewinding the head is consistent by construction; the head
    printed on earlier lists (and kept outside) is what exposes it: the head changed backwards."""
    ctx, rows = chain
    head_before = audit.chain_head(ctx)
    with ctx.db.session() as s:
        prev = s.get(AuditEntry, rows - 1)
        s.execute(text("delete from audit_log where seq=:s"), {"s": rows})
        s.execute(text("update audit_head set seq=:q, hash=:h where id=1"), {"q": prev.seq, "h": prev.hash})
    assert audit.verify_chain(ctx).ok
    assert audit.chain_head(ctx).seq < head_before.seq


# --- a backup taken while the app writes -------------------------------------------------------

@pytest.mark.sqlite_only
def test_backup_during_writes_restores_consistent_counts(ctx, db_path, tmp_path):
    db = ctx.db
    with db.session() as s:  # a few MB so that the copy takes a while
        for i in range(12):
            s.add(AttachmentBlob(sha256=f"{i:064d}", data=os.urandom(256 * 1024)))
    stop = threading.Event()
    committed = [0]
    errors: list[BaseException] = []

    def writer():
        n = 0
        try:
            while not stop.is_set():
                n += 1
                with ctx.tx(None) as tx:  # two related rows per transaction
                    tx.session.add(Counter(name=f"w-{n}", value=n))
                    tx.session.flush()
                    tx.audit("create", "w", n)
                committed[0] = n
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    taken = []
    try:
        while committed[0] < 20:
            time.sleep(0.01)
        for _ in range(3):
            low = committed[0]
            info = backup.backup_now(ctx, tmp_path / "b")
            high = committed[0]
            taken.append((info, low, high))
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors
    assert any(high > low for _, low, high in taken), "no write happened during any backup"
    db.close()

    for info, low, high in taken:
        assert integrity_problems(info.path) == []
        con = sqlite3.connect(info.path)
        in_backup = {r[0] for r in con.execute("select value from counters where name like 'w-%'")}
        audited = {int(r[0]) for r in con.execute("select entity_id from audit_log where entity='w'")}
        con.close()
        n = len(in_backup)
        assert in_backup == audited == set(range(1, n + 1))  # a prefix of whole transactions
        assert low <= n <= high + 1  # the moment of the copy lies inside the backup_now call
        backup.restore(db_path, info.path)
        restored = open_database(db_path)
        try:
            with restored.session() as s:
                counters = s.execute(select(func.count()).select_from(Counter)
                                     .where(Counter.name.like("w-%"))).scalar_one()
                rows = s.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "w")).scalar_one()
                assert counters == rows == n
                assert s.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert audit.verify_chain(AppContext(restored, SYSTEM)).ok
        finally:
            restored.close()
