"""archive search index: search_grams, FTS5 trigram table (SQLite) or pg_trgm indexes
(PostgreSQL, where the server has the extension), and the counts' index

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

from zhibang_desktop.domain.search_grams import short_grams

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

FTS = "households_fts"
# Kept by triggers, so every write (the services, bulk inserts, imports, a restored older file
# migrated forward) updates the index in the same transaction. A later migration that rebuilds
# `households` in batch mode drops these triggers with the old table: it must run SQLITE_DDL again.
SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, search_grams, content='households', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER households_fts_ai AFTER INSERT ON households BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text, search_grams) VALUES (new.id, new.search_text, new.search_grams); END",
    f"CREATE TRIGGER households_fts_ad AFTER DELETE ON households BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text, search_grams) "
    "VALUES ('delete', old.id, old.search_text, old.search_grams); END",
    f"CREATE TRIGGER households_fts_au AFTER UPDATE OF search_text, search_grams ON households BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text, search_grams) "
    "VALUES ('delete', old.id, old.search_text, old.search_grams); "
    f"INSERT INTO {FTS}(rowid, search_text, search_grams) VALUES (new.id, new.search_text, new.search_grams); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
PG_TRGM_INDEXES = [
    "CREATE INDEX ix_households_search_text_trgm ON households USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX ix_households_search_grams_trgm ON households USING gin (search_grams gin_trgm_ops)",
]


def _fill_grams(conn) -> None:
    households = sa.table("households", sa.column("id", sa.Integer), sa.column("search_text", sa.Text),
                          sa.column("search_grams", sa.Text))
    rows = conn.execute(sa.select(households.c.id, households.c.search_text)).all()
    update = households.update().where(households.c.id == sa.bindparam("hid")).values(
        search_grams=sa.bindparam("grams"))
    for start in range(0, len(rows), 5000):
        conn.execute(update, [{"hid": hid, "grams": short_grams(text)} for hid, text in rows[start:start + 5000]])


def _pg_trgm(conn) -> None:
    """pg_trgm is a contrib extension the server may not have (or this user may not create):
    without it the search still works, reading the table."""
    savepoint = conn.begin_nested()
    try:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for ddl in PG_TRGM_INDEXES:
            conn.exec_driver_sql(ddl)
    except sa.exc.DBAPIError:
        savepoint.rollback()
    else:
        savepoint.commit()


def upgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_grams', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index('ix_households_status_category_due', ['status', 'category', 'next_visit_due'],
                              unique=False)
    conn = op.get_bind()
    _fill_grams(conn)
    if conn.dialect.name == "sqlite":
        for ddl in SQLITE_DDL:
            conn.exec_driver_sql(ddl)
    elif conn.dialect.name == "postgresql":
        _pg_trgm(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for trigger in ("households_fts_ai", "households_fts_ad", "households_fts_au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS}")
    elif conn.dialect.name == "postgresql":
        for name in ("ix_households_search_text_trgm", "ix_households_search_grams_trgm"):
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), not a batch rebuild: dropping the old
    # households table would trip the foreign keys of its members, visits and requests.
    op.drop_index('ix_households_status_category_due', table_name='households')
    op.drop_column('households', 'search_grams')
