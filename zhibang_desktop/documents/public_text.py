"""Privacy guard for anything printed for the public (公示 rosters).

DESIGN.md §6: a public roster shows what its purpose needs (name, unit, relief
type, amount, a masked ID) and never a full ID number, a bank/card number, an
illness or an income (PIPL art. 28; 社会救助暂行办法 art. 61).

Free text that reaches a public document (remarks, the notice's title, intro,
place and objection fields) is checked after :func:`fold`: NFKC width folding,
Chinese numerals as digits, then every space, punctuation mark, separator and
symbol removed — so ``440183  1976.01.01／1234``, ``*4401831976…*``, ``尿 毒 症``
and ``6222·0212·3456`` read as the plain number or word they hide.  The folded
text is checked against the household's own ID/card numbers and illnesses,
against ID/card shapes (runs of 15 or more digits, with an X), illness words and
income phrases.  The phone field must look like phone numbers.  Fields that are
public by design (name, unit, relief type) get the number-shape check only, so a
unit called 肿瘤医院工会 still prints.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..domain.phone_numbers import bad_phone_numbers, is_phone_number

__all__ = [
    "PrivacyError", "fold", "public_text_problems", "shape_problems", "phone_problems",
    "check_public_cells", "check_public_fields", "ILLNESS_WORDS",
]

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖", "00123456789123456789")

#: illnesses never printed on a public document: the 增城 serious-illness list (seed 001,
#: DESIGN.md §2) and generic words a clerk might type instead
ILLNESS_WORDS = (
    "恶性肿瘤", "慢性肾衰竭", "尿毒症", "心脏瓣膜", "冠状动脉", "中风", "瘫痪", "精神病", "脑血栓",
    "癌", "肿瘤", "透析", "肾衰", "化疗", "放疗", "尿毒", "白血病", "淋巴瘤", "精神分裂", "抑郁症",
    "偏瘫", "截瘫", "脑梗", "心梗", "搭桥", "肝硬化", "肾病", "糖尿病", "心脏病", "艾滋", "hiv",
    "乙肝", "结核", "癫痫", "残疾", "绝症", "术后", "住院", "患病", "患有", "罹患", "病危",
    "脑瘫", "精神障碍", "精神疾病", "智力障碍", "痴呆", "帕金森", "红斑狼疮", "器官移植", "再生障碍",
    "血友病", "高血压", "心衰", "渐冻", "重病", "病重", "危重",
)
_INCOME = re.compile(r"(收入|工资|月薪|年薪|薪资|薪水|月入|年入|养老金|退休金|低保金)\D{0,10}?(\d|元|块|万|千|百)")
# runs of 15+ digits (ID numbers: 15 or 18 with a final X; cards: 16–19) in the folded text
_LONG_RUN = re.compile(r"[0-9]{14,}[0-9x]")


class PrivacyError(ValueError):
    """Something that must not be published was about to be printed on a public roster."""


def _normal(text: str) -> str:
    """NFKC, Chinese numerals and every other script's digits as ASCII digits, lower case."""
    normal = unicodedata.normalize("NFKC", str(text or "")).translate(_CN_DIGITS).casefold()
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in normal)


def fold(text: str) -> str:
    """Width-folded, lower-case, Chinese numerals as digits, only letters and digits kept."""
    return "".join(ch for ch in _normal(text) if unicodedata.category(ch)[0] in "LN")


def _digit_groups(text: str) -> list[str]:
    """The digit runs of the text as typed (before separators are removed)."""
    return re.findall(r"[0-9]+", _normal(text))


def _is_date(digits: str) -> bool:
    return len(digits) == 8 and digits[:2] in ("19", "20") and "01" <= digits[4:6] <= "12" \
        and "01" <= digits[6:8] <= "31"


def _harmless(run: str, groups: list[str]) -> bool:
    """A long run that is only phone numbers and dates typed apart (电话 020-82712345、13800138000;
    2026.03.02—2026.03.09) is not an ID: split it at the typed boundaries into such pieces."""
    cuts, pos = {0}, 0
    for g in groups:
        pos += len(g)
        cuts.add(pos)
    good = [False] * (len(run) + 1)
    good[0] = True
    for end in range(1, len(run) + 1):
        if end not in cuts:
            continue
        for start in range(end):
            if good[start] and start in cuts:
                piece = run[start:end]
                if is_phone_number(piece) or _is_date(piece):
                    good[end] = True
                    break
    return good[len(run)]


def _groups_of_run(folded: str, match: re.Match, groups: list[str]) -> list[str]:
    """The typed digit groups that make up one run of the folded text (digits keep their order)."""
    before = sum("0" <= ch <= "9" for ch in folded[:match.start()])
    out, pos, need = [], 0, len(match.group().replace("x", ""))
    for g in groups:
        if pos >= before and need > 0:
            out.append(g[:need])
            need -= len(g)
        pos += len(g)
    return out


def shape_problems(text: str) -> list[str]:
    """Reasons from number shapes alone: a run of 15 or more digits is an ID or card number."""
    folded = fold(text)
    groups = _digit_groups(text)
    for match in _LONG_RUN.finditer(folded):
        run = match.group()
        if "x" not in run and _harmless(run, _groups_of_run(folded, match, groups)):
            continue
        kind = "身份证号" if len(run) in (15, 18) else "银行卡号/账号"
        return [f"疑似{kind}（{len(run)} 位数字）"]
    return []


def _private_parts(private: Iterable[str]) -> tuple[set[str], set[str]]:
    """Split the household's private values into folded numbers and folded words."""
    numbers, words = set(), set()
    for value in private:
        for part in re.split(r"[\s,，、;；/／()（）:：.。]+", str(value or "")):
            f = fold(part)
            if len(f) < 2:
                continue
            if sum(ch.isdigit() for ch in f) >= 6:
                numbers.add(f)
            else:
                words.add(f)
    return numbers, words


def public_text_problems(text: str, private: Iterable[str] = ()) -> list[str]:
    """Reasons why free text may not appear on a public document (empty list: it may).

    ``private``: the household's own ID/card numbers and illnesses, disabilities and
    hardship causes (members' too); they are refused however they are spaced or punctuated.
    """
    if not text:
        return []
    folded = fold(text)
    numbers, words = _private_parts(private)
    problems = []
    if any(n in folded for n in numbers):
        problems.append("本户的身份证号或银行卡号")
    problems += [p for p in shape_problems(text) if not problems]
    own = sorted(w for w in words if w in folded)
    if own:
        problems.append(f"本户的病情或致困原因（{'、'.join(own[:3])}）")
    ill = [w for w in ILLNESS_WORDS if w in folded and not any(w in o for o in own)]
    if ill:
        problems.append(f"病情（{'、'.join(ill[:3])}）")
    if _INCOME.search(folded):
        problems.append("收入情况")
    return problems


def phone_problems(text: str) -> list[str]:
    """The 联系电话 field holds phone numbers only (one or several, separated by 、 or ，)."""
    if bad_phone_numbers(_normal(text)):
        return ["不像电话号码（只能填写电话，如 020-82712345 或 13800138000）"]
    return []


def check_public_fields(fields: Iterable[tuple[str, str]], private: Iterable[str] = (),
                        phone: str | None = None) -> None:
    """Raise :class:`PrivacyError` naming the first free-text field (label, text) that may not be published."""
    words = tuple(private)
    for label, text in fields:
        problems = public_text_problems(text or "", words)
        if problems:
            raise PrivacyError(f"{label}不能公开：含有{'、'.join(problems)}")
    if phone:
        problems = phone_problems(phone) or public_text_problems(phone, words)
        if problems:
            raise PrivacyError(f"联系电话不能公开：{'、'.join(problems)}")


def check_public_cells(rows: Iterable[Iterable[object]], private: Iterable[str] = (),
                       free_columns: Iterable[int] = ()) -> None:
    """Raise :class:`PrivacyError` naming the first offending row and what it holds.

    Every text cell gets the number-shape check; the ``free_columns`` (remarks) the full one.
    """
    words = tuple(private)
    free = set(free_columns)
    for index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or isinstance(value, int):
                continue
            text = str(value)
            problems = public_text_problems(text, words) if col in free else shape_problems(text)
            if problems:
                raise PrivacyError(f"公示名单第 {index} 行不能公开：含有{'、'.join(problems)}")
