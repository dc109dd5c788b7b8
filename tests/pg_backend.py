"""Running the suite against a PostgreSQL server: ZHIBANG_TEST_PG=<address of its maintenance
database>, e.g. postgresql://zhibang_test@127.0.0.1:5433/postgres (installer/pg-test-cluster.sh
starts a throw-away one). Every test gets its own database, created from a prepared template
(CREATE DATABASE … TEMPLATE: a file copy on the server, much faster than building one)."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest

SERVER = os.environ.get("ZHIBANG_TEST_PG", "").strip()


@dataclass(frozen=True)
class Templates:
    empty: str  # migrated, nothing in it
    demo: str  # the demo year of tests/pinned.py


def _maintenance():
    import psycopg

    return psycopg.connect(SERVER, autocommit=True)


def url_of(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


def create_database(name: str, template: str | None = None) -> str:
    with _maintenance() as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return url_of(name)


def drop_database(name: str) -> None:
    with _maintenance() as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_from(request, template: str) -> str:
    """A new database copied from `template` for this test, dropped when the test ends."""
    name = f"zt_{uuid.uuid4().hex[:16]}"
    url = create_database(name, template)
    request.addfinalizer(lambda: drop_database(name))
    return url


def templates(tmp_path_factory, run_id: str, build_demo) -> Templates:
    from filelock import FileLock

    from zhibang_desktop.storage.database import open_database

    tag = run_id[:12].lower()
    names = Templates(empty=f"zt_{tag}_empty", demo=f"zt_{tag}_demo")
    shared = tmp_path_factory.getbasetemp().parent / "pg-templates"
    shared.mkdir(exist_ok=True)
    with FileLock(str(shared / "build.lock")):
        if not (shared / tag).exists():
            open_database(create_database(names.empty)).close()
            build_demo(create_database(names.demo))
            (shared / tag).touch()
    return names


def skip_by_backend(items) -> None:
    on_server = pytest.mark.skip(reason="SQLite file behaviour: not what the PostgreSQL pass tests")
    needs_server = pytest.mark.skip(reason="needs a PostgreSQL server: set ZHIBANG_TEST_PG")
    for item in items:
        if SERVER and item.get_closest_marker("sqlite_only"):
            item.add_marker(on_server)
        if not SERVER and item.get_closest_marker("server_only"):
            item.add_marker(needs_server)
