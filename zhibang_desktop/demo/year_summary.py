"""What the demo year made: requests by state, reviews, notices, objections, batches and lines."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..storage.database import Database
from ..storage.models import Disbursement, DisbursementLine, Notice, Objection, ReliefRequest, Review


@dataclass(frozen=True)
class YearSummary:
    requests: int
    by_status: dict[str, int] = field(default_factory=dict)
    reviews: int = 0
    notices: int = 0
    objections: int = 0
    batches: int = 0
    lines_by_state: dict[str, int] = field(default_factory=dict)


def year_summary(db: Database) -> YearSummary:
    with db.session() as s:
        by_status = dict(s.execute(select(ReliefRequest.status, func.count()).group_by(ReliefRequest.status)).all())
        lines = dict(s.execute(select(DisbursementLine.state, func.count()).group_by(DisbursementLine.state)).all())
        return YearSummary(
            requests=sum(by_status.values()), by_status=by_status,
            reviews=s.execute(select(func.count()).select_from(Review)).scalar_one(),
            notices=s.execute(select(func.count()).select_from(Notice)).scalar_one(),
            objections=s.execute(select(func.count()).select_from(Objection)).scalar_one(),
            batches=s.execute(select(func.count()).select_from(Disbursement)).scalar_one(),
            lines_by_state=lines,
        )
