"""Work done by separate client processes in the server-mode tests (spawned: importable top level)."""
from __future__ import annotations

PASSWORD = "Secret123"


def create_households(url: str, username: str, count: int, first_seq: int, unit_id: int) -> list[str]:
    from zhibang_desktop.services import archive
    from zhibang_desktop.services.admin import users
    from zhibang_desktop.services.archive.types import HouseholdInput
    from zhibang_desktop.services.context import AppContext
    from zhibang_desktop.storage.database import open_database
    from tests.archive_helpers import id_no

    db = open_database(url)
    try:
        ctx = AppContext(db, users.authenticate(db, username, PASSWORD))
        return [archive.create_household(ctx, HouseholdInput(
            name=f"进程{username}{k}", id_number=id_no(first_seq + k), unit_id=unit_id, category="deep",
            causes=["因病"], household_size=1)).archive_no for k in range(count)]
    finally:
        db.close()
