"""A service that only reads must not take SQLite's write lock: its transaction begins DEFERRED
(`ctx.tx(..., read_only=True)`), so a report computed in the background neither waits for a
save nor makes one — or any other call, on the GUI thread or not — wait for it. Before, 69 of
the 73 reads below began IMMEDIATE: while 报表 computed a year at 100,000 households (0.9–1.4 s),
opening a household or saving one waited for it."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event

from tests.services.test_permissions import READ_CALLS, WRITES, module_exists, svc, world  # noqa: F401  (fixture)
from zhibang_desktop.services.context import SYSTEM, AppContext

# Reads anyone signed in may do (READS with no permission in test_permissions.py).
OPEN_READ_CALLS = {
    "admin.audit.chain_head": lambda c, w: svc("admin.audit").chain_head(c),
    "admin.settings.get_settings": lambda c, w: svc("admin.settings").get_settings(c),
    "admin.settings.list_year_standards": lambda c, w: svc("admin.settings").list_year_standards(c),
    "admin.settings.demo_banner_of": lambda c, w: svc("admin.settings").demo_banner_of(c),
    "admin.settings.is_city_of": lambda c, w: svc("admin.settings").is_city_of(c),
    "admin.users.get_user": lambda c, w: svc("admin.users").get_user(c, w.user_id),
    "admin.users.reviewer_scopes": lambda c, w: svc("admin.users").reviewer_scopes(c, w.user_id),
    "relief.holidays.list_days": lambda c, w: svc("relief.holidays").list_days(c, 2026),
    "relief.holidays.calendar_years": lambda c, w: svc("relief.holidays").calendar_years(c),
}
# Reads that do not open the database at all.
NO_DATABASE = {"exchange.annual_check.check_annual_workbook": "checks the city's workbook file alone"}
CALLS = {**READ_CALLS, **OPEN_READ_CALLS}


def begins_and_outcome(world, call) -> tuple[list[str], bool]:  # noqa: F811
    """The BEGIN statements `call` sent as the system user (a refusal of its arguments too),
    and whether it succeeded."""
    begun: list[str] = []
    succeeded = False

    def seen(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("BEGIN"):
            begun.append(statement.strip().upper())

    engine = world.ctx.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        call(AppContext(world.ctx.db, SYSTEM), world)
        succeeded = True
    except Exception:  # noqa: BLE001 — a refusal of the arguments still shows how it began
        pass
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return begun, succeeded


@pytest.mark.sqlite_only  # PostgreSQL readers never wait for a writer, however they begin
@pytest.mark.parametrize("name", sorted(CALLS), ids=str)
def test_read_service_begins_deferred(world, name):  # noqa: F811
    if not module_exists(name):
        pytest.skip(f"{name}: module not in the tree yet")
    begun, _ = begins_and_outcome(world, CALLS[name])
    if name in NO_DATABASE:
        assert begun == [], name
        return
    assert begun, f"{name} ran no transaction"
    assert all(b == "BEGIN" for b in begun), f"{name} began {begun}"


def test_open_reads_are_every_read_without_a_permission():
    from tests.services.test_permissions import READS

    assert set(OPEN_READ_CALLS) == {name for name, perm in READS.items() if perm is None}


def test_a_read_does_not_wait_for_a_write_in_progress(world):  # noqa: F811
    """A save holds the write lock; a read on another thread meanwhile returns at once."""
    ctx = AppContext(world.ctx.db, SYSTEM)
    holding, release, read_done = threading.Event(), threading.Event(), threading.Event()

    def writer():
        with ctx.tx("org.edit") as tx:  # BEGIN IMMEDIATE: the write lock, as any save takes it
            tx.session.connection()
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        reader = threading.Thread(target=lambda: (svc("funds").execution(ctx, 2026), read_done.set()))
        reader.start()
        assert read_done.wait(5), "the read waited for the writer"
        reader.join()
    finally:
        release.set()
        thread.join()


# Prints and exports: the file is read and written without the write lock, then one short
# transaction records it (a long export held up every save before).
PRINTS_AND_EXPORTS = [case for case in WRITES if ".print_" in case.function or ".export_" in case.function]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("case", PRINTS_AND_EXPORTS, ids=str)
def test_a_print_or_export_takes_the_write_lock_only_to_record_itself(world, case):  # noqa: F811
    if not module_exists(case.function):
        pytest.skip(f"{case.function}: module not in the tree yet")
    begun, succeeded = begins_and_outcome(world, case.call)
    assert begun, f"{case.function} ran no transaction"
    reading = begun[:-1] if succeeded else begun  # what came before the audit row
    assert all(b == "BEGIN" for b in reading), f"{case.function} began {begun}"
    if succeeded:
        assert begun[-1] == "BEGIN IMMEDIATE", f"{case.function} began {begun}"


def test_prints_and_exports_are_found():
    assert len(PRINTS_AND_EXPORTS) >= 12
