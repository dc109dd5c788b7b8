"""Font registration: bundled TrueType fonts always (宋体-style body, 黑体-style titles),
overrides only when usable."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from zhibang_desktop.documents import fonts
from zhibang_desktop.documents.fonts import BUNDLED_FONT, BUNDLED_SERIF, FontFile, FontSet, ensure_fonts


def test_default_is_bundled_font_and_idempotent(monkeypatch):
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.delenv("SystemRoot", raising=False)
    monkeypatch.setattr(fonts, "_default", None)
    first = ensure_fonts()
    assert first == FontSet(body="ZhibangSerif", title="ZhibangSans")
    assert ensure_fonts() is first
    for name in ("ZhibangSans", "ZhibangSerif"):
        assert ord("职") in pdfmetrics.getFont(name).face.charToGlyph
    assert pdfmetrics.getFont("ZhibangSerif").face.name == b"UMingCN"  # a 宋体/明体-style face
    assert BUNDLED_FONT.is_file() and BUNDLED_SERIF.is_file()


def test_bundled_fonts_ship_with_their_licences():
    folder = BUNDLED_FONT.parent
    assert "ARPHIC PUBLIC LICENSE" in (folder / "ARPHIC-UMING-COPYRIGHT.txt").read_text(encoding="utf-8")
    assert "WenQuanYi" in (folder / "WQY-MICROHEI-COPYRIGHT.txt").read_text(encoding="utf-8")


def test_unusable_overrides_fall_back(tmp_path):
    bogus = tmp_path / "simsun.ttc"
    bogus.write_bytes(b"OTTO" + b"\0" * 200)  # a CFF-flavoured header, no real font
    missing = tmp_path / "simhei.ttf"
    result = ensure_fonts(body=bogus, title=missing)
    assert result == FontSet(body="ZhibangSerif", title="ZhibangSans")


def test_same_file_as_bundled_reuses_its_name():
    assert ensure_fonts(body=str(BUNDLED_FONT)) == FontSet("ZhibangSans", "ZhibangSans")
    assert ensure_fonts(body=str(BUNDLED_SERIF)).body == "ZhibangSerif"


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
        other = tmp_path / "other"
        (other / "Fonts").mkdir(parents=True)
        (other / "Fonts" / "simhei.ttf").write_bytes(BUNDLED_FONT.read_bytes())
        monkeypatch.setenv("WINDIR", str(other))
        monkeypatch.setattr(fonts, "_default", None)
        result = ensure_fonts()
        assert result.title.startswith("ZhibangTitlesimhei")
        assert result.body == "ZhibangSerif"  # no simsun: the bundled 宋体-style font
    finally:
        monkeypatch.setattr(fonts, "_default", None)
