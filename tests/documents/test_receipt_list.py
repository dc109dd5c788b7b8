"""签领表 PDF: masked IDs (full only on the archive copy), proxy line, page subtotals that add up to
the grand total, 大写, signature lines, page numbers and the audit chain head.

Seed 002: cash only against signatures on the real-name list.
"""
from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timezone

from sqlalchemy import select

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from tests.services.payout_helpers import Clock, approved, noticed
from zhibang_desktop.documents.receipt_list import ProxyInfo, ReceiptList, ReceiptRow, write_receipt_list
from zhibang_desktop.domain.idnumber import make_id_number, mask_id_number
from zhibang_desktop.domain.money import amount_in_words, format_yuan, parse_yuan
from zhibang_desktop.services import audit_chain, payout as d
from zhibang_desktop.services.payout import printing as payout_print
from zhibang_desktop.services.payout.types import BatchInput, LinePlan
from zhibang_desktop.storage.models import AuditEntry

ID18 = re.compile(r"(?<![\d*])\d{17}[\dXx](?![\d*])")


def _doc(n: int, **kw) -> ReceiptList:
    rows = []
    for i in range(n):
        idn = make_id_number("440183", date(1970 + i % 30, 1 + i % 12, 1 + i % 28), i, "F")
        proxy = ProxyInfo("李明", "13800138000", make_id_number("440183", date(2001, 1, 1), 7, "M"), "儿子") \
            if i == 2 else None
        rows.append(ReceiptRow(f"黄{'丽芳秀英敏燕'[i % 6]}{i}", idn, "新塘镇牛仔服装公司工会", "季度救助",
                               40000 + (i % 3) * 10000 + i, "", proxy))
    data = dict(title="增城区总工会困难职工救助金发放实名制签领表", office_name="增城区总工会",
                batch_number="2026-Q1-01", pay_date=date(2026, 3, 20), rows=tuple(rows), method_label="现金",
                chain_head=(4321, "ab" * 32), printed_at=datetime(2026, 3, 20, 2, tzinfo=timezone.utc))
    data.update(kw)
    return ReceiptList(**data)


def test_multi_page_subtotals_add_up_and_words_match(tmp_path):
    doc = _doc(57)
    out = tmp_path / "r.pdf"
    report = write_receipt_list(doc, out)
    pages = pdftotext(out)
    assert len(pages) == len(report.page_rows) >= 5
    grand = sum(r.amount_fen for r in doc.rows)
    printed_subtotals = []
    for page_no, page in enumerate(pages, start=1):
        assert "领取人签名" in page and "身份证号码" in page  # header repeated
        assert re.search(rf"第\s*{page_no}\s*页\s*共\s*{len(pages)}\s*页", page)
        assert "审计链 第4321条 abababababababab" in page
        m = re.search(r"本页小计\s+([\d,]+\.\d\d)", page)
        assert m, page
        printed_subtotals.append(parse_yuan(m.group(1)))
        names = [r.name for r in doc.rows[report.page_rows[page_no - 1].start:report.page_rows[page_no - 1].stop]]
        assert sum(r.amount_fen for r in doc.rows if r.name in names) == printed_subtotals[-1]
    assert sum(printed_subtotals) == grand
    last = re.sub(r"\s+", "", pages[-1])
    assert f"合计{format_yuan(grand)}" in last.replace("　", "")
    assert f"合计：人民币（大写）{amount_in_words(grand)}¥{format_yuan(grand)}" in last
    for label in ("负责人：", "审核人：", "经办人：", "日期：", "填报单位（盖章）：增城区总工会"):
        assert label in last
    assert_all_fonts_embedded(out)


def test_masked_by_default_full_only_on_archive_copy(tmp_path):
    doc = _doc(5)
    out = tmp_path / "m.pdf"
    write_receipt_list(doc, out)
    text = "".join(pdftotext(out))
    assert not ID18.search(text)
    assert mask_id_number(doc.rows[0].id_number) in text
    flat = re.sub(r"\s+", "", text)
    assert "代领人：李明（儿子），电话：13800138000，身份证：440183********" in flat
    full = tmp_path / "f.pdf"
    write_receipt_list(_doc(5, full_id=True), full)
    ftext = re.sub(r"\s+", "", "".join(pdftotext(full)))
    assert doc.rows[0].id_number in ftext and "内部存档本" in ftext
    assert make_id_number("440183", date(2001, 1, 1), 7, "M") in ftext


def test_print_receipts_service(ctx, monkeypatch, tmp_path):
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 30, cash_every=1)  # all cash
    noticed(ctx, clock)
    b = d.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(i) for i in made.request_ids]))
    line = b.lines[0]
    d.set_line_proxy(ctx, line.id, "王小明", "13900139000", make_id_number("440183", date(1999, 9, 9), 5, "M"), "儿子")
    d.mark_renounced(ctx, b.lines[1].id, "本人放弃")
    with ctx.db.session() as s:
        seq, digest = audit_chain.chain_head(s)
    out = tmp_path / "receipts.pdf"
    res = payout_print.print_receipts(ctx, b.summary.id, out)
    assert res.rows == 29  # the renounced line is not signed for
    assert sum(res.page_sums) == res.total_fen == sum(x.amount_fen for x in b.lines[2:]) + line.amount_fen
    text = re.sub(r"\s+", "", "".join(pdftotext(out)))
    assert f"审计链第{seq}条{digest[:16]}" in text
    assert amount_in_words(res.total_fen) in text and "王小明（儿子）" in text
    assert not ID18.search("".join(pdftotext(out)))
    assert text.count(b.lines[1].name) == 1 and f"序号2{b.lines[1].name}本人放弃" in text  # only under the table
    # 序号 is the batch line's: the sheet and the payout page (and `batch paid --line`) name the same line
    assert f"1{line.name}" in text and f"3{b.lines[2].name}" in text and f"30{b.lines[29].name}" in text
    with ctx.db.session() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert last.action == "print" and "签领表" in last.summary and "完整身份证号" not in last.summary
    full = payout_print.print_receipts(ctx, b.summary.number, tmp_path / "full.pdf", full_id=True)
    assert full.rows == 29
    with ctx.db.session() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert "内部存档本" in last.summary


def test_building_for_the_preview_records_no_print(ctx, monkeypatch, tmp_path):
    """A preview that is only looked at prints nothing: build_* writes the same PDF, no audit row."""
    from zhibang_desktop.services.payout import notices

    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 3, cash_every=1)
    notice_id = noticed(ctx, clock).summary.id
    b = d.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(i) for i in made.request_ids]))

    def head():
        with ctx.db.session() as s:
            return audit_chain.chain_head(s)

    before = head()
    res = payout_print.build_receipts(ctx, b.summary.id, tmp_path / "preview.pdf", full_id=True)
    roster = payout_print.build_roster(ctx, notice_id, tmp_path / "roster.pdf")
    assert head() == before
    assert res.rows == 3 and res.pages == 1 and roster.rows == 3
    assert made.id_numbers[0] in "".join(pdftotext(tmp_path / "preview.pdf"))  # the internal copy it was asked for
    assert notices.get_notice(ctx, notice_id).summary.entries == 3

    payout_print.print_roster(ctx, notice_id, tmp_path / "printed.pdf")
    with ctx.db.session() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert last.action == "print" and last.seq == before[0] + 1


def test_lines_left_off_and_early_payouts_are_listed_under_the_table(tmp_path):
    """Issue 8: "共 16 人 10,700.00" on a batch of 19 lines and 12,300.00, with no word on the other three."""
    from zhibang_desktop.documents.receipt_list import EarlyPayout, LeftOffLine

    amounts = [60000] * 5 + [70000] * 11  # 16 people, 10,700.00
    rows = [ReceiptRow(f"职工{i}", "", "荔城街某某电子厂工会", "季度救助", a) for i, a in enumerate(amounts, 1)]
    rows[2] = dataclasses.replace(rows[2], early=EarlyPayout("管理员王五", date(2026, 11, 20), "住院急需用钱",
                                                             date(2026, 11, 25)))
    left = (LeftOffLine("退票甲", "退票", "账号已销户", 60000), LeftOffLine("放弃乙", "放弃领取", "本人放弃", 50000),
            LeftOffLine("重发丙", "已重新发放", "账号错误，已在批次 2026-Q4-02 重新发放", 50000))
    out = tmp_path / "r.pdf"
    write_receipt_list(_doc(0, rows=tuple(rows), left_off=left), out)
    text = re.sub(r"\s+", "", "".join(pdftotext(out)))
    assert "共16人" in text and "合计10,700.00" in text
    assert "特批发放（见表下说明）" in text
    assert "特批发放：序号3职工3，公示期至2026年11月25日，未满即发放；经管理员王五于2026年11月20日批准，理由：住院急需用钱" in text
    assert "本批次另有3笔未列入本表（不在本表签领），合计1,600.00元" in text
    for line in ("序号1退票甲退票600.00元（账号已销户）", "序号2放弃乙放弃领取500.00元（本人放弃）",
                 "序号3重发丙已重新发放500.00元（账号错误，已在批次2026-Q4-02重新发放）"):
        assert line in text
    assert "核对：本批次共19笔12,300.00元＝本表16人10,700.00元＋未列入3笔1,600.00元" in text


def test_a_list_with_nothing_left_off_has_no_reconciliation_lines(tmp_path):
    out = tmp_path / "r.pdf"
    write_receipt_list(_doc(3), out)
    text = re.sub(r"\s+", "", "".join(pdftotext(out)))
    assert "未列入" not in text and "特批发放" not in text
