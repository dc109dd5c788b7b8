"""version columns on users, unions and budget lines

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:00:00

Two people editing the same user, union or budget line at once (server mode): the second
save is refused and told who changed what. Existing rows start at version 1.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ('users', 'org_units', 'budget_lines')


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite 3.35+ and PostgreSQL): no table rebuild, so the
# rows other tables point to are never dropped and re-created.
def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_column(table, 'version')
