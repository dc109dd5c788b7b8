"""Printed 签领表 of a batch, and the rule that cash is paid only against one.

Seed 002: 现金发放须在实名制签领表上签名.  Every print (or save to PDF for printing) of a
batch's receipt list records who printed it, when and which lines it carried; a cash
line is marked paid only when a printed list carried it.  The print is audited in the
same transaction.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...storage.models import Disbursement, DisbursementLine, ReceiptPrint
from . import common as pc
from . import scope
from ..context import AppContext, Tx
from .rules import READ, LineStateError
from .types import PrintResult, ReceiptPrintView

MANAGE = "payout.manage"
HOW_LABELS = {"print": "打印", "export": "另存为 PDF"}


def record_print(session: Session, tx: Tx, batch: Disbursement, result: PrintResult, *, full_id: bool,
                 how: str, summary: str) -> ReceiptPrint:
    row = ReceiptPrint(batch_id=batch.id, line_ids=list(result.line_ids), rows=result.rows,
                       total_fen=result.total_fen, full_id=full_id, how=how, printed_at=clock.now(),
                       printed_by=tx.actor.username, printed_by_name=tx.actor.display_name or tx.actor.username)
    session.add(row)
    session.flush()
    tx.audit("print" if how == "print" else "export", "disbursement", batch.id, summary=summary)
    return row


def record_receipt_print(ctx: AppContext, batch_id: int, result: PrintResult, *, full_id: bool = False,
                         how: str = "print", summary: str = "") -> None:
    """The GUI printed (``how='print'``) or saved (``'export'``) a receipt list it built for the preview."""
    if how not in HOW_LABELS:
        raise ValueError(f"how must be one of {sorted(HOW_LABELS)}, not {how!r}")
    with ctx.tx(MANAGE) as tx:
        batch = pc.get_or_404(tx.session, Disbursement, batch_id, "发放批次")
        scope.require_whole_batch(tx.session, ctx.actor, batch, "打印签领表")
        record_print(tx.session, tx, batch, result, full_id=full_id, how=how,
                     summary=summary or f"{HOW_LABELS[how]}批次 {batch.number} 签领表：{result.rows} 人")


def list_receipt_prints(ctx: AppContext, batch_id: int) -> list[ReceiptPrintView]:
    """Every print of the batch's 签领表, oldest first (who printed the list the recipients signed)."""
    with ctx.tx(READ, read_only=True) as tx:
        batch = pc.get_or_404(tx.session, Disbursement, batch_id, "发放批次")
        scope.require_some_of_batch(tx.session, ctx.actor, batch)
        rows = tx.session.execute(select(ReceiptPrint).where(ReceiptPrint.batch_id == batch_id)
                                  .order_by(ReceiptPrint.printed_at, ReceiptPrint.id)).scalars()
        return [ReceiptPrintView(r.printed_at, r.printed_by_name or r.printed_by, HOW_LABELS.get(r.how, r.how),
                                 r.rows, r.total_fen, bool(r.full_id)) for r in rows]


def printed_line_ids(session: Session, batch_id: int) -> set[int]:
    ids: set[int] = set()
    for line_ids in session.execute(select(ReceiptPrint.line_ids).where(ReceiptPrint.batch_id == batch_id)).scalars():
        ids.update(int(x) for x in line_ids or ())
    return ids


def require_signed_list(session: Session, line: DisbursementLine, batch: Disbursement) -> None:
    """A cash line is paid only against a printed 签领表 that carried it."""
    if line.method != "cash" or line.id in printed_line_ids(session, batch.id):
        return
    raise LineStateError(f"{line.name} 为现金发放，须先打印批次 {batch.number} 的签领表、由领取人签名后才能登记已发放"
                         "（签领表尚未打印，或打印时还没有这一行）")
