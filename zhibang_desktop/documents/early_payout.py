"""特批发放 on paper: a payout made before the notice period ended (or with no notice)
carries who approved it, when and why on the 审批表 and the 签领表."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["EarlyPayout", "early_payout_text"]


@dataclass(frozen=True)
class EarlyPayout:
    approved_by: str
    approved_on: dt.date
    reason: str
    notice_end: dt.date | None = None  # None: the request was never on a notice


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def early_payout_text(e: EarlyPayout) -> str:
    """'公示期至 2026年11月25日，未满即发放；经 管理员 于 2026年11月20日 批准，理由：…'"""
    period = f"公示期至 {_cn(e.notice_end)}，未满即发放" if e.notice_end else "未经公示即发放"
    return f"{period}；经 {e.approved_by} 于 {_cn(e.approved_on)} 批准，理由：{e.reason}"
