"""`zhibang import crosscheck`, `followup list/add`, `complaint add/handle/list` (issue 18): JSON
shapes, texts, exit codes, and nothing imported from a bad list."""
from __future__ import annotations

import json

import pytest

from tests.services import crosscheck_world as cw
from tests.services.casework_helpers import write_list
from tests.services.reports_year import STREET1, STREET2, YEAR, build_year
from zhibang_desktop.cli import main
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.session.setup import UnitSpec, initialise_office
from zhibang_desktop.storage.database import open_database

PASSWORD = "Secret123"


@pytest.fixture
def z(tmp_path, monkeypatch):
    path = tmp_path / "cli.sqlite3"
    db = open_database(path)
    initialise_office(db, "增城区总工会", region="广州市增城区", archive_prefix="ZC", units=[
        UnitSpec(STREET1, "street"), UnitSpec(STREET2, "street"),
        UnitSpec("荔城街某某电子厂工会", "grassroots", STREET1),
        UnitSpec("新塘镇牛仔服装公司工会", "grassroots", STREET2)])
    ctx = AppContext(db, SYSTEM)
    year = build_year(ctx)
    world = cw.build(ctx)
    users.create_admin(db, "admin", PASSWORD, display_name="管理员")
    admin = AppContext(db, users.authenticate(db, "admin", PASSWORD))
    users.add_user(admin, "clerk", "经办人陈晓", PASSWORD, ["clerk"])
    users.add_user(admin, "lc", "荔城街经办人", PASSWORD, ["clerk"], year.units[STREET1])
    db.close()
    monkeypatch.setenv("ZHIBANG_PASSWORD", PASSWORD)

    def run(*args, user="clerk"):
        return main(["--db", str(path), "--user", user, *map(str, args)])

    run.year, run.world, run.tmp = year, world, tmp_path
    return run


def _json(capsys, z, *args, user="clerk"):
    capsys.readouterr()
    assert z(*args, "--json", user=user) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_import_crosscheck_prints_each_finding(z, capsys):
    police = _json(capsys, z, "import", "crosscheck", cw.police_list(z.tmp, z.world), "--source", "公安",
                   "--date", "2026-11-20")
    assert sorted(police, key=lambda f: f["name"]) == [
        {"id_number": z.world.ids["dead"], "name": "李老汉", "household": police[0]["household"], "finding": "已死亡",
         "list_says": "已死亡（2026-08-03）"},
        {"id_number": z.world.ids["car"], "name": "赵有车", "household": police[1]["household"],
         "finding": "名下有机动车辆", "list_says": "名下机动车 1 辆"}]
    assert all(f["household"].endswith(f["name"]) and f["household"].startswith("ZC") for f in police)
    civil = _json(capsys, z, "import", "crosscheck", cw.civil_affairs_list(z.tmp, z.world), "--source", "民政")
    assert [(f["name"], f["finding"]) for f in civil] == [("王小红", "登记为低保户，但不在民政低保名单上")]
    capsys.readouterr()
    assert z("import", "crosscheck", cw.police_list(z.tmp, z.world), "--source", "公安", "--date", "2026-11-20") == 0
    out = capsys.readouterr().out
    assert "替换了此前导入的同一名单" in out and "发现 2 条需核实" in out and "李老汉" in out


def test_bad_list_exit_2_names_row_and_field(z, capsys):
    bad = write_list(z.tmp / "坏.xlsx", ["姓名", "身份证号", "是否死亡"], [["甲", z.world.ids["dead"], "不知道"]])
    capsys.readouterr()
    assert z("import", "crosscheck", bad, "--source", "公安") == 2
    err = capsys.readouterr().err
    assert "未导入任何数据" in err and "第 2 行〔是否死亡〕" in err
    assert z("import", "crosscheck", bad, "--source", "税务") == 2
    assert "民政、人社" in capsys.readouterr().err
    assert z("import", "crosscheck", bad, "--source", "公安", user="lc") == 2  # a union's clerk: office-wide list
    assert "管辖范围" in capsys.readouterr().err


def test_followup_list_and_add(z, capsys):
    due = _json(capsys, z, "followup", "list", "--due")
    assert len(due) == 7 and all(not d["done"] and d["sample_percent"] == 100 for d in due)
    first = due[0]
    assert set(first) == {"line", "batch", "name", "unit", "relief_type", "amount_fen", "paid_on", "due_on",
                          "sample_percent", "done", "followups"}
    got = _json(capsys, z, "followup", "add", first["line"], "--date", f"{YEAR}-04-01", "--by", "陈晓",
                "--arrived", "是", "--satisfaction", "基本满意", "--needs", "希望介绍工作")
    assert got["done"] and got["followups"][0]["satisfaction"] == "basic"
    assert len(_json(capsys, z, "followup", "list", "--due")) == 6
    assert len(_json(capsys, z, "followup", "list")) == 7
    capsys.readouterr()
    assert z("followup", "add", first["line"], "--date", f"{YEAR}-04-01", "--by", "陈晓") == 2
    assert "资金是否到账" in capsys.readouterr().err
    assert z("followup", "list") == 0 and "已回访" in capsys.readouterr().out


def test_complaint_add_handle_list(z, capsys):
    added = _json(capsys, z, "complaint", "add", "--received", "2026-11-02", "--channel", "电话", "--complainant", "匿名",
                  "--content", "反映救助金未到账", "--household", z.world.ids["car"])
    assert (added["number"], added["due_date"], added["status"], added["household"]) == (
        "TS2026-001", "2026-11-23", "办理中", "赵有车")
    assert [c["number"] for c in _json(capsys, z, "complaint", "list", "--open")] == ["TS2026-001"]
    assert _json(capsys, z, "complaint", "list", "--overdue") == []
    capsys.readouterr()
    assert z("complaint", "handle", "TS2026-001", "--handling", "已核实", "--close") == 2
    assert "办理结果" in capsys.readouterr().err
    done = _json(capsys, z, "complaint", "handle", "TS2026-001", "--handling", "银行退票，已重发",
                 "--result", "已到账", "--fault", "否", "--close")
    assert (done["status"], done["at_fault"], done["closed_on"]) == ("已办结", False, "2026-11-23")
    assert z("complaint", "list") == 0
    assert "TS2026-001｜2026-11-02 电话｜匿名｜赵有车｜期限 2026-11-23｜已办结，无责" in capsys.readouterr().out
    assert z("complaint", "add", "--received", "2026-11-02", "--channel", "电话", "--complainant", "匿名",
             "--content", "x", "--household", "ZC2099") == 2
