"""`zhibang demo | import households | export households | template households | check`."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import openpyxl
import pytest

from zhibang_desktop import __version__
from zhibang_desktop.cli import build_parser, main
from zhibang_desktop.cli.env import group
from zhibang_desktop.domain.idnumber import make_id_number


@pytest.fixture
def z(tmp_path, monkeypatch):
    db = tmp_path / "cli.sqlite3"
    monkeypatch.delenv("ZHIBANG_USER", raising=False)
    monkeypatch.delenv("ZHIBANG_PASSWORD", raising=False)

    def run(*args):
        return main(["--db", str(db), *map(str, args)])

    return run


def ledger(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "所属工会", "困难类别", "致困原因", "家庭人口", "家庭月收入", "建档日期"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_version_in_a_real_process():
    done = subprocess.run([sys.executable, "-m", "zhibang_desktop", "--version"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == f"zhibang {__version__}"


def test_demo_check_export_import_round(z, tmp_path, capsys, monkeypatch):
    assert z("demo", "--households", 40, "--seed", 2) == 0
    assert "演示用户" in capsys.readouterr().out
    # the demo database has users: every command acts as one of them, check included
    assert z("export", "households", tmp_path / "a.xlsx") == 2
    assert "--user" in capsys.readouterr().err
    assert z("check") == 2
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("ZHIBANG_PASSWORD", "demo1234")
    assert z("--user", "auditor", "--json", "check") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and len(report["items"]) >= 10
    assert z("--user", "auditor", "check", "--json") == 0
    capsys.readouterr()
    assert z("--user", "clerk", "--json", "export", "households", tmp_path / "a.xlsx",
             "--status", "active,渐退期", "--category", "深度困难") == 0
    out = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.worksheets[0].max_row == out["households"] + 1
    statuses = {r[1] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert statuses <= {"在档", "渐退期"}
    assert z("--user", "clerk", "export", "households", tmp_path / "b.xlsx", "--status", "gone") == 2
    assert "未知的状态" in capsys.readouterr().err


def test_import_bad_file_exits_2_with_each_problem_and_report(z, tmp_path, capsys):
    assert z("init", "--office", "增城区总工会", "--prefix", "ZC") == 0
    good = make_id_number("440118", date(1980, 1, 2), 11, "M")
    path = ledger(tmp_path / "in.xlsx", [
        ["黄伟", good, "荔城街某厂工会", "深度", "因病", 1, "1,000元", "2023/1/5"],
        ["李强", "440118198001021234", "荔城街某厂工会", "深度困难", "因病", 1, 800, None],
    ])
    report = tmp_path / "问题.xlsx"
    capsys.readouterr()
    assert z("import", "households", path, "--report", report) == 2
    err = capsys.readouterr().err
    assert "未导入任何数据" in err and "第 3 行" in err and "〔身份证号〕" in err and "校验位" in err
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("Sheet", 3, "身份证号")
    assert z("--json", "check") == 0  # nothing was imported, still consistent
    assert json.loads(capsys.readouterr().out)["ok"]


def test_import_good_file_and_check_only(z, tmp_path, capsys):
    assert z("init", "--office", "增城区总工会", "--prefix", "ZC") == 0
    path = ledger(tmp_path / "in.xlsx", [
        ["黄伟", make_id_number("440118", date(1980, 1, 2), 11, "M"), "荔城街某厂工会", "深度", "因病", 1, "1,000元",
         "2023/1/5"]])
    capsys.readouterr()
    assert z("import", "households", path, "--check-only") == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and "系统中没有的工会：荔城街某厂工会（导入时加 --create-units 新建）" in out
    assert z("import", "households", path) == 2  # issue 8: an unknown union is listed, not created
    err = capsys.readouterr().err
    assert "1 个系统中没有的工会，未导入任何数据" in err and "荔城街某厂工会" in err and "--create-units" in err
    assert z("--json", "import", "households", path, "--create-units") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["households"] == 1 and result["new_units"] == ["荔城街某厂工会"]
    assert result["follow_up"]["count"] == 1 and "尚无走访记录" in result["follow_up"]["examples"][0]
    assert z("import", "households", path) == 2  # the same people again: duplicates
    assert "已在档案 ZC2023" in capsys.readouterr().err


def test_import_lists_the_first_follow_up_items_and_counts_the_rest(z, tmp_path, capsys, monkeypatch):
    """Issue 15: the follow-up is a count with the first examples (not one text a household)."""
    from zhibang_desktop.services.archive import household_import

    monkeypatch.setattr(household_import, "FOLLOW_UP_EXAMPLES", 2)
    assert z("init", "--office", "增城区总工会", "--prefix", "ZC") == 0
    path = ledger(tmp_path / "in.xlsx", [
        [name, make_id_number("440118", date(1980, 1, day), 11, "M"), "荔城街某厂工会", "深度", "因病", 1, "1,000元",
         "2023/1/5"] for day, name in ((2, "黄伟"), (3, "黄强"), (4, "黄明"))])
    capsys.readouterr()
    assert z("import", "households", path, "--create-units") == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index("待办（3 户）：")
    assert [line.split("（")[1].split("）")[0] for line in out[at + 1:at + 3]] == ["黄伟", "黄强"]
    assert out[at + 3] == "  … 另有 1 户"


def test_template_and_missing_file(z, tmp_path, capsys):
    assert z("template", "households", tmp_path / "t.xlsx") == 0
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["困难职工档案", "家庭成员", "说明"]
    assert z("init", "--office", "增城区总工会") == 0
    assert z("import", "households", tmp_path / "nope.xlsx") == 2
    assert "找不到文件" in capsys.readouterr().err


def test_failed_check_exits_1(z, tmp_path, capsys, monkeypatch):
    assert z("demo", "--households", 5) == 0
    import sqlite3

    con = sqlite3.connect(tmp_path / "cli.sqlite3")
    con.execute("UPDATE households SET status = 'phasing_out', phase_out_until = NULL")
    con.commit()
    con.close()
    capsys.readouterr()
    monkeypatch.setenv("ZHIBANG_PASSWORD", "demo1234")
    assert z("--user", "admin", "check") == 1
    assert "[失败] 渐退期截止日期" in capsys.readouterr().out


def test_demo_refuses_a_real_office(z, capsys):
    assert z("init", "--office", "海口市总工会") == 0
    assert z("demo", "--households", 5) == 2
    assert "海口市总工会" in capsys.readouterr().err


def test_group_without_target_and_shared_groups(z, capsys):
    assert z("import") == 2
    assert "households" in capsys.readouterr().err
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    first = group(sub, "import", "从 Excel 导入")
    assert group(sub, "import", "ignored") is first  # one group, shared by every area
    first.add_parser("example-target", help="测试")
    assert {"households", "example-target"} <= set(group(sub, "import", "").choices)


def test_export_into_a_missing_folder_exits_1_with_a_message(z, tmp_path, capsys):
    assert z("init", "--office", "增城区总工会") == 0
    capsys.readouterr()
    assert z("export", "households", tmp_path / "no-such-folder" / "out.xlsx") == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：无法写入文件") and "no-such-folder" in err and "Traceback" not in err


def test_zhibang_db_picks_the_database_and_db_beats_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ZHIBANG_USER", raising=False)
    monkeypatch.delenv("ZHIBANG_PASSWORD", raising=False)
    from_env, from_flag = tmp_path / "env.sqlite3", tmp_path / "flag.sqlite3"
    monkeypatch.setenv("ZHIBANG_DB", str(from_env))
    assert main(["init", "--office", "增城区总工会"]) == 0
    assert from_env.exists() and str(from_env) in capsys.readouterr().out
    assert main(["--db", str(from_flag), "init", "--office", "海口市总工会"]) == 0
    assert from_flag.exists()
    assert main(["init", "--office", "海口市总工会"]) == 2  # ZHIBANG_DB still names the first, initialised one


def test_default_database_is_in_the_user_data_folder(tmp_path, monkeypatch):
    from zhibang_desktop import config

    monkeypatch.delenv("ZHIBANG_DB", raising=False)
    monkeypatch.setattr(config, "user_data_dir", lambda app, author: str(tmp_path / "data" / app))
    assert config.default_db_path() == tmp_path / "data" / "zhibang" / "zhibang.sqlite3"
    assert build_parser().parse_args([]).db is None  # no --db: the GUI and the CLI use default_db_path()


def test_demo_refuses_a_real_office_named_like_the_demo_but_adds_to_a_demo_database(z, tmp_path, capsys,
                                                                                    monkeypatch):
    assert z("init", "--office", "增城区总工会") == 0  # the real office has the demo's name
    assert z("demo", "--households", 5) == 2
    assert "增城区总工会" in capsys.readouterr().err
    demo_db = tmp_path / "demo.sqlite3"
    assert main(["--db", str(demo_db), "demo", "--households", "5"]) == 0
    monkeypatch.setenv("ZHIBANG_PASSWORD", "demo1234")  # the demo has users now: adding to it needs a login
    assert main(["--db", str(demo_db), "--user", "admin", "demo", "--households", "5", "--seed", "2"]) == 0
    assert "已生成演示数据：5 户" in capsys.readouterr().out
