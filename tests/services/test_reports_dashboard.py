"""The dashboard's figures are those of the lists behind its bars: payments per month and type
(summed here row by row), batches of the month, requests by state, reviews overdue and visits
due as the relief and archive lists count them, execution as the funds services compute it —
and a user bound to a street sees its subtree only."""
from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from tests.admin_helpers import user_context
from tests.pinned import TEST_TODAY
from zhibang_desktop import demo
from zhibang_desktop.services import archive, funds, payout, relief, reports
from zhibang_desktop.services.admin import org, users
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.relief.types import RequestFilter
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.models import Payment, ReliefRequest

YEAR = TEST_TODAY.year


@pytest.fixture
def office(demo_copy):
    db = open_database(demo_copy)
    yield AppContext(db, SYSTEM)
    db.close()


def test_monthly_payouts_sum_the_years_payments_by_type_and_month(office):
    board = reports.dashboard(office, YEAR)
    expected: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    with office.db.session() as s:
        for p in s.execute(select(Payment)).scalars():
            if p.paid_on.year == YEAR:
                expected[p.relief_type][p.paid_on.month - 1] += p.amount_fen
    assert {p.relief_type: list(p.amounts_fen) for p in board.payouts} == dict(expected)
    assert board.payout_total_fen > 0
    assert {p.name for p in board.payouts} >= {"季度救助", "紧急救助"}  # names from the policy, not codes


def test_each_month_with_payouts_has_its_batches_listed(office):
    board = reports.dashboard(office, YEAR)
    for month in range(1, 13):
        batches = payout.list_batches(office, year=YEAR, month=month)
        if board.month_total_fen(month):
            assert batches, month
        for b in batches:  # paid out that month, or a line of it paid that month
            view = payout.get_batch(office, b.id)
            assert (b.pay_date.month == month
                    or any(line.paid_on and line.paid_on.month == month for line in view.lines)), b.number
    assert len(payout.list_batches(office, year=YEAR)) >= len(
        {b.id for m in range(1, 13) for b in payout.list_batches(office, year=YEAR, month=m)})


def test_requests_by_state_and_overdue_reviews_match_the_relief_list(office):
    board = reports.dashboard(office, YEAR)
    for state in board.requests_by_state:
        assert state.count == relief.list_requests(office, RequestFilter(status=state.status, year=YEAR)).total
    assert sum(s.count for s in board.requests_by_state) > 0
    late = relief.list_requests(office, RequestFilter(status="open", overdue=True))
    assert board.overdue_total == late.total > 0
    by_level = defaultdict(int)
    for r in late.rows:
        by_level[r.current_level] += 1
    assert {o.level: o.count for o in board.overdue_reviews} == dict(by_level)
    assert all(0 <= o.late_now <= o.count for o in board.overdue_reviews)
    assert max(o.most_working_days_late for o in board.overdue_reviews) > 5


def test_visits_due_match_the_archive_filters(office):
    board = reports.dashboard(office, YEAR)
    assert [v.category for v in board.visits] == ["deep", "relative", "accident"]
    assert {v.category: v.interval_months for v in board.visits} == {"deep": 12, "relative": 6, "accident": 6}
    for v in board.visits:
        cats = frozenset({v.category})
        overdue = archive.search_households(office, HouseholdFilter(categories=cats, visit_overdue=True)).total
        due = archive.search_households(office, HouseholdFilter(categories=cats, visit_due_within_days=30)).total
        assert (v.overdue, v.due_soon) == (overdue, due - overdue)
    assert sum(v.overdue for v in board.visits) == archive.archive_counts(office).visits_overdue > 0


def test_execution_per_source_is_the_funds_services(office):
    board = reports.dashboard(office, YEAR)
    report = funds.execution(office, YEAR)
    assert [(e.code, e.name, e.budget_fen, e.spent_fen, e.committed_fen, e.rate_bp) for e in board.execution] == [
        (r.key, r.label, r.figures.budget_fen, r.figures.spent_fen, r.figures.committed_fen, r.figures.rate_bp)
        for r in report.by_source]
    assert board.execution_total.rate_bp == report.total.rate_bp is not None


def test_a_street_user_sees_its_subtree_only(office):
    admin = AppContext(office.db, users.authenticate(office.db, "admin", demo.DEMO_PASSWORD))
    with office.db.session() as s:
        unit_of = dict(s.execute(select(ReliefRequest.id, ReliefRequest.unit_id)).all())
        paid = [(p.request_id, p.amount_fen) for p in s.execute(select(Payment)).scalars() if p.paid_on.year == YEAR]
    street = next(u for u in org.list_units(office) if u.level == "street"
                  and any(unit_of[rid] in _subtree(office, u.id) for rid, _ in paid))
    scoped = user_context(admin, "street_head", ["head"], scope_unit_id=street.id)
    mine = _subtree(office, street.id)
    board, whole = reports.dashboard(scoped, YEAR), reports.dashboard(office, YEAR)
    assert board.payout_total_fen == sum(amount for rid, amount in paid if unit_of[rid] in mine)
    assert 0 < board.payout_total_fen < whole.payout_total_fen
    for state in board.requests_by_state:
        assert state.count == relief.list_requests(scoped, RequestFilter(status=state.status, year=YEAR)).total
    assert sum(s.count for s in board.requests_by_state) < sum(s.count for s in whole.requests_by_state)
    assert sum(v.overdue for v in board.visits) == archive.archive_counts(scoped).visits_overdue
    assert board.overdue_total == relief.list_requests(scoped, RequestFilter(status="open", overdue=True)).total


def _subtree(ctx, unit_id: int) -> set[int]:
    with ctx.db.session() as s:
        return org.subtree_ids(s, unit_id)
