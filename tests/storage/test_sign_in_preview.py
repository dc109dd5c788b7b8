"""The look into a database file that lets the start show the sign-in window before loading
the rest: yes (with the office's name) only for a set-up office with users; any doubt is no."""
import sqlite3

import pytest

from zhibang_desktop.services.session import setup
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.lock import WriterLock, held_by_another
from zhibang_desktop.storage.sign_in_preview import office_ready_to_sign_in

pytestmark = pytest.mark.sqlite_only  # a local file's look; a server address always answers no


def test_a_set_up_office_with_users_is_ready_with_its_name(demo_copy):
    assert office_ready_to_sign_in(demo_copy) == "增城区总工会"
    assert office_ready_to_sign_in(str(demo_copy)) == "增城区总工会"


def test_the_look_writes_nothing(demo_copy):
    before = demo_copy.read_bytes()
    office_ready_to_sign_in(demo_copy)
    assert demo_copy.read_bytes() == before
    wal = demo_copy.with_name(demo_copy.name + "-wal")  # SQLite's read-only reader may leave it, empty
    assert not wal.exists() or wal.stat().st_size == 0


def test_an_office_without_users_is_not_ready(db_path):
    db = open_database(db_path)
    setup.initialise_office(db, "增城区总工会")
    db.close()
    assert office_ready_to_sign_in(db_path) is None


def test_a_file_not_set_up_is_not_ready(db_path):
    open_database(db_path).close()
    assert office_ready_to_sign_in(db_path) is None


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_an_empty_or_foreign_file_is_not_ready(tmp_path, content):
    path = tmp_path / "x.sqlite3"
    path.write_bytes(content)
    assert office_ready_to_sign_in(path) is None


def test_another_programs_database_is_not_ready(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("create table settings (key text, value text)")
    con.execute("insert into settings values ('office_name', 'not json')")
    con.commit()
    con.close()
    assert office_ready_to_sign_in(path) is None


@pytest.mark.parametrize("location", [None, "postgresql://clerk@server/zhibang"])
def test_no_file_or_a_server_is_not_ready(tmp_path, location):
    assert office_ready_to_sign_in(location) is None
    assert office_ready_to_sign_in(tmp_path / "missing.sqlite3") is None


@pytest.fixture
def another_program(demo_copy):
    """A second program holding the file's writer lock, as a second copy of 职帮 would."""
    import subprocess
    import sys

    hold = ("import sys\n"
            "from zhibang_desktop.storage.lock import WriterLock\n"
            f"lock = WriterLock({str(demo_copy)!r}); lock.acquire()\n"
            "print('held', flush=True); sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(30)


def test_a_file_another_program_has_open_is_not_ready_and_its_lock_is_untouched(demo_copy, another_program):
    lock_file = WriterLock(demo_copy).path
    before = lock_file.read_bytes()
    assert held_by_another(demo_copy)
    assert office_ready_to_sign_in(demo_copy) is None
    assert lock_file.read_bytes() == before  # the holder's pid and time, as it wrote them


def test_a_lock_file_left_by_a_program_that_ended_is_no_obstacle(demo_copy):
    lock = WriterLock(demo_copy)
    lock.acquire()
    lock.release()
    left = lock.path.read_bytes()
    assert not held_by_another(demo_copy) and office_ready_to_sign_in(demo_copy) == "增城区总工会"
    assert lock.path.read_bytes() == left
    lock.acquire()  # the look let go of it: the program can take it
    lock.release()


def test_no_lock_file_means_nobody_has_it_open_and_the_look_makes_none(demo_copy):
    assert not held_by_another(demo_copy) and office_ready_to_sign_in(demo_copy) == "增城区总工会"
    assert not WriterLock(demo_copy).path.exists()
