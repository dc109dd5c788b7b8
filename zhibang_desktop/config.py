"""Where things live by default, and the environment variables that change it."""
from __future__ import annotations

import os
import re
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "zhibang"
APP_AUTHOR = "zhibang"
DB_ENV = "ZHIBANG_DB"
PASSWORD_ENV = "ZHIBANG_PASSWORD"
USER_ENV = "ZHIBANG_USER"

# "scheme:" then "/" — a server address, even after a shell or Path() collapsed its "//".
_URL_LIKE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+):/")


def looks_like_url(location: str | Path) -> bool:
    """`postgresql://…` (or any `scheme://`): used as an address or refused, never as a file
    name. A Windows drive (`C:/…`, one letter) is a path."""
    return bool(_URL_LIKE.match(str(location).strip()))


def db_location(given: str | Path | None = None) -> Path | str:
    """The database to open: a file path, or a server address kept as text.
    `--db` (given) beats `ZHIBANG_DB`, which beats the per-user data folder."""
    chosen = given or os.environ.get(DB_ENV)
    if chosen:
        return str(chosen).strip() if looks_like_url(chosen) else Path(chosen).expanduser()
    return Path(user_data_dir(APP_NAME, APP_AUTHOR)) / "zhibang.sqlite3"


def default_db_path() -> Path | str:
    """`ZHIBANG_DB` or the per-user data folder (see db_location)."""
    return db_location(None)
