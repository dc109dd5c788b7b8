import sqlite3

import pytest
from sqlalchemy import text

from zhibang_desktop.storage.database import (
    DatabaseCorrupt, DatabaseLocked, NetworkPathRefused, NotAZhibangDatabase, open_database,
)
from zhibang_desktop.storage.locations import is_network_path
from zhibang_desktop.storage.migrate import head_revision


# the SQLite file: creation, locks, foreign or damaged files, network paths.
pytestmark = pytest.mark.sqlite_only


def test_new_file_is_created_and_migrated(db_path):
    db = open_database(db_path)
    try:
        with db.session() as s:
            assert s.execute(text("select version_num from alembic_version")).scalar_one() == head_revision()
            assert s.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert s.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert s.execute(text("PRAGMA busy_timeout")).scalar_one() == 30_000
    finally:
        db.close()


def test_reopen_does_not_migrate_again_or_back_up(db_path):
    open_database(db_path).close()
    open_database(db_path).close()
    assert not list(db_path.parent.glob("*before-migration*"))


def test_second_instance_is_refused_with_a_clear_message(db_path):
    first = open_database(db_path)
    try:
        with pytest.raises(DatabaseLocked, match="正被另一个职帮程序使用"):
            open_database(db_path)
    finally:
        first.close()
    open_database(db_path).close()  # released on close


def test_lock_message_says_since_when_in_local_time_in_chinese(db_path, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    first = open_database(db_path)
    try:
        with pytest.raises(DatabaseLocked) as caught:
            open_database(db_path)
    finally:
        first.close()
        monkeypatch.undo()
        time.tzset()
    text = str(caught.value)
    assert "自 2026年11月23日 10:00 起" in text  # the pinned clock: 02:00 UTC
    assert "T02:00" not in text and "+00:00" not in text


def test_foreign_sqlite_file_is_left_alone(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("create table customers(id integer)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(NotAZhibangDatabase):
        open_database(other)
    assert other.read_bytes() == before


def test_corrupt_file_is_never_rewritten(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    with pytest.raises(DatabaseCorrupt, match="不会修改"):
        open_database(bad)
    assert bad.read_bytes() == before


@pytest.mark.parametrize("path", [r"\\server\share\zhibang.sqlite3", "//server/share/zhibang.sqlite3"])
def test_unc_paths_are_network_paths(path):
    from pathlib import PureWindowsPath
    assert is_network_path(PureWindowsPath(path)) or is_network_path(path)


def test_network_path_refused():
    with pytest.raises(NetworkPathRefused, match="PostgreSQL"):
        open_database(r"\\server\share\zhibang.sqlite3")
