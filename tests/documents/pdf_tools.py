"""Helpers for checking generated PDFs with poppler-utils (pdffonts, pdftotext)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdffonts(path: Path) -> list[dict[str, str]]:
    """Fonts of a PDF as dicts with name, type, emb (yes/no)."""
    out = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    lines = out.splitlines()
    assert lines[1].startswith("---"), out
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def pdftotext(path: Path, *, raw: bool = True) -> list[str]:
    """Text of each page (pdftotext separates pages with form feeds)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else []) + [str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def assert_all_fonts_embedded(path: Path) -> list[dict[str, str]]:
    fonts = pdffonts(path)
    assert fonts, "no fonts in PDF"
    for font in fonts:
        assert font["emb"] == "yes", f"font {font['name']} not embedded in {path.name}"
    return fonts
