"""Importing a clerk's ledger of up to 50,000 households (`import households`) into a fresh
database, against one openpyxl read-only pass over every cell of the same file.

The file is the program's own export of the bench database's first 50,000 households (by
archive number) with their members, made once per run (untimed); each round imports it into a
fresh copy of a database that holds only the office (its unions are created by the import, as
a clerk confirms with `--create-units`)."""
from __future__ import annotations

import shutil
import sqlite3
import time

from ..registry import BenchContext, Work, once, register
from ..scratch_copy import writable_copy

HOUSEHOLDS = 50_000
CLERK = ("clerk", "benchClerk1")  # office-wide 经办人 of the fresh database


def ledger_file(bench: BenchContext):
    """The exported workbook of the first `HOUSEHOLDS` households (one per run)."""
    def make():
        from ...demo import DEMO_PASSWORD
        from ...services.admin import users
        from ...services.archive.household_export import export_households
        from ...services.context import AppContext
        from ...storage.database import open_database

        target = bench.scratch / "import-ledger.xlsx"
        if target.exists():  # made by the run this memory-measuring child belongs to
            return target
        path = writable_copy(bench, "import-source")
        con = sqlite3.connect(path)
        try:  # the households after the first N go (and what hangs on them: plain sqlite3, no foreign keys)
            con.execute("delete from households where archive_no > (select archive_no from households "
                        "order by archive_no limit 1 offset ?)", (HOUSEHOLDS - 1,))
            con.commit()
        finally:
            con.close()
        db = open_database(path, migrate=False, take_lock=False, create=False)
        try:
            ctx = AppContext(db, users.authenticate(db, "clerk", DEMO_PASSWORD))
            export_households(ctx, target)
        finally:
            db.close()
        return target
    return bench.shared("import ledger", make)


def _empty_database(bench: BenchContext):
    def make():
        from ...demo.office import DEMO_OFFICE
        from ...services.admin import users
        from ...services.context import SYSTEM, AppContext
        from ...services.session import setup
        from ...storage.database import open_database

        path = bench.scratch / "import-empty.sqlite3"
        if path.exists():
            return path
        db = open_database(path)
        try:
            setup.initialise_office(db, DEMO_OFFICE, region="广州市增城区", archive_prefix="ZC")
            with AppContext(db, SYSTEM).tx(None) as tx:
                users.new_user(tx.session, CLERK[0], "经办人", CLERK[1], ["clerk"])
        finally:
            db.close()
        return path
    return bench.shared("import empty db", make)


def _floor(bench: BenchContext):
    from openpyxl import load_workbook

    path = ledger_file(bench)

    def run() -> None:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                for _row in ws.iter_rows(values_only=True):
                    pass
        finally:
            wb.close()
    return once(run)


def _app(bench: BenchContext):
    from ...services.admin import users
    from ...services.archive.household_import import import_households
    from ...services.context import AppContext
    from ...storage.database import open_database

    source, empty = ledger_file(bench), _empty_database(bench)

    def run() -> list[float]:
        target = bench.scratch / "import-target.sqlite3"
        for leftover in bench.scratch.glob("import-target.sqlite3*"):
            leftover.unlink()
        shutil.copyfile(empty, target)  # untimed: a fresh database each round
        db = open_database(target, migrate=False, take_lock=False, create=False)
        try:
            ctx = AppContext(db, users.authenticate(db, *CLERK))
            start = time.perf_counter()
            import_households(ctx, source, create_units=True)
            return [time.perf_counter() - start]
        finally:
            db.close()
    return run


register(Work(
    name="import.households", label="导入 50,000 户档案台账（.xlsx，含家庭成员）到新数据库", app=_app, floor=_floor,
    floor_label="openpyxl 只读模式读一遍同一文件", target="≤ 3×，峰值 ≤ 200 MB", max_rounds=3,
))
