"""The demo's year of work: requests at every state with reviews, notices with objections,
batches with paid, returned, reissued, renounced and paid-to-relative lines — all made
through the real services, so the data passes the same checks as real work."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timezone

import pytest

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
        # one person per level of a request (issue 8: 审核人老黄 had signed two levels)
        deciders: dict[int, list[str]] = {}
        for rid, who in s.execute(select(Review.request_id, Review.reviewer_username).order_by(Review.id)):
            deciders.setdefault(rid, []).append(who)
        assert all(len(set(names)) == len(names) for names in deciders.values()), deciders
    assert run_checks(db).ok
    again = create_demo(db, households=10, seed=6)
    assert again.year is None  # the year is made once


@pytest.mark.parametrize("today, quarter_of_batch", [
    (None, (2026, 4)),  # the pinned day, 2026-11-23: the current quarter's first round is being paid
    (datetime(2026, 10, 12, 2, 0, tzinfo=timezone.utc), (2026, 3)),  # too early in Q4: Q3's batch is still open
])
def test_a_batch_is_left_in_progress_with_bank_and_cash_lines_to_pay(db, today, quarter_of_batch):
    with clock.pinned(today) if today else nullcontext():
        create_demo(db, households=80, seed=5)
    with db.session() as s:
        to_pay = s.execute(select(Disbursement).where(Disbursement.lines.any(DisbursementLine.state == "pending"))
                           ).scalars().all()
        assert len(to_pay) == 1
        batch = to_pay[0]
        assert batch.status == "open"
        assert (batch.pay_date.year, (batch.pay_date.month - 1) // 3 + 1) == quarter_of_batch
        states = [(line.state, line.method) for line in batch.lines]
        assert ("pending", "cash") in states
        assert any(state == "pending" and method in ("bank_transfer", "social_security_card")
                   for state, method in states)
        assert any(state == "paid" for state, _ in states)


def test_the_year_has_casework_to_open(db):
    """The 回访, 投诉 and 数据比对 pages open on real rows: follow-ups of most paid lines (one not
    reached), the newest still due; a concluded complaint, one being handled, one just received;
    a 公安 list with one vehicle owner to decide — all dated on or before today."""
    from zhibang_desktop.demo.office import DEMO_PASSWORD
    from zhibang_desktop.services.admin import users
    from zhibang_desktop.services.casework import complaints, crosscheck, followups
    from zhibang_desktop.services.context import AppContext

    today = clock.today()
    create_demo(db, households=150, seed=5)
    ctx = AppContext(db, users.authenticate(db, "clerk", DEMO_PASSWORD))
    lines = followups.followup_list(ctx, due_only=False)
    calls = [f for line in lines for f in line.followups]
    assert sum(line.done for line in lines) >= len(lines) // 2 and followups.followup_list(ctx)
    assert any(not f.reached for f in calls) and {"satisfied", "dissatisfied"} <= {f.satisfaction for f in calls}
    assert all(line.paid_on <= f.followup_date <= today for line in lines for f in line.followups)
    made = complaints.list_complaints(ctx)
    assert sorted(c.status for c in made) == ["closed", "open", "open"]
    assert any(c.request_number for c in made) and all(c.received_on <= today for c in made)
    lists = crosscheck.list_crosscheck_lists(ctx)
    assert [(x.source, x.open_findings) for x in lists] == [("公安", 1)]
    assert [f.kind for f in crosscheck.list_findings(ctx, open_only=True)] == ["vehicle"]
    assert clock.now().date() >= today  # the clock is back
