"""The annual report on paper and in Excel: rendered, then read back (pdftotext, openpyxl)."""
from __future__ import annotations

import dataclasses
from datetime import date

import openpyxl
import pytest

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from zhibang_desktop.documents.tabular_report import (
    Column, ReportTable, TabularReport, write_report_pdf, write_report_xlsx,
)


def report(rows: int = 3) -> TabularReport:
    table = ReportTable("分救助类型发放情况", (Column("救助类型", 30), Column("户数", 10, "count"),
                                               Column("金额（元）", 20, "money")),
                        tuple((f"类型{i}", i, 12345600 + i) for i in range(rows)), note="户数按受助家庭计",
                        pdf_limit=40)
    return TabularReport("增城区总工会2025年度困难职工帮扶工作报表", "增城区总工会", "2025年1月1日至2025年12月31日",
                         date(2025, 12, 31), "经办人陈晓", (table,), notes=("=SUM(A1) 不是公式",))


def test_pdf_has_title_office_period_signatures_and_page_numbers(tmp_path):
    out = tmp_path / "r.pdf"
    pages = write_report_pdf(report(), out)
    assert pages == 1
    assert_all_fonts_embedded(out)
    text = "".join(pdftotext(out))
    for words in ("增城区总工会2025年度困难职工帮扶工作报表", "统计期间：2025年1月1日至2025年12月31日",
                  "制表日期：2025年12月31日", "制表人：经办人陈晓", "审核人：", "负责人：", "（盖章）",
                  "第 1 页 共 1 页", "123,456.01", "户数按受助家庭计"):
        assert words in text, words


@pytest.mark.parametrize("title, foot", [
    ("增城区总工会2025年度困难职工帮扶工作报表", "增城区总工会2025年度困难职工帮扶工作报表"),
    ("荔城街总工会2025年度困难职工帮扶工作报表", "增城区总工会 荔城街总工会2025年度困难职工帮扶工作报表")])
def test_the_page_foot_names_the_office_once(tmp_path, title, foot):
    out = tmp_path / "r.pdf"
    write_report_pdf(dataclasses.replace(report(), title=title), out)
    last_line = pdftotext(out)[0].strip().splitlines()[-1]
    assert last_line.replace("\u3000", " ") == foot


def test_long_table_prints_its_first_rows_and_says_how_many_more(tmp_path):
    out = tmp_path / "r.pdf"
    pages = write_report_pdf(report(100), out)
    text = "".join(pdftotext(out))
    assert pages >= 2 and f"第 1 页 共 {pages} 页" in text
    assert "类型39" in text and "类型40" not in text and "另有 60 条见 Excel 导出" in text


def test_xlsx_has_a_cover_and_every_row_with_money_in_yuan(tmp_path):
    out = tmp_path / "r.xlsx"
    write_report_xlsx(report(100), out)
    wb = openpyxl.load_workbook(out)
    cover, sheet = wb.worksheets
    assert cover.title == "报表信息" and sheet.title == "分救助类型发放情况"
    values = {r[0]: r[1] for r in cover.iter_rows(min_row=2, values_only=True)}
    assert values["制表人"] == "经办人陈晓" and values["说明"].startswith("'=")  # never a live formula
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("救助类型", "户数", "金额（元）") and len(rows) == 1 + 100 + 1
    assert rows[1][2] == pytest.approx(123456.00)


@pytest.mark.parametrize("writer", [write_report_pdf, write_report_xlsx])
def test_a_cancel_leaves_nothing_at_the_target(tmp_path, writer):
    from zhibang_desktop.documents.output import Cancelled

    seen = []
    with pytest.raises(Cancelled):
        writer(report(200), tmp_path / "报表.out", progress=lambda done, total: seen.append((done, total)),
               cancelled=lambda: len(seen) >= 2)
    assert list(tmp_path.iterdir()) == [] and seen[0][0] == 0
