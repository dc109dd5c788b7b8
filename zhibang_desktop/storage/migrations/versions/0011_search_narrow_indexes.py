"""narrow indexes on the households' (id, archive_no) and (id, status, category, next_visit_due),
from which a search orders and counts the ids it matched without reading their rows

Revision ID: 0011
Revises: 0010
"""
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_households_id_archive_no', ['id', 'archive_no']),
    ('ix_households_id_counted', ['id', 'status', 'category', 'next_visit_due']),
)


# Plain CREATE INDEX (no table rebuild: the search index's triggers stay as they are).
def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, 'households', columns)


def downgrade() -> None:
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name='households')
