"""Where things live by default, and the environment variables that change it."""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "zhibang"
APP_AUTHOR = "zhibang"
DB_ENV = "ZHIBANG_DB"
PASSWORD_ENV = "ZHIBANG_PASSWORD"
USER_ENV = "ZHIBANG_USER"


def default_db_path() -> Path:
    """`--db` beats `ZHIBANG_DB`, which beats the per-user data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP_NAME, APP_AUTHOR)) / "zhibang.sqlite3"
