"""Migration 0008 (issue 14, city mode): an office database from before it keeps every row and
seal and exactly today's uniqueness — one archive number, ID number and request number each —
while rows of another archive scope (an imported county) may repeat them."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.migrate import alembic_config, current_revision, head_revision
from zhibang_desktop.storage.models import ExchangeImport, Household, Payment, ReliefRequest

# downgrading and upgrading the demo office's SQLite file.
pytestmark = pytest.mark.sqlite_only

TABLES = (Household, ReliefRequest, Payment)


def _counts(db):
    with db.session() as s:
        return {m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one() for m in TABLES}


@pytest.fixture
def upgraded(demo_copy):
    db = open_database(demo_copy)
    before = _counts(db)
    with db.engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # as the app migrates
        with conn.begin():
            command.downgrade(alembic_config(conn), "0007")
    db.close()
    db = open_database(demo_copy)  # migrates forward again, as a start of the new version does
    yield db, before
    db.close()


def test_old_office_keeps_its_rows_seals_and_uniqueness(upgraded):
    db, before = upgraded
    with db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    assert _counts(db) == before
    checks = run_checks(db)
    assert checks.ok, [(i.name, i.detail) for i in checks.items if not i.ok]
    with db.session() as s:
        assert set(s.execute(select(Household.archive_scope)).scalars()) == {""}
        assert s.execute(select(func.count()).select_from(ExchangeImport)).scalar_one() == 0
        h = s.execute(select(Household).limit(1)).scalar_one()
        row = {c.name: getattr(h, c.name) for c in Household.__table__.c if c.name != "id"}
    for clash in ({"id_number": "110101199003071234"}, {"archive_no": "XX-NEW-1"}):
        with pytest.raises(IntegrityError), db.session() as s:  # the office's own archive: unique as before
            s.execute(insert(Household.__table__), [row | clash])
    with db.session() as s:  # the same numbers in another county's archive (a city's database)
        s.execute(insert(Household.__table__), [row | {"archive_scope": "CH"}])
        assert s.execute(select(func.count()).where(Household.id_number == row["id_number"])).scalar_one() == 2
    with db.engine.connect() as conn:  # the search index survived the rebuild of `households` and follows it
        triggers = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                        "AND tbl_name = 'households'").scalars().all()
        assert {"households_fts_ai", "households_fts_ad", "households_fts_au"} <= set(triggers)
        found = conn.exec_driver_sql("SELECT count(*) FROM households_fts WHERE households_fts MATCH ?",
                                     (f'"{row["id_number"]}"',)).scalar_one()
        assert found == 2
