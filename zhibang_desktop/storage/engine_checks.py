"""What each engine itself says about a database's health (`zhibang check`): SQLite's
integrity and foreign-key pragmas, PostgreSQL's version and any foreign key switched off.
Engine-specific SQL lives here and in the engine set-up, never in the services."""
from __future__ import annotations

from sqlalchemy import text


def sqlite_integrity(session) -> tuple[list[str], list[tuple]]:
    """`PRAGMA integrity_check` lines (["ok"] when whole) and `PRAGMA foreign_key_check` rows
    (table, row id, table it points to)."""
    rows = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
    return rows, [tuple(r) for r in session.execute(text("PRAGMA foreign_key_check")).all()]


def server_version(session) -> str:
    return session.execute(text("SHOW server_version")).scalar_one().split()[0]


def server_foreign_keys_off(session) -> list[tuple[str, str]]:
    """(table, constraint) of each foreign key marked NOT VALID or whose triggers were disabled."""
    return [tuple(r) for r in session.execute(text(
        "SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND (NOT c.convalidated "
        "OR EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgconstraint = c.oid AND t.tgenabled = 'D'))")).all()]
