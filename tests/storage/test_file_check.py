"""The start's file check begun before the GUI's imports: used when the file is unchanged,
run again when anything wrote to it meanwhile, never a way past a damaged file."""
import sqlite3

import pytest

from zhibang_desktop.storage import file_check
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.errors import DatabaseCorrupt

pytestmark = pytest.mark.sqlite_only  # a file's check; a server checks its own


@pytest.fixture
def checks(monkeypatch):
    """Every quick_check run, by path."""
    runs = []
    real = file_check.quick_check

    def counting(path):
        runs.append(path)
        real(path)
    monkeypatch.setattr(file_check, "quick_check", counting)
    monkeypatch.setattr(file_check, "_begun", {})
    return runs


@pytest.fixture
def closed_db(db_path):
    open_database(db_path).close()
    return db_path


def test_a_check_begun_early_serves_the_open(closed_db, checks):
    file_check.begin_check(closed_db)
    open_database(closed_db).close()
    assert len(checks) == 1


def test_a_file_written_after_the_check_began_is_checked_again(closed_db, checks):
    file_check.begin_check(closed_db)
    file_check._begun[closed_db.resolve()].result()
    con = sqlite3.connect(closed_db)
    con.execute("CREATE TABLE written_meanwhile (x)")
    con.commit()
    con.close()
    open_database(closed_db).close()
    assert len(checks) == 2


def test_a_damaged_file_begun_early_is_still_refused(tmp_path, checks):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    file_check.begin_check(bad)
    with pytest.raises(DatabaseCorrupt, match="不会修改"):
        open_database(bad)
    assert bad.read_bytes() == before
    assert len(checks) == 1


@pytest.mark.parametrize("location", [None, "postgresql://clerk@server/zhibang", "missing.sqlite3", "empty.sqlite3",
                                      "//server/share/zhibang.sqlite3"])
def test_nothing_is_begun_for_what_is_not_a_local_file(tmp_path, checks, location):
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    given = location if location is None or "/" in location else tmp_path / location
    file_check.begin_check(given)
    assert file_check._begun == {} and checks == []


def test_the_gui_start_begins_the_check_before_importing_the_gui(closed_db, checks, monkeypatch):
    import zhibang_desktop.cli as cli
    import zhibang_desktop.ui.app as gui

    seen = []
    monkeypatch.setattr(cli, "display_missing", lambda: None)
    monkeypatch.setattr(gui, "run_gui", lambda db_path=None: seen.append((db_path, dict(file_check._begun))) or 0)
    assert cli.main(["--db", str(closed_db)]) == 0
    assert seen and seen[0][0] == str(closed_db) and list(seen[0][1]) == [closed_db.resolve()]
