"""Exporting the archive: text ID numbers, neutralised cells, filters, cancel, a real client."""
from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select, update

from tests.archive_helpers import FACTORY, archived, household, id_no, member, scoped, snapshot, with_roles
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.errors import Cancelled, PermissionDenied
from zhibang_desktop.services.archive.household_export import export_households, write_template
from zhibang_desktop.services.archive.household_import import import_households
from zhibang_desktop.storage.models import AuditEntry, Household

DANGEROUS = {"=1+2": "'=1+2", "+86 138": "'+86 138", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)",
             "\t=cmd": "'\t=cmd", "\r=cmd": "'\r=cmd", "\n=cmd": "'\n=cmd"}
CARD = "6222020200112233445"


@pytest.fixture
def exported(ctx, tmp_path):
    one = archived(ctx, household(ctx, name="曾志明", seq=1, bank_account=CARD, phone="13800138000",
                                  members=[member("曾小红", 7, monthly_income_fen=50_000)], head_income_fen=100_000))
    archive.create_household(ctx, household(ctx, name="单丽", seq=2, category="relative"))
    # values as they might sit in an old database: written straight to the table
    texts = list(DANGEROUS)
    with ctx.db.session() as s:
        s.execute(update(Household).where(Household.id == one.id).values(
            remarks=texts[0], address=texts[1], employer=texts[2], exit_reason=texts[3]))
    extra = []
    for i, text in enumerate(texts[4:], start=10):
        view = archive.create_household(ctx, household(ctx, name=f"职工{i}", seq=i))
        extra.append(view.id)
        with ctx.db.session() as s:
            s.execute(update(Household).where(Household.id == view.id).values(remarks=text))
    path = tmp_path / "档案.xlsx"
    count = export_households(ctx, path)
    return path, count, one


def cells(path, sheet=None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return ws, list(ws.iter_rows(values_only=True))


def test_id_numbers_and_cards_are_18_digit_text(exported):
    path, count, one = exported
    assert count == 5
    ws, rows = cells(path)
    header = rows[0]
    id_col, card_col = header.index("身份证号") + 1, header.index("银行账号") + 1
    line = next(r for r in ws.iter_rows(min_row=2) if r[0].value == one.archive_no)
    assert line[id_col - 1].data_type == "s" and line[id_col - 1].value == id_no(1)
    assert line[card_col - 1].data_type == "s" and line[card_col - 1].value == CARD
    assert line[header.index("家庭月收入")].value == 1500  # yuan, number cell
    assert line[header.index("状态")].value == "在档"
    _, members = cells(path, "家庭成员")
    assert members[0][:3] == ("档案编号", "户主身份证号", "姓名")
    assert members[1][1] == id_no(1) and members[1][2] == "曾小红"


def test_every_dangerous_cell_is_neutralised(exported):
    path, _, _ = exported
    ws, rows = cells(path)
    values = {v for row in rows[1:] for v in row if isinstance(v, str)}
    for raw, safe in DANGEROUS.items():
        assert safe in values, raw
        assert raw not in values
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_export_is_audited_and_filtered(ctx, exported, tmp_path):
    path = tmp_path / "deep.xlsx"
    assert export_households(ctx, path, HouseholdFilter(statuses=frozenset({"active"}))) == 1
    with ctx.db.session() as s:
        audits = s.execute(select(AuditEntry).where(AuditEntry.action == "export")).scalars().all()
    assert len(audits) == 2 and "导出档案 1 户" in audits[-1].summary
    assert audits[-1].changes == [["筛选条件", "", "状态：在档"]]
    assert export_households(scoped(ctx, "新塘镇总工会"), tmp_path / "none.xlsx") == 0


def test_permission(ctx, tmp_path):
    with pytest.raises(PermissionDenied):
        export_households(with_roles(ctx, "reviewer"), tmp_path / "x.xlsx")
    assert export_households(with_roles(ctx, "auditor"), tmp_path / "x.xlsx") == 0


def test_cancel_writes_nothing(ctx, tmp_path):
    archive.create_household(ctx, household(ctx))
    target = tmp_path / "old.xlsx"
    target.write_bytes(b"keep me")
    before = snapshot(ctx.db)
    with pytest.raises(Cancelled):
        export_households(ctx, target, cancelled=lambda: True)
    assert target.read_bytes() == b"keep me"
    assert snapshot(ctx.db) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]  # no temp file left behind


def test_export_imports_into_another_office(ctx, exported, tmp_path):
    """The export uses the ledger's column names: another database can import it."""
    from zhibang_desktop.services.session.setup import initialise_office
    from zhibang_desktop.storage.database import open_database

    path, count, one = exported
    other = open_database(tmp_path / "other.sqlite3")
    try:
        octx = initialise_office(other, "某某区总工会", archive_prefix="MM")
        result = import_households(octx, path, create_units=True)
        assert result.households == count and result.members == 1
        assert FACTORY in result.new_units
        page = archive.search_households(octx, HouseholdFilter(text=id_no(1)))
        moved = archive.get_household(octx, page.rows[0].id)
        assert moved.data.bank_account == CARD and moved.archived_on == one.archived_on
        assert moved.data.remarks == "=1+2"  # the neutralising quote is removed again on import
    finally:
        other.close()


def test_template_writes(ctx, tmp_path):
    write_template(tmp_path / "t.xlsx", ctx)
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    notes = " ".join(r[0] for r in wb["说明"].iter_rows(values_only=True) if r[0])
    assert "因病" in notes and "示例" in notes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_reads_the_export(exported, tmp_path):
    path, _, one = exported
    out = tmp_path / "csv"
    out.mkdir()
    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180)
    with open(out / (path.stem + ".csv"), encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    line = next(r for r in rows if r[0] == one.archive_no)
    assert line[header.index("身份证号")] == id_no(1)  # all 18 digits, not 4.40183E+17
    assert line[header.index("银行账号")] == CARD
    assert line[header.index("备注")] == "'=1+2"  # text, not the formula's result 3
    assert all("3" != r[header.index("备注")] for r in rows[1:])
    assert line[header.index("建档日期")] == date(2025, 3, 1).isoformat()
