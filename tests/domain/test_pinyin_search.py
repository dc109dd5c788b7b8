import pytest

from zhibang_desktop.domain.pinyin_search import normalize_query, search_keys


def matches(query: str, name: str) -> bool:
    return normalize_query(query) in search_keys(name)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("曾小明", "zengxiaoming"),
        ("曾小明", "cengxiaoming"),
        ("曾小明", "zxm"),
        ("单田芳", "shantianfang"),
        ("单田芳", "stf"),
        ("覃海燕", "qinhaiyan"),
        ("覃海燕", "qhy"),
        ("解晓东", "xiexiaodong"),
        ("仇建国", "qiujianguo"),
        ("区志强", "ouzhiqiang"),
        ("查良镛", "zhaliangyong"),
        ("乐嘉", "yuejia"),
        ("乐嘉", "lejia"),
        ("朴树", "piaoshu"),
        ("翟志刚", "zhaizhigang"),
        ("缪", "miao"),
        ("尉迟恭", "yuchigong"),
        ("万俟卨", "moqi"),
        ("长孙无忌", "zhangsunwuji"),
    ],
)
def test_surname_readings(name, query):
    assert matches(query, name)


@pytest.mark.parametrize(
    "query",
    [
        "曾", "小明", "曾小明", "小",
        "zeng", "zengxiao", "xiaoming", "ming", "xiao",
        "z", "zx", "zxm", "xm", "m",
        "ZENG XIAO", " Zeng Xiao Ming ", "zeng\u3000xiao",
    ],
)
def test_substrings_of_name_pinyin_and_initials(query):
    assert matches(query, "曾小明")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("曾小明", "wang"),
        ("曾小明", "zengxiaohong"),
        ("曾小明", "曾小红"),
        ("单田芳", "wtf"),
        ("王芳", "zeng"),
    ],
)
def test_non_matches(name, query):
    assert not matches(query, name)


def test_keys_are_lower_case_and_space_separated():
    keys = search_keys("曾小明")
    assert keys == keys.lower()
    assert keys.split(" ")[0] == "曾小明"
    assert {"zengxiaoming", "cengxiaoming", "zxm", "cxm"} <= set(keys.split(" "))


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("阿卜杜拉·买买提", "阿卜杜拉买买提"),
        ("阿卜杜拉·买买提", "maimaiti"),
        ("Tom李", "tomli"),
        ("王  芳", "王芳"),
        ("吕女", "lvnv"),
    ],
)
def test_names_with_separators_letters_and_v(name, query):
    assert matches(query, name)


@pytest.mark.parametrize("name", ["重重重重重重", "阿卜杜拉·买买提", "行长和长行"])
def test_combinations_are_capped(name):
    tokens = search_keys(name).split(" ")
    alpha = [t for t in tokens if t.isascii()]
    full = [t for t in alpha if len(t) > len(name)]
    assert 1 <= len(full) <= 16
    assert len(alpha) <= 32


def test_at_most_three_readings_per_character():
    wang_readings = [t for t in search_keys("王能").split(" ") if t.startswith("wang")]
    assert "wangneng" in wang_readings
    assert len(wang_readings) <= 3


@pytest.mark.parametrize(
    ("text", "normalized"),
    [(" Zeng Xiao ", "zengxiao"), ("ＺＸＭ", "zxm"), ("曾 小明", "曾小明"), ("", ""), (None, "")],
)
def test_normalize_query(text, normalized):
    assert normalize_query(text) == normalized


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_has_no_keys(name):
    assert search_keys(name) == ""
