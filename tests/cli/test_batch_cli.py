"""`zhibang batch …` for scripted offices, on the demo year: create a batch, add to it, mark
lines paid / returned / renounced / paid to a relative, close it — through the same services
as the 救助金发放 page, with --json and the usual exit codes."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.pinned import TEST_TODAY
from zhibang_desktop.cli import main
from zhibang_desktop.domain import clock


@pytest.fixture
def z(demo_copy, monkeypatch, capsys):
    monkeypatch.setenv("ZHIBANG_USER", "clerk")
    monkeypatch.setenv("ZHIBANG_PASSWORD", "demo1234")

    def run(*args, expect=0):
        capsys.readouterr()
        code = main(["--db", str(demo_copy), *args])
        out, err = capsys.readouterr()
        assert code == expect, f"{args}: {code}\n{out}\n{err}"
        return json.loads(out) if "--json" in args and code == 0 else out + err

    return run


def test_the_lines_of_the_batch_in_progress(z, tmp_path):
    open_batch = next(b for b in z("batch", "list", "--status", "open", "--json") if b["pending"])
    number = open_batch["number"]
    lines = z("batch", "show", number, "--json")["lines"]
    bank = [x for x in lines if x["state"] == "pending" and x["method"] in ("bank_transfer", "social_security_card")]
    cash = [x for x in lines if x["state"] == "pending" and x["method"] == "cash"]
    assert len(bank) >= 3 and cash

    refused = z("batch", "paid", number, "--line", str(cash[0]["seq"]), expect=1)
    assert "须先打印" in refused and "签领表" in refused  # cash only against a printed signed list
    prints_before = z("batch", "show", number).splitlines()[1]
    z("print", "receipts", number, "--out", str(tmp_path / "签领表.pdf"))
    prints_after = z("batch", "show", number).splitlines()[1]  # who printed the list the recipients sign
    assert prints_before == "签领表：未打印"
    assert prints_after.startswith("签领表：陈晓 ") and prints_after.endswith(f"打印，{len(lines)} 人")  # the demo clerk
    paid = z("batch", "paid", number, "--line", str(cash[0]["seq"]), "--json")
    assert next(x for x in paid["lines"] if x["id"] == cash[0]["id"])["state"] == "paid"
    returned = z("batch", "returned", number, "--line", str(bank[0]["seq"]), "--reason", "账号有误", "--json")
    assert returned["state"] == "returned" and returned["return_reason"] == "账号有误"
    renounced = z("batch", "renounced", number, "--line", str(bank[1]["seq"]), "--reason", "本人书面声明放弃", "--json")
    assert renounced["state"] == "renounced"
    relative = z("batch", "relative", number, "--line", str(bank[2]["seq"]), "--name", "王秀英",
                 "--relation", "配偶", "--json")
    assert relative["state"] == "paid_to_relative" and relative["relative_name"] == "王秀英"

    if any(x["state"] == "pending" for x in z("batch", "show", number, "--json")["lines"]):
        assert "待发放" in z("batch", "close", number, expect=1)
    z("batch", "paid", number, "--all")
    closed = z("batch", "close", number, "--json")
    assert closed["summary"]["status"] == "closed"
    assert "没有序号" in z("batch", "paid", number, "--line", "999", expect=2)


def test_create_a_batch_add_to_it_pay_all_and_close(z):
    later = TEST_TODAY + timedelta(days=21)  # the running notice has ended
    with clock.pinned(later):
        candidates = z("batch", "candidates", "--year", "2026", "--quarter", "4", "--json")
        payable = [c["request"]["number"] for c in candidates if c["payable"]]
        assert len(payable) >= 2
        assert any(not c["payable"] and "异议" in c["reason"] for c in candidates)  # the open objection
        day = later.astimezone().date().isoformat()
        made = z("batch", "create", "--date", day, "--request", payable[0], "--title", "第四季度第二批", "--json")
        number = made["summary"]["number"]
        assert made["summary"]["lines"] == 1
        added = z("batch", "add", number, "--request", payable[1], "--json")
        assert [x["seq"] for x in added["lines"]] == [1, 2]
        assert "已在批次" in z("batch", "add", number, "--request", payable[1], expect=2)
        z("batch", "paid", number, "--all")
        assert z("batch", "close", number, "--json")["summary"]["status"] == "closed"
        rest = z("batch", "create", "--date", day, "--year", "2026", "--quarter", "4", "--json")
        assert rest["summary"]["lines"] == len(payable) - 2


def test_batch_commands_need_the_payout_permission(z, monkeypatch):
    monkeypatch.setenv("ZHIBANG_USER", "auditor")
    assert "权限" in z("batch", "close", "1", expect=2)
