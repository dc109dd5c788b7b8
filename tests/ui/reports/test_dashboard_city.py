"""工作概览 in a city union's database (issue 14): the clerk chooses one county in 区县, clicks a
bar, and the list that opens is narrowed to that county as the figure was — never all counties."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.services.city_counties import city_office, hand_made_county
from tests.services.reports_year import YEAR
from zhibang_desktop.services import payout, relief
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.admin.org import list_units
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.exchange import import_annual_workbook
from zhibang_desktop.services.relief.types import RequestFilter
from zhibang_desktop.storage.database import open_database

from ..waiting import choose, settle
from .test_dashboard import click_bar
from .test_reports_page import open_window

PASSWORD = "Secret123"


@pytest.fixture
def city(tmp_path):
    """The city's database holding 增城 and 从化 (the hand-made year sent by both: the same people)."""
    db = open_database(tmp_path / "city.sqlite3")
    office = city_office(db)
    for name, code in (("增城区总工会", "ZC"), ("从化区总工会", "CH")):
        import_annual_workbook(office, hand_made_county(tmp_path, name, code).file)
    users.create_admin(db, "admin", PASSWORD, display_name="市总管理员")
    yield AppContext(db, users.authenticate(db, "admin", PASSWORD))
    db.close()


def _dashboard(qtbot, window):
    nav = window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "工作概览")
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    settle(qtbot, window, 30000)
    return window.current_page()


def test_a_bar_opens_its_list_narrowed_to_the_county_chosen(city, qtbot):
    ctx = city
    county = next(u for u in list_units(ctx) if u.name == "从化区总工会")
    other = next(u for u in list_units(ctx) if u.name == "增城区总工会")
    window = open_window(qtbot, ctx)
    page = _dashboard(qtbot, window)
    assert page.union.isVisible()
    choose(qtbot, page.year, YEAR)
    settle(qtbot, window, 30000)
    whole = page.data.requests_by_state
    choose(qtbot, page.union, county.id)
    settle(qtbot, window, 30000)
    index = max(range(len(page.data.requests_by_state)), key=lambda i: page.data.requests_by_state[i].count)
    state = page.data.requests_by_state[index]
    assert 0 < state.count < whole[index].count  # the county's figure, not the city's

    click_bar(qtbot, window, page.states, index)
    listing = window.current_page()
    assert listing is window.pages["relief"]
    assert listing.union.unit_id() == county.id and listing.state.currentData() == state.status
    qtbot.waitUntil(lambda: not listing.model.loading, timeout=30000)
    shown = listing.model.rows()
    assert listing.model.total == state.count == len(shown)
    mine = {u.id for u in list_units(ctx) if u.path.startswith(county.path)}
    assert {r.unit_id for r in shown} <= mine
    theirs = relief.list_requests(ctx, RequestFilter(year=YEAR, status=state.status, unit_id=other.id)).rows
    assert theirs and not {r.unit_id for r in theirs} & mine  # the other county's are left out

    # a month's bar: the batches page narrowed to the county too (its union filter)
    window.show_page("dashboard")
    settle(qtbot, window, 30000)
    month = next((m for m in range(1, 13) if page.data.month_total_fen(m)), None)
    assert month is not None
    series = next(i for i, p in enumerate(page.data.payouts) if p.amounts_fen[month - 1])
    click_bar(qtbot, window, page.payouts, month - 1, series)
    batches = window.current_page()
    assert batches is window.pages["batches"] and batches.union_filter.unit_id() == county.id
    assert [b.number for b in batches.model.rows()] == [
        b.number for b in payout.list_batches(ctx, year=YEAR, month=month, unit_id=county.id)]
