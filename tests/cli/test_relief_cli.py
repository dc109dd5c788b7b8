"""`zhibang policy …`, `import ledger`, `report compliance`, `request …`, `print approval`, `holiday …`."""
from __future__ import annotations

import json
from datetime import date

import pytest

from zhibang_desktop.cli import main
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database

from ..services.relief_helpers import person_id
from ..services.test_ledger_import import write_ledger

PASSWORD = "Secret123"


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run `zhibang --db <tmp> …` as a user; returns (exit code, stdout, stderr)."""
    db = tmp_path / "z.sqlite3"
    monkeypatch.setenv("ZHIBANG_PASSWORD", PASSWORD)
    monkeypatch.delenv("ZHIBANG_USER", raising=False)

    def run(*argv, user="admin"):
        capsys.readouterr()
        code = main(["--db", str(db), "--user", user, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    assert main(["--db", str(db), "init", "--office", "增城区总工会", "--admin", "admin"]) == 0
    database = open_database(db)
    try:
        admin = AppContext(database, users.authenticate(database, "admin", PASSWORD))
        users.add_user(admin, "clerk", "经办人小李", PASSWORD, ["clerk"])
    finally:
        database.close()
    return run


def test_policy_use_list_show_export_import(cli, tmp_path):
    code, out, _ = cli("policy", "use", "增城", "--year", "2023")
    assert code == 0 and "2023 年第 1 版【生效】" in out
    code, out, _ = cli("policy", "use", "shanghai", "--year", "2023", "--json")
    assert code == 0 and json.loads(out)["version"] == 2
    code, out, _ = cli("policy", "list", "--json")
    rows = json.loads(out)
    assert [(r["version"], r["in_force"]) for r in rows] == [(2, True), (1, False)]
    code, out, _ = cli("policy", "show", "--year", "2023")
    assert code == 0 and "上海" in out and "医疗" in out
    code, out, _ = cli("policy", "show", "--id", "1", "--json")
    assert json.loads(out)["office"] == "增城区总工会"

    exported = tmp_path / "zc.json"
    assert cli("policy", "export", str(exported), "--id", "1")[0] == 0
    body = json.loads(exported.read_text(encoding="utf-8"))
    body["relief_types"][0]["max_yuan"] = 650
    exported.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    code, out, _ = cli("policy", "import", str(exported), "--year", "2024")
    assert code == 0 and "2024 年第 1 版" in out

    bad = tmp_path / "bad.json"
    body["relief_types"][0]["kind"] = "weekly"
    bad.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli("policy", "import", str(bad))
    assert code == 2 and "relief_types[0].kind" in err
    assert cli("policy", "use", "北京", "--year", "2023")[0] == 2
    assert cli("policy", "show", "--year", "2030")[0] == 2  # nothing in force
    assert cli("policy", "use", "增城", user="clerk")[0] == 2  # clerks do not edit policies


def test_import_ledger_and_compliance_report(cli, tmp_path):
    cli("policy", "use", "增城", "--year", "2023")
    ok = write_ledger(tmp_path / "ok.xlsx", [
        ("王五", person_id(104), "紧急救助", "突发重大疾病或意外伤害住院手术，家庭非常困难", 1000, date(2023, 5, 6), "工会经费", "膝关节手术"),
        ("赵六", person_id(105), "季度救助", None, 700, date(2023, 2, 1), None, ""),
        ("孙七", person_id(106), "紧急救助", None, 1500, date(2023, 6, 1), None, ""),
    ])
    code, out, _ = cli("import", "ledger", str(ok), user="clerk")
    assert code == 0 and "已导入 3 笔" in out and "3 人不在档案中" in out

    code, out, _ = cli("report", "compliance", "--year", "2023", "--json")
    assert code == 0
    rep = json.loads(out)
    assert rep["year"] == 2023
    keys = {"id_number", "name", "type", "date", "amount_fen", "rule", "message"}
    assert all(keys <= set(v) for v in rep["violations"] + rep["not_checkable"])
    got = {(v["name"], v["type"], v["date"], v["amount_fen"], v["rule"]) for v in rep["violations"]}
    assert got == {("王五", "emergency", "2023-05-06", 100000, "emergency.subcases.illness_surgery"),
                   ("赵六", "quarterly", "2023-02-01", 70000, "quarterly.amount")}
    assert ("孙七", "emergency.subcases") in {(n["name"], n["rule"]) for n in rep["not_checkable"]}
    assert {v["rule_label"] for v in rep["violations"]} == {"紧急救助·突发重大疾病或意外伤害住院手术，家庭非常困难",
                                                          "季度救助·金额标准"}
    assert "\\u" not in out and "王五" in out  # UTF-8, not \uXXXX escapes
    assert (rep["checked"], rep["compliant"], rep["rate"]) == (3, 1, 0.333333)
    code, out, _ = cli("report", "compliance", "--year", "2023")
    assert code == 0 and "不符合政策 2 笔" in out and "王五" in out
    assert "符合政策 1 笔，合规率 33.33%" in out
    assert "〔紧急救助·突发重大疾病或意外伤害住院手术，家庭非常困难〕" in out and "〔emergency" not in out

    bad = write_ledger(tmp_path / "bad.xlsx", [("王五", "123", "季度救助", None, 500, date(2023, 2, 1), None, "")])
    report = tmp_path / "errors.xlsx"
    code, _, err = cli("import", "ledger", str(bad), "--report", str(report), user="clerk")
    assert code == 2 and "未导入任何记录" in err and "第 3 行" in err and report.exists()


def test_request_list_show_and_print(cli, tmp_path):
    cli("policy", "use", "增城", "--year", "2023")
    cli("import", "ledger", str(write_ledger(tmp_path / "l.xlsx", [
        ("王五", person_id(104), "季度救助", None, 500, date(2023, 2, 6), "工会经费", "")])), user="clerk")
    code, out, _ = cli("request", "list", "--json")
    page = json.loads(out)
    assert code == 0 and page["total"] == 1 and page["rows"][0]["number"] == "TZ2023-00001"
    code, out, _ = cli("request", "show", "TZ2023-00001")
    assert code == 0 and "从历史台账导入" in out and "已审批" in out
    pdf = tmp_path / "a.pdf"
    code, out, _ = cli("print", "approval", "TZ2023-00001", "--out", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert cli("request", "show", "JZ2099-00001")[0] == 2


def test_holidays_for_2027(cli):
    code, out, _ = cli("holiday", "list", "--year", "2027")
    assert code == 0 and "没有节假日数据" in out
    assert cli("holiday", "add", "2027-10-01", "--name", "国庆节")[0] == 0
    assert cli("holiday", "add", "2027-09-26", "--workday", "--name", "国庆调休")[0] == 0
    assert cli("holiday", "complete", "2027")[0] == 0
    code, out, _ = cli("holiday", "list", "--year", "2027", "--json")
    data = json.loads(out)
    assert [d["day"] for d in data["days"]] == ["2027-09-26", "2027-10-01"]
    assert data["years"][0]["source"] == "admin"
    assert cli("holiday", "add", "2027-13-01")[0] == 2
    assert cli("holiday", "remove", "2027-10-02")[0] == 2


def test_json_output_is_utf8_whatever_the_stream_encoding(tmp_path):
    """A pipe or console whose code page cannot hold Chinese still gets UTF-8 JSON, not escapes."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONIOENCODING="ascii", ZHIBANG_PASSWORD=PASSWORD)
    done = subprocess.run([sys.executable, "-m", "zhibang_desktop", "--db", str(tmp_path / "z.sqlite3"), "--json",
                           "init", "--office", "增城区总工会", "--admin", "admin"],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("utf-8")
    assert json.loads(text)["office"] == "增城区总工会" and "\\u" not in text
