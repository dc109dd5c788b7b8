"""The program's side of a work: the bench database opened as the program opens it, and the
demo clerk signed in (once per run). Opened without the writer lock: the bench's child
processes (memory, GUI) open the same file while the parent waits for them."""
from __future__ import annotations

from ..demo import DEMO_PASSWORD
from ..services.admin import users
from ..services.context import AppContext
from ..storage.database import Database, open_database
from .registry import BenchContext


def database(bench: BenchContext) -> Database:
    return bench.shared("database", lambda: open_database(bench.db_path, migrate=False, take_lock=False,
                                                          create=False))


def clerk(bench: BenchContext) -> AppContext:
    db = database(bench)
    return bench.shared("clerk", lambda: AppContext(db, users.authenticate(db, "clerk", DEMO_PASSWORD)))
