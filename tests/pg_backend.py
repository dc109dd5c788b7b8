"""Running the suite against a PostgreSQL server: ZHIBANG_TEST_PG=<address of its maintenance
database>, e.g. postgresql://zhibang_test@127.0.0.1:5433/postgres (installer/pg-test-cluster.sh
starts a throw-away one). Every test gets its own database, created from a prepared template
(CREATE DATABASE … TEMPLATE: a file copy on the server, much faster than building one)."""
from __future__ import annotations

import os
import queue
import threading
import uuid

import pytest

SERVER = os.environ.get("ZHIBANG_TEST_PG", "").strip()


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


class _Spares:
    """Copies made ahead in a background thread: CREATE DATABASE spends most of its second or
    two waiting for checkpoints, which then overlaps with the test before."""

    def __init__(self):
        self._ready: dict[str, queue.Queue] = {}
        self._lock = threading.Lock()

    def take(self, template: str) -> str:
        with self._lock:
            spares = self._ready.get(template)
            if spares is None:
                spares = self._ready[template] = queue.Queue()
                self._start(template, spares)
        name = spares.get()
        if isinstance(name, BaseException):
            raise name
        self._start(template, spares)  # the next test's copy, while this one runs
        return name

    @staticmethod
    def _start(template: str, spares: queue.Queue) -> None:
        def make():
            name = f"zt_{uuid.uuid4().hex[:16]}"
            try:
                create_database(name, template)
                spares.put(name)
            except BaseException as exc:  # noqa: BLE001 — handed to the test that waits
                spares.put(exc)

        threading.Thread(target=make, daemon=True).start()


_SPARES = _Spares()


def database_from(request, template: str) -> str:
    """A new database copied from `template` for this test, dropped when the test ends."""
    name = _SPARES.take(template)
    request.addfinalizer(lambda: drop_database(name))
    return url_of(name)


def template(tmp_path_factory, run_id: str, kind: str, build) -> str:
    """The name of this run's template database `kind`, built by `build(url)` once for all xdist
    workers (the first to ask builds it, the others wait)."""
    from filelock import FileLock

    name = f"zt_{run_id[:12].lower()}_{kind}"
    shared = tmp_path_factory.getbasetemp().parent / "pg-templates"
    shared.mkdir(exist_ok=True)
    with FileLock(str(shared / f"{name}.lock")):
        if not (shared / name).exists():
            build(create_database(name))
            (shared / name).touch()
    return name


def skip_by_backend(items) -> None:
    on_server = pytest.mark.skip(reason="SQLite file behaviour: not what the PostgreSQL pass tests")
    needs_server = pytest.mark.skip(reason="needs a PostgreSQL server: set ZHIBANG_TEST_PG")
    for item in items:
        if SERVER and item.get_closest_marker("sqlite_only"):
            item.add_marker(on_server)
        if not SERVER and item.get_closest_marker("server_only"):
            item.add_marker(needs_server)
