"""Name search by characters, full pinyin and initials.

``normalize_query(q) in search_keys(name)`` is the whole matching rule, so the
key string can be stored in a column and searched with ``LIKE '%q%'``.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from functools import lru_cache
from itertools import product


__all__ = ["search_keys", "normalize_query", "SURNAME_READINGS"]

MAX_READINGS_PER_CHAR = 3
MAX_COMBINATIONS = 16

# Surname readings pypinyin's default gets wrong or misses. The default reading
# is kept as well, so a clerk typing the common (wrong) reading still finds it.
SURNAME_READINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "尉迟": (("yu",), ("chi",)),
    "万俟": (("mo",), ("qi",)),
    "长孙": (("zhang",), ("sun",)),
    "单于": (("chan",), ("yu",)),
    "澹台": (("tan",), ("tai",)),
    "曾": (("zeng",),),
    "单": (("shan",),),
    "解": (("xie",),),
    "仇": (("qiu",),),
    "乐": (("yue", "le"),),
    "区": (("ou",),),
    "覃": (("qin", "tan"),),
    "查": (("zha",),),
    "朴": (("piao",),),
    "盖": (("ge", "gai"),),
    "缪": (("miao",),),
    "翟": (("zhai",),),
    "召": (("shao",),),
    "繁": (("po",),),
    "种": (("chong",),),
    "折": (("she",),),
    "员": (("yun",),),
    "黑": (("he",),),
    "卜": (("bu",),),
    "秘": (("bi",),),
    "眭": (("sui",),),
    "隗": (("wei",),),
    "蕃": (("pi",),),
    "牟": (("mou",),),
    "阚": (("kan",),),
    "宓": (("fu",),),
    "谌": (("chen",),),
    "华": (("hua",),),
    "任": (("ren",),),
    "纪": (("ji",),),
    "车": (("che",),),
    "柏": (("bai",),),
    "贲": (("ben",),),
    "沈": (("shen",),),
    "芮": (("rui",),),
    "尉": (("wei",),),
    "能": (("nai",),),
    "句": (("gou",),),
    "洗": (("xian",),),
    "冼": (("xian",),),
    "佴": (("nai",),),
    "逄": (("pang",),),
    "郇": (("huan", "xun"),),
    "燕": (("yan",),),
    "薄": (("bo",),),
    "相": (("xiang",),),
    "曲": (("qu",),),
    "都": (("du",),),
    "藏": (("zang",),),
    "过": (("guo",),),
    "那": (("na",),),
}

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
_SPACES = re.compile(r"\s+")


def normalize_query(text: str) -> str:
    """Lower-case, NFKC, all whitespace removed."""
    if not isinstance(text, str):
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=1)
def _pypinyin():
    """pypinyin, imported when a name is first indexed: its phrase dictionaries take ~60 MB and a
    good part of a second to load, which a search or the program's start does not need."""
    import pypinyin

    return pypinyin


@lru_cache(maxsize=8192)
def _char_readings(char: str) -> tuple[str, ...]:
    p = _pypinyin()
    readings = p.pinyin(char, style=p.Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(r for r in (readings[0] if readings else []) if r.isascii() and r.isalpha())


def _merge(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for reading in group:
            if reading:
                seen.setdefault(reading.lower(), None)
    return tuple(seen)[:MAX_READINGS_PER_CHAR]


def _han_run_readings(run: str) -> list[tuple[str, ...]]:
    per_char = [_char_readings(c) for c in run]
    defaults = [r[:1] for r in per_char]
    if len(run) > 1 and any(len(r) > MAX_READINGS_PER_CHAR for r in per_char):
        p = _pypinyin()
        in_context = p.lazy_pinyin(run, style=p.Style.NORMAL, errors="ignore")
        if len(in_context) == len(run):
            defaults = [[d] for d in in_context]
    return [_merge(d, r) or (c,) for c, d, r in zip(run, defaults, per_char, strict=True)]


def _name_readings(name: str) -> list[tuple[str, ...]]:
    """One tuple of readings per pronounced character, most likely first."""
    readings: list[tuple[str, ...]] = []
    position = 0
    for match in _HAN_RUN.finditer(name):
        readings.extend((c,) for c in name[position : match.start()] if c.isalnum())
        readings.extend(_han_run_readings(match.group()))
        position = match.end()
    readings.extend((c,) for c in name[position:] if c.isalnum())
    return readings


def _apply_surname_table(name: str, readings: list[tuple[str, ...]]) -> None:
    if not _HAN_RUN.match(name[:1]):
        return
    for length in (2, 1):
        surname = name[:length]
        table = SURNAME_READINGS.get(surname)
        if table and len(surname) == length:
            for index, preferred in enumerate(table):
                readings[index] = _merge(preferred, readings[index][:1])
            return


def _best_combinations(readings: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Up to MAX_COMBINATIONS reading choices, ordered by total rank."""
    sizes = [len(r) for r in readings]
    total = 1
    for size in sizes:
        total *= size
    if total <= MAX_COMBINATIONS:
        return [tuple(r[i] for r, i in zip(readings, idx, strict=True)) for idx in product(*map(range, sizes))]
    start = (0,) * len(sizes)
    heap = [(0, start)]
    seen = {start}
    chosen = []
    while heap and len(chosen) < MAX_COMBINATIONS:
        rank, idx = heapq.heappop(heap)
        chosen.append(tuple(r[i] for r, i in zip(readings, idx, strict=True)))
        for position, size in enumerate(sizes):
            if idx[position] + 1 < size:
                nxt = idx[:position] + (idx[position] + 1,) + idx[position + 1 :]
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (rank + 1, nxt))
    return chosen


def search_keys(name: str) -> str:
    """Space-separated lower-case keys: the name, full pinyin and initials."""
    cleaned = normalize_query(name)
    if not cleaned:
        return ""
    keys: dict[str, None] = {cleaned: None}
    keys.setdefault("".join(c for c in cleaned if c.isalnum()) or cleaned, None)
    readings = _name_readings(cleaned)
    _apply_surname_table(cleaned, readings)
    if readings:
        combinations = _best_combinations(readings)
        for combo in combinations:
            keys.setdefault("".join(combo), None)
        for combo in combinations:
            keys.setdefault("".join(s[0] for s in combo), None)
    return " ".join(keys)
