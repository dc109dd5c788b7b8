"""A database made before the funds tables (revision 0001) opens, keeps its data and gets them."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from zhibang_desktop.services import funds
from zhibang_desktop.services.admin import audit, org
from zhibang_desktop.services.relief import policies
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.migrate import alembic_config, current_revision, head_revision


# upgrading an old SQLite office file.
pytestmark = pytest.mark.sqlite_only


def test_an_office_from_before_the_funds_tables_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = open_database(path, migrate=False)
    with old.engine.begin() as conn:  # the rows as revision 0001 stored them (today's models have more columns)
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('office_name', '\"海口市总工会\"')"))
        conn.execute(text("INSERT INTO org_units (id, name, level, parent_id, active, sort_order) VALUES "
                          "(1, '海口市总工会', 'district', NULL, 1, 0), (2, '龙华区总工会', 'street', 1, 1, 1)"))
    old.close()

    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
        ctx = AppContext(db, SYSTEM)
        assert [u.name for u in org.list_units(ctx)] == ["海口市总工会", "龙华区总工会"]
        assert audit.verify_chain(ctx).ok
        policies.use_preset(ctx, "海口", 2026)
        line = funds.add_budget(ctx, 2026, "省总工会", 103_009_700)
        assert funds.get_budget(ctx, line.id).figures.budget_fen == 103_009_700
    finally:
        db.close()
    assert list(tmp_path.glob("old.before-migration-0001-*"))
