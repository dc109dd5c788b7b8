"""notices get their own document number (GS2026-001), printed instead of a database id

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notices') as batch:
        batch.add_column(sa.Column('number', sa.String(length=30), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, period_year, start_date FROM notices ORDER BY id")).all()
    seq: dict[int, int] = {}
    for notice_id, period_year, start_date in rows:
        year = period_year or int(str(start_date)[:4])
        seq[year] = seq.get(year, 0) + 1
        conn.execute(sa.text("UPDATE notices SET number = :n WHERE id = :i"),
                     {"n": f"GS{year}-{seq[year]:03d}", "i": notice_id})
    with op.batch_alter_table('notices') as batch:
        batch.create_unique_constraint(batch.f('uq_notices_number'), ['number'])


def downgrade() -> None:
    with op.batch_alter_table('notices') as batch:
        batch.drop_constraint(batch.f('uq_notices_number'), type_='unique')
        batch.drop_column('number')
