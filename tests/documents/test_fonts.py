"""Font registration: bundled TrueType font always, overrides only when usable."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from zhibang_desktop.documents import fonts
from zhibang_desktop.documents.fonts import BUNDLED_FONT, FontFile, FontSet, ensure_fonts


def test_default_is_bundled_font_and_idempotent(monkeypatch):
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.delenv("SystemRoot", raising=False)
    monkeypatch.setattr(fonts, "_default", None)
    first = ensure_fonts()
    assert first == FontSet("ZhibangSans", "ZhibangSans")
    assert ensure_fonts() is first
    font = pdfmetrics.getFont("ZhibangSans")
    assert ord("职") in font.face.charToGlyph
    assert BUNDLED_FONT.is_file()


def test_unusable_overrides_fall_back(tmp_path):
    bogus = tmp_path / "simsun.ttc"
    bogus.write_bytes(b"OTTO" + b"\0" * 200)  # a CFF-flavoured header, no real font
    missing = tmp_path / "simhei.ttf"
    result = ensure_fonts(body=bogus, title=missing)
    assert result == FontSet("ZhibangSans", "ZhibangSans")


def test_same_file_as_bundled_reuses_its_name():
    assert ensure_fonts(body=str(BUNDLED_FONT)) == FontSet("ZhibangSans", "ZhibangSans")


def test_usable_override_is_registered(tmp_path):
    copy = tmp_path / "custom.ttc"
    copy.write_bytes(BUNDLED_FONT.read_bytes())
    result = ensure_fonts(body=FontFile(copy, 0), title=str(copy))
    assert result.body != "ZhibangSans"  # registered under its own name
    assert result.body == result.title
    assert pdfmetrics.getFont(result.body).face.charToGlyph


def test_windows_fonts_preferred_when_present(tmp_path, monkeypatch):
    font_dir = tmp_path / "Fonts"
    font_dir.mkdir()
    # stand-ins for simsun.ttc / simhei.ttf: any TrueType CJK font will do
    (font_dir / "simsun.ttc").write_bytes(BUNDLED_FONT.read_bytes())
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.setattr(fonts, "_default", None)
    try:
        result = ensure_fonts()
        assert result.body.startswith("ZhibangBodysimsun")
        assert result.title == "ZhibangSans"  # no simhei.ttf: the bundled 黑体-style font
    finally:
        monkeypatch.setattr(fonts, "_default", None)
