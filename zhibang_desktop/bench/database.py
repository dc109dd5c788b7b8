"""The bench database: N demo households with a year of requests and payments, built once and
kept in the cache folder, keyed by N and the schema revision (a new migration builds a new one).

Default folder: `bench/` in the per-user data folder (the one holding `zhibang.sqlite3`), e.g.
`~/.local/share/zhibang/bench/` on Linux, `%LOCALAPPDATA%\\zhibang\\zhibang\\bench` on Windows.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from platformdirs import user_data_dir

from ..config import APP_AUTHOR, APP_NAME
from ..demo import create_demo
from ..storage.database import open_database
from ..storage.migrate import head_revision

SEED = 1


def default_cache_dir() -> Path:
    return Path(user_data_dir(APP_NAME, APP_AUTHOR)) / "bench"


def database_path(cache_dir: Path, households: int) -> Path:
    return cache_dir / f"bench-{households}-{head_revision()}.sqlite3"


def bench_database(cache_dir: Path, households: int,
                   progress: Callable[[int, int], None] | None = None) -> tuple[Path, bool]:
    """The database for N households (built when missing): (path, built now)."""
    path = database_path(cache_dir, households)
    if path.exists():
        return path, False
    cache_dir.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    for leftover in cache_dir.glob(building.name + "*"):  # a build killed half-way
        leftover.unlink()
    db = open_database(building)
    try:
        create_demo(db, households=households, seed=SEED, progress=progress)
    finally:
        db.close()
    for suffix in ("-wal", "-shm", ".lock"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    os.replace(building, path)
    return path, True
