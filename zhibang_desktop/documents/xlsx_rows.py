"""Reading back a sheet this program has just written, straight from its XML.

A payment file is read back after saving to prove its count and total; openpyxl's read-only
reader spent more time on that (a pass to size the sheet, then a cell object per value) than
writing the file took. Here the sheet part is streamed with lxml and only the cells of the
wanted column are looked at. Only for our own files: an untrusted workbook goes through
documents.xlsx_limits and openpyxl with defusedxml.
"""
from __future__ import annotations

import os
import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def column_texts(path: str | os.PathLike, title: str, column: str) -> Iterator[tuple[int, str]]:
    """(row number, text) of each non-empty cell in `column` (a letter) of the sheet `title`
    (else the first sheet), top to bottom."""
    with zipfile.ZipFile(path) as zf:
        shared = _shared_strings(zf)
        with zf.open(_sheet_part(zf, title)) as part:
            for _, row in etree.iterparse(part, tag=f"{_MAIN}row", resolve_entities=False, no_network=True):
                number = row.get("r")
                for cell in row:
                    if cell.get("r") == f"{column}{number}":
                        text = _cell_text(cell, shared)
                        if text:
                            yield int(number), text
                        break
                row.clear()


def _cell_text(cell, shared: list[str]) -> str | None:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(cell.itertext())
    value = cell.findtext(f"{_MAIN}v")
    if kind == "s" and value is not None:
        return shared[int(value)]
    return value


def _sheet_part(zf: zipfile.ZipFile, title: str) -> str:
    workbook = etree.fromstring(zf.read("xl/workbook.xml"))
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(_PACKAGE_REL)}
    sheets = [(sheet.get("name"), targets[sheet.get(_REL)]) for sheet in workbook.iter(f"{_MAIN}sheet")]
    target = next((t for name, t in sheets if name == title), sheets[0][1])
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    try:
        root = etree.fromstring(zf.read("xl/sharedStrings.xml"))
    except KeyError:
        return []
    return ["".join(si.itertext()) for si in root.iter(f"{_MAIN}si")]
