"""An upgrade of the program keeps the data: before an existing database is migrated, a copy of
it as it was is written beside it (what the installer's upgrade relies on)."""
from __future__ import annotations

import sqlite3

from alembic import command
from sqlalchemy import text

from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.migrate import alembic_config, head_revision


def _old_office(path):
    old = open_database(path, migrate=False)
    with old.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('office_name', '\"测试区总工会\"')"))
    old.close()


def test_the_database_is_copied_as_it_was_before_it_is_migrated(tmp_path):
    path = tmp_path / "zhibang.sqlite3"
    _old_office(path)

    open_database(path).close()

    copies = list(tmp_path.glob("zhibang.before-migration-0001-*.sqlite3"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert con.execute("SELECT value FROM settings WHERE key = 'office_name'").fetchone() == ('"测试区总工会"',)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        assert con.execute("SELECT value FROM settings WHERE key = 'office_name'").fetchone() == ('"测试区总工会"',)

    open_database(path).close()  # already at head: no second copy
    assert len(list(tmp_path.glob("zhibang.before-migration-*"))) == 1
