"""Set-up for the funds tests: paid batches on approved requests (seed figures in fen)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import update

from tests.services.payout_helpers import approved, noticed
from zhibang_desktop.services import payout
from zhibang_desktop.services.payout.types import BatchInput, LinePlan
from zhibang_desktop.storage.models import ReliefRequest


def requests_of(ctx, amounts: list[int], *, fund: str = "union", seq0: int = 0, quarter: int = 1) -> list[int]:
    """Approved 2026 quarterly requests of the given amounts (fen), all from `fund`."""
    made = approved(ctx, len(amounts), seq0=seq0, quarter=quarter, seed=seq0 + 1)
    with ctx.db.session() as s:
        for rid, amount in zip(made.request_ids, amounts):
            s.execute(update(ReliefRequest).where(ReliefRequest.id == rid).values(
                approved_fen=amount, current_fen=amount, requested_fen=amount, suggested_fen=amount,
                fund_source=fund))
    return made.request_ids


def paid_batch(ctx, clock, request_ids: list[int], *, pay: date = date(2026, 3, 20), reason: str = "",
               budget_line_id: int | None = None, publish: bool = True):
    """Notice (once), batch and every line paid; returns the batch view."""
    if publish:
        noticed(ctx, clock)
    b = payout.create_batch(ctx, BatchInput(pay, [LinePlan(r, budget_line_id=budget_line_id)
                                                        for r in request_ids], overdraw_reason=reason))
    return payout.mark_batch_paid(ctx, b.summary.id, pay)
