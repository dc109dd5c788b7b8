"""Chinese line-breaking rules (标点禁则) for reportlab paragraphs with ``wordWrap="CJK"``.

reportlab breaks CJK text between any two characters. Its own rule only lets one
character from a short list (which lacks the full-width ，：；？！ and the closing quotes)
hang past the right edge, so a printed note could start a line with "：". Here a line never
starts with closing punctuation and never ends with opening punctuation: the characters
that would break the rule move to the next line together (the line stays inside its
width, which matters in table cells). Everything else is reportlab's own algorithm.

`install()` replaces reportlab's splitter once; the PDF writers call it through
:func:`zhibang_desktop.documents.fonts.ensure_fonts`.
"""
from __future__ import annotations

from reportlab.lib.textsplit import getCharWidths
from reportlab.platypus import paragraph as _rl

# GB/T 15834 and common practice: closing marks, pause/stop marks, and the dash/ellipsis halves.
CANNOT_START = frozenset("，。、：；？！）》」』】〕〉］｝”’…—·‰％℃,.:;?!)]}%")
CANNOT_END = frozenset("（《「『【〔〈［｛“‘([{")


def _line_ends(chars, widths, max_widths, breaks=None) -> list[tuple[int, int, bool]]:
    """(start, stop, forced) of each line: as many characters as fit, then the rules."""
    lines: list[tuple[int, int, bool]] = []
    i = used = start = 0
    max_width = max_widths[0]
    n = len(chars)
    while i < n:
        c = chars[i]
        used += widths[i]
        i += 1
        forced = bool(breaks and breaks[i - 1])
        if not (used > max_width + _rl._FUZZ and used > 0) and not forced:
            continue
        if not forced:
            if c and ord(c[0]) < 0x3000:
                # inside Latin text: go back to a space or to a CJK character (reportlab's rule)
                for j in range(i - 1, (start + i) >> 1, -1):
                    cj = chars[j]
                    if cj and (_rl.category(cj[0]) == "Zs" or ord(cj[0]) >= 0x3000):
                        if j + 1 < i:
                            i = j + 2
                        break
            if i > start + 1:
                i -= 1  # the character that did not fit starts the next line …
                # … unless that breaks a rule: then earlier characters move down with it
                back = i
                while back > start + 1 and (chars[back] in CANNOT_START or chars[back - 1] in CANNOT_END):
                    back -= 1
                if chars[back] not in CANNOT_START and chars[back - 1] not in CANNOT_END:
                    i = back
        lines.append((start, i, forced))
        try:
            max_width = max_widths[len(lines)]
        except IndexError:
            max_width = max_widths[-1]
        start = i
        used = 0
    if start < n:
        lines.append((start, n, False))
    return lines


def _max_width(max_widths, line_no: int) -> float:
    return max_widths[line_no] if line_no < len(max_widths) else max_widths[-1]


def kinsoku_word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):  # noqa: N803 — reportlab's names
    """reportlab's ``wordSplit`` (one run of text in one font) with the Chinese rules."""
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]  # noqa: N806
    text = word.decode(encoding) if isinstance(word, bytes) else word
    widths = getCharWidths(text, fontName, fontSize)
    out = []
    for no, (a, b, _) in enumerate(_line_ends(text, widths, maxWidths)):
        extra = _max_width(maxWidths, no) - sum(widths[a:b])
        line = text[a:b] if b == len(text) else text[a:b].strip()
        out.append([extra, line.encode(encoding) if isinstance(word, bytes) else line])
    return out


def kinsoku_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):  # noqa: N803 — reportlab's names
    """reportlab's ``cjkFragSplit`` (several fonts or markup in one paragraph) with the Chinese rules."""
    chars = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            chars.extend(_rl.cjkU(t, f, encoding) for t in text)
        else:
            chars.append(_rl.cjkU(text, f, encoding))
    widths = [u.width for u in chars]
    breaks = [hasattr(u.frag, "lineBreak") for u in chars]
    lines = []
    for no, (a, b, forced) in enumerate(_line_ends(chars, widths, maxWidths, breaks)):
        max_width = _max_width(maxWidths, no)
        used = sum(widths[a:b])
        lines.append(_rl.makeCJKParaLine(chars[a:b], max_width, used, max_width - used, forced, calcBounds))
    return _rl.ParaLines(kind=1, lines=lines)


def install() -> None:
    """Use the rule-following splitters for every CJK paragraph (idempotent)."""
    _rl.cjkFragSplit = kinsoku_frag_split
    _rl.wordSplit = kinsoku_word_split
