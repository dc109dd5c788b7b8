"""A report built from several services' reads (its tables, the funds' execution, the
indicators) reads one snapshot of the database: a save landing while it is computed — another
clerk's, or this program's own on the GUI thread — shows in none of its figures, so they agree
with each other. Run on SQLite and on PostgreSQL (REPEATABLE READ there)."""
from __future__ import annotations

import threading
from datetime import date

import pytest

from tests.admin_helpers import admin_context
from tests.another_thread import on_another_thread
from zhibang_desktop.services import funds
from zhibang_desktop.services.archive import search_households
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.reports import annual, annual_report

from .reports_year import YEAR, build_year

RAISED_FEN = 1_000_000
ON = date(YEAR, 12, 1)


@pytest.fixture
def world(ctx):
    build_year(ctx)
    return admin_context(ctx)


def raise_budget_elsewhere(admin) -> None:
    """Another thread (another connection) adds 10,000 yuan to the year's budget, and commits."""
    line = funds.list_budgets(admin, YEAR)[0]
    on_another_thread(lambda: funds.adjust_budget(admin, line.id, RAISED_FEN, "追加预算（测试）", adjusted_on=ON,
                                                  version=line.version))


def test_a_save_while_the_annual_report_is_computed_shows_in_none_of_it(world, monkeypatch):
    admin = world
    before = annual_report(admin, YEAR)
    real_execution = annual.execution

    def execution_after_a_save(*args, **kwargs):  # the save lands between the tables and the funds
        raise_budget_elsewhere(admin)
        return real_execution(*args, **kwargs)

    monkeypatch.setattr(annual, "execution", execution_after_a_save)
    during = annual_report(admin, YEAR)
    monkeypatch.setattr(annual, "execution", real_execution)
    after = annual_report(admin, YEAR)

    assert during == before
    assert after.budget_fen == before.budget_fen + RAISED_FEN  # the save did land, and shows next time
    budget_line = next(i for i in after.indicators if i.key == "budget_execution")
    assert budget_line != next(i for i in before.indicators if i.key == "budget_execution")


def test_reads_in_one_snapshot_agree_and_the_next_call_sees_the_save(world):
    admin = world
    with admin.snapshot():
        first = funds.execution(admin, YEAR).total.budget_fen
        raise_budget_elsewhere(admin)
        with admin.snapshot():  # nested: the outer snapshot holds
            assert funds.execution(admin, YEAR).total.budget_fen == first
        assert funds.execution(admin, YEAR).total.budget_fen == first
        assert search_households(admin, HouseholdFilter()).total == search_households(admin, HouseholdFilter()).total
    assert funds.execution(admin, YEAR).total.budget_fen == first + RAISED_FEN


def test_a_snapshot_is_this_threads_only(world):
    admin = world
    seen: list[int] = []
    with admin.snapshot():
        first = funds.execution(admin, YEAR).total.budget_fen
        raise_budget_elsewhere(admin)
        other = threading.Thread(target=lambda: seen.append(funds.execution(admin, YEAR).total.budget_fen))
        other.start()
        other.join(30)
    assert seen == [first + RAISED_FEN]


def test_a_save_inside_a_snapshot_runs_in_its_own_transaction(world):
    admin = world
    line = funds.list_budgets(admin, YEAR)[0]
    with admin.snapshot():
        saved = funds.adjust_budget(admin, line.id, RAISED_FEN, "追加预算（测试）", adjusted_on=ON, version=line.version)
    assert saved.figures.budget_fen == line.figures.budget_fen + RAISED_FEN
    assert funds.get_budget(admin, line.id).figures.budget_fen == line.figures.budget_fen + RAISED_FEN
