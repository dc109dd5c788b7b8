"""Opening an office's database for the GUI and the CLI.

`ui/` and `cli/` never import `storage/`: they open the file here and hold the returned
`Database` handle (passed on in every `AppContext`); the errors below say in Chinese why
a file cannot be opened (damaged, another program's, on a network drive, in use).
"""
from __future__ import annotations

from pathlib import Path

from ...storage.database import (
    BadDatabaseAddress, Database, DatabaseCorrupt, DatabaseError, DatabaseLocked, DatabaseMissing, PasswordNeeded,
    open_database,
)

__all__ = ["BadDatabaseAddress", "Database", "DatabaseCorrupt", "DatabaseError", "DatabaseLocked", "DatabaseMissing",
           "PasswordNeeded", "open_office_database"]


def open_office_database(path: Path | str, *, create: bool = True, password: str | None = None) -> Database:
    """Open the database file at `path`: created if new (only when `create`; else
    `DatabaseMissing`), checked, migrated to this version of the program, and locked for this
    process as its one writer. A server address (`postgresql://user@host/db`) opens the
    database on the server instead (many clients at once; `password` when the server asked
    for one that .pgpass and PGPASSWORD did not give: PasswordNeeded)."""
    return open_database(path, create=create, password=password)
