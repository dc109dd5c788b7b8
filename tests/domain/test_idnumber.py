import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibang_desktop.domain.idnumber import (
    IdInfo,
    InvalidIdNumber,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    parse_id_number,
)

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "info"),
    [
        # The example number printed in GB 11643-1999 itself.
        ("11010519491231002X", IdInfo("11010519491231002X", "110105", dt.date(1949, 12, 31), "F")),
        ("11010519491231002x", IdInfo("11010519491231002X", "110105", dt.date(1949, 12, 31), "F")),
        (" 110105 19491231 002X ", IdInfo("11010519491231002X", "110105", dt.date(1949, 12, 31), "F")),
        ("440183199001011238", IdInfo("440183199001011238", "440183", dt.date(1990, 1, 1), "M")),
        ("440183200002290027", IdInfo("440183200002290027", "440183", dt.date(2000, 2, 29), "F")),
        ("999999202611220015", IdInfo("999999202611220015", "999999", dt.date(2026, 11, 22), "M")),
        ("４４０１８３１９９００１０１１２３８", IdInfo("440183199001011238", "440183", dt.date(1990, 1, 1), "M")),
    ],
)
def test_parse_valid(text, info):
    assert parse_id_number(text, today=TODAY) == info


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "身份证号为空"),
        ("   ", "身份证号为空"),
        ("440183900101123", "15位旧身份证号已停用，请填写18位号码"),
        ("44018319900101123", "身份证号应为18位，现为17位"),
        ("4401831990010112388", "身份证号应为18位，现为19位"),
        ("44018319900101123A", "身份证号只能包含数字，末位可为X"),
        ("4401831990010112X8", "身份证号只能包含数字，末位可为X"),
        ("44018319900101一238", "身份证号只能包含数字，末位可为X"),
        ("440183199013321234", "身份证号第7-14位出生日期19901332无效"),
        ("440183199002301234", "身份证号第7-14位出生日期19900230无效"),
        ("440183190002290014", "身份证号第7-14位出生日期19000229无效"),
        ("440183000001011234", "身份证号第7-14位出生日期00000101无效"),
        # GB 11643-1999's second example: correct check digit, born 1880.
        ("440524188001010014", "出生日期早于1900年（18800101）"),
        ("440183202611230010", "出生日期晚于今天（20261123）"),
        ("110105194912310021", "校验位应为X，实为1"),
        ("440183199001011233", "校验位应为8，实为3"),
    ],
)
def test_parse_invalid(text, reason):
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(text, today=TODAY)
    assert caught.value.reason == reason
    assert str(caught.value) == reason


def test_unknown_region_is_not_rejected():
    assert parse_id_number(make_id_number("000000", dt.date(1980, 5, 6), 7, "M")).region == "000000"


@pytest.mark.parametrize(
    ("text", "valid"),
    [("11010519491231002X", True), ("110105194912310021", False), ("", False), (None, False), (12345, False)],
)
def test_is_valid_id_number(text, valid):
    assert is_valid_id_number(text) is valid


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("440183199001011234", "440183********1234"),
        ("11010519491231002x", "110105********002X"),
        ("11010519491231002X", "110105********002X"),  # as stored: the fast path
        ("４４０１８３１９９００１０１１２３４", "440183********1234"),  # full-width digits are cleaned first
        ("440183 19900101 1234", "440183********1234"),
        ("44018319900101123４", "440183********1234"),
        ("440183900101123", "44***********23"),
        ("4401831990", "44******90"),
        ("12345", "12*45"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(text, masked):
    assert mask_id_number(text) == masked


@pytest.mark.parametrize("length", range(0, 40))
def test_mask_never_reveals_more_than_ten(length):
    masked = mask_id_number("1" * length)
    assert len(masked) == length
    assert len(masked) - masked.count("*") <= 10


@pytest.mark.parametrize(
    ("seq3", "sex", "sequence"),
    [(123, "M", "123"), (123, "F", "122"), (0, "F", "000"), (0, "M", "001"), (999, "F", "998")],
)
def test_make_id_number_encodes_sex_in_sequence(seq3, sex, sequence):
    number = make_id_number("440183", dt.date(1990, 1, 1), seq3, sex)
    assert number[14:17] == sequence


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("44018", dt.date(1990, 1, 1), 1, "M"), "region"),
        (("440183", dt.date(1990, 1, 1), 1000, "M"), "seq3"),
        (("440183", dt.date(1990, 1, 1), 1, "男"), "sex"),
        (("440183", dt.date(1899, 12, 31), 1, "M"), "birth_date"),
    ],
)
def test_make_id_number_rejects_bad_arguments(args, problem):
    with pytest.raises(ValueError, match=problem):
        make_id_number(*args)


@given(
    region=st.from_regex(r"[0-9]{6}", fullmatch=True),
    birth_date=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    seq3=st.integers(0, 999),
    sex=st.sampled_from(["M", "F"]),
)
def test_make_then_parse_round_trips(region, birth_date, seq3, sex):
    number = make_id_number(region, birth_date, seq3, sex)
    info = parse_id_number(number.lower(), today=TODAY)
    assert info == IdInfo(number, region, birth_date, sex)
