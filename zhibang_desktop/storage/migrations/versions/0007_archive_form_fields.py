"""the rest of the 困难职工家庭档案表's head-of-household fields (政治面貌, 婚姻状况, 住房, 残疾,
单位性质, 企业状况, 医保, 零就业家庭, 建档人, 审核人, the unions' opinions); existing households
keep their data and get the new fields empty (零就业家庭: 否)

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_COLUMNS = (
    ('political_status', sa.String(length=20)),
    ('marital_status', sa.String(length=16)),
    ('housing_type', sa.String(length=20)),
    ('housing_area_x100', sa.Integer()),
    ('disability_category', sa.String(length=16)),
    ('disability_grade', sa.String(length=2)),
    ('employer_nature', sa.String(length=20)),
    ('enterprise_status', sa.String(length=16)),
    ('medical_insurance', sa.String(length=16)),
    ('archived_by', sa.String(length=50)),
    ('reviewed_by', sa.String(length=50)),
    ('grassroots_opinion', sa.Text()),
    ('grassroots_opinion_on', sa.Date()),
    ('upper_opinion', sa.Text()),
    ('upper_opinion_on', sa.Date()),
)


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild): the sealed columns and every row stay as they were.
    with op.batch_alter_table('households', recreate='never') as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(sa.Column('zero_employment', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), never a rebuild: rebuilding households with
    # foreign keys on would cascade into its members, visits and attachments.
    with op.batch_alter_table('households', recreate='never') as batch:
        batch.drop_column('zero_employment')
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
