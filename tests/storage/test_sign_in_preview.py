"""The look into a database file that lets the start show the sign-in window before loading
the rest: yes (with the office's name) only for a set-up office with users; any doubt is no."""
import sqlite3

import pytest

from zhibang_desktop.services.session import setup
from zhibang_desktop.storage.database import open_database
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
