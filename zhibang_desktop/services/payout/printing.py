"""Printing the 公示 roster and the signed receipt list (签领表); both audited as 'print'.

The ``*_document`` functions return the plain document dataclasses; the ``print_*``
functions write the PDF to a path or a binary file object (progress/cancel hooks for
long lists) and record the print in the audit trail.  The ``build_*`` functions write
the same PDF without recording anything: they are for the in-app preview, where only
what is then actually sent to a printer or saved is recorded (by the caller, through
``audit.record_event``) — looking at a preview prints nothing.  The receipt list
carries the audit-chain head at its foot (DESIGN.md §6), the 特批发放 of lines paid
before their notice period ended, and the batch's lines it leaves off (returned,
reissued, renounced, or another payment method's list) so that it reconciles with the batch.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from sqlalchemy import select

from ...domain import clock
from ...domain.money import format_yuan
from ...documents.notice_roster import NoticeRoster, PrivacyError, RosterEntry, write_notice_roster
from ...documents.output import Target, is_file_object
from ...documents.receipt_list import LeftOffLine, ProxyInfo, ReceiptList, ReceiptRow, write_receipt_list
from ...storage.models import Disbursement, DisbursementLine, Notice, ReliefRequest
from .. import audit_chain
from . import common as pc
from . import scope
from ..context import AppContext
from .views import find_batch
from ..relief.early_payout import early_payouts_of
from ..document_output import write_cancellable
from ..errors import ServiceError
from .types import LINE_STATE_LABELS, METHOD_LABELS, PrintResult
from ..admin.settings import demo_banner, read_settings
from ..funds.draws import overdraw_note
from .receipt_prints import record_print, record_receipt_print

READ = "relief.read"
NOTICE_PRINT = "notice.manage"
RECEIPT_PRINT = "payout.manage"
#: lines whose money goes (or went) out in this batch: the ones to sign for
RECEIPT_STATES = ("pending", "paid", "paid_to_relative")

Progress = Callable[[int, int], None] | None
CancelCheck = Callable[[], bool] | None


def _roster(session, notice: Notice) -> NoticeRoster:
    office = read_settings(session).office_name
    listed = [e for e in notice.entries if e.state == "listed"]
    request_ids = [e.request_id for e in listed]
    households = set()
    ids: dict[int, str] = {}
    if request_ids:
        for rid, hid, idn in session.execute(select(ReliefRequest.id, ReliefRequest.household_id,
                                                    ReliefRequest.id_number)
                                             .where(ReliefRequest.id.in_(request_ids))):
            if hid:
                households.add(hid)
            ids[rid] = idn or ""
    draft = notice.status == "draft"
    return NoticeRoster(
        title=("【草稿，未发布】" if draft else "") + notice.title, office_name=office, start=notice.start_date,
        end=notice.end_date, working_days=notice.working_days, object_to=notice.object_to or office,
        phone=notice.phone, place=notice.place, issued_on=notice.issued_on or notice.start_date,
        entries=tuple(RosterEntry(e.name, e.unit_name, e.relief_type_label, e.amount_fen, e.remark or "",
                                  ids.get(e.request_id, "") if notice.show_masked_id else "") for e in listed),
        intro=notice.intro or "", show_masked_id=notice.show_masked_id, end_warning=notice.end_warning,
        footer_text=f"公示编号 {notice.number or ''}" + ("　草稿" if draft else ""),
        forbidden_words=tuple(sorted(pc.household_private_values(session, households))),
        banner=demo_banner(session),
    )


def roster_document(ctx: AppContext, notice_id: int) -> NoticeRoster:
    """What the roster shows (for a preview); never full IDs, cards, illnesses or incomes."""
    with ctx.tx(READ, read_only=True) as tx:
        notice = pc.get_or_404(tx.session, Notice, notice_id, "公示")
        scope.require_whole_notice(tx.session, ctx.actor, notice, "打印公示名单")
        return _roster(tx.session, notice)


def _write(writer, doc, target: Target, progress: Progress, cancelled: CancelCheck):
    try:
        return write_cancellable(writer, doc, target, progress, cancelled, "打印已取消，未生成文件")
    except PrivacyError as exc:
        raise ServiceError(str(exc)) from exc


def _build_roster(ctx: AppContext, notice_id: int, target: Target, progress: Progress,
                  cancelled: CancelCheck) -> tuple[PrintResult, str]:
    ctx.require(NOTICE_PRINT)
    with ctx.tx(NOTICE_PRINT, read_only=True) as tx:
        notice = pc.get_or_404(tx.session, Notice, notice_id, "公示")
        scope.require_whole_notice(tx.session, ctx.actor, notice, "打印公示名单")
        doc = _roster(tx.session, notice)
        title = notice.title
    pages = _write(write_notice_roster, doc, target, progress, cancelled)
    total = sum(e.amount_fen for e in doc.entries)
    return PrintResult(None if is_file_object(target) else Path(target), pages, len(doc.entries), total), title


def build_roster(ctx: AppContext, notice_id: int, target: Target, progress: Progress = None,
                 cancelled: CancelCheck = None) -> PrintResult:
    """The 公示 roster PDF for the preview; records nothing (the caller audits the real print or save)."""
    return _build_roster(ctx, notice_id, target, progress, cancelled)[0]


def print_roster(ctx: AppContext, notice_id: int, target: Target, progress: Progress = None,
                 cancelled: CancelCheck = None) -> PrintResult:
    """Write the 公示 roster PDF; audited as a print."""
    result, title = _build_roster(ctx, notice_id, target, progress, cancelled)
    with ctx.tx(NOTICE_PRINT) as tx:
        tx.audit("print", "notice", notice_id,
                 summary=f"打印公示名单“{title}”：{result.rows} 人，{result.pages} 页")
    return result


def _left_off_line(session, line: DisbursementLine) -> LeftOffLine:
    """Why a line of the batch is not signed for on its 签领表."""
    if line.state in RECEIPT_STATES:  # another payment method, printed on its own list
        return LeftOffLine(line.name, f"{METHOD_LABELS.get(line.method, line.method)}（另表签领）", "",
                           line.amount_fen, line.seq)
    reason = (line.renounce_reason if line.state == "renounced" else line.return_reason) or ""
    if line.state == "reissued":
        again = session.execute(select(Disbursement.number).join(DisbursementLine, DisbursementLine.batch_id ==
                                                                 Disbursement.id)
                                .where(DisbursementLine.reissue_of == line.id)).scalar_one_or_none()
        if again:
            reason = "；".join(x for x in (reason, f"已在批次 {again} 重新发放") if x)
    return LeftOffLine(line.name, LINE_STATE_LABELS.get(line.state, line.state), reason, line.amount_fen, line.seq)


def _receipts(session, batch, full_id: bool, methods: tuple[str, ...] | None) -> tuple[ReceiptList, tuple[int, ...]]:
    """The list, and the ids of the batch lines on it."""
    office = read_settings(session).office_name
    lines = session.execute(select(DisbursementLine).where(DisbursementLine.batch_id == batch.id)
                            .order_by(DisbursementLine.seq)).scalars().all()
    early = early_payouts_of(session, [line.request_id for line in lines])  # not two queries a line
    rows, left_off, line_ids = [], [], []
    used_methods = set()
    for line in lines:
        if line.state not in RECEIPT_STATES or (methods and line.method not in methods):
            left_off.append(_left_off_line(session, line))
            continue
        used_methods.add(line.method)
        proxy = None
        remark = ""
        if line.state == "paid_to_relative":
            proxy = ProxyInfo(line.relative_name or "", "", line.relative_id_number or "",
                              line.relative_relation or "")
            remark = "受助人已故，由亲属领取"
        elif line.proxy_name:
            proxy = ProxyInfo(line.proxy_name, line.proxy_phone or "", line.proxy_id_number or "",
                              line.proxy_relation or "")
        if line.reissue_of:
            remark = "；".join(x for x in (remark, "退票重新发放") if x)
        if line.method != "cash":
            remark = "；".join(x for x in (METHOD_LABELS.get(line.method, line.method), remark) if x)
        rows.append(ReceiptRow(line.name, line.id_number, line.unit_name, line.relief_type_label, line.amount_fen,
                               remark, proxy, early.get(line.request_id), line.seq))
        line_ids.append(line.id)
    method_label = "、".join(METHOD_LABELS.get(m, m) for m in sorted(used_methods))
    title = batch.title.strip() if batch.title and batch.title.strip() else "困难职工救助金发放实名制签领表"
    if "签领表" not in title:  # a batch titled 退票重新发放 or 第四季度救助金: the paper still says what it is
        title += "实名制签领表"
    if office and not title.startswith(office):
        title = f"{office}{title}"
    doc = ReceiptList(title=title, office_name=office, batch_number=batch.number, pay_date=batch.pay_date,
                      rows=tuple(rows), method_label=method_label, chain_head=audit_chain.chain_head(session),
                      printed_at=clock.now(), full_id=full_id, banner=demo_banner(session),
                      note=overdraw_note(session, batch.id), left_off=tuple(left_off))
    return doc, tuple(line_ids)


def receipt_document(ctx: AppContext, batch_id: int | str, full_id: bool = False,
                     methods: tuple[str, ...] | None = None) -> ReceiptList:
    """What the receipt list shows (for a preview); IDs masked unless ``full_id``."""
    with ctx.tx(RECEIPT_PRINT if full_id else READ, read_only=True) as tx:
        batch = find_batch(tx.session, batch_id)
        scope.require_whole_batch(tx.session, ctx.actor, batch, "打印签领表")
        return _receipts(tx.session, batch, full_id, methods)[0]


def _build_receipts(ctx: AppContext, batch_id: int | str, target: Target, full_id: bool,
                    methods: tuple[str, ...] | None, progress: Progress,
                    cancelled: CancelCheck) -> tuple[PrintResult, str, int]:
    ctx.require(RECEIPT_PRINT)
    with ctx.tx(RECEIPT_PRINT, read_only=True) as tx:
        batch = find_batch(tx.session, batch_id)
        scope.require_whole_batch(tx.session, ctx.actor, batch, "打印签领表")
        doc, line_ids = _receipts(tx.session, batch, full_id, methods)
        number, pk = batch.number, batch.id
    if not doc.rows:
        raise ServiceError(f"批次 {number} 没有需要签领的明细")
    report = _write(write_receipt_list, doc, target, progress, cancelled)
    total = sum(r.amount_fen for r in doc.rows)
    result = PrintResult(None if is_file_object(target) else Path(target), len(report.page_rows), len(doc.rows),
                         total, tuple(s[0] for s in report.page_sums), line_ids)
    return result, number, pk


def build_receipts(ctx: AppContext, batch_id: int | str, target: Target, full_id: bool = False,
                   methods: tuple[str, ...] | None = None, progress: Progress = None,
                   cancelled: CancelCheck = None) -> PrintResult:
    """The 签领表 PDF for the preview; records nothing (the caller audits the real print or save)."""
    return _build_receipts(ctx, batch_id, target, full_id, methods, progress, cancelled)[0]


def print_receipts(ctx: AppContext, batch_id: int | str, target: Target, full_id: bool = False,
                   methods: tuple[str, ...] | None = None, progress: Progress = None,
                   cancelled: CancelCheck = None) -> PrintResult:
    """Write the 签领表 PDF (masked IDs, or full IDs for the internal archive copy); audited, and
    recorded as printed for its lines (cash lines are marked paid only against a printed list)."""
    result, number, pk = _build_receipts(ctx, batch_id, target, full_id, methods, progress, cancelled)
    with ctx.tx(RECEIPT_PRINT) as tx:
        batch = tx.session.get(Disbursement, pk)
        record_print(tx.session, tx, batch, result, full_id=full_id, how="print",
                     summary=f"打印批次 {number} 签领表：{result.rows} 人，{format_yuan(result.total_fen)} 元，"
                             f"{result.pages} 页" + ("（内部存档本，含完整身份证号）" if full_id else ""))
    return result


__all__ = ["roster_document", "build_roster", "print_roster", "receipt_document", "build_receipts",
           "print_receipts", "record_receipt_print"]
