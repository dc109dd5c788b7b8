"""Showing a page the first time imports its module on the GUI thread: what prints, exports and
previews (reportlab, openpyxl, pdfium: 0.3–0.5 s here, seconds on an old PC) loads when a
document is first made, not with the page."""
from __future__ import annotations

from zhibang_desktop.ui.navigation import PAGES

from tests.fresh_process import heavy_loaded, last_line_of

DOCUMENT_LIBRARIES = ("openpyxl", "reportlab", "pypdfium2")


def test_no_page_loads_the_document_libraries():
    modules = [spec.factory.partition(":")[0] for spec in PAGES]
    probe = ("import importlib, sys\n"
             f"for name in {modules!r}:\n"
             "    importlib.import_module(name)\n"
             f"    loaded = {heavy_loaded(DOCUMENT_LIBRARIES)}\n"
             "    if loaded:\n"
             "        print(name, loaded)\n"
             "        break\n"
             "else:\n"
             "    print('none')\n")
    assert last_line_of(probe) == "none"


def test_the_check_sees_a_library_loaded():
    assert last_line_of(f"import sys, openpyxl\nprint({heavy_loaded(DOCUMENT_LIBRARIES)})") == "['openpyxl']"
