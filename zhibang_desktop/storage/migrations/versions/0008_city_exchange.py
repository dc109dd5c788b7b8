"""city mode: archive scopes and the import record

Archive numbers, ID numbers and request numbers become unique per archive scope instead of
globally.  Every existing row gets scope "" (the office's own archive), so a county's database
keeps exactly its old uniqueness; a city union's database gives each imported county's rows
that county's union code.  The org_units get the same scope and the county's own union number,
payments the scope, and exchange_imports records each imported file.  A county's request has
no policy version in the city (its policy stays home), hence policy_version_id may be NULL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 14:44:15.744646
"""
from importlib import import_module

from alembic import op
import sqlalchemy as sa
import zhibang_desktop.storage.types

search_index = import_module("zhibang_desktop.storage.migrations.versions.0006_search_index")


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _rebuild_search_index() -> None:
    """The batch rebuild of `households` on SQLite dropped the FTS triggers with the old table
    (see 0006): make the index and its triggers again over the new table."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for trigger in ("households_fts_ai", "households_fts_ad", "households_fts_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {search_index.FTS}")
    for ddl in search_index.SQLITE_DDL:
        conn.exec_driver_sql(ddl)


def upgrade() -> None:
    op.create_table('exchange_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=40), nullable=False),
    sa.Column('county_name', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('layout_version', sa.Integer(), nullable=False),
    sa.Column('exported_at', sa.String(length=30), nullable=False),
    sa.Column('exported_by', sa.String(length=50), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('budgets', sa.JSON(), nullable=False),
    sa.Column('allocations', sa.JSON(), nullable=False),
    sa.Column('imported_at', zhibang_desktop.storage.types.UTCDateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=50), nullable=False),
    sa.Column('imported_by_name', sa.String(length=50), nullable=False),
    sa.Column('replaced_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['replaced_by'], ['exchange_imports.id'], name=op.f('fk_exchange_imports_replaced_by_exchange_imports'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_exchange_imports_unit_id_org_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_imports'))
    )
    with op.batch_alter_table('exchange_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_imports_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_imports_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_imports_year'), ['year'], unique=False)

    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archive_scope', sa.String(length=40), server_default='', nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_households_archive_no'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_households_id_number'), type_='unique')
        batch_op.create_index(batch_op.f('ix_households_archive_no'), ['archive_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_id_number'), ['id_number'], unique=False)
        batch_op.create_unique_constraint('uq_households_scope_archive_no', ['archive_scope', 'archive_no'])
        batch_op.create_unique_constraint('uq_households_scope_id_number', ['archive_scope', 'id_number'])
    _rebuild_search_index()

    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archive_scope', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_org_units_archive_scope'), ['archive_scope'], unique=False)

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archive_scope', sa.String(length=40), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_payments_archive_scope'), ['archive_scope'], unique=False)

    with op.batch_alter_table('relief_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archive_scope', sa.String(length=40), server_default='', nullable=False))
        batch_op.alter_column('policy_version_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('uq_relief_requests_number'), type_='unique')
        batch_op.create_index(batch_op.f('ix_relief_requests_number'), ['number'], unique=False)
        batch_op.create_unique_constraint('uq_relief_requests_scope_number', ['archive_scope', 'number'])



def downgrade() -> None:
    with op.batch_alter_table('relief_requests', schema=None) as batch_op:
        batch_op.drop_constraint('uq_relief_requests_scope_number', type_='unique')
        batch_op.drop_index(batch_op.f('ix_relief_requests_number'))
        batch_op.create_unique_constraint(batch_op.f('uq_relief_requests_number'), ['number'])
        batch_op.alter_column('policy_version_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('archive_scope')

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_archive_scope'))
        batch_op.drop_column('archive_scope')

    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_units_archive_scope'))
        batch_op.drop_column('source_unit_id')
        batch_op.drop_column('archive_scope')

    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_constraint('uq_households_scope_id_number', type_='unique')
        batch_op.drop_constraint('uq_households_scope_archive_no', type_='unique')
        batch_op.drop_index(batch_op.f('ix_households_id_number'))
        batch_op.drop_index(batch_op.f('ix_households_archive_no'))
        batch_op.create_unique_constraint(batch_op.f('uq_households_id_number'), ['id_number'])
        batch_op.create_unique_constraint(batch_op.f('uq_households_archive_no'), ['archive_no'])
        batch_op.drop_column('archive_scope')
    _rebuild_search_index()

    with op.batch_alter_table('exchange_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_imports_year'))
        batch_op.drop_index(batch_op.f('ix_exchange_imports_unit_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_imports_county_code'))

    op.drop_table('exchange_imports')
