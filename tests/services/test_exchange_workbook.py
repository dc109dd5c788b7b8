"""The annual exchange workbook (issue 14): written from the hand-made year, read back and
checked; a hand-edited cell, a removed row, a cut-short file, another layout version and a
wrong password are each refused with the reason naming the sheet."""
from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import func, select, update

from tests.admin_helpers import admin_context, user_context
from zhibang_desktop.documents.exchange_layout import DATA_SHEETS, HOUSEHOLDS, INFO_SHEET, LAYOUT_VERSION
from zhibang_desktop.services.errors import PermissionDenied
from zhibang_desktop.services.exchange import ExchangeFileRefused, check_annual_workbook, export_annual_workbook
from zhibang_desktop.storage.models import AuditEntry, Household, Payment

from .reports_year import STREET1, YEAR, build_year


@pytest.fixture
def year(ctx):
    return build_year(ctx)


@pytest.fixture
def exported(ctx, year, tmp_path):
    with ctx.db.session() as s:  # a card on file, to see it masked
        s.execute(update(Household).values(bank_account="6222020200112233445", account_kind="bank"))
    return export_annual_workbook(ctx, YEAR, tmp_path / "上报.xlsx")


def _rows(path, title):
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [tuple(r) for r in wb[title].iter_rows(values_only=True)]
        width = max(len(r) for r in rows)
        return [r + (None,) * (width - len(r)) for r in rows]
    finally:
        wb.close()


def test_written_and_read_back(ctx, exported):
    summary = check_annual_workbook(ctx, exported.path)
    assert summary.year == YEAR and summary.counts == exported.counts
    with ctx.db.session() as s:
        paid = s.execute(select(func.count()).select_from(Payment).where(Payment.period_year == YEAR)).scalar_one()
        households = s.execute(select(Household.id_number, Household.bank_account)).all()
    assert exported.counts["payments"] == paid
    sheets = openpyxl.load_workbook(exported.path, read_only=True).sheetnames
    assert sheets == [INFO_SHEET] + [layout.title for layout in DATA_SHEETS]
    info = {r[0]: r[1] for r in _rows(exported.path, INFO_SHEET) if r and r[0]}
    assert info["格式版本"] == LAYOUT_VERSION and info["年度"] == YEAR
    rows = _rows(exported.path, HOUSEHOLDS.title)
    header, data = rows[0], rows[1:]
    assert "电话" not in "".join(header) and "住址" not in "".join(header)
    ids = {r[header.index("身份证号")] for r in data}
    cards = {r[header.index("卡号（脱敏）")] for r in data} - {None}
    assert ids <= {h.id_number for h in households} and len(ids) == len(data)  # whole ID numbers
    full_cards = {h.bank_account for h in households if h.bank_account}
    assert cards and not cards & full_cards and all("*" in c for c in cards)


def test_export_is_audited(ctx, exported):
    with ctx.db.session() as s:
        found = s.execute(select(AuditEntry.action, AuditEntry.summary)
                          .where(AuditEntry.entity == "annual_exchange")).all()
    assert [a for a, _ in found] == ["export"] and f"{YEAR}年度上报文件" in found[0][1]


def test_only_office_wide_admins_and_heads_export(ctx, year, tmp_path):
    admin = admin_context(ctx)
    clerk = user_context(admin, "clerk1", ["clerk"])
    street_head = user_context(admin, "head_lc", ["head"], scope_unit_id=year.units[STREET1])
    for who in (clerk, street_head):
        with pytest.raises(PermissionDenied):
            export_annual_workbook(who, YEAR, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    head = user_context(admin, "head1", ["head"])
    assert export_annual_workbook(head, YEAR, tmp_path / "x.xlsx").counts["payments"] > 0


def _edit(path, title, fn):
    wb = openpyxl.load_workbook(path)
    fn(wb[title])
    wb.save(path)


def _refused(ctx, path, *words, password=None):
    with pytest.raises(ExchangeFileRefused) as err:
        check_annual_workbook(ctx, path, password)
    for word in words:
        assert word in str(err.value)
    return str(err.value)


def test_a_cell_edited_by_hand_is_refused_naming_the_sheet(ctx, exported):
    def raise_amount(ws):
        header = [c.value for c in ws[1]]
        cell = ws.cell(row=2, column=header.index("金额（分）") + 1)
        cell.value = cell.value + 100

    _edit(exported.path, "发放", raise_amount)
    _refused(ctx, exported.path, "“发放”", "校验值", "改动")


def test_a_removed_row_is_refused(ctx, exported):
    _edit(exported.path, "家庭", lambda ws: ws.delete_rows(ws.max_row))
    _refused(ctx, exported.path, "“家庭”", f"应有 {exported.counts['households']} 行")


def test_a_cut_short_file_is_refused(ctx, exported):
    data = exported.path.read_bytes()
    exported.path.write_bytes(data[: len(data) // 2])
    _refused(ctx, exported.path, "不完整或已损坏")


def test_another_layout_version_is_refused(ctx, exported):
    def old(ws):
        for row in ws.iter_rows():
            if row[0].value == "格式版本":
                row[1].value = LAYOUT_VERSION - 1

    _edit(exported.path, INFO_SHEET, old)
    _refused(ctx, exported.path, f"格式版本 {LAYOUT_VERSION - 1}", f"只读取格式版本 {LAYOUT_VERSION}")


def test_password_protected_file(ctx, year, tmp_path):
    out = export_annual_workbook(ctx, YEAR, tmp_path / "加密.xlsx", password="市总约定密码").path
    assert out.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted OLE2 package, not a zip
    _refused(ctx, out, "设有打开密码")
    _refused(ctx, out, "密码不正确", password="别的密码")
    assert check_annual_workbook(ctx, out, "市总约定密码").year == YEAR


def test_wrong_suffix_and_year_are_refused(ctx, year, tmp_path):
    from zhibang_desktop.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        export_annual_workbook(ctx, YEAR, tmp_path / "上报.pdf")
    with pytest.raises(ValidationFailed):
        export_annual_workbook(ctx, 1900, tmp_path / "上报.xlsx")


def test_a_save_while_the_file_is_written_neither_waits_nor_shows(ctx, year, tmp_path, monkeypatch):
    """The workbook is read in one snapshot that takes no write lock: a budget raised on another
    thread while the rows are written is saved at once and is in none of the file's figures (its
    budgets agree with its indicators); the export is recorded after."""
    import threading
    from datetime import date

    from zhibang_desktop.services import funds
    from zhibang_desktop.services.exchange import annual_export

    line = funds.list_budgets(ctx, YEAR)[0]
    saved = threading.Event()
    real_write = annual_export.write_exchange_workbook

    def write_while_saving(*args, **kwargs):
        threading.Thread(target=lambda: (funds.adjust_budget(ctx, line.id, 1_000_000, "追加预算（测试）",
                                                             adjusted_on=date(YEAR, 12, 1), version=line.version),
                                         saved.set())).start()
        assert saved.wait(10), "the save waited for the export"
        return real_write(*args, **kwargs)

    monkeypatch.setattr(annual_export, "write_exchange_workbook", write_while_saving)
    out = export_annual_workbook(ctx, YEAR, tmp_path / "上报.xlsx").path
    header, *data = _rows(out, "预算")
    row = next(r for r in data if r[header.index("预算编号")] == line.id)
    assert row[header.index("预算合计（分）")] == line.figures.budget_fen
    indicators_header, *indicators = _rows(out, "指标")
    budget = next(r for r in indicators if r[0] == "budget_execution")
    assert budget[indicators_header.index("分母")] == line.figures.budget_fen
    assert funds.get_budget(ctx, line.id).figures.budget_fen == line.figures.budget_fen + 1_000_000
