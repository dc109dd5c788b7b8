"""ListReport: embedded fonts, page numbers, exact page subtotals, 大写 total, cancel."""

from __future__ import annotations

import io
import random
import re

import pytest

from zhibang_desktop.documents.output import Cancelled
from zhibang_desktop.documents.pdf_list import Column, ListReport, PageLayoutError
from zhibang_desktop.domain.money import amount_in_words, format_yuan

from .pdf_tools import assert_all_fonts_embedded, pdftotext

COLUMNS = [
    Column("序号", 12, "center", wrap=False),
    Column("姓名", 22, "center"),
    Column("身份证号码", 42, "center", wrap=False),
    Column("工作单位", 52),
    Column("救助类型", 22, "center"),
    Column("金额（元）", 26, wrap=False),
    Column("领取人签名（按手印）", 40),
    Column("领取日期", 26),
    Column("备注", 25),
]
FOOTER = ("填报单位（盖章）　　　负责人：________　审核人：________　经办人：________"
          "　日期：____年__月__日")
AUDIT = "审计链头 sha256:" + "3f2a9c0d" * 8


def make_rows(n: int, *, seed: int = 1, long_units: bool = False) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        unit = "荔城街某某电子厂工会"
        if long_units and rng.random() < 0.3:
            unit = "广州市增城区新塘镇牛仔服装有限公司工会委员会第三分会" * rng.randint(1, 3)
        amount = rng.choice([40000, 50000, 60000, 123456, 200000, 99])  # fen
        rows.append([i + 1, f"职工{i + 1:03d}", "440183********1234", unit, "生活救助", amount,
                     "", "", ""])
    return rows


def report(rows, **kw) -> ListReport:
    kw.setdefault("footer_lines", [FOOTER])
    kw.setdefault("page_footer_text", AUDIT)
    return ListReport(
        "增城区总工会2026年第一季度困难职工救助资金签领表",
        ["填报单位：增城区总工会　　　　单位：元"],
        COLUMNS,
        rows,
        money_columns=[5],
        **kw,
    )


def parse_yuan_text(text: str) -> int:
    whole, cents = text.replace(",", "").split(".")
    return int(whole) * 100 + int(cents)


def test_fonts_embedded_and_chinese_round_trips(tmp_path):
    path = tmp_path / "list.pdf"
    report(make_rows(5)).write(path)
    fonts = assert_all_fonts_embedded(path)
    assert any("WenQuanYi" in f["name"] for f in fonts)
    text = "\n".join(pdftotext(path))
    assert "增城区总工会2026年第一季度困难职工救助资金签领表" in text
    assert "领取人签名（按手印）" in text
    assert "职工003" in text and "荔城街某某电子厂工会" in text
    assert AUDIT in text


def test_three_pages_numbered_and_subtotals_exact(tmp_path):
    path = tmp_path / "list.pdf"
    rows = make_rows(20)
    pages_written = report(rows, row_height_mm=20).write(path)
    assert pages_written == 3
    pages = pdftotext(path)
    assert len(pages) == 3
    for n, page in enumerate(pages, 1):
        assert f"第 {n} 页 共 3 页" in page
        assert AUDIT in page
        assert "序号 姓名 身份证号码" in page  # header repeated on each page
    _check_totals(pages, rows)


def test_variable_row_heights_subtotals_still_exact(tmp_path):
    """Wrapped cells make rows of different heights; pages still add up."""
    path = tmp_path / "list.pdf"
    rows = make_rows(150, seed=7, long_units=True)
    count = report(rows).write(path)
    assert count >= 4
    pages = pdftotext(path)
    assert len(pages) == count
    _check_totals(pages, rows)


def _check_totals(pages: list[str], rows: list[list]) -> None:
    """Each page's 本页小计 is the sum of the rows printed on that page; the
    subtotals add up to 合计, which matches the data and its 大写 line."""
    amounts = {row[1]: row[5] for row in rows}
    subtotals = []
    seen = []
    for page in pages:
        names = re.findall(r"职工\d{3}", page)
        seen += names
        match = re.search(r"本页小计 ([\d,]+\.\d\d)", page)
        assert match, page
        subtotal = parse_yuan_text(match.group(1))
        assert subtotal == sum(amounts[n] for n in names)
        subtotals.append(subtotal)
    assert seen == [row[1] for row in rows]  # every row printed once, in order
    grand_match = re.search(r"合\s*计 ([\d,]+\.\d\d)", pages[-1])
    assert grand_match
    grand = parse_yuan_text(grand_match.group(1))
    total = sum(amounts.values())
    assert sum(subtotals) == grand == total
    words = f"合计：人民币（大写）{amount_in_words(total)} ¥{format_yuan(total)}"
    assert words in pages[-1]
    assert "负责人：________" in pages[-1] and "经办人" in pages[-1]
    assert all("负责人" not in p for p in pages[:-1])


def test_single_page_has_no_page_subtotal(tmp_path):
    path = tmp_path / "one.pdf"
    rows = make_rows(3)
    assert report(rows).write(path) == 1
    (page,) = pdftotext(path)
    assert "本页小计" not in page
    assert "第 1 页 共 1 页" in page
    total = sum(r[5] for r in rows)
    assert f"合计：人民币（大写）{amount_in_words(total)} ¥{format_yuan(total)}" in page


def test_empty_list_and_portrait_and_file_object(tmp_path):
    buffer = io.BytesIO()
    assert report([], landscape=False).write(buffer) == 1
    path = tmp_path / "empty.pdf"
    path.write_bytes(buffer.getvalue())
    (page,) = pdftotext(path)
    assert "合计：人民币（大写）零元整 ¥0.00" in page


def test_several_money_columns_get_their_own_words_line(tmp_path):
    cols = [Column("序号", 15), Column("姓名", 30), Column("申请金额（元）", 40),
            Column("实发金额（元）", 40)]
    rows = [[1, "甲", 100000, 90000], [2, "乙", 50050, None]]
    path = tmp_path / "two.pdf"
    ListReport("汇总表", [], cols, rows, money_columns=[2, 3], landscape=False).write(path)
    (page,) = pdftotext(path)
    assert f"申请金额合计：人民币（大写）{amount_in_words(150050)} ¥1,500.50" in page
    assert "实发金额合计：人民币（大写）玖佰元整 ¥900.00" in page


def test_progress_is_monotonic_and_completes(tmp_path):
    calls: list[tuple[int, int]] = []
    report(make_rows(120)).write(tmp_path / "p.pdf", progress=lambda d, t: calls.append((d, t)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert len({t for _, t in calls}) == 1
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)


def test_cancel_leaves_no_file(tmp_path):
    path = tmp_path / "cancel.pdf"
    polls = iter(range(10_000))

    def cancelled() -> bool:
        return next(polls) >= 3

    with pytest.raises(Cancelled):
        report(make_rows(300)).write(path, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_existing_file(tmp_path):
    path = tmp_path / "old.pdf"
    path.write_bytes(b"previous version")
    with pytest.raises(Cancelled):
        report(make_rows(50)).write(path, cancelled=lambda: True)
    assert path.read_bytes() == b"previous version"
    assert list(tmp_path.iterdir()) == [path]


def test_money_column_needs_int_fen(tmp_path):
    rows = make_rows(1)
    rows[0][5] = 500.0
    with pytest.raises(TypeError):
        report(rows).write(tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_footer_too_tall_for_a_page_is_an_error(tmp_path):
    with pytest.raises(PageLayoutError):
        report(make_rows(2), footer_lines=["落款"] * 80).write(tmp_path / "x.pdf")


def test_signature_rows_are_tall(tmp_path):
    rep = report(make_rows(30), row_height_mm=15)
    rep.write(tmp_path / "tall.pdf")
    # 182 mm of frame at 15 mm a row: never more than 12 rows on a page
    assert all(len(r) <= 11 for r in rep.page_rows)
    assert sum(len(r) for r in rep.page_rows) == 30


@pytest.mark.parametrize("n", range(1, 60))
def test_no_last_page_holds_a_widow_row(n):
    """Whatever the row count, a list of several pages never ends with a page of one or two rows
    (or of the totals alone) while the page before could give it some; subtotals stay exact."""
    rows = make_rows(n)
    rep = report(rows, row_height_mm=20)
    rep.write(io.BytesIO())
    pages = [len(r) for r in rep.page_rows]
    assert sum(pages) == n and [r.start for r in rep.page_rows] == [sum(pages[:i]) for i in range(len(pages))]
    if len(pages) > 1:
        assert pages[-1] >= min(3, (pages[-2] + pages[-1]) // 2), pages
    assert sum(s[0] for s in rep.page_sums) == sum(r[5] for r in rows)

