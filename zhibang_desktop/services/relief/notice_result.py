"""The 公示结果 line printed on a request's 审批表.

It reads the notice tables that the payout services write, so that printing a relief
request does not need the payout services (which build on relief).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...storage.models import Notice, NoticeEntry, Objection


def notice_result_text(session: Session, request_id: int) -> str:
    """The 公示结果 line of a request's 审批表: the latest published notice that listed it,
    its period and what became of objections; '' when it has not been on a notice."""
    row = session.execute(
        select(Notice, NoticeEntry).join(NoticeEntry, NoticeEntry.notice_id == Notice.id)
        .where(NoticeEntry.request_id == request_id, Notice.status != "draft")
        .order_by(Notice.start_date.desc(), Notice.id.desc()).limit(1)
    ).first()
    if row is None:
        return ""
    notice, entry = row
    results = list(session.execute(select(Objection.result).where(Objection.entry_id == entry.id)).scalars())
    period = f"{_cn(notice.start_date)}至{_cn(notice.end_date)}"
    if not results:
        outcome = "无异议" if notice.end_date < clock.today() else "公示期内，暂无异议"
    else:
        counts = {r: results.count(r) for r in ("open", "upheld", "dismissed") if r in results}
        words = {"open": "待处理", "upheld": "异议成立", "dismissed": "经核实不予采纳"}
        outcome = f"有异议 {len(results)} 条（" + "，".join(f"{words[k]} {n} 条" for k, n in counts.items()) + "）"
    return f"已公示（{period}），{outcome}"


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
