"""发放批次, shared rules: permissions, payment methods, batch numbers, line look-up and state guards.

Used by the batch, line-state, reissue and view modules the package re-exports.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...storage.write_lock import serialize_writes
from ...storage.models import Disbursement, DisbursementLine, ReliefRequest
from . import common as pc
from . import scope
from ..errors import ServiceError
from .types import LINE_STATE_LABELS, METHOD_LABELS

MANAGE = "payout.manage"
READ = "relief.read"
METHODS = tuple(METHOD_LABELS)
ACCOUNT_METHODS = ("bank_transfer", "social_security_card")
KINDS = ("regular", "standing")


class LineStateError(ServiceError):
    """The line is not in a state that allows this (message says why)."""


# ------------------------------------------------------------------ numbers

def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _number_for(session: Session, pay_date: date, kind: str) -> str:
    serialize_writes(session)  # two clerks creating at once get different numbers
    if kind == "standing":
        highest = 0
        for (number,) in session.execute(select(Disbursement.number).where(Disbursement.number.like("第%次"))):
            m = re.fullmatch(r"第(\d+)次", number)
            if m:
                highest = max(highest, int(m.group(1)))
        return f"第{highest + 1}次"
    prefix = f"{pay_date.year}-Q{_quarter(pay_date)}-"
    highest = 0
    for (number,) in session.execute(select(Disbursement.number).where(Disbursement.number.like(prefix + "%"))):
        tail = number[len(prefix):]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:02d}"


# ------------------------------------------------------------------ fund sources

def _allowed_funds(labels: pc.Labels, r: ReliefRequest) -> tuple[str, ...]:
    policy = labels.policy(r.policy_version_id)
    if policy is None:
        return ()
    rt = policy.relief_type(r.relief_type)
    if rt is not None and rt.fund_sources:
        return tuple(rt.fund_sources)
    return tuple(f.code for f in policy.fund_sources)


# ------------------------------------------------------------------ lines: look-up and state guards

def _line(s: Session, line_id: int, actor) -> tuple[DisbursementLine, Disbursement]:
    """The line and its batch; a scoped user only reaches its own unions' lines."""
    line = pc.get_or_404(s, DisbursementLine, line_id, "发放明细")
    scope.require_line(s, actor, line)
    return line, s.get(Disbursement, line.batch_id)


def _holds_claim(s: Session, line: DisbursementLine) -> bool:
    claim = pc.claimed(s, line.request_id)
    return claim is not None and claim.line_id == line.id


def _require(line: DisbursementLine, batch: Disbursement, states: tuple[str, ...], action: str) -> None:
    if line.state not in states:
        raise LineStateError(f"{line.name} 的发放状态为“{LINE_STATE_LABELS[line.state]}”，不能{action}")
    if batch.status == "closed" and action not in ("登记退票", "登记放弃"):
        raise LineStateError(f"批次 {batch.number} 已完成，不能{action}")
