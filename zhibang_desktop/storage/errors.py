"""Why a database cannot be opened or migrated; each message says it in Chinese."""
from __future__ import annotations


class DatabaseError(RuntimeError):
    """A database cannot be opened; the message says why in Chinese."""


class NetworkPathRefused(DatabaseError):
    pass


class DatabaseCorrupt(DatabaseError):
    pass


class NotAZhibangDatabase(DatabaseError):
    pass


class DatabaseMissing(DatabaseError):
    """The file does not exist and this caller must not create it."""


class BadDatabaseAddress(DatabaseError):
    """`--db` looks like an address but is not one we can use (not PostgreSQL, has a password …)."""


class PasswordNeeded(DatabaseError):
    """The server wants a password and neither .pgpass nor PGPASSWORD gave one."""
