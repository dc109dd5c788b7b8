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
    override = session.execute(select(PayoutOverride).where(PayoutOverride.request_id == request_id)
                               ).scalar_one_or_none()
    if override is None:
        return None
    approved_on = clock.local_date(override.at)
    notice_end = session.execute(
        select(Notice.end_date).join(NoticeEntry, NoticeEntry.notice_id == Notice.id)
        .where(NoticeEntry.request_id == request_id, NoticeEntry.state == "listed")
        .order_by(Notice.id.desc()).limit(1)).scalar_one_or_none()
    if notice_end is not None and approved_on > notice_end:
        return None  # given after the notice period: the payout was not early
    return EarlyPayout(override.by_name or override.by_username, approved_on, override.reason, notice_end)
