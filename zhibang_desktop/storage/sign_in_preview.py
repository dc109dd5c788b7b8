"""A look into a local database file, before SQLAlchemy and the models are imported, that tells
the start whether it can show the sign-in window at once (and with which office's name) while
the rest of the program loads and the file is opened behind it.

Read-only and standard library only, as `file_check`: nothing here may change the file or cost
the start an import. Any doubt (no file, an empty or unreadable one, a server address, a
network path, an office not yet set up, no users, a file another copy of the program has open)
answers None, and the start takes its ordinary path, which explains whatever is wrong.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .locations import is_network_path
from .lock import held_by_another


def office_ready_to_sign_in(location: Path | str | None) -> str | None:
    """The office's name when the local file at `location` is a set-up office database with at
    least one user; otherwise None."""
    if location is None or "://" in str(location):
        return None
    path = Path(location).expanduser()
    try:
        if is_network_path(path) or not path.is_file() or path.stat().st_size == 0 or held_by_another(path):
            return None
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        row = con.execute("select value from settings where key = 'office_name'").fetchone()
        has_users = con.execute("select exists (select 1 from users)").fetchone()[0]
    except sqlite3.Error:  # damaged, another program's file, or a schema before these tables
        return None
    finally:
        con.close()
    if row is None or not has_users:
        return None
    try:
        name = json.loads(row[0])
    except (TypeError, ValueError):
        return None
    return name if isinstance(name, str) and name.strip() else None
