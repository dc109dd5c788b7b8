"""The demo's year of work: requests at every state with reviews, notices with objections,
batches with paid, returned, reissued, renounced and paid-to-relative lines — all made
through the real services, so the data passes the same checks as real work."""
from __future__ import annotations


from sqlalchemy import func, select

from zhibang_desktop.domain import clock
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.demo.office import create_demo
from zhibang_desktop.storage.models import (
    Disbursement, DisbursementLine, Notice, Objection, Payment, ReliefRequest, Review,
)


def test_a_full_year(db):
    today = clock.today()
    summary = create_demo(db, households=150, seed=5)
    year = summary.year
    assert year is not None and year.requests >= 30
    assert set(year.by_status) >= {"draft", "submitted", "in_review", "approved", "rejected", "returned", "withdrawn"}
    assert {"paid", "returned", "reissued", "renounced", "paid_to_relative"} <= set(year.lines_by_state)
    assert clock.now().date() >= today  # the clock is back
    with db.session() as s:
        results = set(s.execute(select(Objection.result)).scalars())
        assert {"open", "upheld", "dismissed"} <= results
        assert s.execute(select(func.count()).select_from(Review)).scalar_one() == year.reviews > year.requests
        assert {n.status for n in s.execute(select(Notice)).scalars()} == {"closed", "published"}
        kinds = set(s.execute(select(Disbursement.kind)).scalars())
        assert {"regular", "reissue"} <= kinds
        methods = set(s.execute(select(DisbursementLine.method)).scalars())
        assert {"cash", "bank_transfer"} <= methods or {"cash", "social_security_card"} <= methods
        # every line with money out has its Payment, and nothing is paid twice
        paid = s.execute(select(func.count()).select_from(DisbursementLine)
                         .where(DisbursementLine.state.in_(("paid", "paid_to_relative")))).scalar_one()
        payments = s.execute(select(func.count()).select_from(Payment)
                             .where(Payment.source == "disbursement")).scalar_one()
        assert paid == payments > 0
        per_request = s.execute(select(Payment.request_id, func.count()).group_by(Payment.request_id)
                                .having(func.count() > 1)).all()
        assert per_request == []
        assert all(d <= today for d in s.execute(select(ReliefRequest.request_date)).scalars())
    assert run_checks(db).ok
    again = create_demo(db, households=10, seed=6)
    assert again.year is None  # the year is made once
