"""`zhibang budget …` (issue 12): amounts typed in yuan, JSON money in fen; seed 001's
480,000 → 270,000 and seed 004's allocation to a county."""
from __future__ import annotations

import json

import pytest

from tests.documents.pdf_tools import assert_all_fonts_embedded
from zhibang_desktop.cli import main
from zhibang_desktop.services.admin import users
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
