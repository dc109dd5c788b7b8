"""Copying every table of one zhibang database into another, empty one (SQLite → PostgreSQL).

Rows go across through SQLAlchemy Core in primary-key order and in chunks, parents before
children (the metadata's dependency order), with the same ids. PostgreSQL's id sequences are
then moved past the copied ids, and the copy is counted table by table.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from .models import Base

CHUNK = 2000


def data_tables():
    return [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in data_tables()}


def copy_all(source: Engine, target: Engine, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Copy every row in one target transaction; returns the rows copied per table."""
    tables = data_tables()
    copied: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for done, table in enumerate(tables):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = src.execute(select(table).order_by(*order)).mappings()
            n = 0
            while chunk := rows.fetchmany(CHUNK):
                dst.execute(table.insert(), [dict(r) for r in chunk])
                n += len(chunk)
            copied[table.name] = n
            if progress:
                progress(done + 1, len(tables))
        if dst.dialect.name == "postgresql":
            _advance_sequences(dst, tables)
    return copied


def _advance_sequences(conn, tables) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": table.name, "c": column.name}).scalar_one_or_none()
            if seq:
                conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'),
                             {"s": seq})
