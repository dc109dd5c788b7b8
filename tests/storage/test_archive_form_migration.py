"""Upgrading an office database made before the 档案表 fields (migration 0007): every household,
member and visit is kept, the new fields start empty, seals and `check` stay clean, and the
fields can then be filled in."""
from __future__ import annotations

from dataclasses import replace

import pytest
from alembic import command
from sqlalchemy import inspect, text

from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.services.archive.fields import FORM_FIELDS
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.migrate import alembic_config, current_revision, head_revision

pytestmark = pytest.mark.sqlite_only

COLUMNS = ("id, archive_no, status, category, unit_id, name, id_number, bank_account, address, health, "
           "causes, total_income_fen, archived_on, next_visit_due, version")
NEW = ("political_status", "housing_area_x100", "zero_employment", "upper_opinion_on")


def _state(conn):
    return (conn.execute(text(f"SELECT {COLUMNS} FROM households ORDER BY id")).all(),
            conn.execute(text("SELECT * FROM family_members ORDER BY id")).all(),
            conn.execute(text("SELECT * FROM visits ORDER BY id")).all())


@pytest.fixture
def old_office(demo_copy):
    """The demo office as revision 0006 stored it (before the 档案表 fields)."""
    db = open_database(demo_copy)
    with db.engine.connect() as conn:
        # later revisions rebuild tables on the way down (batch mode): foreign keys off, as the app
        # migrates; 0007 itself adds and drops columns without a rebuild
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            command.downgrade(alembic_config(conn), "0006")
        before = _state(conn)
        assert not set(NEW) & {c["name"] for c in inspect(conn).get_columns("households")}
    db.close()
    return demo_copy, before


def test_an_office_from_before_the_form_fields_keeps_everything(old_office):
    path, before = old_office
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            assert _state(conn) == before
            assert len(before[0]) > 100 and before[1] and before[2]
            empty = conn.execute(text("SELECT count(*) FROM households WHERE political_status IS NULL "
                                      "AND housing_area_x100 IS NULL AND zero_employment = 0 "
                                      "AND upper_opinion_on IS NULL")).scalar_one()
            assert empty == len(before[0])
        assert [i.name for i in run_checks(db).items if not i.ok] == []
        clerk = AppContext(db, users.authenticate(db, "clerk", "demo1234"))
        hid = before[0][0][0]
        view = archive.get_household(clerk, hid)
        assert all(getattr(view.data, f) in (None, False) for f in FORM_FIELDS)
        filled = replace(view.data, political_status="masses", housing_type="owned", housing_area_x100=5200,
                         zero_employment=True, archived_by="陈晓")
        saved = archive.update_household(clerk, hid, view.version, filled)
        assert (saved.data.housing_area_x100, saved.data.zero_employment) == (5200, True)
        assert [i.name for i in run_checks(db).items if not i.ok] == []
    finally:
        db.close()
    assert list(path.parent.glob("demo.before-migration-0006-*"))
