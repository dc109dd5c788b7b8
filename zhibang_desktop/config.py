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
SMOKE_ENV = "ZHIBANG_SMOKE"  # ui/smoke.py: a start that closes itself once the main window painted

# "scheme:" then "/" — a server address, even after a shell or Path() collapsed its "//".
_URL_LIKE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+):/")


def looks_like_url(location: str | Path) -> bool:
    """`postgresql://…` (or any `scheme://`): used as an address or refused, never as a file
    name. A Windows drive (`C:/…`, one letter) is a path."""
    return bool(_URL_LIKE.match(str(location).strip()))


def saved_server_file() -> Path:
    """Where the start dialog remembers the server address this user chose (no password)."""
    return Path(user_data_dir(APP_NAME, APP_AUTHOR)) / "server-address.txt"


def saved_server_address() -> str | None:
    try:
        text = saved_server_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text if looks_like_url(text) else None


def save_server_address(address: str | None) -> None:
    """Remember `address` for the next start (None: forget it, back to the local file)."""
    path = saved_server_file()
    if address is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(address.strip() + "\n", encoding="utf-8")


def db_location(given: str | Path | None = None) -> Path | str:
    """The database to open: a file path, or a server address kept as text.
    `--db` (given) beats `ZHIBANG_DB`, which beats the server chosen in the start dialog,
    which beats the file in the per-user data folder."""
    chosen = given or os.environ.get(DB_ENV)
    if chosen:
        return str(chosen).strip() if looks_like_url(chosen) else Path(chosen).expanduser()
    return saved_server_address() or Path(user_data_dir(APP_NAME, APP_AUTHOR)) / "zhibang.sqlite3"


def default_db_path() -> Path | str:
    """`ZHIBANG_DB` or the per-user data folder (see db_location)."""
    return db_location(None)


def smoke_requested() -> bool:
    return os.environ.get(SMOKE_ENV) == "1"
