"""Formula neutralisation and text columns, checked with openpyxl and LibreOffice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from zhibang_desktop.documents.xlsx_safe import XlsxWriter, safe_cell, sheet_title
from zhibang_desktop.domain.idnumber import make_id_number

DANGEROUS = ["=SUM(A1)", "+1", "-1", "@x", "\t=1+1", "\r=1+1", "\n=1+1", "=1+1",
             '=HYPERLINK("http://example.invalid/","点击")', "-2+3", "+86 138 0013 8000"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_safe_cell_prefixes_formula_triggers(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [0, -1, 1.5, Decimal("-2.50"), True, None,
                                   dt.date(2026, 1, 5), dt.datetime(2026, 1, 5, 8, 0),
                                   "张三", "a=b", "1-2", "", "'quoted"])
def test_safe_cell_leaves_harmless_values(value):
    assert safe_cell(value) == value


def test_safe_cell_cleans_what_xml_cannot_hold():
    assert safe_cell("a\x00b\x1fc\td") == "abc\td"
    assert safe_cell(float("nan")) == "nan"
    aware = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    assert safe_cell(aware).tzinfo is None
    assert len(safe_cell("x" * 40000)) == 32767


def test_sheet_title():
    assert sheet_title("2026/01 名单[草稿]") == "2026_01 名单_草稿_"
    assert sheet_title("名单", ["名单"]) == "名单(2)"
    assert len(sheet_title("很长" * 30)) == 31


def _write(path, rows, **kw):
    writer = XlsxWriter()
    writer.add_sheet("名单", ["序号", "姓名", "身份证号", "银行卡号", "金额（元）", "日期", "备注"],
                     [6, 10, 22, 24, 12, 12, 30], text_columns=["身份证号", "银行卡号"],
                     money_columns=[4], date_columns=[5], **kw)
    for row in rows:
        writer.append(row)
    writer.save(path)
    return writer


def test_written_cells_are_strings_not_formulas(tmp_path):
    path = tmp_path / "x.xlsx"
    idn = make_id_number("440183", dt.date(1990, 1, 1), 123, "M")
    rows = [[i + 1, "张三", idn, "6222021234567890123", 123456, dt.date(2026, 1, 5), text]
            for i, text in enumerate(DANGEROUS + ["#N/A"])]
    rows.append([99, "李四", 440183199001011234, 6222021234567890123, None, None, None])
    _write(path, rows)

    wb = openpyxl.load_workbook(path)
    ws = wb["名单"]
    assert ws.freeze_panes == "A2"
    assert [c.font.b for c in ws[1]] == [True] * 7
    data = list(ws.iter_rows(min_row=2))
    for row, text in zip(data, DANGEROUS + ["#N/A"], strict=False):
        cell = row[6]
        assert cell.data_type == "s", (text, cell.data_type)
        expected = text if text == "#N/A" else "'" + text
        # The stdlib XML writer turns CR into LF; lxml escapes it and it stays CR. Text either way.
        assert cell.value in (expected, expected.replace("\r", "\n"))
        assert row[2].value == idn and row[2].data_type == "s"
        assert row[2].number_format == "@"
        assert row[3].value == "6222021234567890123"
        assert row[4].value == Decimal("1234.56") or row[4].value == pytest.approx(1234.56)
        assert row[4].number_format == "#,##0.00"
        assert row[5].is_date
    last = data[-1]
    assert last[2].value == "440183199001011234" and last[2].data_type == "s"
    assert last[3].value == "6222021234567890123"


def test_libreoffice_opens_neutralised_cells_as_text(tmp_path, soffice_csv):
    path = tmp_path / "safe.xlsx"
    idn = "44018319900101123X"
    rows = [[i + 1, "张三", idn, "6222021234567890123", 50000, dt.date(2026, 1, 5), text]
            for i, text in enumerate(DANGEROUS)]
    rows.append([50, "王五", 440183199001011234, "0012", 1, None, "普通备注"])
    _write(path, rows)

    csv_rows = soffice_csv(path)
    assert csv_rows[0] == ["序号", "姓名", "身份证号", "银行卡号", "金额（元）", "日期", "备注"]
    for row, text in zip(csv_rows[1:], DANGEROUS, strict=False):
        assert row[6] in ("'" + text, "'" + text.replace("\r", "\n")), row  # the text, not its result
        assert row[2] == idn
        assert row[3] == "6222021234567890123"
        assert row[5] == "2026-01-05"
    last = csv_rows[-1]
    assert last[2] == "440183199001011234"  # 18 digits, not 4.40183199001011E+17
    assert last[3] == "0012"  # leading zeros kept
    assert last[4] == "0.01"


def test_libreoffice_does_evaluate_an_unneutralised_formula(tmp_path, soffice_csv):
    """Control for the test above: the same client evaluates a real formula."""
    wb = openpyxl.Workbook()
    wb.active.append(["=1+1", "=SUM(3,4)"])
    path = tmp_path / "live.xlsx"
    wb.save(path)
    assert soffice_csv(path)[0] == ["2", "7"]


def test_two_thousand_rows_write_only(tmp_path):
    path = tmp_path / "big.xlsx"
    writer = XlsxWriter()
    headers = [f"列{i}" for i in range(15)]
    writer.add_sheet("大表", headers, text_columns=[2])
    for i in range(2000):
        writer.append([i, "张三", f"4401831990010{i:05d}"] + [f"=x{i}"] + list(range(11)))
    assert writer.row_count == 2000
    writer.save(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb["大表"].iter_rows(values_only=True))
    assert len(rows) == 2001
    assert rows[1][2] == "440183199001000000" and rows[-1][3] == "'=x1999"
    wb.close()
    assert [p.name for p in tmp_path.iterdir()] == ["big.xlsx"]  # no temp file left


def test_several_sheets_and_saving_once(tmp_path):
    writer = XlsxWriter()
    writer.add_sheet("甲", ["a"])
    writer.append(["1"])
    writer.add_sheet("甲", ["b"])  # same name: made unique
    writer.append([2])
    writer.save(tmp_path / "s.xlsx")
    with pytest.raises(RuntimeError):
        writer.save(tmp_path / "again.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames == ["甲", "甲(2)"]
    assert wb["甲"].auto_filter.ref == "A1:A2"


def test_discard_writes_nothing(tmp_path):
    writer = XlsxWriter()
    writer.add_sheet("x", ["a"])
    writer.append([1])
    writer.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_save_leaves_no_half_open_sheet(tmp_path, monkeypatch):
    import gc
    import sys

    from zhibang_desktop.documents.xlsx_safe import XlsxWriter

    raised = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: raised.append(info))
    writer = XlsxWriter()
    writer.add_sheet("名单", ["姓名"])
    for i in range(50):
        writer.append([f"张{i}"])
    with pytest.raises(OSError):
        writer.save(tmp_path / "no-such-folder" / "out.xlsx")
    del writer
    gc.collect()
    assert raised == []


# Data rows are written as XML text (xlsx_safe._Sheet.append), not as openpyxl cells: every kind
# of value in every kind of column must read back as openpyxl's own cells of the same values do.
_KINDS = ("general", "text", "money", "date")
_VALUES = ["张三", "", " 前有空格", "后有空格 ", "\u3000全角空格", "a&b<c>d", "x\ry", "x\r\ny", "制表\t符", "换\n行",
           "=1+1", "-2", "+86 138", "@x", "#N/A", "#REF!", "a\x00b\x1fc", "坏\ufffe字\uffff", "x" * 40000,
           '</t></is></c><c r="Z9"><f>1+1</f></c>', "&amp;", "]]>", 0, -1, 12345678901234567, 1.5, 4.0, 1e-20,
           float("nan"), float("inf"), Decimal("-2.50"), Decimal("NaN"), True, False,
           dt.date(2026, 1, 5), dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 3, 1),
           dt.datetime(2026, 1, 5, 8, 30, 15), dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC), dt.time(8, 30),
           dt.timedelta(hours=3), 440183199001011234, 123456]


def _reference_cell(ws, kind, value):
    """What the writer put in a cell when it handed openpyxl cell objects (the reference)."""
    from zhibang_desktop.documents.xlsx_safe import _text_value
    from zhibang_desktop.domain.money import yuan_decimal

    if kind == "text":
        return _styled(ws, _text_value(value), "s", "@")
    if kind == "money" and type(value) is int:
        return _styled(ws, yuan_decimal(value), "n", "#,##0.00")
    if kind == "date" and isinstance(value, dt.datetime):
        return _styled(ws, safe_cell(value), "d", "yyyy-mm-dd hh:mm")
    if kind == "date" and isinstance(value, dt.date):
        return _styled(ws, value, "d", "yyyy-mm-dd")
    cell = openpyxl.cell.WriteOnlyCell(ws, safe_cell(value))
    if cell.data_type == "e":
        cell.data_type = "s"  # "#N/A" typed by a clerk is text, not an error
    return cell


def _styled(ws, value, data_type, number_format):
    cell = openpyxl.cell.WriteOnlyCell(ws)
    cell._value, cell.data_type, cell.number_format = value, data_type, number_format
    return cell


def _cells(path):
    ws = openpyxl.load_workbook(path)["名单"]
    return [[(c.coordinate, c.value, c.data_type, c.number_format) for c in row if c.value is not None]
            for row in ws.iter_rows(min_row=2)]


def test_rows_read_back_as_openpyxl_cells_of_the_same_values(tmp_path):
    rows = [[value] * len(_KINDS) for value in _VALUES] + [[1, 2], [1, "2", 3, dt.date(2026, 1, 5), "多出", 7]]
    writer = XlsxWriter()
    writer.add_sheet("名单", _KINDS, text_columns=[1], money_columns=[2], date_columns=[3])
    for row in rows:
        writer.append(row)
    writer.save(tmp_path / "xml.xlsx")

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(list(_KINDS))
    for row in rows:
        kinds = list(_KINDS) + ["general"] * (len(row) - len(_KINDS))
        ws.append([None if v is None else _reference_cell(ws, k, v) for k, v in zip(kinds, row)])
    wb.save(tmp_path / "reference.xlsx")

    written, reference = _cells(tmp_path / "xml.xlsx"), _cells(tmp_path / "reference.xlsx")
    assert len(written) == len(rows)
    for got, want, value in zip(written, reference, rows, strict=True):
        assert got == want, value
    at = _VALUES.index('</t></is></c><c r="Z9"><f>1+1</f></c>')
    assert [c[:3] for c in written[at]] == [  # text, not cells of its own
        (f"{column}{at + 2}", '</t></is></c><c r="Z9"><f>1+1</f></c>', "s") for column in "ABCD"]
    if openpyxl.LXML:  # CR kept, as openpyxl's lxml writer keeps it (the stdlib writer turns it into LF)
        assert written[_VALUES.index("x\ry")][0][1] == "x\ry"


@pytest.mark.parametrize("text", _VALUES[:22] + ["普通文字", "ab", "a b", "1-2", "a=b", "x" * 32767, "x" * 32768,
                                                 "\v", " ", "\xa0x", "x\x1c"])
def test_plain_text_fast_path_writes_what_the_full_path_writes(text):
    from zhibang_desktop.documents.xlsx_safe import _string_xml, _text_xml

    assert _text_xml(text, ' s="1"') == _string_xml(safe_cell(text), ' s="1"')


def test_date_serials_are_openpyxls():
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, to_excel

    from zhibang_desktop.documents.xlsx_safe import _date_serial

    day = dt.date(1899, 12, 1)
    while day < dt.date(2100, 1, 1):
        for epoch in (WINDOWS_EPOCH, MAC_EPOCH):
            assert _date_serial(day, epoch) == to_excel(day, epoch), (day, epoch)
        day += dt.timedelta(days=7 if dt.date(1900, 4, 1) < day < dt.date(2099, 1, 1) else 1)
    moment = dt.datetime(2026, 1, 5, 8, 30)
    assert _date_serial(moment, WINDOWS_EPOCH) == to_excel(moment)


def test_a_row_appended_behind_the_writers_back_is_refused(tmp_path):
    writer = XlsxWriter()
    title = writer.add_sheet("名单", ["姓名"])
    writer._sheets[title].ws.append(["不经 XlsxWriter"])
    with pytest.raises(RuntimeError):
        writer.append(["张三"])
    writer.discard()
