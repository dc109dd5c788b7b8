"""`zhibang report annual` (issue 13): the JSON shape, the text, the union scope."""
from __future__ import annotations

import json

import pytest

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
    users.create_admin(db, "admin", PASSWORD, display_name="管理员")
    admin = AppContext(db, users.authenticate(db, "admin", PASSWORD))
    users.add_user(admin, "head", "负责人老王", PASSWORD, ["head"])
    users.add_user(admin, "lc", "荔城街经办人", PASSWORD, ["clerk"], year.units[STREET1])
    db.close()
    monkeypatch.setenv("ZHIBANG_PASSWORD", PASSWORD)

    def run(*args, user="head"):
        return main(["--db", str(path), "--user", user, *map(str, args)])

    run.path = path
    run.year = year
    return run


def _json(capsys, z, *args, user="head"):
    capsys.readouterr()
    assert z(*args, "--json", user=user) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_annual_json_shape(z, capsys):
    data = _json(capsys, z, "report", "annual", "--year", YEAR)
    assert {"year", "office", "by_type", "total", "budget", "indicators"} <= set(data)
    assert data["year"] == YEAR and data["office"] == "增城区总工会"
    for row in data["by_type"]:
        assert {"type", "name", "households", "persons", "payments", "amount_fen", "min_fen", "max_fen"} <= set(row)
    quarterly = next(r for r in data["by_type"] if r["type"] == "quarterly")
    # 张一 500 + 400 + ledger 500, 李二 500 (reissued), 王三 600, 赵四 500, 孙六 500
    assert (quarterly["name"], quarterly["households"], quarterly["payments"], quarterly["amount_fen"]) == (
        "季度救助", 5, 7, 350000)
    assert (quarterly["min_fen"], quarterly["max_fen"]) == (50000, 140000)
    emergency = next(r for r in data["by_type"] if r["type"] == "emergency")
    assert (emergency["households"], emergency["amount_fen"], emergency["average_fen"]) == (2, 180000, 90000)
    assert data["total"]["payments"] == 9 and data["total"]["amount_fen"] == 530000
    assert data["total"]["households"] == 6  # 周七 counts as one though not archived
    assert data["budget"] == {"budget_fen": 27_000_000, "spent_fen": 26_580_000, "execution_rate": 0.984444}
    ind = data["indicators"]["standard_compliance"]
    assert {"value", "numerator", "denominator", "exceptions"} <= set(ind)
    assert (ind["numerator"], ind["denominator"]) == (7, 9)
    assert ind["exceptions"][0]["justification"] == "申请时：自付手术费用高，家庭困难"
    assert data["indicators"]["satisfaction"]["answerable"] is False
    assert [(u["name"], u["households"], u["payments"], u["amount_fen"], u["archived_households"])
            for u in data["by_union"]] == [("增城区总工会（本级）", 1, 1, 80000, 0), (STREET1, 4, 7, 400000, 3),
                                           (STREET2, 1, 1, 50000, 1)]


def test_annual_text(z, capsys):
    capsys.readouterr()
    assert z("report", "annual", "--year", YEAR) == 0
    out = capsys.readouterr().out
    assert f"{YEAR} 年度帮扶工作报表" in out and "执行率 98.44%" in out
    assert "受助职工满意度：无法计算" in out


def test_street_user_gets_its_subtree_and_unknown_union_is_refused(z, capsys):
    data = _json(capsys, z, "report", "annual", "--year", YEAR, user="lc")
    assert data["unit"] == STREET1 and data["total"]["payments"] == 7
    capsys.readouterr()
    assert z("report", "annual", "--year", YEAR, "--unit", STREET2, user="lc") == 2
    assert "管辖范围" in capsys.readouterr().err
    assert z("report", "annual", "--year", YEAR, "--unit", "没有这个工会") == 2


def test_annual_out_pdf_and_xlsx(z, capsys, tmp_path):
    from tests.documents.pdf_tools import pdftotext

    assert z("report", "annual", "--year", YEAR, "--out", tmp_path / "年报.pdf") == 0
    assert "已写入" in capsys.readouterr().out
    assert "帮扶工作报表" in "".join(pdftotext(tmp_path / "年报.pdf"))
    data = _json(capsys, z, "report", "annual", "--year", YEAR, "--out", tmp_path / "年报.xlsx", user="lc")
    assert data == {"out": str(tmp_path / "年报.xlsx")}
    import openpyxl

    cover = openpyxl.load_workbook(tmp_path / "年报.xlsx")["报表信息"]
    assert {r[0]: r[1] for r in cover.iter_rows(values_only=True)}["制表人"] == "荔城街经办人"
    assert z("report", "annual", "--year", YEAR, "--out", tmp_path / "年报.txt") == 2


def test_selfeval_out_and_json(z, capsys, tmp_path):
    import openpyxl
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "resources" / "examples" / "selfeval_targets.json"
    out = tmp_path / "自评表.xlsx"
    assert z("report", "selfeval", "--year", YEAR, "--targets", example, "--out", out) == 0
    values = [c for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in row if c]
    assert "项目支出绩效自评表" in values and "困难帮扶金使用时间" in values
    data = _json(capsys, z, "report", "selfeval", "--year", YEAR, "--targets", example)
    assert data["execution_rate"] == "98.44%" and data["funds_points"] == "9.84"
    names = {ln["name"]: ln for ln in data["lines"]}
    assert names["帮助困难职工户数"]["actual"] == "6" and names["参与单位与困难职工满意度"]["points"] is None
    assert names["困难帮扶金使用时间"]["actual"].startswith("结余 4,200")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert z("report", "selfeval", "--year", YEAR, "--targets", bad) == 2


def test_paid_in_a_period_as_json_and_text(z, capsys):
    """Q1 of the hand-made year: payouts 1, 2, 7 on 03-20 and ledger 9 on 02-10 (A twice, B, F)."""
    data = _json(capsys, z, "report", "paid", "--from", f"{YEAR}-01-01", "--to", f"{YEAR}-03-31")
    assert data["period"] == {"start": f"{YEAR}-01-01", "end": f"{YEAR}-03-31"}
    assert [(r["type"], r["payments"], r["amount_fen"]) for r in data["by_type"]] == [
        ("quarterly", 3, 150000), ("emergency", 1, 100000)]
    assert (data["total"]["households"], data["total"]["payments"], data["total"]["amount_fen"]) == (3, 4, 250000)
    assert _json(capsys, z, "report", "paid", "--from", f"{YEAR}-04-01", "--to", f"{YEAR}-06-30",
                 user="lc")["total"]["amount_fen"] == 60000  # the street's: 王三 only
    capsys.readouterr()
    assert z("report", "paid", "--from", f"{YEAR}-01-01", "--to", f"{YEAR}-03-31") == 0
    out = capsys.readouterr().out
    assert "季度救助：2 户、2 人、3 笔，1,500.00 元" in out and "合计：3 户、3 人、4 笔，2,500.00 元" in out


def test_paid_refuses_a_backwards_period_and_a_bad_date(z, capsys):
    capsys.readouterr()
    assert z("report", "paid", "--from", f"{YEAR}-03-31", "--to", f"{YEAR}-01-01") == 2
    assert "早于开始日期" in capsys.readouterr().err
    assert z("report", "paid", "--from", f"{YEAR}-02-30", "--to", f"{YEAR}-03-01") == 2
    assert "请写成 2026-03-20" in capsys.readouterr().err
