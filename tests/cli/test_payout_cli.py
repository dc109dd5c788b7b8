"""`zhibang notice list | batch list | print roster | print receipts | export bank | import returns`,
and `zhibang demo` producing a year with notices and batches."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date

import openpyxl
import pytest

from tests.services.payout_helpers import Clock, approved, noticed
from zhibang_desktop.cli import main
from zhibang_desktop.services import payout
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.payout.types import BatchInput, LinePlan
from zhibang_desktop.services.session.setup import UnitSpec, initialise_office
from zhibang_desktop.storage.database import open_database

UNITS = [UnitSpec("荔城街某某电子厂工会", "grassroots"), UnitSpec("新塘镇牛仔服装公司工会", "grassroots"),
         UnitSpec("区直机关工会", "grassroots")]


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A database with a published, ended notice and an open batch (no users: system actor)."""
    monkeypatch.delenv("ZHIBANG_USER", raising=False)
    monkeypatch.delenv("ZHIBANG_PASSWORD", raising=False)
    path = tmp_path / "cli.sqlite3"
    db = open_database(path)
    initialise_office(db, "增城区总工会", phone="020-82712345", units=UNITS)
    ctx = AppContext(db, SYSTEM)
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 8, cash_every=4)
    notice = noticed(ctx, clock)
    batch = payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in made.request_ids]))
    db.close()

    def z(*args):
        return main(["--db", str(path), *map(str, args)])

    return z, notice, batch, made


def _json(capsys, z, *args):
    capsys.readouterr()
    assert z(*args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_lists_as_json(world, capsys):
    z, notice, batch, _ = world
    notices = _json(capsys, z, "notice", "list")
    assert [(n["id"], n["title"], n["entries"], n["start"], n["end"]) for n in notices] == [
        (notice.summary.id, "增城区总工会关于2026年第一季度困难职工救助对象名单的公示", 8, "2026-03-02", "2026-03-09")]
    batches = _json(capsys, z, "batch", "list")
    assert [(b["id"], b["number"], b["lines"], b["total_fen"]) for b in batches] == [
        (batch.summary.id, "2026-Q1-01", 8, batch.summary.total_fen)]
    shown = _json(capsys, z, "batch", "show", "2026-Q1-01")
    assert len(shown["lines"]) == 8
    assert z("notice", "show", notice.summary.id) == 0
    assert "2026-03-02 至 2026-03-09" in capsys.readouterr().out


def test_print_roster_and_receipts(world, tmp_path, capsys):
    z, notice, batch, made = world
    out = tmp_path / "roster.pdf"
    assert z("print", "roster", notice.summary.id, "--out", out) == 0
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout)
    assert all(e.name in text for e in notice.entries)
    assert not any(i in text for i in made.id_numbers)
    rc = tmp_path / "receipts.pdf"
    res = _json(capsys, z, "print", "receipts", "2026-Q1-01", "--out", rc)
    assert res["rows"] == 8 and sum(res["page_sums"]) == res["total_fen"] == batch.summary.total_fen
    rtext = subprocess.run(["pdftotext", str(rc), "-"], capture_output=True, text=True).stdout
    assert not any(i in rtext for i in made.id_numbers)
    full = tmp_path / "full.pdf"
    assert z("print", "receipts", batch.summary.id, "--out", full, "--full-id") == 0
    ftext = subprocess.run(["pdftotext", str(full), "-"], capture_output=True, text=True).stdout
    assert made.id_numbers[1] in ftext and "内部存档本" in capsys.readouterr().out
    assert z("print", "roster", 999, "--out", tmp_path / "x.pdf") == 2
    assert z("print", "roster", notice.summary.id, "--out", tmp_path / "x.txt") == 2


def test_export_bank_and_import_returns(world, tmp_path, capsys):
    z, _, batch, _ = world
    out = tmp_path / "bank.xlsx"
    res = _json(capsys, z, "export", "bank", "2026-Q1-01", "--out", out)
    bank = [line for line in batch.lines if line.method != "cash"]
    assert res["count"] == len(bank) and res["total_fen"] == sum(line.amount_fen for line in bank)
    assert z("export", "bank", "2026-Q1-01", "--out", tmp_path / "b2.xlsx", "--template", "没有的模板") == 2

    ret = tmp_path / "ret.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["账号", "户名", "金额", "失败原因"])
    ws.append([bank[0].account, bank[0].name, bank[0].amount_fen / 100, "账号有误"])
    ws.append(["6222000011112222333", "查无此人", 500, "户名不符"])
    wb.save(ret)
    preview = _json(capsys, z, "import", "returns", "2026-Q1-01", ret, "--preview")
    assert preview["applied"] is False and len(preview["returned"]) == 1
    done = _json(capsys, z, "import", "returns", "2026-Q1-01", ret, "--date", "2026-03-22")
    assert [m["line_id"] for m in done["returned"]] == [bank[0].id] and len(done["unmatched"]) == 1
    capsys.readouterr()
    assert z("import", "returns", "2026-Q1-01", ret, "--preview") == 0  # again, in words
    again = capsys.readouterr().out
    assert f"{bank[0].name}：已是退票，不变" in again and "already_returned" not in again
    assert z("import", "returns", "2026-Q1-01", tmp_path / "missing.xlsx") == 2
    assert z("import", "returns", "2026-Q1-01", ret, "--date", "22/03/2026") == 2
    assert z("import", "returns", "没有的批次", ret) == 2


def test_demo_produces_a_year(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ZHIBANG_USER", raising=False)
    monkeypatch.delenv("ZHIBANG_PASSWORD", raising=False)
    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "80", "--seed", "4"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("ZHIBANG_USER", "clerk")
    monkeypatch.setenv("ZHIBANG_PASSWORD", "demo1234")
    assert main(["--db", str(path), "notice", "list", "--json"]) == 0
    notices = json.loads(capsys.readouterr().out)
    assert len(notices) == 5 and {n["status"] for n in notices} == {"closed", "published"}  # 4 quarters, Q4 in 2 rounds
    assert main(["--db", str(path), "batch", "list", "--json"]) == 0
    batches = json.loads(capsys.readouterr().out)
    assert any(b["kind"] == "reissue" for b in batches) and all(b["lines"] and b["total_fen"] for b in batches)
