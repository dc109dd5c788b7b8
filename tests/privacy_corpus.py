"""Generated evasions of the public-text guard (issue 10: spacing, dots, slashes, dashes,
underscores, full-width digits, stars, grouped card numbers, spaced or paraphrased
illnesses, income phrases). Each variant hides one private value of a household."""
from __future__ import annotations

from dataclasses import dataclass

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
CN_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
SEPARATORS = ("  ", " ", ".", "/", "—", "_", "-", "·", "、", "－", "．", " / ", "\u200b", "\t")


@dataclass(frozen=True)
class Variant:
    kind: str  # id / card / illness / income
    how: str
    text: str


def id_variants(idn: str) -> list[Variant]:
    parts = (idn[:6], idn[6:14], idn[14:])
    out = [Variant("id", f"groups split by {sep!r}", sep.join(parts)) for sep in SEPARATORS]
    out += [
        Variant("id", "plain in a sentence", f"身份证{idn}"),
        Variant("id", "every digit spaced", " ".join(idn)),
        Variant("id", "dot between every digit", ".".join(idn)),
        Variant("id", "stars around", f"*{idn}*"),
        Variant("id", "double stars and spaces", f"** {parts[0]} {parts[1]} {parts[2]} **"),
        Variant("id", "full-width digits", idn.translate(FULL_WIDTH)),
        Variant("id", "full-width with ideographic spaces", "\u3000".join(p.translate(FULL_WIDTH) for p in parts)),
        Variant("id", "Chinese numerals", idn.translate(CN_DIGITS)),
        Variant("id", "old 15-digit form", idn[:6] + idn[8:17]),
        Variant("id", "bracketed groups", f"({parts[0]})[{parts[1]}]{{{parts[2]}}}"),
    ]
    return out


def card_variants(card: str) -> list[Variant]:
    fours = [card[i:i + 4] for i in range(0, len(card), 4)]
    return [Variant("card", f"groups of four split by {sep!r}", sep.join(fours))
            for sep in (" ", "  ", ".", "-", "·", "/", "_")] + [
        Variant("card", "plain after 卡号", f"卡号：{card}"),
        Variant("card", "full-width groups", " ".join(f.translate(FULL_WIDTH) for f in fours)),
        Variant("card", "stars around", f"**{card}**"),
        Variant("card", "split in halves with a dash", f"{card[:9]}—{card[9:]}"),
    ]


def illness_variants(own_illness: str) -> list[Variant]:
    spaced = " ".join(own_illness)
    return [
        Variant("illness", "own illness spaced", spaced),
        Variant("illness", "own illness dotted", "·".join(own_illness)),
        Variant("illness", "own illness full-width spaced", "\u3000".join(own_illness)),
        Variant("illness", "尿 毒 症", "尿 毒 症"),
        Variant("illness", "尿-毒-症", "患尿-毒-症多年"),
        Variant("illness", "free text: kidney failure", "肾衰竭长期透析"),
        Variant("illness", "free text: cancer", "乳腺癌术后化疗"),
        Variant("illness", "free text: tumour", "丈夫患恶性肿瘤"),
        Variant("illness", "stroke", "中风后偏瘫在家"),
        Variant("illness", "psychiatric", "重度精神病"),
        Variant("illness", "underscored", "白_血_病"),
        Variant("illness", "cerebral palsy", "孩子脑瘫需长期康复"),
        Variant("illness", "mental disorder", "妻子有精神障碍"),
    ]


def income_variants() -> list[Variant]:
    return [
        Variant("income", "家庭月收入…元", "家庭月收入1200元"),
        Variant("income", "spaced", "家庭月收入 1 2 0 0 元"),
        Variant("income", "capital numerals", "家庭月收入壹仟贰佰元"),
        Variant("income", "Chinese numerals", "人均月收入约九百元"),
        Variant("income", "full-width", "月收入：８００元"),
        Variant("income", "wage", "月工资仅2000元"),
    ]


def corpus(idn: str, card: str, own_illness: str, other_idn: str) -> list[Variant]:
    """Every variant: the household's own numbers and illness, and a stranger's ID (shape only)."""
    return (id_variants(idn) + card_variants(card) + illness_variants(own_illness) + income_variants()
            + [Variant("id", f"stranger's ID, {v.how}", v.text) for v in id_variants(other_idn)[:6]])


#: texts that must stay printable (no false alarm)
HARMLESS = (
    "第二次申请", "联系电话 020-82712345", "电话：020-82712345、13800138000",
    "2026.03.02—2026.03.09 公示", "增城区总工会关于2026年第一季度困难职工救助对象名单的公示",
    "区总工会一楼公示栏", "增城区总工会权益保障部（电话 020-82712345）", "收入较低，子女上学",
    "公示期五个工作日，请于2026年3月9日前反映",
)
