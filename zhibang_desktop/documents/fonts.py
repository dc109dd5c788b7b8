"""CJK fonts for reportlab, always embedded: titles in 黑体, body in 宋体 (GB/T 9704).

reportlab embeds TrueType-outline fonts only (CFF/OpenType-PS fonts such as
Noto Sans CJK are rejected, and the built-in ``STSong-Light`` CID font is not
embedded at all), so every PDF we write uses registered TrueType fonts:

* bundled, always available: AR PL UMing CN (``data/fonts/uming.ttc``, face 0), a
  宋体/明体-style face registered as ``"ZhibangSerif"`` for the body, and WenQuanYi
  Micro Hei (``data/fonts/wqy-microhei.ttc``, face 0), a 黑体-style face registered as
  ``"ZhibangSans"`` for titles (both licences allow redistribution; the licence files
  sit beside the fonts);
* preferred when present, the Windows official-document fonts — SimSun (宋体)
  for the body and SimHei (黑体) for titles — found under ``%WINDIR%\\Fonts``
  or given explicitly.  A candidate is used only if reportlab accepts it as a
  TrueType font *and* it has glyphs for common Chinese characters; otherwise
  we fall back to the bundled font silently.

``ensure_fonts()`` is idempotent and thread-safe; call it before building any
PDF and use the names in the returned :class:`FontSet`.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import cjk_wrap

__all__ = [
    "FontSet",
    "FontFile",
    "BUNDLED_FONT",
    "BUNDLED_FONT_NAME",
    "BUNDLED_SERIF",
    "BUNDLED_SERIF_NAME",
    "ensure_fonts",
    "windows_font_candidates",
]

log = logging.getLogger(__name__)

BUNDLED_FONT = Path(__file__).resolve().parent.parent / "data" / "fonts" / "wqy-microhei.ttc"
BUNDLED_FONT_NAME = "ZhibangSans"
BUNDLED_SERIF = BUNDLED_FONT.with_name("uming.ttc")
BUNDLED_SERIF_NAME = "ZhibangSerif"

# Characters every usable font must have (a font without them would print boxes).
_PROBE_CHARS = "职帮困难救助金额合计人民币大写元整第页共签名盖章（）：０123"


@dataclass(frozen=True)
class FontSet:
    """reportlab font names to use: ``body`` for text and tables, ``title`` for titles."""

    body: str
    title: str


@dataclass(frozen=True)
class FontFile:
    """A TrueType font file; ``subfont_index`` selects the face inside a .ttc collection."""

    path: Path
    subfont_index: int = 0

    @classmethod
    def of(cls, value: FontFile | str | os.PathLike | None) -> FontFile | None:
        if value is None or isinstance(value, FontFile):
            return value
        return cls(Path(value))


_lock = threading.Lock()
_registered: dict[tuple[str, int], str | None] = {}  # (resolved path, index) -> name or None
_default: FontSet | None = None


def windows_font_candidates() -> tuple[list[FontFile], list[FontFile]]:
    """(body, title) candidates in the Windows font folder, most preferred first."""
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if not windir and sys.platform == "win32":
        windir = r"C:\Windows"
    if not windir:
        return [], []
    fonts = Path(windir) / "Fonts"
    body = [FontFile(fonts / "simsun.ttc", 0), FontFile(fonts / "simsun.ttf", 0)]
    title = [FontFile(fonts / "simhei.ttf", 0)]
    return body, title


def _register_bundled(path: Path = BUNDLED_FONT, name: str = BUNDLED_FONT_NAME) -> str:
    key = (str(path), 0)
    if _registered.get(key):
        return name
    font = TTFont(name, str(path), subfontIndex=0)
    pdfmetrics.registerFont(font)
    _register_family(name)
    _registered[key] = name
    return name


def _register_family(name: str) -> None:
    # CJK fonts have no bold/italic faces; map them to the same face so that
    # <b>/<i> markup in a Paragraph never fails or silently switches font.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)


def _try_register(candidate: FontFile, prefix: str) -> str | None:
    """Register ``candidate`` if it is a usable TrueType CJK font; return its name or None."""
    try:
        resolved = candidate.path.resolve()
    except OSError:
        return None
    key = (str(resolved), candidate.subfont_index)
    if key in _registered:
        return _registered[key]
    name: str | None = None
    if resolved.is_file():
        stem = "".join(ch for ch in resolved.stem if ch.isalnum())[:24] or "Font"
        candidate_name = f"Zhibang{prefix}{stem}{candidate.subfont_index}"
        try:
            font = TTFont(candidate_name, str(resolved), subfontIndex=candidate.subfont_index)
            missing = [ch for ch in _PROBE_CHARS if ord(ch) not in font.face.charToGlyph]
            if missing:
                log.info("font %s lacks glyphs %r; not used", resolved, "".join(missing))
            else:
                pdfmetrics.registerFont(font)
                _register_family(candidate_name)
                name = candidate_name
        except Exception as exc:  # TTFError (CFF outlines, no embedding rights, corrupt file) …
            log.info("font %s not usable by reportlab: %s", resolved, exc)
    _registered[key] = name
    return name


def ensure_fonts(
    body: FontFile | str | os.PathLike | None = None,
    title: FontFile | str | os.PathLike | None = None,
    *,
    use_system_fonts: bool = True,
) -> FontSet:
    """Register the fonts once and return the names to use.

    ``body`` / ``title`` override the font files (e.g. from a setting); when
    not given and ``use_system_fonts`` is true, SimSun/SimHei are used if the
    Windows font folder has them.  Anything unusable falls back to the
    bundled fonts (UMing for the body, WenQuanYi Micro Hei for titles), so
    this never fails for a missing or unsuitable override.
    """
    global _default
    with _lock:
        cjk_wrap.install()  # Chinese line-breaking rules for every paragraph we wrap
        default_call = body is None and title is None and use_system_fonts
        if default_call and _default is not None:
            return _default
        bundled = _register_bundled()
        bundled_serif = _register_bundled(BUNDLED_SERIF, BUNDLED_SERIF_NAME)
        if use_system_fonts:
            sys_body, sys_title = windows_font_candidates()
        else:
            sys_body, sys_title = [], []
        body_candidates = [FontFile.of(body)] if body is not None else sys_body
        title_candidates = [FontFile.of(title)] if title is not None else sys_title

        body_name = next(
            (n for c in body_candidates if (n := _try_register(c, "Body"))), bundled_serif
        )
        # Titles are 黑体: the bundled Micro Hei is a 黑体-style face.
        title_name = next(
            (n for c in title_candidates if (n := _try_register(c, "Title"))), bundled
        )
        result = FontSet(body=body_name, title=title_name)
        if default_call:
            _default = result
        return result
