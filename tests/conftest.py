"""Shared fixtures: a migrated temporary database, a service context on it, and a demo
database prepared once per run and copied for each test that wants one."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.shifted_date import start_if_requested  # noqa: E402

start_if_requested()  # before anything imports datetime's classes by name

import pytest  # noqa: E402

from tests import pg_backend  # noqa: E402
from tests.pinned import DEMO_HOUSEHOLDS, TEST_TODAY  # noqa: E402
from zhibang_desktop.domain import clock  # noqa: E402
from zhibang_desktop.services.context import SYSTEM, AppContext  # noqa: E402
from zhibang_desktop.services.session.setup import UnitSpec, initialise_office  # noqa: E402
from zhibang_desktop.storage.database import open_database  # noqa: E402


@pytest.fixture(autouse=True)
def pinned_clock():
    with clock.pinned(TEST_TODAY):
        yield


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself (crash safety, file permissions, "
                                       "file backups); skipped when the suite runs against PostgreSQL")
    config.addinivalue_line("markers", "server_only: needs a PostgreSQL server (ZHIBANG_TEST_PG)")


def pytest_collection_modifyitems(config, items):
    pg_backend.skip_by_backend(items)


@pytest.fixture
def db_path(tmp_path, request):
    """The test's database: a file in tmp_path, or with ZHIBANG_TEST_PG a fresh database on the
    server (its address, a str), dropped afterwards."""
    if pg_backend.SERVER:
        return pg_backend.database_from(request, request.getfixturevalue("pg_empty_template"))
    return tmp_path / "zhibang.sqlite3"


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def ctx(db) -> AppContext:
    """An initialised office (增城区总工会 with two streets and three grassroots unions)."""
    initialise_office(db, "增城区总工会", region="广州市增城区", archive_prefix="ZC", phone="020-82712345", units=[
        UnitSpec("荔城街总工会", "street"),
        UnitSpec("新塘镇总工会", "street"),
        UnitSpec("荔城街某某电子厂工会", "grassroots", "荔城街总工会"),
        UnitSpec("新塘镇牛仔服装公司工会", "grassroots", "新塘镇总工会"),
        UnitSpec("区直机关工会", "grassroots"),
    ])
    return AppContext(db, SYSTEM)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """argon2id with tiny cost parameters: the same code path, ~1 ms instead of ~200 ms a hash."""
    from argon2 import PasswordHasher

    from zhibang_desktop.services.admin import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))



@pytest.fixture(scope="session")
def pg_empty_template(tmp_path_factory, testrun_uid) -> str:
    """With ZHIBANG_TEST_PG: a migrated, empty database on the server to copy per test."""
    return pg_backend.template(tmp_path_factory, testrun_uid, "empty", lambda url: open_database(url).close())


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, worker_id, testrun_uid) -> Path | str:
    """The demo year, built once per run (all pytest-xdist workers share it); tests copy it.
    On PostgreSQL: the name of the template database on the server."""
    if pg_backend.SERVER:
        return pg_backend.template(tmp_path_factory, testrun_uid, "demo", _build_demo)
    if worker_id == "master":
        return _build_demo(tmp_path_factory.mktemp("demo-template") / "demo.sqlite3")
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / "demo-template"
    shared.mkdir(exist_ok=True)
    path = shared / "demo.sqlite3"
    with FileLock(str(shared / "build.lock")):
        if not (shared / "ready").exists():
            _build_demo(path)
            (shared / "ready").touch()
    return path


def _build_demo(path: Path | str) -> Path | str:
    from argon2 import PasswordHasher

    from zhibang_desktop import demo
    from zhibang_desktop.services.admin import users

    saved = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    try:
        with clock.pinned(TEST_TODAY):
            db = open_database(path)
            demo.create_demo(db, DEMO_HOUSEHOLDS, seed=7)
            db.close()
    finally:
        users._hasher = saved
    return path


@pytest.fixture
def demo_copy(tmp_path, demo_template, request) -> Path | str:
    """A private copy of the prepared demo database (not opened): a file, or on PostgreSQL the
    address of a database created from the demo template (CREATE DATABASE … TEMPLATE)."""
    if pg_backend.SERVER:
        return pg_backend.database_from(request, demo_template)
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path
