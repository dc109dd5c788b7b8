"""What the paper says about a batch (issue 8): a 特批发放 before the notice period ended is
printed with who approved it, when and why on the 审批表 and the 签领表; the 签领表 lists the
batch's lines it leaves off, with reason and amount, so that it reconciles with the batch."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.documents.pdf_tools import pdftotext
from tests.services.payout_helpers import Clock, approved, noticed
from zhibang_desktop.domain.money import format_yuan
from zhibang_desktop.services import payout as d
from zhibang_desktop.services import relief
from zhibang_desktop.services.payout import notices, printing as payout_print
from zhibang_desktop.services.payout import ReissuePlan
from zhibang_desktop.services.payout.types import BatchInput, LinePlan, NoticeFilter, NoticeInput


def text_of(path) -> str:
    return re.sub(r"\s+", "", "".join(pdftotext(path)))


def test_an_early_payout_and_the_lines_left_off_are_on_paper(ctx, monkeypatch, tmp_path):
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 20)
    n = notices.create_notice(ctx, NoticeInput(NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2),
                                               place="区总工会公示栏"))
    n = notices.publish_notice(ctx, n.summary.id)
    end = n.summary.end
    clock.set(2026, 3, 4)  # inside the notice period
    early, rest = made.request_ids[0], made.request_ids[1:]
    notices.override_payability(ctx, early, "住院手术急需用钱，经集体研究先行发放")
    a = d.create_batch(ctx, BatchInput(date(2026, 3, 4), [LinePlan(early)]))
    text = text_of(payout_print.print_receipts(ctx, a.summary.id, tmp_path / "a.pdf").path)
    cn_end = f"{end.year}年{end.month}月{end.day}日"
    assert "特批发放（见表下说明）" in text
    assert (f"特批发放：序号1{a.lines[0].name}，公示期至{cn_end}，未满即发放；经{ctx.actor.display_name}于2026年3月4日批准，"
            "理由：住院手术急需用钱，经集体研究先行发放") in text
    form = text_of(relief.print_approval(ctx, early, tmp_path / "form.pdf"))
    assert "公示期内，暂无异议" in form
    assert f"特批发放：公示期至{cn_end}，未满即发放；经{ctx.actor.display_name}于2026年3月4日批准" in form
    # a request paid after its notice ended carries no such line
    clock.day(end.replace(day=end.day + 1))
    b = d.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in rest]))
    assert "特批" not in text_of(relief.print_approval(ctx, rest[0], tmp_path / "plain.pdf"))

    returned, renounced, reissued = b.lines[0], b.lines[1], b.lines[2]
    d.mark_returned(ctx, returned.id, "账号已销户")
    d.mark_renounced(ctx, renounced.id, "本人放弃，资金退回")
    d.mark_returned(ctx, reissued.id, "户名与账号不符")
    c = d.create_reissue_batch(ctx, [ReissuePlan(reissued.id, method="cash")], date(2026, 4, 8))
    res = payout_print.print_receipts(ctx, b.summary.id, tmp_path / "b.pdf")
    text = text_of(res.path)
    batch_total = sum(x.amount_fen for x in b.lines)
    off = returned.amount_fen + renounced.amount_fen + reissued.amount_fen
    assert (res.rows, res.total_fen) == (16, batch_total - off)
    assert f"本批次另有3笔未列入本表（不在本表签领），合计{format_yuan(off)}元" in text
    # each left-off line by its batch 序号, the gap it leaves in the table
    assert f"序号1{returned.name}银行退回{format_yuan(returned.amount_fen)}元（账号已销户）" in text
    assert f"序号2{renounced.name}本人放弃{format_yuan(renounced.amount_fen)}元（本人放弃，资金退回）" in text
    assert (f"序号3{reissued.name}已重新发放{format_yuan(reissued.amount_fen)}元（户名与账号不符；"
            f"已在批次{c.summary.number}重新发放）") in text
    assert (f"核对：本批次共19笔{format_yuan(batch_total)}元＝本表16人{format_yuan(batch_total - off)}元＋"
            f"未列入3笔{format_yuan(off)}元") in text


def test_the_receipt_list_is_titled_a_receipt_list_whatever_the_batch_is_called(ctx, monkeypatch, tmp_path):
    """The list's title is the batch's title; a batch called 第一季度救助金 or 退票重新发放 (the reissue
    batch's own name) printed a page whose title did not say it was the 签领表."""
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 3)
    noticed(ctx, clock)
    b = d.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in made.request_ids],
                                       title="第一季度救助金"))
    d.mark_returned(ctx, b.lines[0].id, "户名与账号不符")
    c = d.create_reissue_batch(ctx, [ReissuePlan(b.lines[0].id, method="cash")], date(2026, 4, 8))
    for batch, title in ((b, "第一季度救助金实名制签领表"), (c, "退票重新发放实名制签领表")):
        first_page = pdftotext(payout_print.print_receipts(ctx, batch.summary.id, tmp_path / f"{batch.summary.id}.pdf")
                               .path)[0]
        assert title in re.sub(r"\s+", "", first_page), first_page[:200]


def test_cash_lines_are_paid_only_against_a_printed_receipt_list(ctx, monkeypatch, tmp_path):
    """Issue 8 (seed 002: cash only against signatures on the real-name list)."""
    from zhibang_desktop.services.payout import batch_attachments
    from zhibang_desktop.services.payout import LineStateError
    from zhibang_desktop.storage.models import ReceiptPrint

    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, 3, cash_every=1)
    noticed(ctx, clock)
    b = d.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in made.request_ids]))
    first, second, _ = b.lines
    for attempt in (lambda: d.mark_paid(ctx, [first.id]), lambda: d.mark_batch_paid(ctx, b.summary.id),
                    lambda: d.mark_paid_to_relative(ctx, second.id, "王秀英", "配偶")):
        with pytest.raises(LineStateError, match="须先打印批次 .* 的签领表"):
            attempt()
    assert {x.state for x in d.get_batch(ctx, b.summary.id).lines} == {"pending"}
    payout_print.build_receipts(ctx, b.summary.id, tmp_path / "preview.pdf")  # a preview is not a print
    with pytest.raises(LineStateError):
        d.mark_paid(ctx, [first.id])
    payout_print.print_receipts(ctx, b.summary.id, tmp_path / "r.pdf")
    with ctx.db.session() as s:
        row = s.query(ReceiptPrint).order_by(ReceiptPrint.id.desc()).first()
        assert (sorted(row.line_ids), row.printed_by, row.how) == (sorted(x.id for x in b.lines), ctx.actor.username,
                                                                   "print")
    assert d.mark_paid(ctx, [first.id]).lines[0].state == "paid"
    d.mark_paid_to_relative(ctx, second.id, "王秀英", "配偶")
    d.mark_batch_paid(ctx, b.summary.id)
    scan = batch_attachments.add_batch_attachment(ctx, b.summary.id, "签字页.jpg", b"signed page")
    assert batch_attachments.batch_attachment_content(ctx, scan.id) == ("签字页.jpg", b"signed page")
