"""`--db` on a missing file, and restoring over a damaged one (issue 10, "Files and locks")."""
from __future__ import annotations

import json

import pytest

from zhibang_desktop.cli import main

# a missing or damaged SQLite file given to --db.
pytestmark = pytest.mark.sqlite_only


ADMIN_PASSWORD = "Secret123"


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("ZHIBANG_PASSWORD", ADMIN_PASSWORD)
    for name in ("ZHIBANG_NEW_PASSWORD", "ZHIBANG_USER", "ZHIBANG_DB"):
        monkeypatch.delenv(name, raising=False)


COMMANDS = [
    ["check"], ["audit", "verify"], ["user", "list"], ["backup"], ["policy", "list"],
    ["export", "households", "OUT.xlsx"], ["notice", "list"], ["batch", "list"], ["request", "list"],
    ["holiday", "list"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_missing_db_is_not_created_by_other_commands(env, tmp_path, capsys, command):
    """Before: `--db` on a path that does not exist created an empty database even for `check`."""
    db = tmp_path / "typo" / "zhibang.sqlite3"
    argv = ["--db", str(db), "--user", "admin"] + [str(tmp_path / a) if a == "OUT.xlsx" else a for a in command]
    assert main(argv) == 2
    assert "不存在" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()  # not the file, its lock, nor its folder


def test_init_and_demo_create(env, tmp_path):
    assert main(["--db", str(tmp_path / "a" / "zhibang.sqlite3"), "init", "--office", "增城区总工会", "--admin", "admin"]) == 0
    assert main(["--db", str(tmp_path / "b" / "demo.sqlite3"), "demo", "--households", "3"]) == 0
    assert (tmp_path / "a" / "zhibang.sqlite3").exists() and (tmp_path / "b" / "demo.sqlite3").exists()


def _office_with_backup(tmp_path, monkeypatch):
    db = tmp_path / "zhibang.sqlite3"
    assert main(["--db", str(db), "init", "--office", "增城区总工会", "--admin", "admin"]) == 0
    monkeypatch.setenv("ZHIBANG_NEW_PASSWORD", "Passw0rd1")
    assert main(["--db", str(db), "--user", "admin", "user", "add", "lina", "--roles", "clerk"]) == 0
    assert main(["--db", str(db), "--user", "admin", "backup"]) == 0
    good = next((tmp_path / "backups").glob("*.sqlite3"))
    data = bytearray(db.read_bytes())
    for i in range(2 * 4096, min(len(data), 8 * 4096), 3):
        data[i] = 0x5A
    db.write_bytes(bytes(data))
    return db, good


def test_restore_over_a_damaged_database_needs_the_admin(env, tmp_path, monkeypatch, capsys):
    """Before: a database failing quick_check was restored with no login, recorded as `system`."""
    db, good = _office_with_backup(tmp_path, monkeypatch)
    damaged = db.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(db), "restore", str(good)]) == 2  # no user named
    assert "管理员登录" in capsys.readouterr().err
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Passw0rd1")
    assert main(["--db", str(db), "--user", "lina", "restore", str(good)]) == 2  # a clerk
    assert "恢复备份" in capsys.readouterr().err
    monkeypatch.setenv("ZHIBANG_PASSWORD", "wrong-Pass1")
    assert main(["--db", str(db), "--user", "admin", "restore", str(good)]) == 2
    assert main(["--db", str(db), "--user", "ghost", "restore", str(good)]) == 2
    assert db.read_bytes() == damaged
    monkeypatch.setenv("ZHIBANG_PASSWORD", ADMIN_PASSWORD)
    assert main(["--db", str(db), "--user", "admin", "restore", str(good)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "--user", "admin", "--json", "audit", "list", "--action", "restore"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["username"] for r in rows] == ["admin"]


def test_restore_onto_a_missing_database_needs_the_backups_admin(env, tmp_path, monkeypatch, capsys):
    db, good = _office_with_backup(tmp_path, monkeypatch)
    fresh = tmp_path / "new-pc" / "zhibang.sqlite3"
    assert main(["--db", str(fresh), "restore", str(good)]) == 2
    assert not fresh.exists()
    assert main(["--db", str(fresh), "--user", "admin", "restore", str(good)]) == 0
    assert fresh.exists()
