"""A file's own dates — a PDF's CreationDate and ModDate, an xlsx file's created and modified
(the reader's or Excel's document properties) and the dates of the zip entries inside it — come
from the program's clock, like the dates printed on its pages, and not from the machine's."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import datetime, timezone

import openpyxl
import pytest

from zhibang_desktop.documents.bank_file import DEFAULT_COLUMNS, BankRow, write_bank_file
from zhibang_desktop.documents.grid_form import Cell, GridForm, write_grid_xlsx
from zhibang_desktop.documents.pdf_form import FormDocument
from zhibang_desktop.documents.pdf_list import Column, ListReport
from zhibang_desktop.documents.xlsx_safe import XlsxWriter
from zhibang_desktop.domain import clock

# far from any day these tests run on: the machine's date cannot pass for it
MOMENT = datetime(2024, 2, 29, 12, 34, 56, tzinfo=timezone.utc)


def pdf_dates(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-rawdates", str(path)], check=True, capture_output=True,
                         text=True, timeout=60).stdout
    return {k: v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())
            if k in ("CreationDate", "ModDate")}


def list_report(path) -> None:
    ListReport("签领表", [], [Column("姓名", 30), Column("金额（元）", 20)], [["张三", 50000]],
               money_columns=[1]).write(path)


def form_document(path) -> None:
    form = FormDocument("困难职工救助申请审批表", [])
    form.add_paragraph("情况属实。")
    form.write(path)


@pytest.mark.parametrize("write", [list_report, form_document], ids=["list", "form"])
def test_pdf_dates_are_the_clocks(tmp_path, write):
    out = tmp_path / "out.pdf"
    with clock.pinned(MOMENT, frozen=True):
        write(out)
    expected = "D:" + MOMENT.astimezone().strftime("%Y%m%d%H%M%S")
    dates = pdf_dates(out)
    assert dates["CreationDate"].startswith(expected), dates
    assert dates["ModDate"].startswith(expected), dates


def streamed(path) -> None:
    xw = XlsxWriter()
    xw.add_sheet("名单", ["姓名"])
    xw.append(["张三"])
    xw.save(path)


def streamed_to_file_object(path) -> None:
    buffer = io.BytesIO()
    streamed(buffer)
    path.write_bytes(buffer.getvalue())


def bank(path) -> None:
    write_bank_file(DEFAULT_COLUMNS, [BankRow("6217000000000001", "张三", 45_000, "440183198001010011",
                                              "工商银行", "生活救助")], path)


def grid(path) -> None:
    write_grid_xlsx(GridForm("绩效自评表", "（2024年度）", "增城区总工会", (40.0, 40.0),
                             ((Cell("指标", label=True), Cell("完成")),), "制表人：", "年　月　日"), path)


@pytest.mark.parametrize("write", [streamed, streamed_to_file_object, bank, grid],
                         ids=["streamed", "file-object", "bank", "grid"])
def test_xlsx_dates_are_the_clocks(tmp_path, write):
    out = tmp_path / "out.xlsx"
    with clock.pinned(MOMENT, frozen=True):
        write(out)
    props = openpyxl.load_workbook(out, read_only=True).properties
    expected = MOMENT.replace(tzinfo=None)  # openpyxl keeps them in UTC
    assert (props.created, props.modified) == (expected, expected)


@pytest.mark.parametrize("write", [streamed, streamed_to_file_object, bank, grid],
                         ids=["streamed", "file-object", "bank", "grid"])
def test_xlsx_zip_entries_are_dated_by_the_clock(tmp_path, write):
    """zipfile dates an entry by the machine's time (writestr) or by its temp file's (a streamed
    sheet); ``unzip -l`` showed those."""
    out = tmp_path / "out.xlsx"
    with clock.pinned(MOMENT, frozen=True):
        write(out)
    expected = MOMENT.astimezone().timetuple()[:6]  # local time; 56 s is even, as a zip entry keeps it
    with zipfile.ZipFile(out) as zf:
        entries = zf.infolist()
        assert any(i.filename.startswith("xl/worksheets/") for i in entries)
        assert {i.filename: i.date_time for i in entries} == {i.filename: expected for i in entries}
        assert zf.testzip() is None
