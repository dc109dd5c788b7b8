"""How often each household category is visited: policy data, not code.

The months come from the relief policy in force for the current year (or, failing that,
the latest year before it); with no policy at all, seed 002's intervals apply (deep
households yearly, relative and accident households every 6 months).  Households store
their next due date, so putting a policy with other intervals in force recomputes them.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.household import next_visit_due
from ...domain.policy import DEFAULT_VISIT_INTERVALS
from ...domain.policy_parse import policy_from_dict
from ...storage.models import Household, PolicyVersion

BATCH = 2000


def visit_intervals(session: Session) -> dict[str, int]:
    row = session.execute(
        select(PolicyVersion).where(PolicyVersion.in_force.is_(True), PolicyVersion.year <= clock.today().year)
        .order_by(PolicyVersion.year.desc(), PolicyVersion.version.desc()).limit(1)
    ).scalar_one_or_none()
    if row is None:
        return dict(DEFAULT_VISIT_INTERVALS)
    return dict(policy_from_dict(row.body).visit_interval_months)


def refresh_all_visit_dues(session: Session, intervals: dict[str, int]) -> int:
    """Recompute every stored next visit date under ``intervals``; return how many changed."""
    changed, last = 0, 0
    while True:
        rows = session.execute(
            select(Household.id, Household.status, Household.category, Household.last_visit_on,
                   Household.archived_on, Household.next_visit_due)
            .where(Household.id > last).order_by(Household.id).limit(BATCH)).all()
        if not rows:
            return changed
        for hid, status, category, last_visit, archived_on, due in rows:
            want = None if status == "exited" else next_visit_due(category, last_visit, archived_on, intervals)
            if want != due:
                session.execute(update(Household).where(Household.id == hid).values(next_visit_due=want))
                changed += 1
        last = rows[-1].id
