"""Lifecycle: draft → active → phasing_out (6 months, seed 002) → exited; re-activation."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.archive_helpers import all_clear, archived, household, with_roles
from tests.pinned import TEST_TODAY
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import VisitInput
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed

TODAY = TEST_TODAY.date()


def messages(exc) -> list[str]:
    return [p.message for p in exc.value.problems]


def test_archiving_lists_every_blocker_in_chinese(ctx):
    view = archive.create_household(ctx, household(ctx))
    assert set(view.archive_blockers) == {"排除条件核查表未填写完整", "尚无走访核查记录（先家访、后建档）"}
    with pytest.raises(ValidationFailed) as exc:
        archive.archive_household(ctx, view.id, TODAY)
    assert set(messages(exc)) == set(view.archive_blockers)


def test_failed_exclusion_needs_a_written_override(ctx):
    view = archive.create_household(ctx, household(ctx, exclusions={**all_clear(), "vehicle": True}))
    archive.add_visit(ctx, view.id, VisitInput(TODAY, "home", "陈志强"))
    with pytest.raises(ValidationFailed) as exc:
        archive.archive_household(ctx, view.id, TODAY)
    assert any("拥有机动车辆" in m and "书面说明" in m for m in messages(exc))
    view = archive.get_household(ctx, view.id)
    view = archive.update_household(ctx, view.id, view.version,
                                    replace(view.data, exclusion_override="车辆为残疾人代步车，经核实"))
    assert archive.archive_household(ctx, view.id, TODAY).status == "active"


def test_archive_then_phase_out_six_months_then_exit(ctx):
    view = archived(ctx, household(ctx), on=date(2025, 3, 1), visit_on=date(2025, 2, 20))
    assert (view.status, view.archived_on, view.archive_blockers) == ("active", date(2025, 3, 1), ())
    decided = TODAY - timedelta(days=200)
    phasing = archive.begin_exit(ctx, view.id, max(decided, date(2025, 3, 2)), "家庭收入已超过低收入标准")
    assert phasing.status == "phasing_out"
    assert phasing.phase_out_until == archive_add_months(phasing.exit_decided_on, 6)
    assert any("渐退期至" in w for w in phasing.warnings)
    done = archive.complete_exit(ctx, view.id, TODAY)
    assert done.status == "exited" and done.exited_on == TODAY and done.next_visit_due is None
    assert done.exit_reason == "家庭收入已超过低收入标准"
    history = archive.household_history(ctx, view.id)
    assert any(c.action == "complete_exit" and c.field == "状态" and c.new == "已退档" for c in history)
    assert any(c.action == "begin_exit" and c.field == "渐退期截止" for c in history)


def archive_add_months(d, n):
    from zhibang_desktop.domain.household import add_months

    return add_months(d, n)


def test_exit_before_the_period_ends_is_refused_without_reason(ctx):
    view = archived(ctx, household(ctx))
    phasing = archive.begin_exit(ctx, view.id, TODAY - timedelta(days=10), "收入好转")
    with pytest.raises(ValidationFailed) as exc:
        archive.complete_exit(ctx, view.id, TODAY)
    assert "期满后才能退档" in messages(exc)[0] and phasing.phase_out_until.isoformat() in messages(exc)[0]
    done = archive.complete_exit(ctx, view.id, TODAY, reason="死亡")
    assert done.status == "exited" and done.exit_reason == "收入好转；死亡"


def test_active_household_exits_at_once_only_with_a_reason(ctx):
    view = archived(ctx, household(ctx))
    with pytest.raises(ValidationFailed) as exc:
        archive.complete_exit(ctx, view.id, TODAY)
    assert "须填写原因" in messages(exc)[0]
    done = archive.complete_exit(ctx, view.id, TODAY, reason="迁出")
    assert (done.status, done.exit_reason, done.phase_out_until) == ("exited", "迁出", None)


def test_reactivate_clears_exit_fields(ctx):
    view = archived(ctx, household(ctx))
    archive.complete_exit(ctx, view.id, TODAY, reason="迁出")
    with pytest.raises(ValidationFailed):
        archive.reactivate(ctx, view.id, TODAY, "")
    back = archive.reactivate(ctx, view.id, TODAY, "迁回本区，家庭再次陷入困难")
    assert back.status == "active" and back.exited_on is None and back.exit_reason is None
    assert back.next_visit_due is not None
    assert any(c.action == "reactivate" and "迁回本区" in c.summary for c in archive.household_history(ctx, view.id))


def test_wrong_transitions_are_named(ctx):
    view = archive.create_household(ctx, household(ctx))
    with pytest.raises(ValidationFailed) as exc:
        archive.begin_exit(ctx, view.id, TODAY, "x")
    assert "草稿" in messages(exc)[0] and "在档" in messages(exc)[0]
    active = archived(ctx, household(ctx, seq=2, name="二号"))
    with pytest.raises(ValidationFailed):
        archive.archive_household(ctx, active.id, TODAY)
    with pytest.raises(ValidationFailed):
        archive.reactivate(ctx, active.id, TODAY, "x")


def test_dates_are_checked(ctx):
    view = archived(ctx, household(ctx), on=date(2025, 3, 1))
    with pytest.raises(ValidationFailed) as exc:
        archive.begin_exit(ctx, view.id, TODAY + timedelta(days=1), "x")
    assert "不能晚于今天" in messages(exc)[0]
    with pytest.raises(ValidationFailed) as exc:
        archive.begin_exit(ctx, view.id, date(2025, 1, 1), "x")
    assert "建档日期" in messages(exc)[0]
    with pytest.raises(ValidationFailed):
        archive.begin_exit(ctx, view.id, TODAY, "  ")


def test_lifecycle_needs_edit_permission(ctx):
    view = archived(ctx, household(ctx))
    with pytest.raises(PermissionDenied):
        archive.begin_exit(with_roles(ctx, "head"), view.id, TODAY, "x")
