"""Reading untrusted workbooks: refusals with clear messages, header detection, rows."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from zhibang_desktop.documents.xlsx_reader import (
    WorkbookError,
    find_header,
    iter_records,
    normalize_header,
    open_workbook,
)

ALIASES = {
    "name": ["姓名", "职工姓名"],
    "id_number": ["身份证号", "身份证号码", "公民身份号码"],
    "phone": ["手机号码", "联系电话", "电话"],
    "amount": ["救助金额（元）", "金额"],
    "category": ["困难类别"],
}
REQUIRED = {"name", "id_number", "amount"}


def _save(path, rows, title="Sheet1"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _rewrite_sheet(src, dst, fn):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = fn(data)
            zout.writestr(item, data)
    return dst


@pytest.mark.parametrize(
    ("header", "normal"),
    [("姓名*", "姓名"), ("* 姓名", "姓名"), ("身份证号（必填）", "身份证号"),
     ("身份证号(必填)", "身份证号"), ("联系 电话", "联系电话"), ("金额（元）", "金额(元)"),
     ("金额(元)", "金额(元)"), ("ＩＤ", "id"), ("姓名\n（必填）*", "姓名"), (None, "")],
)
def test_normalize_header(header, normal):
    assert normalize_header(header) == normal


def test_header_found_below_title_rows():
    rows = [
        ("增城区2026年困难职工名单", None, None),
        (None,),
        ("填报单位：荔城街", None, None, None),
        ("序号", "姓名*", "身份证号码（必填）", "联系 电话", "救助金额(元)", "备注2"),
        (1, "张三", "44018319900101123X", 13800138000, 500),
    ]
    header = find_header(rows, ALIASES, REQUIRED)
    assert header.row_number == 4
    assert header.columns == {"name": 1, "id_number": 2, "phone": 3, "amount": 4}
    assert header.missing_required == frozenset()
    assert header.unknown_columns == ((0, "序号"), (5, "备注2"))
    assert header.ok
    assert header.header_of("amount") == "救助金额(元)"


def test_header_bracket_rules():
    # alias without brackets matches a header with a unit; different units do not match
    header = find_header([("职工姓名", "金额（元）", "身份证号")], ALIASES, REQUIRED)
    assert header.columns["amount"] == 1
    header = find_header([("姓名", "救助金额（万元）", "身份证号")], ALIASES, REQUIRED)
    assert "amount" not in header.columns
    assert header.missing_required == {"amount"}
    assert (1, "救助金额（万元）") in header.unknown_columns
    # header without the unit matches an alias that has one
    aliases = {"amount": ["救助金额（元）"]}
    assert find_header([("救助金额",)], aliases).columns == {"amount": 0}


def test_missing_required_and_duplicates_and_no_header():
    header = find_header([("姓名", "电话", "联系电话")], ALIASES, REQUIRED)
    assert header.missing_required == {"id_number", "amount"}
    assert header.duplicates == {"phone": (1, 2)}
    assert header.columns["phone"] == 1
    assert not header.ok
    none = find_header([("a", "b"), ("c",)], ALIASES, REQUIRED)
    assert none.row_number == 0 and none.missing_required == REQUIRED


def test_header_only_searched_in_first_ten_rows():
    rows = [("说明",)] * 10 + [("姓名", "身份证号", "金额")]
    assert find_header(rows, ALIASES, REQUIRED).row_number == 0
    assert find_header(rows[1:], ALIASES, REQUIRED).row_number == 10


def test_read_rows_with_excel_row_numbers(tmp_path):
    path = _save(tmp_path / "in.xlsx", [
        ["2026年名单"],
        ["姓名", "身份证号", "金额", "电话"],
        ["张三", "44018319900101123X", 500, 13800138000],
        [None, None, None, None],
        ["   ", None],
        [None, None, None, None, "只在无名列有值"],
        ["李四", 440183199001011234, "600", None],
    ])
    with open_workbook(path) as wb:
        (sheet,) = wb.sheets
        assert sheet.name == "Sheet1" and not sheet.hidden
        header = find_header(sheet.head(), ALIASES, REQUIRED)
        assert header.row_number == 2
        records = list(iter_records(sheet, sheet.rows(), header))
    assert [r.row_number for r in records] == [3, 6, 7]
    assert records[0].values == {"name": "张三", "id_number": "44018319900101123X",
                                 "amount": 500, "phone": 13800138000}
    assert records[1].values == {"name": None, "id_number": None, "amount": None, "phone": None}
    # stored as a number the ID comes back as a float: raw values are passed on
    # untouched, parse_text() reports the lost digits
    assert records[2].values["id_number"] == pytest.approx(4.40183199001011e17)
    assert records[2].values["amount"] == "600"
    assert records[2].sheet == "Sheet1"


def test_wrong_dimension_record_still_reads_all_rows(tmp_path):
    rows = [["姓名", "身份证号", "金额"], ["张三", "1", 2], ["李四", "3", 4]]
    ok = _save(tmp_path / "ok.xlsx", rows)

    def one_cell_dimension(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', xml)

    bad = _rewrite_sheet(ok, tmp_path / "dim.xlsx", one_cell_dimension)
    with open_workbook(bad) as wb:
        rows = list(wb.sheets[0].rows())
    assert rows == [("姓名", "身份证号", "金额"), ("张三", "1", 2), ("李四", "3", 4)]


def test_hidden_sheets_flagged(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名"])
    hidden = wb.create_sheet("隐藏")
    hidden.append(["x"])
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "h.xlsx")
    with open_workbook(tmp_path / "h.xlsx") as data:
        assert [(s.name, s.hidden) for s in data.sheets] == [("Sheet", False), ("隐藏", True)]
        assert data.sheet("隐藏").head() == [("x",)]


def test_not_xlsx_files_are_refused_clearly(tmp_path):
    cases = {
        "empty.xlsx": (b"", "空文件"),
        "names.xlsx": ("姓名,身份证号\n张三,1\n".encode(), "不是 Excel 工作簿"),
        "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "旧版 Excel"),
        "locked.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
                        + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512, "密码"),
        "broken.xlsx": (b"PK\x03\x04" + b"garbage" * 50, "无法读取"),
    }
    for name, (content, phrase) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(WorkbookError) as info:
            open_workbook(path)
        assert phrase in str(info.value), (name, str(info.value))
        assert name in str(info.value)
    with pytest.raises(WorkbookError, match="找不到文件"):
        open_workbook(tmp_path / "missing.xlsx")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<x/>")
    with pytest.raises(WorkbookError, match="无法读取|无法解析"):
        open_workbook(path)


def test_workbook_with_only_empty_sheets(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "   "
    wb.create_sheet("第二页")
    wb.save(tmp_path / "blank.xlsx")
    with pytest.raises(WorkbookError, match="没有任何数据"):
        open_workbook(tmp_path / "blank.xlsx")


def test_xml_entities_are_refused(tmp_path):
    ok = _save(tmp_path / "ok.xlsx", [["姓名"], ["张三"]])
    doctype = b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    evil = _rewrite_sheet(ok, tmp_path / "xxe.xlsx",
                          lambda d: d.replace(b"<worksheet", doctype + b"<worksheet", 1))
    with pytest.raises(WorkbookError, match="DOCTYPE|无法解析"):
        with open_workbook(evil) as wb:
            list(wb.sheets[0].rows())
