"""A full disk (here: `PRAGMA max_page_count`) in the middle of a transaction.

The service raises StorageFull with a clear Chinese message, nothing of the transaction
is stored, the data before it is intact and integrity_check passes; once space is back
the same write succeeds.
"""
from __future__ import annotations

import pytest
from sqlalchemy import event, text

from tests.admin_helpers import snapshot
from zhibang_desktop.services.admin import audit, org, settings
from zhibang_desktop.services.context import storage_error
from zhibang_desktop.services.errors import ServiceError, StorageError, StorageFull


# SQLite page limits; a server full disk is the server administrator's.
pytestmark = pytest.mark.sqlite_only


def limit_pages(db, extra_pages: int) -> None:
    """Every new connection may grow the file by at most `extra_pages` pages from now on."""
    with db.session() as s:
        current = s.execute(text("PRAGMA page_count")).scalar_one()
    limit = current + extra_pages

    def _limit(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count={limit}")

    event.listen(db.engine, "connect", _limit)
    db.engine.dispose()  # pooled connections pick the limit up when they reconnect
    db._page_limit = _limit  # type: ignore[attr-defined]


def lift_limit(db) -> None:
    event.remove(db.engine, "connect", db._page_limit)  # type: ignore[attr-defined]
    db.engine.dispose()


def integrity(db) -> list[str]:
    with db.session() as s:
        return s.execute(text("PRAGMA integrity_check")).scalars().all()


def test_full_disk_mid_transaction_keeps_data_and_says_why(ctx):
    district = next(u.id for u in org.list_units(ctx) if u.level == "district")
    org.add_unit(ctx, "满盘前的工会", "grassroots", district)
    before = snapshot(ctx.db)
    limit_pages(ctx.db, 5)
    # One transaction that needs far more than 5 pages: a settings row and its audit row.
    causes = tuple(f"致困原因{i:05d}" + "很长的说明" * 20 for i in range(3000))
    with pytest.raises(StorageFull) as err:
        settings.update_settings(ctx, hardship_causes=causes)
    message = str(err.value)
    assert "磁盘空间已满" in message and "之前的数据完好" in message
    assert isinstance(err.value, ServiceError)
    assert snapshot(ctx.db) == before
    assert integrity(ctx.db) == ["ok"]
    assert audit.verify_chain(ctx).ok
    # Small writes that fit still work while the disk is nearly full…
    org.add_unit(ctx, "满盘后的小写入", "grassroots", district)
    lift_limit(ctx.db)
    # …and the big one succeeds once there is space again.
    assert len(settings.update_settings(ctx, hardship_causes=causes).hardship_causes) == 3000
    assert integrity(ctx.db) == ["ok"] and audit.verify_chain(ctx).ok


def test_full_disk_on_reopen_after_failure(ctx, db_path):
    """The failed transaction left nothing behind for the next start either."""
    from zhibang_desktop.storage.database import open_database

    limit_pages(ctx.db, 2)
    with pytest.raises(StorageFull):
        settings.update_settings(ctx, hardship_causes=tuple("原因" * 500 + str(i) for i in range(500)))
    before = snapshot(ctx.db)
    ctx.db.close()
    db = open_database(db_path)
    try:
        assert snapshot(db) == before
        assert integrity(db) == ["ok"]
    finally:
        db.close()


def test_error_mapping():
    import sqlite3

    from sqlalchemy.exc import OperationalError

    full = storage_error(OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")))
    assert isinstance(full, StorageFull)
    io = storage_error(OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error")))
    assert isinstance(io, StorageError) and not isinstance(io, StorageFull)
    assert "磁盘出错" in str(io) and "disk I/O error" in str(io)
    assert storage_error(OperationalError("x", {}, sqlite3.OperationalError("no such table: x"))) is None
    assert storage_error(ValueError("database or disk is full")) is None
