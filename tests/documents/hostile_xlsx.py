"""A corpus of hostile .xlsx files (issue 10, "Hostile spreadsheets").

Each case is written with zipfile from raw XML, so the file says exactly what an attacker
(or a broken export tool) would put in it. `CASES` maps a name to (writer, expected words
in the message). Big cases are streamed into the zip and stay small on disk, as the
adversarial pass had them (a 400 MB string in a file of a few hundred KB).

    python tests/documents/hostile_xlsx.py OUT_DIR   # writes every case as OUT_DIR/<name>.xlsx
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["姓名", "身份证号", "所属工会", "困难类别", "家庭人口", "建档日期"]
GOOD_ROW = ["张三", "440183197601011238", "荔城街总工会", "深度困难", 3, "2026-01-05"]


def _content_types(n_sheets: int, shared: bool) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n_sheets + 1))
    sst = ('<Override PartName="/xl/sharedStrings.xml" '
           'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>') if shared else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'{sheets}{sst}</Types>')


def _workbook(names: list[str], doctype: str = "") -> str:
    sheets = "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<sheets>{sheets}</sheets></workbook>')


def _workbook_rels(n: int, shared: bool) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    if shared:
        rels += f'<Relationship Id="rId{n + 1}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')


ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def col(i: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


def cell(ref: str, value) -> str:
    """A plain cell: numbers as numbers, text inline."""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row(n: int, values, raw: dict[int, str] | None = None) -> str:
    """Row `n`; `raw` replaces the cell of a column index with hand-written XML."""
    cells = []
    for i, v in enumerate(values):
        ref = f"{col(i)}{n}"
        cells.append(raw[i].format(ref=ref) if raw and i in raw else cell(ref, v))
    return f'<row r="{n}">{"".join(cells)}</row>'


def sheet_xml(rows: list[str], doctype: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{MAIN}"><sheetData>'
            + "".join(rows) + "</sheetData></worksheet>")


def household_rows(bad: dict[int, str] | None = None, n: int = 3) -> list[str]:
    rows = [row(1, HEADER)]
    for i in range(2, n + 2):
        values = list(GOOD_ROW)
        rows.append(row(i, values, bad if i == n + 1 else None))
    return rows


def write_book(path: Path, sheets: dict[str, str], shared: str | None = None, *,
               workbook_doctype: str = "", extra: dict[str, str] | None = None) -> Path:
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(names), shared is not None))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook(names, workbook_doctype))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names), shared is not None))
        for i, name in enumerate(names, 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", sheets[name])
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
        for part, text in (extra or {}).items():
            zf.writestr(part, text)
    return path


def shared_strings(strings: list[str], doctype: str = "") -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<sst xmlns="{MAIN}" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">{items}</sst>')


def _one_bad_cell(raw: str):
    """A household sheet whose last row has hand-written XML in the 家庭人口 column."""
    return lambda path: write_book(path, {"困难职工档案": sheet_xml(household_rows({4: raw}))})


def _shared_index(index: str):
    def write(path):
        strings = HEADER[:4] + ["张三", "荔城街总工会", "深度困难"]
        rows = [row(1, HEADER[:4], {i: f'<c r="{{ref}}" t="s"><v>{i}</v></c>' for i in range(4)}),
                row(2, GOOD_ROW[:4], {0: f'<c r="{{ref}}" t="s"><v>{index}</v></c>'})]
        return write_book(path, {"困难职工档案": sheet_xml(rows)}, shared_strings(strings))
    return write


def _streamed(path: Path, head: str, body_chunk: bytes, repeats: int, tail: str,
              shared_parts: tuple[str, bytes, int, str] | None = None, sheet_first: bool = True) -> Path:
    """A book whose sheet (or shared strings) has a huge streamed middle."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _content_types(1, shared_parts is not None))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook(["困难职工档案"]))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(1, shared_parts is not None))
        if shared_parts is not None:
            s_head, s_chunk, s_repeats, s_tail = shared_parts
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(s_head.encode())
                for _ in range(s_repeats):
                    fh.write(s_chunk)
                fh.write(s_tail.encode())
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            for _ in range(repeats):
                fh.write(body_chunk)
            fh.write(tail.encode())
    return path


def huge_shared_string(path: Path) -> Path:
    """400 MB in one shared string (the pass's file: 395 KB on disk)."""
    mb = b"A" * (1024 * 1024)
    rows = "".join(household_rows())
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}'
    tail = '<row r="5"><c r="A5" t="s"><v>0</v></c></row></sheetData></worksheet>'
    return _streamed(path, head, b"", 0, tail,
                     shared_parts=(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>', mb, 400,
                                   "</t></si></sst>"))


def huge_inline_string(path: Path) -> Path:
    rows = "".join(household_rows())
    head = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}'
            '<row r="5"><c r="A5" t="inlineStr"><is><t>')
    return _streamed(path, head, "职".encode() * (1024 * 1024 // 3), 120, "</t></is></c></row></sheetData></worksheet>")


def million_blank_rows(path: Path) -> Path:
    rows = "".join(household_rows())
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}'
    blank = b"".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>'.encode() for n in range(5, 1000 + 5))

    class Rows:  # rows 5 … 1,000,004, in chunks of 1,000
        pass
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types(1, False))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook(["困难职工档案"]))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(1, False))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            for start in range(5, 1_000_005, 1000):
                fh.write(b"".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>'.encode()
                                  for n in range(start, start + 1000)))
            fh.write(b"</sheetData></worksheet>")
    del blank, Rows
    return path


def zip_bomb(path: Path) -> Path:
    """1.1 GB of spaces between two rows: honest sizes in the zip directory."""
    rows = "".join(household_rows())
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}'
    return _streamed(path, head, b" " * (1024 * 1024), 1100, "</sheetData></worksheet>")


def lying_zip_bomb(path: Path) -> Path:
    """A sheet whose zip headers claim 100 bytes for 50 MB of data."""
    zip_bomb_small = path.with_suffix(".tmp")
    rows = "".join(household_rows())
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}'
    _streamed(zip_bomb_small, head, b" " * (1024 * 1024), 50, "</sheetData></worksheet>")
    data = bytearray(zip_bomb_small.read_bytes())
    zip_bomb_small.unlink()
    with zipfile.ZipFile(path.with_suffix(".probe"), "w") as _:
        pass
    path.with_suffix(".probe").unlink()
    info = None
    import io
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    # rewrite the uncompressed size in the central directory entry (zip64 extra or the plain field)
    name = b"xl/worksheets/sheet1.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name) + 1)
    import struct
    extra_len = struct.unpack_from("<H", data, central + 30)[0]
    extra_at = central + 46 + struct.unpack_from("<H", data, central + 28)[0]
    if struct.unpack_from("<I", data, central + 24)[0] == 0xFFFFFFFF and extra_len >= 12:
        struct.pack_into("<Q", data, extra_at + 4, 100)
    else:
        struct.pack_into("<I", data, central + 24, 100)
    assert info is not None
    path.write_bytes(bytes(data))
    return path


def corrupt_deflate_late(path: Path) -> Path:
    """A 3,000-row sheet whose compressed data is damaged near its end."""
    rows = household_rows(n=3000)
    write_book(path, {"困难职工档案": sheet_xml(rows)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    import struct
    offset = info.header_offset
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    for i in range(end - 200, end - 150):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def _entity_sheet(doctype: str, body: str = "&x;"):
    def write(path):
        rows = [row(1, HEADER), row(2, GOOD_ROW, {0: f'<c r="{{ref}}" t="inlineStr"><is><t>{body}</t></is></c>'})]
        return write_book(path, {"困难职工档案": sheet_xml(rows, doctype)})
    return write


LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')


def _sst_entity(path):
    rows = [row(1, HEADER), row(2, GOOD_ROW, {0: '<c r="{ref}" t="s"><v>0</v></c>'})]
    return write_book(path, {"困难职工档案": sheet_xml(rows)},
                      shared_strings(["&xxe;"], '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
                      .replace("&amp;xxe;", "&xxe;"))


def _workbook_doctype(path):
    return write_book(path, {"困难职工档案": sheet_xml(household_rows())},
                      workbook_doctype='<!DOCTYPE workbook [<!ENTITY x "y">]>')


def _row_beyond_limit(path):
    rows = household_rows() + [row(600_000, GOOD_ROW)]
    return write_book(path, {"困难职工档案": sheet_xml(rows)})


def _far_gap(path):
    rows = household_rows() + [row(50_000, GOOD_ROW)]
    return write_book(path, {"困难职工档案": sheet_xml(rows)})


def _bad_row_number(number: str):
    def write(path):
        rows = household_rows() + [f'<row r="{number}"><c r="A9" t="inlineStr"><is><t>x</t></is></c></row>']
        return write_book(path, {"困难职工档案": sheet_xml(rows)})
    return write


def _too_many_parts(path):
    extra = {f"xl/media/pad{i}.xml": "<a/>" for i in range(2100)}
    return write_book(path, {"困难职工档案": sheet_xml(household_rows())}, extra=extra)


def _malformed_xml(path):
    return write_book(path, {"困难职工档案": sheet_xml(household_rows()).replace("</sheetData>", "</sheetDat>")})


# name -> (writer, words the message must contain)
CASES = {
    "non_numeric_in_number_cell": (_one_bad_cell('<c r="{ref}"><v>三口人</v></c>'), "标为数字"),
    "non_numeric_typed_n": (_one_bad_cell('<c r="{ref}" t="n"><v>12x</v></c>'), "标为数字"),
    "number_nan": (_one_bad_cell('<c r="{ref}"><v>nan</v></c>'), "数字"),
    "number_5000_digits": (_one_bad_cell('<c r="{ref}"><v>' + "9" * 5000 + "</v></c>"), "数字"),
    "invalid_date_cell": (_one_bad_cell('<c r="{ref}" t="d"><v>2026-13-45</v></c>'), "标为日期"),
    "date_cell_with_words": (_one_bad_cell('<c r="{ref}" t="d"><v>去年春天</v></c>'), "标为日期"),
    "bad_boolean": (_one_bad_cell('<c r="{ref}" t="b"><v>2</v></c>'), "是/否"),
    "shared_index_past_end": (_shared_index("99"), "共享文字"),
    "shared_index_minus_one": (_shared_index("-1"), "共享文字"),
    "shared_index_not_a_number": (_shared_index("x"), "共享文字"),
    "shared_cell_without_table": (_one_bad_cell('<c r="{ref}" t="s"><v>0</v></c>'), "共享文字"),
    "corrupt_deflate_late": (corrupt_deflate_late, "损坏"),
    "string_400mb_in_shared_strings": (huge_shared_string, "32767"),
    "string_40mb_inline": (huge_inline_string, "32767"),
    "million_blank_rows": (million_blank_rows, "连续空行"),
    "row_beyond_limit": (_row_beyond_limit, "超过"),
    "data_after_a_49999_row_gap": (_far_gap, "连续空行"),
    "row_number_zero": (_bad_row_number("0"), "行"),
    "row_number_not_a_number": (_bad_row_number("abc"), "行号"),
    "zip_bomb_1100mb": (zip_bomb, "解压后超过"),
    "zip_bomb_lying_header": (lying_zip_bomb, "损坏"),
    "billion_laughs_in_sheet": (_entity_sheet(LAUGHS), "DOCTYPE"),
    "external_entity_in_sheet": (_entity_sheet('<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
                                 "DOCTYPE"),
    "parameter_entity_in_sheet": (_entity_sheet('<!DOCTYPE worksheet [<!ENTITY % p SYSTEM "http://x/">%p;]>', "a"),
                                  "DOCTYPE"),
    "external_entity_in_shared_strings": (_sst_entity, "DOCTYPE"),
    "doctype_in_workbook": (_workbook_doctype, "工作簿结构"),
    "too_many_parts": (_too_many_parts, "部件"),
    "malformed_xml": (_malformed_xml, "XML"),
}


def write_case(name: str, folder: Path) -> Path:
    writer, _ = CASES[name]
    return writer(Path(folder) / f"{name}.xlsx")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-xlsx")
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        print(write_case(case, out))
