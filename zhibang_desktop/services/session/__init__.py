"""Starting work on an office's database: opening it, the first-run setup of a new office,
and restoring a backup over the database in use. Signing in is `admin.users.authenticate`."""
from .database import (
    BadDatabaseAddress, Database, DatabaseCorrupt, DatabaseError, DatabaseLocked, DatabaseMissing, PasswordNeeded,
    open_office_database,
)
from .restore import RestoreOutcome, close_restore_reopen, restore_damaged
from .setup import UnitSpec, initialise_office

__all__ = [
    "BadDatabaseAddress", "Database", "DatabaseCorrupt", "DatabaseError", "DatabaseLocked", "DatabaseMissing", "PasswordNeeded", "RestoreOutcome", "UnitSpec",
    "close_restore_reopen", "initialise_office", "open_office_database", "restore_damaged",
]
