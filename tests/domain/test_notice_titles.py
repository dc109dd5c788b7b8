"""Issue 8: two notices for the same quarter got the same title; the second is numbered."""
import pytest

from zhibang_desktop.domain.notice_titles import chinese_number, numbered_title

Q4 = "增城区总工会关于2026年第四季度困难职工救助对象名单的公示"


@pytest.mark.parametrize("n, text", [(1, "一"), (2, "二"), (10, "十"), (12, "十二"), (20, "二十"), (23, "二十三"),
                                     (99, "九十九")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


@pytest.mark.parametrize("title, taken, expected", [
    (Q4, [], Q4),
    (Q4, [Q4], "增城区总工会关于2026年第四季度第二批困难职工救助对象名单的公示"),
    (Q4, [Q4, "增城区总工会关于2026年第四季度第二批困难职工救助对象名单的公示"],
     "增城区总工会关于2026年第四季度第三批困难职工救助对象名单的公示"),
    ("关于紧急救助名单的公示", ["关于紧急救助名单的公示"], "关于紧急救助名单（第二批）的公示"),
    ("送温暖名单", ["送温暖名单"], "送温暖名单（第二批）"),
])
def test_a_title_already_used_is_numbered(title, taken, expected):
    assert numbered_title(title, taken) == expected
