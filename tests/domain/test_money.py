from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibang_desktop.domain.money import (
    AmountError, amount_in_words, fen_from_yuan_number, format_yuan, parse_yuan, yuan_decimal, yuan_number, yuan_text,
)


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (1234, 123400),
        (0, 0),
        (600.0, 60000),
        (12.5, 1250),
        (0.1 + 0.2, 30),
        (1234.56, 123456),
        (34700.0, 3470000),
        (Decimal("12.34"), 1234),
        (Decimal("12.340"), 1234),
        ("1234", 123400),
        ("1,234.5", 123450),
        ("1，234.50", 123450),
        ("1234元", 123400),
        ("¥1,234", 123400),
        ("￥1234.00", 123400),
        (" 600 ", 60000),
        ("1234.5元", 123450),
        ("１２３４", 123400),
        ("265,800.00", 26580000),
        ("0.05", 5),
        ("-0", 0),
    ],
)
def test_parse_yuan_accepts(value, fen):
    assert parse_yuan(value) == fen


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "金额“abc”不是有效数字"),
        ("", "金额为空"),
        ("   ", "金额为空"),
        (None, "金额为空"),
        ("12,34", "金额“12,34”不是有效数字"),
        ("1..2", "金额“1..2”不是有效数字"),
        ("--5", "金额“--5”不是有效数字"),
        ("5元5角", "金额“5元5角”不是有效数字"),
        (True, "金额“True”不是有效数字"),
        (float("nan"), "金额“nan”不是有效数字"),
        (float("inf"), "金额“inf”不是有效数字"),
        (Decimal("NaN"), "金额“NaN”不是有效数字"),
        ("1.234", "金额最多两位小数"),
        (12.345, "金额最多两位小数"),
        (Decimal("0.001"), "金额最多两位小数"),
        ("-5", "金额不能为负数"),
        ("¥-1,234", "金额不能为负数"),
        (-1, "金额不能为负数"),
        (-0.5, "金额不能为负数"),
    ],
)
def test_parse_yuan_rejects(value, message):
    with pytest.raises(AmountError) as caught:
        parse_yuan(value)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "fen"),
    [("-5", -500), ("-¥1,234.5", -123450), (-12.3, -1230), (Decimal("-0.01"), -1)],
)
def test_parse_yuan_negative_when_allowed(value, fen):
    assert parse_yuan(value, allow_negative=True) == fen


@pytest.mark.parametrize(
    ("fen", "thousands", "text"),
    [
        (123450, True, "1,234.50"),
        (123450, False, "1234.50"),
        (0, True, "0.00"),
        (5, True, "0.05"),
        (-123450, True, "-1,234.50"),
        (-5, True, "-0.05"),
        (100000000000, True, "1,000,000,000.00"),
    ],
)
def test_format_yuan(fen, thousands, text):
    assert format_yuan(fen, thousands=thousands) == text


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角整"),
        (55, "伍角伍分"),
        (100, "壹元整"),
        (1000, "壹拾元整"),
        (1230, "壹拾贰元叁角整"),
        (1203, "壹拾贰元零叁分"),
        (100050, "壹仟元伍角整"),
        (100500, "壹仟零伍元整"),
        (120000, "壹仟贰佰元整"),
        (1001000, "壹万零壹拾元整"),
        (1500000, "壹万伍仟元整"),
        (3470000, "叁万肆仟柒佰元整"),  # 000: a household's maximum yearly aid
        (10001000, "壹拾万零壹拾元整"),
        (26580000, "贰拾陆万伍仟捌佰元整"),  # 001: funds spent
        (27000000, "贰拾柒万元整"),
        (26140000, "贰拾陆万壹仟肆佰元整"),  # 000: bounced payments re-paid
        (100000000, "壹佰万元整"),
        (105000000, "壹佰零伍万元整"),
        (347000000, "叁佰肆拾柒万元整"),
        (1000000000, "壹仟万元整"),
        (1010100000, "壹仟零壹拾万壹仟元整"),
        (10000000000, "壹亿元整"),
        (10000000100, "壹亿零壹元整"),
        (10000100000, "壹亿零壹仟元整"),
        (12345678912, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        (-120000, "负壹仟贰佰元整"),
    ],
)
def test_amount_in_words(fen, words):
    assert amount_in_words(fen) == words


@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_amount_in_words_is_well_formed(fen):
    words = amount_in_words(fen)
    assert "零零" not in words
    assert not words.endswith("零") and "零元" not in words[1:] and "零整" not in words
    assert words.startswith("负") == (fen < 0)
    assert words.endswith("分") == (fen % 10 != 0)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_then_parse_round_trips(fen):
    assert parse_yuan(format_yuan(fen), allow_negative=True) == fen


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (0, 0),
        (600, 60000),
        (600.0, 60000),
        (0.1, 10),
        (0.29, 29),  # 0.29 * 100 == 28.999999999999996 in binary floating point
        (1234.57, 123457),
        (-12.5, -1250),
        (10**12, 10**14),
    ],
)
def test_fen_from_yuan_number_is_exact(value, fen):
    assert fen_from_yuan_number(value) == fen


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.001, "金额最多两位小数"),
        (12.345, "金额最多两位小数"),
        (1e-7, "金额最多两位小数"),
        ("12.5", "应为数字"),
        (None, "应为数字"),
        (True, "应为数字"),
        (Decimal("1.5"), "应为数字"),
        (float("nan"), "应为数字"),
        (float("-inf"), "应为数字"),
    ],
)
def test_fen_from_yuan_number_refuses(value, message):
    with pytest.raises(AmountError) as info:
        fen_from_yuan_number(value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("fen", "text", "decimal", "number"),
    [
        (0, "0", Decimal("0"), 0),
        (5, "0.05", Decimal("0.05"), 0.05),
        (60000, "600", Decimal("600"), 600),
        (123450, "1,234.50", Decimal("1234.5"), 1234.5),
        (123457, "1,234.57", Decimal("1234.57"), 1234.57),
        (-1250, "-12.50", Decimal("-12.5"), -12.5),
        (-20000, "-200", Decimal("-200"), -200),
    ],
)
def test_yuan_text_decimal_and_number(fen, text, decimal, number):
    assert yuan_text(fen) == text
    assert yuan_decimal(fen) == decimal
    assert yuan_number(fen) == number and type(yuan_number(fen)) is type(number)


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_yuan_number_round_trips_to_the_same_fen(fen):
    assert fen_from_yuan_number(yuan_number(fen)) == fen
