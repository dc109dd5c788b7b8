"""Shared fixtures: a migrated temporary database and a service context on it."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from zhibang_desktop.services.context import SYSTEM, AppContext  # noqa: E402
from zhibang_desktop.services.setup import UnitSpec, initialise_office  # noqa: E402
from zhibang_desktop.storage.database import open_database  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
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

    from zhibang_desktop.services import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
