"""The demo year has budgets that match its payouts: a mid-year cut of the 工会经费 line
(seed 001: 480,000 → 270,000), one allocation with its reported spending (seed 004), and
every payment line of the window drawing on a budget line."""
from __future__ import annotations

from tests.pinned import TEST_TODAY
from zhibang_desktop.services import funds
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.storage.database import open_database


def test_demo_budgets_match_the_payouts(demo_copy):
    db = open_database(demo_copy)
    try:
        ctx = AppContext(db, SYSTEM)
        year = TEST_TODAY.year
        lines = {v.source_code: v for v in funds.list_budgets(ctx, year)}
        assert set(lines) == {"union", "city"}
        union = lines["union"]
        assert [(a.kind_label, a.reason) for a in union.adjustments] == [("调减", "年中按财政要求压减经费")]
        assert 9000 <= union.figures.rate_bp + union.figures.committed_fen * 10000 // union.figures.budget_fen <= 10000
        [allocation] = funds.list_allocations(ctx, year)
        assert allocation.reported_spent_fen is not None and allocation.reported_spent_fen < allocation.amount_fen
        for y in (year,):
            report = funds.execution(ctx, y, as_of=TEST_TODAY.date())
            assert report.unbudgeted_count == 0
            assert report.total.paid_fen > 0
        assert funds.execution_payments(ctx, year, source_code="union")
    finally:
        db.close()
