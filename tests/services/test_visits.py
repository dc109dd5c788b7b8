"""Visits and due dates: deep households yearly, relative and accident every 6 months (seed 002)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.archive_helpers import archived, household, scoped
from zhibang_desktop.domain import clock
from zhibang_desktop.domain.household import add_months
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import VisitInput
from zhibang_desktop.services.errors import Conflict, PermissionDenied, ValidationFailed


@pytest.mark.parametrize("category,months", [("deep", 12), ("relative", 6), ("accident", 6)])
def test_next_visit_due_by_category(ctx, category, months):
    view = archive.create_household(ctx, household(ctx, category=category))
    after = archive.add_visit(ctx, view.id, VisitInput(date(2025, 8, 31), "home", "陈志强", "属实", "建议建档"))
    assert after.last_visit_on == date(2025, 8, 31)
    assert after.next_visit_due == add_months(date(2025, 8, 31), months)
    assert after.visits[0].findings == "属实" and after.visits[0].outcome == "建议建档"


def test_end_of_month_is_clamped():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_latest_visit_counts_and_delete_recomputes(ctx):
    view = archived(ctx, household(ctx, category="relative"), on=date(2025, 3, 1), visit_on=date(2025, 2, 20))
    assert view.next_visit_due == date(2025, 8, 20)
    older = archive.add_visit(ctx, view.id, VisitInput(date(2024, 1, 1), "phone", "黄丽芳"))
    assert older.last_visit_on == date(2025, 2, 20)  # an older visit entered late does not move it back
    newer = archive.add_visit(ctx, view.id, VisitInput(date(2025, 9, 1), "data_check", "黄丽芳"))
    assert (newer.last_visit_on, newer.next_visit_due) == (date(2025, 9, 1), date(2026, 3, 1))
    latest = next(v for v in newer.visits if v.visit_date == date(2025, 9, 1))
    back = archive.delete_visit(ctx, latest.id)
    assert (back.last_visit_on, back.next_visit_due) == (date(2025, 2, 20), date(2025, 8, 20))
    assert any(c.action == "delete" and "删除走访记录" in c.summary for c in archive.household_history(ctx, view.id))


def test_category_change_moves_the_due_date(ctx):
    view = archived(ctx, household(ctx, category="deep"), visit_on=date(2025, 2, 20))
    assert view.next_visit_due == date(2026, 2, 20)
    changed = archive.update_household(ctx, view.id, view.version, replace(view.data, category="accident"))
    assert changed.next_visit_due == date(2025, 8, 20)


def test_no_visit_is_due_at_once_and_exited_is_never_due(ctx):
    view = archive.create_household(ctx, household(ctx))
    assert view.next_visit_due == clock.today()
    active = archived(ctx, household(ctx, seq=2, name="二号"))
    gone = archive.complete_exit(ctx, active.id, clock.today(), reason="迁出")
    assert gone.next_visit_due is None


def test_visit_validation(ctx):
    view = archive.create_household(ctx, household(ctx))
    with pytest.raises(ValidationFailed) as exc:
        archive.add_visit(ctx, view.id, VisitInput(clock.today() + timedelta(days=1), "drive-by", ""))
    fields = {p.field for p in exc.value.problems}
    assert fields == {"visit_date", "method", "visitor"}
    assert {p.label for p in exc.value.problems} == {"走访日期", "核查方式", "走访人"}


def test_visit_bumps_the_version_the_editor_holds(ctx):
    view = archive.create_household(ctx, household(ctx))
    after = archive.add_visit(ctx, view.id, VisitInput(clock.today(), "home", "陈志强"))
    assert after.version > view.version
    with pytest.raises(Conflict):
        archive.update_household(ctx, view.id, view.version, replace(view.data, phone="13800000000"))
    archive.update_household(ctx, view.id, after.version, replace(after.data, phone="13800000000"))


def test_visits_respect_scope(ctx):
    view = archive.create_household(ctx, household(ctx))
    with pytest.raises(PermissionDenied):
        archive.add_visit(scoped(ctx, "新塘镇总工会"), view.id, VisitInput(clock.today(), "home", "某人"))


@pytest.mark.parametrize("intervals, category, months", [
    ({"deep": 12, "relative": 6, "accident": 6}, "relative", 6),  # seed 002
    ({"deep": 12, "relative": 3, "accident": 6}, "relative", 3),
    ({"deep": 24, "relative": 6, "accident": 6}, "deep", 24),
    ({"deep": 12, "relative": 6}, "accident", None),  # a category the policy does not visit
])
def test_visit_intervals_come_from_the_policy_in_force(ctx, intervals, category, months):
    from zhibang_desktop.domain.policy_io import load_preset
    from zhibang_desktop.services.relief import policies
    from zhibang_desktop.services.admin.checks import run_checks

    view = archived(ctx, household(ctx, category=category), on=date(2025, 3, 1), visit_on=date(2025, 2, 20))
    assert view.next_visit_due == add_months(date(2025, 2, 20), 12 if category == "deep" else 6)
    policy = replace(load_preset("海口"), year=clock.today().year, visit_interval_months=tuple(intervals.items()))
    policies.save_policy(ctx, policy)  # stored next visit dates follow the new intervals
    want = None if months is None else add_months(date(2025, 2, 20), months)
    assert archive.get_household(ctx, view.id).next_visit_due == want
    after = archive.add_visit(ctx, view.id, VisitInput(date(2025, 9, 1), "home", "黄丽芳"))
    assert after.next_visit_due == (None if months is None else add_months(date(2025, 9, 1), months))
    assert run_checks(ctx.db).ok
