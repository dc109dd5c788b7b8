"""Read-only transactions (searches, lists) begin DEFERRED: a writer commits while one is open,
and a read-only transaction that tries to write is refused. The page cache is large."""
import threading

import pytest
from sqlalchemy import select, text

from zhibang_desktop.storage.database import CACHE_KIB, MMAP_BYTES, open_database
from zhibang_desktop.storage.models import Setting
from zhibang_desktop.storage.write_lock import WriteInReadOnlySession

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.close()


def test_a_writer_commits_while_a_read_only_transaction_is_open(db):
    with db.session(read_only=True) as reader:
        reader.execute(select(Setting)).all()  # the snapshot is taken
        done = threading.Event()

        def write():
            with db.session() as writer:
                writer.add(Setting(key="written_during_read", value=1))
            done.set()

        thread = threading.Thread(target=write)
        thread.start()
        assert done.wait(5), "the writer waited for a read-only transaction"
        thread.join()
        assert reader.get(Setting, "written_during_read") is None  # still its own snapshot
    with db.session(read_only=True) as later:
        assert later.get(Setting, "written_during_read").value == 1


def test_an_ordinary_transaction_still_takes_the_write_lock_first(db):
    with db.session() as first:
        first.execute(select(Setting)).all()
        assert first.connection().exec_driver_sql("select 1").scalar() == 1
        blocked = threading.Event()

        def second_writer():
            with db.engine.connect() as conn:
                try:
                    conn.exec_driver_sql("PRAGMA busy_timeout=100")
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                    conn.exec_driver_sql("ROLLBACK")
                except Exception:  # noqa: BLE001 — "database is locked" is the point
                    blocked.set()

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join()
        assert blocked.is_set()


def test_a_write_in_a_read_only_transaction_is_refused_and_nothing_is_kept(db):
    with pytest.raises(WriteInReadOnlySession):
        with db.session(read_only=True) as s:
            s.add(Setting(key="sneaked_in", value=1))
            s.flush()
    with db.session() as s:
        assert s.get(Setting, "sneaked_in") is None


def test_page_cache_and_memory_map_are_set(db):
    with db.session(read_only=True) as s:
        assert s.execute(text("PRAGMA cache_size")).scalar_one() == -CACHE_KIB
        assert s.execute(text("PRAGMA mmap_size")).scalar_one() == MMAP_BYTES
