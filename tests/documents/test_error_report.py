"""Import error report workbook."""

from __future__ import annotations

import datetime as dt

import openpyxl

from zhibang_desktop.documents.error_report import (
    ERROR_REPORT_HEADERS,
    Problem,
    write_error_report,
)


def test_error_report_columns_and_safe_values(tmp_path):
    problems = [
        Problem("名单", 3, "身份证号", 440183199001011234, "身份证号校验码错误"),
        Problem("名单", 4, "金额", "=1+1", "金额不是数字"),
        Problem("名单", 5, "出生日期", dt.date(2023, 2, 1), "日期晚于申请日期"),
        Problem("名单", 6, "手机号码", 13800138000.0, "号码位数不对"),
        Problem("名单", None, None, None, "缺少必填列：姓名"),
    ]
    path = tmp_path / "问题.xlsx"
    write_error_report(path, problems)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert tuple(rows[0]) == ERROR_REPORT_HEADERS == ("工作表", "行号", "列", "原值", "问题")
    # the report never echoes a full ID number (issue 10)
    assert rows[1] == ["名单", 3, "身份证号", "440183********1234", "身份证号校验码错误"]
    assert rows[2][3] == "'=1+1"
    assert all(c.data_type == "s" for c in ws["D"][1:5])
    assert rows[3][3] == "2023-02-01"
    assert rows[4][3] == "13800138000"
    assert rows[5] == ["名单", None, None, None, "缺少必填列：姓名"]
    assert ws.freeze_panes == "A2"
    assert [p.name for p in tmp_path.iterdir()] == ["问题.xlsx"]
