"""The short-query grams answer exactly `query in search_text` for the queries they serve."""
import pytest

from zhibang_desktop.domain.search_grams import MARK, short_grams, short_pattern, uses_short_grams

TEXTS = [
    "曾志明 zengzhiming cengzhiming zzm czm 440183198005060012 zc202600001 13800138000",
    "阿卜杜拉·买买提 阿卜杜拉买买提 abudulamaimaiti abdlmmt 44018319800506001x zc202600002",
    "tom李 tomli 020-82712345 02082712345 82712345",
]


@pytest.mark.parametrize("query,uses", [
    ("zx", True), ("曾", True), ("曾志", True), ("m李", True), ("1x", True), ("z%", True),
    ("z", False), ("7", False), ("12", False), ("zzm", False), ("", False),
])
def test_which_queries_use_the_grams(query, uses):
    assert uses_short_grams(query) == uses


@pytest.mark.parametrize("text", TEXTS)
def test_grams_find_exactly_the_pieces_of_the_keys(text):
    grams = short_grams(text).split(" ")
    alphabet = sorted(set(text.replace(" ", "")) | {"q", "丽", "%"})
    queries = [a + b for a in alphabet for b in alphabet] + alphabet
    for query in filter(uses_short_grams, queries):
        assert (short_pattern(query) in grams) == (query in text), query


def test_each_short_pattern_is_one_trigram_and_digit_pairs_are_left_out():
    assert all(len(short_pattern(q)) == 3 for q in ("zx", "曾", "曾志"))
    grams = short_grams(TEXTS[0]).split(" ")
    assert MARK + "zz" in grams and MARK * 2 + "曾" in grams and MARK + "44" not in grams
    assert short_grams("") == "" and short_grams(None) == ""
