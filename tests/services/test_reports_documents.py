"""The annual report of the hand-made year as PDF and xlsx, read back; the export is audited."""
from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import select

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from zhibang_desktop.services.errors import ValidationFailed
from zhibang_desktop.services.reports import build_annual_document, export_annual
from zhibang_desktop.storage.models import AuditEntry

from .reports_year import YEAR, build_year


@pytest.fixture
def year(ctx):
    return build_year(ctx)


def _audits(ctx, entity):
    with ctx.db.session() as s:
        return list(s.execute(select(AuditEntry.action, AuditEntry.summary).where(AuditEntry.entity == entity)))


def test_annual_pdf_read_back(ctx, year, tmp_path):
    out = export_annual(ctx, YEAR, tmp_path / "年报.pdf")
    assert_all_fonts_embedded(out)
    pages = pdftotext(out)
    text = "".join(pages).replace("\n", "")  # words wrapped inside a table cell
    for words in (f"增城区总工会{YEAR}年度困难职工帮扶工作报表", f"统计期间：{YEAR}年1月1日至{YEAR}年12月31日",
                  "分救助类型发放情况", "季度救助", "紧急救助", "分资金来源预算执行情况", "98.44%",
                  "265,800.00", "270,000.00", "分工会发放情况", "荔城街总工会", "绩效指标", "帮扶标准合规率",
                  "77.78%", "指标例外明细", "晚 3 个工作日", "自付手术费用高，家庭困难", "受助职工满意度", "无法计算",
                  "制表人：系统", "审核人：", "负责人：", f"第 1 页 共 {len(pages)} 页"):
        assert words in text, words
    assert [a for a, _ in _audits(ctx, "annual_report")] == ["print"]


def test_annual_pdf_starts_no_line_with_closing_punctuation(ctx, year, tmp_path):
    """A header too narrow for "例外（条）" printed "（条" over a lone "）" (the wrap rules cannot
    keep a closing mark off a line's start when the cell holds only two characters)."""
    out = export_annual(ctx, YEAR, tmp_path / "年报.pdf")
    starts = [line for page in pdftotext(out) for line in page.splitlines() if line[:1] in "）》」』】〕，。、：；？！"]
    assert starts == []


def test_annual_xlsx_read_back(ctx, year, tmp_path):
    out = export_annual(ctx, YEAR, tmp_path / "年报.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["报表信息", "分救助类型发放情况", "分资金来源预算执行情况", "分工会发放情况", "绩效指标",
                             "指标例外明细"]
    types = list(wb["分救助类型发放情况"].iter_rows(values_only=True))
    assert types[0][:5] == ("救助类型", "户数", "人数", "笔数", "金额（元）")
    total = next(r for r in types if r[0] == "合计")
    assert total[1:5] == (6, 6, 9, pytest.approx(5300))
    # counts 渐退期 households too (archived, not yet exited): the archive's 在档 status alone is fewer
    unions = list(wb["分工会发放情况"].iter_rows(values_only=True))
    assert unions[0][-1] == "年末在档户数（含渐退期）"
    at_total = next(i for i, r in enumerate(unions) if r[0] == "合计")
    rows, union_total = unions[1:at_total], unions[at_total]
    assert unions[at_total + 1][0].startswith("合计的受助户数按户计一次")
    # households once each; payments and amounts are the rows' sums, as on the type table
    assert union_total[:4] == ("合计", 6, 9, pytest.approx(5300))
    assert sum(r[2] for r in rows) == 9 and sum(r[3] for r in rows) == pytest.approx(5300)
    assert union_total[4] == sum(r[4] for r in rows)
    indicators = {r[0]: r for r in wb["绩效指标"].iter_rows(min_row=2, values_only=True)}
    assert indicators["预算执行率"][1] == "98.44%" and indicators["审核及时率"][2] == "8 ÷ 9"
    exceptions = list(wb["指标例外明细"].iter_rows(min_row=2, values_only=True))
    assert len(exceptions) == 26  # every exception of the year (7 of them: paid lines never followed up)
    assert [a for a, _ in _audits(ctx, "annual_report")] == ["export"]


def test_preview_records_nothing_and_a_wrong_suffix_is_refused(ctx, year, tmp_path):
    assert build_annual_document(ctx, YEAR, tmp_path / "p.pdf").exists()
    assert _audits(ctx, "annual_report") == []
    with pytest.raises(ValidationFailed, match=r"\.pdf 或 \.xlsx"):
        export_annual(ctx, YEAR, tmp_path / "年报.docx")


def test_a_household_aided_under_two_unions_of_one_row_is_one_household_there(ctx, year):
    """张一 (A) is aided by its factory union; a street-level payment by 荔城街 itself lands in the
    same row: the row counts A once (it counted each union's households and added them up)."""
    from datetime import date

    from zhibang_desktop.services.reports import annual_report
    from zhibang_desktop.storage.models import Household, Payment, PolicyVersion

    from .reports_year import STREET1, _request

    def street_row():
        return next(u for u in annual_report(ctx, YEAR).by_union if u.name == STREET1)

    before = street_row()
    with ctx.db.session() as s:
        a = s.get(Household, year.households["A"])
        pv = s.execute(select(PolicyVersion.id).where(PolicyVersion.year == YEAR)).scalar_one()
        r = _request(s, year, pv, 11, "A", a.name, a.id_number, year.units[STREET1], "quarterly", None, 40000,
                     date(YEAR, 11, 2), source="ledger")
        s.add(Payment(request_id=r.id, household_id=a.id, id_number=a.id_number, name=a.name, relief_type="quarterly",
                      amount_fen=40000, paid_on=date(YEAR, 11, 2), period_year=YEAR, source="ledger",
                      batch="ledger-2", created_at=r.created_at, created_by="clerk"))
    after = street_row()
    assert (after.households, after.payments, after.amount_fen) == (
        before.households, before.payments + 1, before.amount_fen + 40000)
