import pytest

from zhibang_desktop.domain.phone_numbers import bad_phone_numbers, is_phone_number


@pytest.mark.parametrize("text", [
    "13800138000", "138 0013 8000", "+8613800138000", "020-82712345", "(020)82712345", "0898-66123456",
    "82712345", "2712345", "020-82712345转801", "400-123-4567", "12351", "12345",
    "13800138000、020-82712345", "13800138000，13900139000", "13800138000 / 82712345",
])
def test_whole_numbers_pass(text):
    assert bad_phone_numbers(text) == []


@pytest.mark.parametrize("text, bad", [
    ("1381234", ["1381234"]),               # a mobile with digits missing
    ("138001380001", ["138001380001"]),     # one digit too many
    ("12800138000", ["12800138000"]),       # no mobile starts 12
    ("0271234", ["0271234"]),               # an area code without its number
    ("020-8271", ["020-8271"]),
    ("13800138000、1381234", ["1381234"]),  # only the broken one is named
    ("abc", ["abc"]),
])
def test_broken_numbers_are_named(text, bad):
    assert bad_phone_numbers(text) == bad


def test_one_number_without_separators():
    assert is_phone_number("13800138000") and is_phone_number("82712345转801")
    assert not is_phone_number("1381234") and not is_phone_number("")
