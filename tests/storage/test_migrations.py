"""The shipped migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest

from zhibang_desktop.storage.models import Base
from zhibang_desktop.storage.search_index import include_object


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                   "include_object": include_object}), Base.metadata)
    assert diff == [], "models changed without a migration: " + repr(diff[:5])


@pytest.mark.sqlite_only  # a SQLite pragma; PostgreSQL always enforces foreign keys
def test_foreign_keys_are_on_after_migrating(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


@pytest.mark.sqlite_only  # builds an old SQLite file
def test_0002_numbers_existing_notices_per_year_in_order(tmp_path):
    """A database made before notices had numbers: each keeps its data and gets GS<year>-<seq>."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.storage.migrate import alembic_config

    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        for title, year, start in (("一季度", 2026, "2026-03-02"), ("去年", None, "2025-12-01"),
                                   ("二季度", 2026, "2026-06-01")):
            conn.execute(text(
                "INSERT INTO notices (title, relief_types, period_year, start_date, working_days, end_date,"
                " object_to, phone, place, intro, show_masked_id, status, created_at, created_by, version)"
                " VALUES (:t, '[]', :y, :s, 5, :s, '', '', '', '', 0, 'draft', '2026-01-01 00:00:00', 'clerk', 1)"),
                {"t": title, "y": year, "s": start})
    engine.dispose()
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT title, number FROM notices ORDER BY id")).all()
    finally:
        db.close()
    assert rows == [("一季度", "GS2026-001"), ("去年", "GS2025-001"), ("二季度", "GS2026-002")]


@pytest.mark.sqlite_only  # takes a SQLite file back to the previous version
def test_0010_gives_users_unions_and_budget_lines_a_version_and_keeps_their_rows(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, inspect, text

    from zhibang_desktop.services.context import SYSTEM, AppContext
    from zhibang_desktop.services.funds import add_budget
    from zhibang_desktop.services.admin.users import create_admin
    from zhibang_desktop.services.relief.policies import use_preset
    from zhibang_desktop.services.session.setup import UnitSpec, initialise_office
    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.storage.migrate import alembic_config

    path = tmp_path / "old.sqlite3"
    db = open_database(path)
    initialise_office(db, "增城区总工会", region="广州市增城区", archive_prefix="ZC", units=[UnitSpec("荔城街总工会", "street")])
    create_admin(db, "admin", "Secret123")
    ctx = AppContext(db, SYSTEM)
    use_preset(ctx, "增城", 2026)
    add_budget(ctx, 2026, "工会经费", 480_000_00)
    db.close()
    tables = ("users", "org_units", "budget_lines")

    def rows(conn):
        return {t: conn.execute(text(f"SELECT id FROM {t} ORDER BY id")).all() for t in tables}

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0009")
        assert all("version" not in {c["name"] for c in inspect(conn).get_columns(t)} for t in tables)
        before = rows(conn)
    engine.dispose()
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert rows(conn) == before and all(before.values())
            for t in tables:
                assert conn.execute(text(f"SELECT DISTINCT version FROM {t}")).scalars().all() == [1]
    finally:
        db.close()
