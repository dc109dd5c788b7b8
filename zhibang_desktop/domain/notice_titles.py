"""Titles of public notices (公示): a second notice for the same period is numbered
(…2026年第四季度第二批困难职工救助对象名单的公示), never a copy of the first one's title."""
from __future__ import annotations

from collections.abc import Collection

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals: 二, 十, 十二, 二十, 二十三."""
    if not 1 <= n <= 99:
        raise ValueError(f"批次序号应在 1 至 99 之间：{n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def with_batch(title: str, n: int) -> str:
    """The title with 第N批 put where a reader expects it."""
    marker = f"第{chinese_number(n)}批"
    if "困难职工" in title:
        at = title.index("困难职工")
        return title[:at] + marker + title[at:]
    if title.endswith("的公示"):
        return title[: -len("的公示")] + f"（{marker}）的公示"
    return f"{title}（{marker}）"


def numbered_title(title: str, taken: Collection[str]) -> str:
    """``title`` itself when no other notice has it, else the first free 第二批, 第三批 … title."""
    if title not in taken:
        return title
    for n in range(2, 100):
        candidate = with_batch(title, n)
        if candidate not in taken:
            return candidate
    raise ValueError("同一标题的公示已超过 99 批")
