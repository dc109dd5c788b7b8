"""The archive search's index objects that the models do not describe (created by migration
0006): the FTS5 table on SQLite with its shadow tables, the pg_trgm indexes on PostgreSQL.
Schema comparisons leave them out."""
from __future__ import annotations

FTS_TABLE = "households_fts"
TRGM_INDEXES = ("ix_households_search_text_trgm", "ix_households_search_grams_trgm")


def is_search_index(name: str | None, type_: str) -> bool:
    if type_ == "table":
        return bool(name) and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    return type_ == "index" and name in TRGM_INDEXES


def include_object(_object, name, type_, _reflected, _compare_to) -> bool:
    """Alembic's filter: everything but the search index objects."""
    return not is_search_index(name, type_)
