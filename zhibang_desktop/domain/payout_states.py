"""The states of a payout line and their labels: the payout services set them, the funds
services count money by them (a paid line is a draw spent, a returned one is money back)."""
from __future__ import annotations

LINE_STATE_LABELS = {
    "pending": "待发放",
    "paid": "已发放",
    "returned": "银行退回",
    "reissued": "已重新发放",
    "renounced": "本人放弃",
    "paid_to_relative": "已由亲属领取",
}
#: line states that count as money paid out (a Payment row exists)
PAID_STATES = frozenset({"paid", "paid_to_relative"})
