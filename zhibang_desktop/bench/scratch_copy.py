"""A private copy of the bench database for works that write (an export's audit row, a batch of
10,000 lines): the shared file is only read. Made once per run with SQLite's backup API."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .registry import BenchContext


def writable_copy(bench: BenchContext, name: str) -> Path:
    def make() -> Path:
        target = bench.scratch / f"{name}.sqlite3"
        source = sqlite3.connect(f"file:{bench.db_path}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    return bench.shared(f"copy {name}", make)
