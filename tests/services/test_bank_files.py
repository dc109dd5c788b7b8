"""Bank payment files (templates, totals, text accounts, neutralised cells; LibreOffice as the
client) and the bank's return files (.xlsx / .csv, matched by account or ID number).

Seed 000: money returned by the bank for wrong account numbers, re-paid after correction.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from zhibang_desktop.domain.money import format_yuan
from zhibang_desktop.services.payout import bank_files
from zhibang_desktop.services import payout as d
from zhibang_desktop.services.payout import ReissuePlan
from zhibang_desktop.services.payout import printing as payout_print
from zhibang_desktop.services.errors import ValidationFailed
from zhibang_desktop.services.payout.types import BankColumnSpec, BankTemplateView, BatchInput, LinePlan
from zhibang_desktop.storage.models import Household

from .payout_helpers import Clock, approved, luhn_card, noticed

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def soffice_csv(xlsx: Path, work: Path) -> list[list[str]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required"
    profile = work / "lo_profile"
    out = work / "lo_out"
    out.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(profile / "home"))
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}/user", "--headless", "--norestore",
                    "--convert-to", CSV_FILTER, "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=240, env=env)
    with (out / (xlsx.stem + ".csv")).open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def batch(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 6, cash_every=6)  # the first household has no account (cash)
    with ctx.db.session() as s:  # a hostile bank name typed into the archive
        s.get(Household, made.household_ids[1]).bank_name = "=HYPERLINK(\"http://x\",\"点我\")"
    noticed(ctx, clock)
    b = d.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(i) for i in made.request_ids]))
    return b, made


def test_generic_export_opens_in_libreoffice_with_text_accounts_and_two_decimals(ctx, batch, tmp_path):
    b, made = batch
    out = tmp_path / "bank.xlsx"
    res = bank_files.export_bank_file(ctx, b.summary.id, out)
    bank_lines = [line for line in b.lines if line.method != "cash"]
    assert res.count == 5 and res.total_fen == sum(line.amount_fen for line in bank_lines)
    assert res.skipped and "现金" in res.skipped[0]

    wb = load_workbook(out)
    ws = wb["代发明细"]
    header = [c.value for c in ws[1]]
    assert header == ["序号", "收款账号", "收款人姓名", "金额（元）", "身份证号码", "开户行", "备注"]
    hostile = [row for row in ws.iter_rows(min_row=2) if str(row[5].value).startswith("'=")]
    assert hostile and hostile[0][5].data_type == "s"
    assert all(row[1].data_type == "s" and row[4].data_type == "s" for row in ws.iter_rows(min_row=2))
    summary = {r[0].value: r[1].value for r in wb["汇总"].iter_rows()}
    assert summary["总笔数"] == "5" and summary["总金额（元）"] == format_yuan(res.total_fen, thousands=False)

    rows = soffice_csv(out, tmp_path)
    assert rows[0][1] == "收款账号"
    data = rows[1:]
    assert len(data) == 5
    by_account = {line.account: line for line in bank_lines}
    for r in data:
        assert r[1] in by_account, r  # the full 19-digit account, not 6.22E+18
        assert len(r[1]) == 19 and r[1].isdigit()
        assert r[3] == format_yuan(by_account[r[1]].amount_fen, thousands=False)  # "500.00"
        assert r[4] == by_account[r[1]].id_number
    assert not any(r[5].startswith("点我") for r in data)  # never evaluated as a formula


def test_admin_template_with_fixed_column_and_text_amount(ctx, batch, tmp_path):
    b, _ = batch
    with pytest.raises(ValidationFailed):
        bank_files.save_template(ctx, BankTemplateView(None, "坏模板", "", (BankColumnSpec("户名", "name"),)))
    t = bank_files.save_template(ctx, BankTemplateView(None, "工行代发", "中国工商银行", (
        BankColumnSpec("卡号", "account"), BankColumnSpec("户名", "name"), BankColumnSpec("金额", "amount"),
        BankColumnSpec("用途", "fixed", "困难职工救助金"), BankColumnSpec("证件号码", "id_number"),
    ), amount_as_text=True))
    assert t.id is not None
    assert [v.name for v in bank_files.list_templates(ctx)] == ["通用格式", "工行代发"]
    out = tmp_path / "icbc.xlsx"
    res = bank_files.export_bank_file(ctx, b.summary.id, out, template="工行代发")
    ws = load_workbook(out)["代发明细"]
    assert [c.value for c in ws[1]] == ["卡号", "户名", "金额", "用途", "证件号码"]
    second = [c.value for c in ws[2]]
    assert second[3] == "困难职工救助金" and isinstance(second[2], str) and second[2].endswith(".00")
    assert res.template == "工行代发"


def _return_xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["中国工商银行代发业务失败明细"])
    ws.append(["序号", "账号", "户名", "金额", "处理结果", "失败原因"])
    for r in rows:
        ws.append(r)
    ws.append(["合计", None, None, None, None, None])
    wb.save(path)
    return path


def test_return_file_marks_lines_lists_unmatched_and_is_idempotent(ctx, batch, tmp_path):
    b, made = batch
    payout_print.print_receipts(ctx, b.summary.id, tmp_path / "signed.pdf")  # cash is paid against it
    d.mark_batch_paid(ctx, b.summary.id, date(2026, 3, 20))
    bank = [line for line in b.lines if line.method != "cash"]
    x, y = bank[0], bank[1]
    path = _return_xlsx(tmp_path / "ret.xlsx", [
        [1, x.account, x.name, x.amount_fen / 100, "失败", "账号不存在"],
        [2, "6222000011112222333", "不认识", 500, "失败", "户名不符"],
        [3, y.account, y.name, y.amount_fen / 100, "成功", ""],
    ])
    preview = bank_files.import_returns(ctx, b.summary.id, path, date(2026, 3, 22), apply=False)
    assert [m.line_id for m in preview.returned] == [x.id] and not preview.applied
    assert d.get_batch(ctx, b.summary.id).lines[x.seq - 1].state == "paid"  # preview changed nothing

    res = bank_files.import_returns(ctx, b.summary.id, path, date(2026, 3, 22))
    assert [(m.line_id, m.action, m.reason) for m in res.returned] == [(x.id, "returned", "账号不存在")]
    assert res.returned_fen == x.amount_fen
    assert [u.row_no for u in res.unmatched] == [4] and "没有该账号" in res.unmatched[0].why
    assert res.unmatched[0].account_masked.startswith("6222") and "*" in res.unmatched[0].account_masked
    assert [m.action for m in res.unchanged] == ["unchanged"]  # y was already paid

    again = bank_files.import_returns(ctx, b.summary.id, path, date(2026, 3, 23))
    assert again.returned == () and [m.action for m in again.unchanged] == ["already_returned", "unchanged"]

    # correct the account in the archive, then reissue
    with ctx.db.session() as s:
        s.get(Household, x.household_id).bank_account = luhn_card(__import__("random").Random(42))
    rb = d.create_reissue_batch(ctx, [ReissuePlan(x.id)], date(2026, 4, 8))
    assert rb.lines[0].reissue_of == x.id
    # a late duplicate return for the old batch does not undo the reissue
    third = bank_files.import_returns(ctx, b.summary.id, path, date(2026, 4, 9))
    assert third.returned == ()


def test_csv_return_file_in_gbk_matched_by_id_number(ctx, batch, tmp_path):
    b, made = batch
    bank = [line for line in b.lines if line.method != "cash"]
    z = bank[2]
    path = tmp_path / "ret.csv"
    path.write_bytes(("身份证号码,姓名,金额,退票原因\n"
                      f"{z.id_number},{z.name},{z.amount_fen / 100:.2f},卡片已注销\n").encode("gb18030"))
    res = bank_files.import_returns(ctx, b.summary.id, path, date(2026, 3, 22))
    assert [(m.line_id, m.matched_by, m.reason) for m in res.returned] == [(z.id, "id_number", "卡片已注销")]
    assert d.get_batch(ctx, b.summary.id).lines[z.seq - 1].state == "returned"


def test_unreadable_return_file(ctx, batch, tmp_path):
    b, _ = batch
    bad = tmp_path / "ret.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ValidationFailed) as err:
        bank_files.import_returns(ctx, b.summary.id, bad)
    assert "退票文件" in str(err.value)
    nohead = tmp_path / "x.csv"
    nohead.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        bank_files.import_returns(ctx, b.summary.id, nohead)
    assert "表头" in str(err.value)


def test_totals_line_in_the_account_column_is_not_listed_as_unmatched(ctx, batch, tmp_path):
    """Bank files often end with 合计 (and a 制表人 line) in their first column, here the account column."""
    b, _ = batch
    x = [line for line in b.lines if line.method != "cash"][0]
    path = tmp_path / "ret.csv"
    path.write_text("账号,户名,金额,处理结果,失败原因\n"
                    f"{x.account},{x.name},{x.amount_fen / 100:.2f},失败,账户已销户\n"
                    f"合计,,{x.amount_fen / 100:.2f},,\n"
                    "制表人：张三,,,,\n"
                    "6222000011112222333,不认识,500.00,失败,户名不符\n", encoding="utf-8")
    res = bank_files.import_returns(ctx, b.summary.id, path, date(2026, 3, 22), apply=False)
    assert [m.line_id for m in res.returned] == [x.id]
    assert [u.row_no for u in res.unmatched] == [5]  # the unknown account only, not 合计 nor 制表人


def test_the_first_batchs_return_file_does_not_touch_its_reissue(ctx, batch, tmp_path):
    """The wrong account of the first batch, named with the worker's ID number, is not the
    corrected account of the reissue batch: the row stays unmatched there."""
    b, made = batch
    payout_print.print_receipts(ctx, b.summary.id, tmp_path / "signed.pdf")  # cash is paid against it
    d.mark_batch_paid(ctx, b.summary.id, date(2026, 3, 20))
    x = [line for line in b.lines if line.method != "cash"][0]
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "账号", "身份证号码", "户名", "金额", "处理结果", "失败原因"])
    ws.append([1, x.account, x.id_number, x.name, x.amount_fen / 100, "失败", "账号不存在"])
    path = tmp_path / "first.xlsx"
    wb.save(path)
    assert [m.line_id for m in bank_files.import_returns(ctx, b.summary.id, path, date(2026, 3, 22)).returned] == [x.id]
    with ctx.db.session() as s:
        s.get(Household, x.household_id).bank_account = luhn_card(__import__("random").Random(7))
    rb = d.create_reissue_batch(ctx, [ReissuePlan(x.id)], date(2026, 4, 8))
    res = bank_files.import_returns(ctx, rb.summary.id, path, date(2026, 4, 9))
    assert res.returned == () and "账号与本批次的发放账号不符" in res.unmatched[0].why
    assert d.get_batch(ctx, rb.summary.id).lines[0].state == "pending"
