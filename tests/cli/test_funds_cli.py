"""`zhibang budget …` (issue 12): amounts typed in yuan, JSON money in fen; seed 001's
480,000 → 270,000 and seed 004's allocation to a county."""
from __future__ import annotations

import json

import pytest

from tests.documents.pdf_tools import assert_all_fonts_embedded
from zhibang_desktop.cli import main
from zhibang_desktop.services import funds
from zhibang_desktop.services.admin import org, users
from zhibang_desktop.services.relief import policies
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.session.setup import UnitSpec, initialise_office
from zhibang_desktop.storage.database import open_database


@pytest.fixture
def z(tmp_path, monkeypatch):
    monkeypatch.delenv("ZHIBANG_USER", raising=False)
    monkeypatch.delenv("ZHIBANG_PASSWORD", raising=False)
    path = tmp_path / "cli.sqlite3"
    db = open_database(path)
    ctx = initialise_office(db, "增城区总工会", units=[UnitSpec("怀远县总工会", "street")])
    policies.use_preset(AppContext(db, SYSTEM), "增城", 2025)
    policies.use_preset(AppContext(db, SYSTEM), "增城", 2026)
    assert ctx
    db.close()

    def run(*args):
        return main(["--db", str(path), *map(str, args)])

    run.path = path
    return run


def _json(capsys, z, *args):
    capsys.readouterr()
    assert z(*args, "--json") == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_budget_add_adjust_list_in_fen(z, capsys):
    added = _json(capsys, z, "budget", "add", "--year", 2026, "--source", "工会经费", "--amount", "430000",
                  "--programme", "困难职工帮扶", "--doc", "增工〔2026〕1号")
    _json(capsys, z, "budget", "add", "--year", 2026, "--source", "财政预算资金", "--amount", "50000")
    adjusted = _json(capsys, z, "budget", "adjust", added["id"], "--amount", "-162000",
                     "--reason", "年中按财政要求压减经费", "--doc", "增财预〔2026〕18号")
    assert adjusted["budget_fen"] == 26_800_000
    assert adjusted["adjustments"][0]["amount_fen"] == -16_200_000
    listed = _json(capsys, z, "budget", "list", "--year", 2026)
    assert [(line["source"], line["budget_fen"]) for line in listed["lines"]] == [
        ("工会经费", 26_800_000), ("财政预算资金", 5_000_000)]
    assert listed["total"]["budget_fen"] == 31_800_000
    capsys.readouterr()
    assert z("budget", "list", "--year", 2026) == 0
    out = capsys.readouterr().out
    assert "2026年 工会经费·困难职工帮扶" in out and "268,000.00" in out


def test_allocate_and_reported_spending(z, capsys):
    line = _json(capsys, z, "budget", "add", "--year", 2026, "--source", "财政预算资金", "--amount", "1000000")
    a = _json(capsys, z, "budget", "allocate", line["id"], "--unit", "怀远县总工会", "--amount", "250000",
              "--doc", "蚌财〔2026〕12号", "--date", "2026-03-15")
    assert (a["unit"], a["amount_fen"], a["date"]) == ("怀远县总工会", 25_000_000, "2026-03-15")
    r = _json(capsys, z, "budget", "reported", a["id"], "--spent", "240000")
    assert r["reported_spent_fen"] == 24_000_000
    listed = _json(capsys, z, "budget", "list", "--year", 2026)
    assert (listed["total"]["allocated_fen"], listed["total"]["rate_bp"]) == (25_000_000, 2500)


def test_carry_over_shows_then_confirms(z, capsys):
    line = _json(capsys, z, "budget", "add", "--year", 2025, "--source", "工会经费", "--amount", "1030097")
    shown = _json(capsys, z, "budget", "carry-over", "--year", 2025)
    assert shown == [{"line_id": line["id"], "label": "2025年 工会经费", "remaining_fen": 103_009_700,
                      "confirmed_fen": None}]
    done = _json(capsys, z, "budget", "carry-over", "--year", 2025, "--confirm", "--doc", "已报省总工会")
    assert [c["amount_fen"] for c in done] == [103_009_700]
    assert _json(capsys, z, "budget", "list", "--year", 2026)["lines"][0]["carried_in_fen"] == 103_009_700


def test_plan_as_json_and_pdf(z, capsys, tmp_path):
    out = tmp_path / "plan.pdf"
    plan = _json(capsys, z, "budget", "plan", "--year", 2027, "--out", out)
    assert plan["year"] == 2027 and plan["total_fen"] == sum(i["amount_fen"] for i in plan["items"])
    assert plan["pdf"] == str(out)
    assert_all_fonts_embedded(out)


def test_bad_input_exits_2_and_changes_nothing(z, capsys):
    capsys.readouterr()
    assert z("budget", "add", "--year", 2026, "--source", "彩票公益金", "--amount", "100") == 2
    assert "没有名为“彩票公益金”的资金来源" in capsys.readouterr().err
    assert z("budget", "add", "--year", 2026, "--source", "工会经费", "--amount", "十万") == 2
    assert z("budget", "adjust", 99, "--amount", "-5", "--reason", "x") == 2
    assert _json(capsys, z, "budget", "list", "--year", 2026)["lines"] == []


def test_a_clerk_may_not_set_budgets(z, capsys, monkeypatch):
    db = open_database(z.path)
    users.create_admin(db, "admin", "Secret123")
    admin = AppContext(db, users.authenticate(db, "admin", "Secret123"))
    users.add_user(admin, "lihua", "李华", "Passw0rd1", ["clerk"])
    db.close()
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Passw0rd1")
    capsys.readouterr()
    assert z("--user", "lihua", "budget", "add", "--year", 2026, "--source", "工会经费", "--amount", "1") == 2
    assert "管理预算资金" in capsys.readouterr().err
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Secret123")
    assert z("--user", "admin", "budget", "add", "--year", 2026, "--source", "工会经费", "--amount", "1") == 0


# ------------------------------------------------------------------ budget list --unit

LICHENG, XINTANG, FACTORY = "荔城街总工会", "新塘镇总工会", "荔城街某某电子厂工会"


@pytest.fixture
def unions(tmp_path, monkeypatch):
    """The district's line allocating to 新塘镇 and to 荔城街's factory, 荔城街's line allocating
    to the same factory, 新塘镇's line; the head (whole office) and 荔城街's bound clerk."""
    path = tmp_path / "unions.sqlite3"
    db = open_database(path)
    initialise_office(db, "增城区总工会", units=[UnitSpec(LICHENG, "street"), UnitSpec(XINTANG, "street"),
                                              UnitSpec(FACTORY, "grassroots", LICHENG)])
    ctx = AppContext(db, SYSTEM)
    policies.use_preset(ctx, "增城", 2026)
    u = {v.name: v.id for v in org.list_units(ctx)}
    district = funds.add_budget(ctx, 2026, "工会经费", 10_000_000)
    licheng = funds.add_budget(ctx, 2026, "工会经费", 2_000_000, unit_id=u[LICHENG])
    xintang = funds.add_budget(ctx, 2026, "工会经费", 1_000_000, unit_id=u[XINTANG])
    lines = {district.id: "区", licheng.id: "荔城街", xintang.id: "新塘镇"}
    allocations = {funds.allocate(ctx, district.id, u[XINTANG], 500_000).id: "区→新塘镇",
                   funds.allocate(ctx, district.id, u[FACTORY], 300_000).id: "区→电子厂",
                   funds.allocate(ctx, licheng.id, u[FACTORY], 200_000).id: "荔城街→电子厂"}
    users.create_admin(db, "admin", "Secret123")
    admin = AppContext(db, users.authenticate(db, "admin", "Secret123"))
    users.add_user(admin, "head", "负责人老王", "Secret123", ["head"])
    users.add_user(admin, "lc", "荔城街经办人", "Secret123", ["clerk"], u[LICHENG])
    db.close()
    monkeypatch.setenv("ZHIBANG_PASSWORD", "Secret123")

    def run(*args, user="head"):
        return main(["--db", str(path), "--user", user, *map(str, args)])

    run.lines, run.allocations, run.ids = lines, allocations, u
    return run


@pytest.mark.parametrize("user, union, lines, allocations, budget_fen", [
    ("head", None, {"区", "荔城街", "新塘镇"}, {"区→新塘镇", "区→电子厂", "荔城街→电子厂"}, 13_000_000),
    ("head", "增城区总工会", {"区", "荔城街", "新塘镇"}, {"区→新塘镇", "区→电子厂", "荔城街→电子厂"}, 13_000_000),
    ("head", LICHENG, {"荔城街"}, {"区→电子厂", "荔城街→电子厂"}, 2_000_000),
    ("head", f" {LICHENG} ", {"荔城街"}, {"区→电子厂", "荔城街→电子厂"}, 2_000_000),  # spaces trimmed
    ("head", FACTORY, set(), {"区→电子厂", "荔城街→电子厂"}, 0),
    ("head", XINTANG, {"新塘镇"}, {"区→新塘镇"}, 1_000_000),
    ("head", "#" + XINTANG, {"新塘镇"}, {"区→新塘镇"}, 1_000_000),  # by its number
    ("lc", None, {"荔城街"}, {"区→电子厂", "荔城街→电子厂"}, 2_000_000),
    ("lc", LICHENG, {"荔城街"}, {"区→电子厂", "荔城街→电子厂"}, 2_000_000),
    ("lc", FACTORY, set(), {"区→电子厂", "荔城街→电子厂"}, 0),
])
def test_budget_list_unit_narrows_lines_allocations_and_execution(unions, capsys, user, union, lines,
                                                                   allocations, budget_fen):
    if union is not None and union.startswith("#"):
        union = unions.ids[union[1:]]
    args = ["budget", "list", "--year", 2026, *(["--unit", union] if union is not None else [])]
    capsys.readouterr()
    assert unions(*args, "--json", user=user) == 0, capsys.readouterr().err
    data = json.loads(capsys.readouterr().out)
    assert {unions.lines[line["id"]] for line in data["lines"]} == lines
    assert {unions.allocations[a["id"]] for a in data["allocations"]} == allocations
    assert data["total"]["budget_fen"] == budget_fen


def test_budget_list_unit_text_names_the_union_and_the_allocations_received(unions, capsys):
    capsys.readouterr()
    assert unions("budget", "list", "--year", 2026, "--unit", FACTORY) == 0
    out = capsys.readouterr().out
    assert f"2026 年{FACTORY}（含下级工会）没有预算指标" in out
    assert f"收到下拨 2026年 工会经费 → {FACTORY}：3,000.00 元" in out
    assert f"收到下拨 2026年 工会经费 → {FACTORY}：2,000.00 元" in out
    assert unions("budget", "list", "--year", 2026, "--unit", LICHENG) == 0
    out = capsys.readouterr().out
    assert f"{LICHENG}（含下级工会）合计 预算 20,000.00 元" in out
    assert out.count("收到下拨") == 1  # 荔城街's own line's allocation is in its line, not received


@pytest.mark.parametrize("user, union, message", [
    ("lc", XINTANG, f"工会“{XINTANG}”不在当前用户的管辖范围内"),
    ("lc", "增城区总工会", "工会“增城区总工会”不在当前用户的管辖范围内"),
    ("head", "没有这个工会", "找不到工会“没有这个工会”"),
])
def test_budget_list_unit_refused(unions, capsys, user, union, message):
    capsys.readouterr()
    assert unions("budget", "list", "--year", 2026, "--unit", union, user=user) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
