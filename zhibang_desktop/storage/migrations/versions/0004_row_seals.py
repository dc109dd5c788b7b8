"""row seals and signed audit entries (tamper evidence, issue 10)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('row_seals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=40), nullable=False),
    sa.Column('audit_seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_row_seals'))
    )
    op.create_index('ix_row_seals_row', 'row_seals', ['table_name', 'row_id', 'id'], unique=False)
    op.create_index(op.f('ix_row_seals_audit_seq'), 'row_seals', ['audit_seq'], unique=False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
    _seal_existing_rows()


def _seal_existing_rows() -> None:
    """Rows written before seals existed get a baseline seal (audit_seq 0), so that an upgraded
    office's users can still log in and `check` reports only what changes from here on."""
    from zhibang_desktop.storage.row_hashes import BASELINE_SEQ, SEALED, _columns, current_hashes

    conn = op.get_bind()
    inspector = sa.inspect(conn)
    seals = sa.table('row_seals', sa.column('table_name'), sa.column('row_id'), sa.column('audit_seq'),
                     sa.column('hash'))
    for table in SEALED:
        present = {c['name'] for c in inspector.get_columns(table)}
        if not all(c.name in present for c in _columns(table)):
            continue  # a later revision that adds sealed columns seals these rows itself
        rows = [{'table_name': table, 'row_id': rid, 'audit_seq': BASELINE_SEQ, 'hash': h}
                for rid, h in current_hashes(conn, table)]
        for start in range(0, len(rows), 1000):
            conn.execute(seals.insert(), rows[start:start + 1000])


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('mac')
        batch_op.drop_column('seal_digest')
    op.drop_index(op.f('ix_row_seals_audit_seq'), table_name='row_seals')
    op.drop_index('ix_row_seals_row', table_name='row_seals')
    op.drop_table('row_seals')
