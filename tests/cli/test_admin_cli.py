"""`zhibang user …`, `audit …`, `backup`, `restore` end to end (in-process, real database files)."""
from __future__ import annotations

import json
import sqlite3

import openpyxl
import pytest

from zhibang_desktop.domain import clock
from zhibang_desktop.cli import main

ADMIN_PASSWORD = "Secret123"


@pytest.fixture
def office(tmp_path, monkeypatch):
    db = tmp_path / "zhibang.sqlite3"
    monkeypatch.setenv("ZHIBANG_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.delenv("ZHIBANG_NEW_PASSWORD", raising=False)
    monkeypatch.delenv("ZHIBANG_USER", raising=False)
    monkeypatch.delenv("ZHIBANG_DB", raising=False)
    assert main(["--db", str(db), "init", "--office", "增城区总工会", "--admin", "admin"]) == 0
    return db


def zb(db, *args, user="admin"):
    argv = ["--db", str(db)] + (["--user", user] if user else []) + list(args)
    return main(argv)


def add_user(db, monkeypatch, name, roles, password="Passw0rd1", *extra, user="admin"):
    monkeypatch.setenv("ZHIBANG_NEW_PASSWORD", password)
    try:
        return zb(db, "user", "add", name, "--roles", roles, *extra, user=user)
    finally:
        monkeypatch.delenv("ZHIBANG_NEW_PASSWORD")


def test_user_commands(office, monkeypatch, capsys):
    capsys.readouterr()
    assert add_user(office, monkeypatch, "lina", "clerk,审核人", "Passw0rd1", "--display", "李娜",
                    "--scope", "增城区总工会") == 0
    assert "已新增用户：lina（李娜）" in capsys.readouterr().out
    assert zb(office, "user", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    lina = next(u for u in listed if u["username"] == "lina")
    assert lina["roles"] == ["clerk", "reviewer"] and lina["scope_unit_id"] == 1 and lina["active"]
    assert zb(office, "user", "list") == 0
    text = capsys.readouterr().out
    assert "经办人、审核人" in text and "增城区总工会" in text

    assert zb(office, "user", "edit", "lina", "--no-scope", "--roles", "clerk") == 0
    assert zb(office, "user", "disable", "lina") == 0
    assert "已停用用户：lina" in capsys.readouterr().out
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Passw0rd1")
    assert zb(office, "audit", "list", user="lina") == 2
    assert "已停用" in capsys.readouterr().err
    monkeypatch.setenv("ZHIBANG_PASSWORD", ADMIN_PASSWORD)
    assert zb(office, "user", "enable", "lina") == 0
    monkeypatch.setenv("ZHIBANG_NEW_PASSWORD", "NewPass99")
    assert zb(office, "user", "passwd", "lina") == 0
    monkeypatch.setenv("ZHIBANG_PASSWORD", "NewPass99")
    capsys.readouterr()
    # Issue 10: clerks could `backup --out` anywhere (password hashes included): backups are the admin's.
    assert zb(office, "backup", "--out", str(office.parent / "by-lina.sqlite3"), user="lina") == 2
    assert "没有“备份”的权限" in capsys.readouterr().err
    assert not (office.parent / "by-lina.sqlite3").exists()


def test_user_add_errors(office, monkeypatch, capsys):
    capsys.readouterr()
    assert zb(office, "user", "add", "x", "--roles", "boss") == 2
    assert "无效角色" in capsys.readouterr().err
    assert zb(office, "user", "add", "x", "--roles", "clerk") == 2  # no password and no terminal
    assert "ZHIBANG_NEW_PASSWORD" in capsys.readouterr().err
    assert add_user(office, monkeypatch, "x", "clerk", "short") == 2
    assert "至少 8 位" in capsys.readouterr().err
    assert add_user(office, monkeypatch, "x", "clerk", "Passw0rd1", "--scope", "不存在的工会") == 2
    assert "找不到工会" in capsys.readouterr().err
    assert zb(office, "user", "disable", "admin") == 2  # the last admin, and oneself
    assert zb(office, "user", "disable", "nobody") == 2
    assert "不存在" in capsys.readouterr().err


def test_wrong_role_gets_a_chinese_refusal(office, monkeypatch, capsys):
    assert add_user(office, monkeypatch, "clerk1", "clerk") == 0
    capsys.readouterr()
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Passw0rd1")
    assert add_user(office, monkeypatch, "y", "clerk", "Passw0rd1", user="clerk1") == 2
    assert "没有“管理用户”的权限" in capsys.readouterr().err
    assert zb(office, "audit", "verify", user="clerk1") == 2
    assert "没有“查看审计日志”的权限" in capsys.readouterr().err
    assert zb(office, "restore", str(office), user="clerk1") == 2  # also: not a backup file
    monkeypatch.setenv("ZHIBANG_PASSWORD", ADMIN_PASSWORD)
    assert zb(office, "backup", "--out", str(office.parent / "b.sqlite3")) == 0
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Passw0rd1")
    before = office.read_bytes()
    assert zb(office, "restore", str(office.parent / "b.sqlite3"), user="clerk1") == 2
    assert "没有“恢复备份”的权限" in capsys.readouterr().err
    assert not list(office.parent.glob("*.replaced-*"))
    assert len(office.read_bytes()) == len(before)


def test_needs_a_user_once_users_exist(office, capsys):
    capsys.readouterr()
    assert zb(office, "audit", "verify", user=None) == 2
    assert "--user" in capsys.readouterr().err


def test_audit_verify_ok_and_broken(office, capsys):
    capsys.readouterr()
    assert zb(office, "audit", "verify") == 0
    out = capsys.readouterr().out
    assert out.startswith("OK ") and "条记录" in out
    con = sqlite3.connect(office)
    head = con.execute("select hash from audit_head").fetchone()[0]
    assert head in out
    con.execute("update audit_log set summary='篡改' where seq=2")
    con.commit()
    con.close()
    assert zb(office, "audit", "verify") == 1
    err = capsys.readouterr().err
    assert "第 2 条记录" in err and "被修改" in err
    assert zb(office, "--json", "audit", "verify") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["first_broken_seq"] == 2


def test_audit_list_and_export(office, tmp_path, capsys):
    main(["--db", str(office), "--user", "admin", "--json", "audit", "list"])  # another login row
    capsys.readouterr()
    assert zb(office, "audit", "list", "--json", "--action", "login", "--limit", "2") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] >= 2 and len(data["rows"]) == 2
    assert all(r["action"] == "login" and r["username"] == "admin" for r in data["rows"])
    assert zb(office, "audit", "list", "--user", "admin", "--from", "2000-01-01") == 0
    assert "登录成功" in capsys.readouterr().out
    assert zb(office, "audit", "list", "--from", "2026-13-01") == 2
    assert "不是有效日期" in capsys.readouterr().err

    out = tmp_path / "审计.xlsx"
    assert zb(office, "audit", "export", str(out), "--entity", "user") == 0
    assert "已导出" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) > 2 and all(r[4] == "用户" for r in rows[1:])


def test_backup_and_restore(office, monkeypatch, capsys):
    capsys.readouterr()
    assert zb(office, "backup") == 0
    out = capsys.readouterr().out
    assert "备份完成（完整性检查通过）" in out
    backups = list((office.parent / "backups").glob("zhibang-*-manual.sqlite3"))
    assert len(backups) == 1
    assert add_user(office, monkeypatch, "after", "clerk") == 0  # a change after the backup
    capsys.readouterr()
    assert zb(office, "restore", str(backups[0])) == 0
    out = capsys.readouterr().out
    assert "已从备份恢复" in out and "原数据库已另存为" in out
    assert zb(office, "user", "list", "--json") == 0
    assert [u["username"] for u in json.loads(capsys.readouterr().out)] == ["admin"]
    assert zb(office, "audit", "list", "--json", "--action", "restore") == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1
    assert zb(office, "audit", "verify") == 0


def test_restore_refuses_a_bad_file(office, tmp_path, capsys):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 50)
    before = office.read_bytes()
    capsys.readouterr()
    assert zb(office, "restore", str(bad)) == 2
    assert "数据库未改动" in capsys.readouterr().err
    assert office.read_bytes() == before


def test_restore_over_a_damaged_database(office, capsys):
    assert zb(office, "backup") == 0
    good = next((office.parent / "backups").glob("*.sqlite3"))
    data = bytearray(office.read_bytes())
    for i in range(2 * 4096, min(len(data), 8 * 4096), 3):
        data[i] = 0x5A
    office.write_bytes(bytes(data))
    capsys.readouterr()
    assert zb(office, "audit", "verify") == 1
    assert "从备份恢复" in capsys.readouterr().err  # the damaged database says what to do
    assert zb(office, "restore", str(good)) == 0
    assert "当前数据库已损坏" in capsys.readouterr().out
    assert zb(office, "audit", "verify") == 0


def test_init_with_a_bad_admin_name_creates_nothing(tmp_path, monkeypatch, capsys):
    db = tmp_path / "new.sqlite3"
    monkeypatch.setenv("ZHIBANG_PASSWORD", ADMIN_PASSWORD)
    assert main(["--db", str(db), "init", "--office", "增城区总工会", "--admin", "x" * 60]) == 2
    assert "用户名" in capsys.readouterr().err
    # the office was not half set up: a corrected second try works
    assert main(["--db", str(db), "init", "--office", "增城区总工会", "--admin", "admin"]) == 0


def test_init_can_put_a_preset_policy_in_force(tmp_path, monkeypatch, capsys):

    db = tmp_path / "new.sqlite3"
    monkeypatch.setenv("ZHIBANG_PASSWORD", ADMIN_PASSWORD)
    assert main(["--db", str(db), "init", "--office", "增城区总工会", "--admin", "admin", "--policy", "增城"]) == 0
    capsys.readouterr()
    assert zb(db, "--json", "policy", "list") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["year"], p["in_force"]) for p in listed] == [(clock.today().year, True)]
    other = tmp_path / "other.sqlite3"
    assert main(["--db", str(other), "init", "--office", "某区总工会", "--policy", "不存在"]) == 2
    assert main(["--db", str(other), "init", "--office", "某区总工会"]) == 0  # nothing was half set up


def test_user_review_binds_a_reviewer_to_units_and_levels(office, monkeypatch, capsys):
    from zhibang_desktop.services.admin import users
    from zhibang_desktop.services.context import SYSTEM, AppContext
    from zhibang_desktop.storage.database import open_database

    assert add_user(office, monkeypatch, "wang", "reviewer") == 0
    assert zb(office, "user", "review", "wang", "--at", "增城区总工会:区总", "--at", "1:street") == 0
    assert "已设置 wang 的审核范围" in capsys.readouterr().out
    db = open_database(office)
    try:
        ctx = AppContext(db, SYSTEM)
        wang = users.find_user(ctx, "wang")
        assert sorted((s.unit_id, s.level) for s in users.reviewer_scopes(ctx, wang.id)) == [
            (1, "district"), (1, "street")]
    finally:
        db.close()
    assert zb(office, "user", "review", "wang", "--at", "增城区总工会:乡镇") == 2
    assert zb(office, "user", "review", "wang") == 2
    assert zb(office, "user", "review", "wang", "--clear") == 0


def test_office_key_signs_the_chain_and_check_finds_a_truncated_log(office, tmp_path, monkeypatch, capsys):
    """Issue 10: `audit key` + `--key`; the last entries deleted with the head moved back is found by
    `check` (before: passed), and each backup names the chain head it holds."""
    monkeypatch.setenv("ZHIBANG_KEY_FILE", "")  # restored after the test (--key sets it)
    key = tmp_path / "u盘" / "office.key"
    assert zb(office, "audit", "key", str(key)) == 0
    assert key.exists() and key.stat().st_mode & 0o077 == 0
    assert zb(office, "audit", "key", str(key)) == 1  # never overwritten
    assert "已存在" in capsys.readouterr().err
    for i in range(3):
        assert zb(office, "--key", str(key), "backup", "--out", str(tmp_path / f"b{i}.sqlite3")) == 0
    out = capsys.readouterr().out
    con = sqlite3.connect(office)
    seq, head = con.execute("select seq, hash from audit_head").fetchone()
    assert "备份中的审计链头：第" in out
    assert zb(office, "--key", str(key), "check", user="admin") == 0
    prev = con.execute("select hash from audit_log where seq = ?", (seq - 2,)).fetchone()[0]
    con.execute("delete from audit_log where seq > ?", (seq - 2,))
    con.execute("update audit_head set seq = ?, hash = ?", (seq - 2, prev))
    con.commit()
    con.close()
    capsys.readouterr()
    assert zb(office, "--key", str(key), "check", user="admin") == 1
    out = capsys.readouterr().out
    assert "末尾 2 条记录被删除" in out and f"审计日志第 {seq} 条（已缺失）" in out
