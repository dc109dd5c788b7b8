"""Chinese line breaking: no closing punctuation at a line start, no opening one at a line end,
every line inside its width, no character lost — at every width, in plain and marked-up text."""
from __future__ import annotations

import re

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from zhibang_desktop.documents.cjk_wrap import CANNOT_END, CANNOT_START
from zhibang_desktop.documents.fonts import ensure_fonts

TEXTS = [
    # the 代领人 note of a receipt list, where "：" used to start a line
    "代领人张三丰（配偶）：电话13800000000，身份证440183********1234，代领原因：本人住院",
    "代领人：<b>张三</b>（配偶），电话：138<br/>身份证：“440183”。原因：“住院”；完毕！",
    "公示时间为2026年11月23日至2026年11月30日（公示期为五个工作日）。在此期间，任何单位和个人对公示名单如有异议，"
    "请以电话、信函等方式向增城区总工会反映。",
]


def _lines(text: str, width: float, style: ParagraphStyle) -> list[str]:
    para = Paragraph(text, style)
    para.wrap(width, 10_000)
    out = []
    for line in para.blPara.lines:
        out.append("".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words))
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_punctuation_rules_hold_at_every_width(text):
    fonts = ensure_fonts()
    style = ParagraphStyle("t", fontName=fonts.body, fontSize=10, leading=13, wordWrap="CJK")
    plain = re.sub(r"<[^>]+>", "", text)
    for width in range(30, 260):
        lines = _lines(text, width, style)
        assert "".join(lines) == plain, (width, lines)
        assert not [x for x in lines[1:] if x and x[0] in CANNOT_START], (width, lines)
        assert not [x for x in lines[:-1] if x and x[-1] in CANNOT_END], (width, lines)
        assert all(stringWidth(x, fonts.body, 10) <= width + 0.5 for x in lines if len(x) > 1), (width, lines)


def test_the_proxy_note_keeps_its_colon_with_the_word_before():
    fonts = ensure_fonts()
    style = ParagraphStyle("t", fontName=fonts.body, fontSize=10, leading=13, wordWrap="CJK")
    lines = _lines(TEXTS[0], 67, style)
    assert lines[0] == "代领人张三丰" and lines[1].startswith("（配偶）：")
    assert not any(x.startswith(("：", "，")) for x in lines)
