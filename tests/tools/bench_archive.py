"""Archive figures at scale: demo build, search and counts, export. Prints, asserts nothing.

Usage: python tests/tools/bench_archive.py [HOUSEHOLDS]   (default 20000; the target is 100000)
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.demo.office import create_demo
from zhibang_desktop.services.archive.household_export import export_households
from zhibang_desktop.storage.database import open_database

QUERIES = ("", "zeng", "曾", "zxm", "1234", "ZC2026")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, (time.perf_counter() - start) * 1000


def main(households: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = open_database(path)
        _, ms = timed(lambda: create_demo(db, households=households))
        print(f"demo: {households} households in {ms / 1000:.1f} s, file {path.stat().st_size / 2**20:.0f} MB")
        ctx = AppContext(db, users.authenticate(db, "clerk", "demo1234"))
        for text in QUERIES:
            filt = HouseholdFilter(text=text)
            page, search_ms = timed(lambda: archive.search_households(ctx, filt, limit=200))
            _, count_ms = timed(lambda: archive.archive_counts(ctx, filt))
            print(f"search {text!r:10} {page.total:7} found  first page {search_ms:6.0f} ms  counts {count_ms:6.0f} ms")
        overdue = HouseholdFilter(visit_overdue=True)
        page, ms = timed(lambda: archive.search_households(ctx, overdue, limit=200))
        print(f"visits overdue {page.total:7} found  first page {ms:6.0f} ms")
        deep = HouseholdFilter(categories=frozenset({"deep"}))
        rows, ms = timed(lambda: export_households(ctx, Path(tmp) / "deep.xlsx", deep))
        print(f"export deep households: {rows} rows in {ms / 1000:.1f} s")
        db.close()
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
