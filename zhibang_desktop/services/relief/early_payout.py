"""特批发放 on paper: which request was allowed to be paid before its notice period ended
(or without a notice), by whom, when and why — for the 审批表 and the 签领表."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...documents.early_payout import EarlyPayout
from ...domain import clock
from ...storage.models import Notice, NoticeEntry, PayoutOverride


def early_payout_of(session: Session, request_id: int) -> EarlyPayout | None:
    """The admin's override when it was given before the request's notice ended (or with no notice)."""
    return early_payouts_of(session, [request_id]).get(request_id)


def early_payouts_of(session: Session, request_ids) -> dict[int, EarlyPayout]:
    """`early_payout_of` for many requests (a batch's 10,000 lines) in two queries of the
    overrides there are, instead of one or two per request."""
    wanted = sorted({r for r in request_ids if r is not None})
    overrides: dict[int, PayoutOverride] = {}
    for start in range(0, len(wanted), _CHUNK):
        for o in session.execute(select(PayoutOverride).where(
                PayoutOverride.request_id.in_(wanted[start:start + _CHUNK]))).scalars():
            overrides[o.request_id] = o
    ends: dict[int, object] = {}
    ids = sorted(overrides)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(NoticeEntry.request_id, Notice.end_date).join(Notice, NoticeEntry.notice_id == Notice.id)
            .where(NoticeEntry.request_id.in_(ids[start:start + _CHUNK]), NoticeEntry.state == "listed")
            .order_by(NoticeEntry.request_id, Notice.id.desc()))
        for request_id, end in rows:
            ends.setdefault(request_id, end)  # the newest notice listing it
    out = {}
    for request_id, override in overrides.items():
        approved_on = clock.local_date(override.at)
        notice_end = ends.get(request_id)
        if notice_end is not None and approved_on > notice_end:
            continue  # given after the notice period: the payout was not early
        out[request_id] = EarlyPayout(override.by_name or override.by_username, approved_on, override.reason, notice_end)
    return out


_CHUNK = 500  # ids per IN list
