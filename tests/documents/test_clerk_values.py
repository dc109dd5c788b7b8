"""Cell values as clerks write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhibang_desktop.documents.clerk_values import (
    ValueProblem,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
)

D = dt.date(2023, 1, 5)


@pytest.mark.parametrize("value", [
    dt.datetime(2023, 1, 5, 0, 0), dt.datetime(2023, 1, 5, 14, 30), D,
    44931, 44931.0, 44931.75, Decimal("44931"),          # Excel serial numbers
    "2023-01-05", "2023-1-5", "2023/1/5", "2023/01/05", "2023.1.5", "2023.01.05",
    "2023年1月5日", "2023年01月05日", "2023 年 1 月 5 日", "２０２３年１月５日",
    "20230105", 20230105, " 2023-01-05 ", "2023-01-05 00:00:00", "2023/1/5 8:30",
])
def test_parse_date_formats(value):
    assert parse_date(value) == D


def test_parse_date_excel_1900_quirk():
    assert parse_date(1) == dt.date(1900, 1, 1)
    assert parse_date(59) == dt.date(1900, 2, 28)
    assert parse_date(61) == dt.date(1900, 3, 1)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_empty(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(("value", "phrase"), [
    ("2023-02-30", "不存在"), ("2023-13-01", "不存在"), ("20231301", "不存在"),
    ("2023-1/5", "无法识别"), ("明天", "无法识别"), ("2023年1月", "无法识别"),
    ("0023-01-05", "年份"), (-5, "不是有效日期"), (60, "不是有效日期"), (True, "不是日期"),
    (10_000_000, "不是有效日期"),
])
def test_parse_date_problems(value, phrase):
    with pytest.raises(ValueProblem) as info:
        parse_date(value)
    assert phrase in info.value.message


@pytest.mark.parametrize("value", ["是", "Y", "y", "yes", "YES", "√", "1", 1, 1.0, True,
                                   "True", "true", "有", " 是 "])
def test_parse_bool_true(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", ["否", "N", "n", "no", "×", "0", 0, False, "False", "无"])
def test_parse_bool_false(value):
    assert parse_bool(value) is False


def test_parse_bool_empty_and_bad():
    assert parse_bool(None) is None and parse_bool(" ") is None
    for bad in ["也许", 2, "是否"]:
        with pytest.raises(ValueProblem, match="是/否"):
            parse_bool(bad)


@pytest.mark.parametrize(("value", "expected"), [
    (3, 3), (3.0, 3), ("3", 3), (" 3 ", 3), ("3.0", 3), ("1,200", 1200), ("３", 3),
    ("3人", 3), ("4 口", 4), ("-2", -2), (Decimal("5"), 5), (None, None), ("", None),
])
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", [3.5, "3.5", "三", "3x", True, float("nan"), "1,20"])
def test_parse_int_problems(value):
    with pytest.raises(ValueProblem, match="不是整数"):
        parse_int(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("  张三 ", "张三"), ("\u3000张三\u00a0", "张三"), ("", None), ("   ", None), (None, None),
    (13800138000.0, "13800138000"), (13800138000, "13800138000"),
    (440183199001011234, "440183199001011234"),   # an int cell keeps every digit
    (2.5, "2.5"), (0.1 + 0.2, "0.3"), (Decimal("12.50"), "12.5"),
    (dt.datetime(2023, 1, 5), "2023-01-05"), (D, "2023-01-05"), (True, "是"),
    ("'=SUM(A1)", "=SUM(A1)"), ("'-1", "-1"), ("'张三", "'张三"), ("0012", "0012"),
])
def test_parse_text(value, expected):
    assert parse_text(value) == expected


def test_parse_text_refuses_digits_excel_has_lost():
    # an 18-digit ID typed into a General cell comes back as a float without its last digits
    with pytest.raises(ValueProblem, match="15 位"):
        parse_text(4.40183199001011e17)


CATEGORY = {"深度困难": "deep", "相对困难": "relative", "意外致困": "accident"}


@pytest.mark.parametrize(("value", "expected"), [
    ("深度困难", "deep"), ("深度", "deep"), (" 深度困难 ", "deep"), ("深度困难职工", "deep"),
    ("相对", "relative"), ("意外", "accident"), ("deep", "deep"), ("DEEP", "deep"),
    ("深 度", "deep"), (None, None), ("", None),
])
def test_parse_choice(value, expected):
    assert parse_choice(value, CATEGORY, "困难类别") == expected


def test_parse_choice_problems_list_allowed_values():
    with pytest.raises(ValueProblem) as info:
        parse_choice("特困", CATEGORY, "困难类别")
    message = info.value.message
    assert "困难类别" in message and "特困" in message
    assert "深度困难、相对困难、意外致困" in message
    with pytest.raises(ValueProblem, match="不明确"):
        parse_choice("困难", CATEGORY, "困难类别")


def test_parse_choice_aliases_for_one_code():
    mapping = {"在档": "active", "正常": "active", "渐退期": "phasing_out", "退档": "exited"}
    assert parse_choice("正常", mapping) == "active"
    assert parse_choice("渐退", mapping) == "phasing_out"
