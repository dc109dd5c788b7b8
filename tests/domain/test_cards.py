import pytest

from zhibang_desktop.domain.cards import (
    LUHN_WARNING,
    check_account,
    luhn_ok,
    mask_account,
    normalize_account,
)


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("6222 0212 3456 7890 128", "6222021234567890128"),
        ("6222-0212-3456-7890-128", "6222021234567890128"),
        ("６２２２　０２１２－３４５６", "622202123456"),
        (" 4111111111111111\t", "4111111111111111"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_account(text, normalized):
    assert normalize_account(text) == normalized


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("79927398713", True),
        ("79927398710", False),
        ("4111111111111111", True),
        ("6222021234567890128", True),
        ("6222021234567890123", False),
        ("622848001234567894", True),
        ("0", True),
        ("", False),
        ("4111 1111 1111 1111", False),
        ("411111111111111a", False),
        ("４１１１１１１１１１１１１１１１", False),
    ],
)
def test_luhn_ok(digits, ok):
    assert luhn_ok(digits) is ok


@pytest.mark.parametrize(
    ("text", "warnings"),
    [
        ("6222 0212 3456 7890 128", []),
        ("622848001234567894", []),
        ("6222021234567890123", [LUHN_WARNING]),
        ("79927398713", ["卡号为11位，银行卡号一般为12至19位，请核对"]),
        ("62220212345678901280", ["卡号为20位，银行卡号一般为12至19位，请核对", LUHN_WARNING]),
        ("6222O21234567890128", ["卡号应为数字"]),
        ("", ["卡号为空"]),
        (None, ["卡号为空"]),
    ],
)
def test_check_account_only_warns(text, warnings):
    assert check_account(text) == warnings


def test_luhn_warning_says_the_number_may_be_kept():
    assert "Luhn" in LUHN_WARNING and "可保留" in LUHN_WARNING


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("6222021234567890128", "6222***********0128"),
        ("6222 0212 3456 7890", "6222********7890"),
        ("123456789", "1234*6789"),
        ("12345678", "******78"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_account(text, masked):
    assert mask_account(text) == masked
