"""funds and budgets: fund sources, budget lines, adjustments, allocations, carry-over, draws

New tables only; no existing row is touched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 08:22:13.513670
"""
from alembic import op
import sqlalchemy as sa
import zhibang_desktop.storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fund_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('allowed_relief_types', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', zhibang_desktop.storage.types.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_sources')),
    sa.UniqueConstraint('code', name=op.f('uq_fund_sources_code')),
    sa.UniqueConstraint('name', name=op.f('uq_fund_sources_name'))
    )
    op.create_table('budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('programme', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('initial_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('set_on', sa.Date(), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', zhibang_desktop.storage.types.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['fund_sources.id'], name=op.f('fk_budget_lines_source_id_fund_sources'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_budget_lines_unit_id_org_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_lines')),
    sa.UniqueConstraint('year', 'source_id', 'programme', 'unit_id', name='uq_budget_lines_year_source_programme_unit')
    )
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_lines_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_lines_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_lines_year'), ['year'], unique=False)

    op.create_table('budget_adjustments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('adjusted_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=False),
    sa.Column('created_at', zhibang_desktop.storage.types.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['budget_lines.id'], name=op.f('fk_budget_adjustments_line_id_budget_lines'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_adjustments'))
    )
    with op.batch_alter_table('budget_adjustments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_adjustments_line_id'), ['line_id'], unique=False)

    op.create_table('budget_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('allocated_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reported_spent_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('report_note', sa.Text(), nullable=False),
    sa.Column('reported_by', sa.String(length=50), nullable=True),
    sa.Column('created_at', zhibang_desktop.storage.types.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['budget_lines.id'], name=op.f('fk_budget_allocations_line_id_budget_lines'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_budget_allocations_unit_id_org_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_allocations'))
    )
    with op.batch_alter_table('budget_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_allocations_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_allocations_unit_id'), ['unit_id'], unique=False)

    op.create_table('budget_carry_overs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_line_id', sa.Integer(), nullable=False),
    sa.Column('to_line_id', sa.Integer(), nullable=False),
    sa.Column('computed_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('amount_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=False),
    sa.Column('confirmed_by', sa.String(length=50), nullable=False),
    sa.Column('confirmed_at', zhibang_desktop.storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['from_line_id'], ['budget_lines.id'], name=op.f('fk_budget_carry_overs_from_line_id_budget_lines'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['to_line_id'], ['budget_lines.id'], name=op.f('fk_budget_carry_overs_to_line_id_budget_lines'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_carry_overs')),
    sa.UniqueConstraint('from_line_id', name=op.f('uq_budget_carry_overs_from_line_id'))
    )
    with op.batch_alter_table('budget_carry_overs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_carry_overs_to_line_id'), ['to_line_id'], unique=False)

    op.create_table('budget_draws',
    sa.Column('line_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('budget_line_id', sa.Integer(), nullable=False),
    sa.Column('overdraw_reason', sa.Text(), nullable=True),
    sa.Column('drawn_on', sa.Date(), nullable=False),
    sa.Column('drawn_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['budget_line_id'], ['budget_lines.id'], name=op.f('fk_budget_draws_budget_line_id_budget_lines'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['line_id'], ['disbursement_lines.id'], name=op.f('fk_budget_draws_line_id_disbursement_lines'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('line_id', name=op.f('pk_budget_draws'))
    )
    with op.batch_alter_table('budget_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_draws_budget_line_id'), ['budget_line_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('budget_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_draws_budget_line_id'))

    op.drop_table('budget_draws')
    with op.batch_alter_table('budget_carry_overs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_carry_overs_to_line_id'))

    op.drop_table('budget_carry_overs')
    with op.batch_alter_table('budget_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_allocations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_budget_allocations_line_id'))

    op.drop_table('budget_allocations')
    with op.batch_alter_table('budget_adjustments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_adjustments_line_id'))

    op.drop_table('budget_adjustments')
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_lines_year'))
        batch_op.drop_index(batch_op.f('ix_budget_lines_unit_id'))
        batch_op.drop_index(batch_op.f('ix_budget_lines_source_id'))

    op.drop_table('budget_lines')
    op.drop_table('fund_sources')
