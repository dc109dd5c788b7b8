"""A database made before the follow-up, complaint and cross-check tables (revision 0008) opens,
keeps its households and gets the new tables: a complaint and a cross-check list work on them."""
from __future__ import annotations

from datetime import date

import pytest
from alembic import command

from tests.archive_helpers import archived, household, id_no
from tests.services.casework_helpers import write_list
from zhibang_desktop.services import archive, casework
from zhibang_desktop.services.admin import audit
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.session.setup import UnitSpec, initialise_office
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.migrate import alembic_config, current_revision, head_revision

pytestmark = pytest.mark.sqlite_only  # upgrading an old SQLite office file


def test_an_office_from_before_issue_18_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = open_database(path)  # an office made by today's program, then taken back to revision 0008
    ctx = AppContext(old, SYSTEM)
    initialise_office(old, "增城区总工会", archive_prefix="ZC", units=[
        UnitSpec("荔城街总工会", "street"), UnitSpec("荔城街某某电子厂工会", "grassroots", "荔城街总工会")])
    kept = archived(ctx, household(ctx, "曾小明", id_number=id_no(5)))
    with old.engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # batch rebuilds, as the app migrates
        with conn.begin():
            command.downgrade(alembic_config(conn), "0008")
    old.close()

    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
        ctx = AppContext(db, SYSTEM)
        rows = archive.search_households(ctx, HouseholdFilter()).rows
        assert [(r.id, r.name, r.archive_no) for r in rows] == [(kept.id, "曾小明", kept.archive_no)]
        assert len(archive.get_household(ctx, kept.id).visits) == 1
        complaint = casework.add_complaint(ctx, casework.ComplaintInput(
            date(2026, 11, 20), "phone", "匿名", "反映情况", household_id=kept.id))
        assert complaint.number.startswith("TS2026-")
        listed = write_list(tmp_path / "公安.xlsx", ["身份证号", "是否死亡"], [[id_no(5), "是"]])
        result = casework.import_crosscheck(ctx, listed, "公安")
        assert [(f.household_id, f.kind) for f in result.findings] == [(kept.id, "deceased")]
        assert audit.verify_chain(ctx).ok
    finally:
        db.close()
    assert list(tmp_path.glob("old.before-migration-0008-*"))
