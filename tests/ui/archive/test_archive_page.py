"""The archive list: lazy loading, search-as-you-type (pinyin), filters, sorting, counts."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from zhibang_desktop.domain import clock

from zhibang_desktop.domain.pinyin_search import search_keys
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.ui.common.executor import ChangeSummary
from zhibang_desktop.ui.archive.household_table_model import COLUMNS, PAGE_SIZE

from tests.archive_helpers import household
from tests.pinned import DEMO_HOUSEHOLDS

from ..waiting import settle


def rows(model):
    return [model.row_at(i) for i in range(model.rowCount())]


def test_lists_first_page_and_counts_in_status_bar(window):
    page = window.pages["archive"]
    assert page.model.rowCount() == PAGE_SIZE
    assert page.model.total == DEMO_HOUSEHOLDS
    assert window.counts_label.text().startswith(f"共 {DEMO_HOUSEHOLDS} 户，在档 ")
    assert "走访逾期" in window.counts_label.text()
    assert page.table.model().index(0, 1).data()  # a name is shown


def test_a_repaint_looks_up_rows_only_for_what_it_shows(window, qtbot, monkeypatch):
    """The painted cells ask about eight roles each; only text, colour, tooltip and id need the row."""
    page = window.pages["archive"]
    model, looked_up = page.model, []
    real = model.row_at
    monkeypatch.setattr(model, "row_at", lambda row: looked_up.append(row) or real(row))
    index = model.index(0, 1)
    asked = [Qt.DecorationRole, Qt.FontRole, Qt.BackgroundRole, Qt.CheckStateRole, Qt.SizeHintRole]
    assert [model.data(index, role) for role in asked] == [None] * len(asked) and looked_up == []
    assert model.data(index, Qt.TextAlignmentRole) == int(COLUMNS[1].align.value) and looked_up == []
    assert model.data(index, Qt.DisplayRole) == real(0).name and looked_up == [0]
    page.table.viewport().repaint()
    assert looked_up[1:] and set(looked_up[1:]) <= set(range(PAGE_SIZE))


def test_scrolling_fetches_more_rows(window, qtbot):
    table = window.pages["archive"].table
    table.scrollToBottom()
    qtbot.waitUntil(lambda: table.model().rowCount() > PAGE_SIZE, timeout=3000)
    table.scrollToBottom()
    qtbot.waitUntil(lambda: table.model().rowCount() == DEMO_HOUSEHOLDS, timeout=3000)
    assert not table.model().canFetchMore()


def test_pinyin_search_narrows_as_you_type(window, qtbot, clerk):
    page = window.pages["archive"]
    qtbot.keyClicks(page.search, "zeng")
    qtbot.waitUntil(lambda: page.model.filter.text == "zeng", timeout=2000)
    settle(qtbot, window)
    found = rows(page.model)
    assert 0 < len(found) < DEMO_HOUSEHOLDS
    assert any(r.name.startswith("曾") for r in found)  # 曾 read as zeng, not ceng
    assert all("zeng" in search_keys(r.name) or "zeng" in r.archive_no.lower() for r in found)
    assert page.model.total == archive.search_households(clerk, HouseholdFilter(text="zeng")).total
    assert window.counts_label.text().startswith(f"共 {page.model.total} 户")


def test_search_by_trailing_id_digits_and_enter_moves_to_the_list(window, qtbot, clerk):
    page = window.pages["archive"]
    target = archive.get_household(clerk, page.model.row_at(5).id)
    qtbot.keyClicks(page.search, target.data.id_number[-6:])
    qtbot.keyClick(page.search, Qt.Key_Return)
    settle(qtbot, window)
    assert page.model.filter.text == target.data.id_number[-6:]
    assert target.id in [r.id for r in rows(page.model)]
    assert page.table.hasFocus()


def test_filters_category_status_union_overdue(window, qtbot, clerk):
    page = window.pages["archive"]
    page.category.setCurrentIndex(page.category.findData("deep"))
    settle(qtbot, window)
    assert {r.category for r in rows(page.model)} == {"deep"}
    page.status.setCurrentIndex(page.status.findData("active"))
    settle(qtbot, window)
    assert {r.status for r in rows(page.model)} == {"active"}
    expected = archive.search_households(clerk, HouseholdFilter(categories=frozenset({"deep"}),
                                                                statuses=frozenset({"active"}))).total
    assert page.model.total == expected
    page.overdue.setChecked(True)
    settle(qtbot, window)
    assert rows(page.model) and all(r.visit_overdue for r in rows(page.model))
    qtbot.mouseClick(page.clear_button, Qt.LeftButton)
    settle(qtbot, window)
    assert page.model.total == DEMO_HOUSEHOLDS
    union_index = next(i for i in range(page.union.count()) if page.union.itemData(i, Qt.UserRole) is not None
                       and "街" in page.union.itemText(i))
    page.union.setCurrentIndex(union_index)
    settle(qtbot, window)
    street = page.union.itemData(union_index, Qt.UserRole)
    assert page.model.filter.unit_id == street
    assert 0 < page.model.total < DEMO_HOUSEHOLDS


def test_header_click_sorts_on_the_server(window, qtbot):
    page = window.pages["archive"]
    name_col = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "name")
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=_section_center(header, name_col))
    settle(qtbot, window)
    assert page.model.sort_key == "name"
    first = page.model.row_at(0).name
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=_section_center(header, name_col))
    settle(qtbot, window)
    assert page.model.descending
    assert page.model.row_at(0).name != first or page.model.total == 1


def _section_center(header, section):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)


@pytest.fixture
def service_threads(monkeypatch):
    """The threads the archive's list queries ran on, from now on."""
    threads = []
    for name in ("search_households", "archive_counts"):
        real = getattr(archive, name)

        def spy(*args, _real=real, **kwargs):
            threads.append(threading.current_thread())
            return _real(*args, **kwargs)

        monkeypatch.setattr(archive, name, spy)
    return threads


def test_typing_searches_off_the_gui_thread(window, qtbot, service_threads):
    page = window.pages["archive"]
    qtbot.keyClicks(page.search, "zeng")
    qtbot.waitUntil(lambda: page.model.filter.text == "zeng", timeout=3000)
    settle(qtbot, window)
    assert service_threads and threading.main_thread() not in service_threads
    assert window.counts_label.text().startswith(f"共 {page.model.total} 户")


def test_a_word_typed_at_speed_is_one_search_for_the_whole_word(window, qtbot, monkeypatch):
    page = window.pages["archive"]
    settle(qtbot, window)
    texts = []
    real = archive.search_households

    def spy(ctx, filt, *args, **kwargs):
        texts.append(filt.text)
        return real(ctx, filt, *args, **kwargs)

    monkeypatch.setattr(archive, "search_households", spy)
    qtbot.keyClicks(page.search, "zhang")
    qtbot.waitUntil(lambda: page.model.filter.text == "zhang", timeout=3000)
    settle(qtbot, window)
    assert texts == ["zhang"]
    assert all("zhang" in search_keys(r.name) or "zhang" in r.archive_no.lower() for r in rows(page.model))


def test_scrolling_and_filters_query_off_the_gui_thread(window, qtbot, service_threads):
    page = window.pages["archive"]
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > PAGE_SIZE, timeout=3000)
    page.category.setCurrentIndex(page.category.findData("relative"))
    qtbot.mouseClick(page.overdue, Qt.LeftButton)
    qtbot.mouseClick(page.clear_button, Qt.LeftButton)
    settle(qtbot, window)
    # a scroll, the rows of three queries, the counts of the last (an overtaken query stops before counting)
    assert len(service_threads) >= 5
    assert threading.main_thread() not in service_threads
    assert page.model.total == DEMO_HOUSEHOLDS


def test_a_change_announced_elsewhere_refreshes_the_list(window, qtbot, clerk):
    page = window.pages["archive"]
    first = next(r for r in rows(page.model) if r.status == "active")
    archive.begin_exit(clerk, first.id, clock.today(), "家庭收入已超过低收入标准")
    shown = lambda: page.model.row_at(page.model.row_of(first.id)).status  # noqa: E731
    assert shown() == "active"  # nobody said anything yet
    window.session.announce(ChangeSummary(households=True))
    qtbot.waitUntil(lambda: shown() == "phasing_out", timeout=3000)
    settle(qtbot, window)
    assert "渐退 " in window.counts_label.text()


def test_scrolling_to_the_end_keeps_memory_bounded_and_reads_back(window, qtbot, clerk, monkeypatch):
    """Pages of 50, at most two blocks held: scrolling to the end holds 100 rows, not 250;
    scrolling back reads the dropped rows again (off the GUI thread) and shows them."""
    from zhibang_desktop.ui.archive import household_table_model

    monkeypatch.setattr(household_table_model, "PAGE_SIZE", 50)
    monkeypatch.setattr(household_table_model, "MAX_BLOCKS", 2)
    page = window.pages["archive"]
    qtbot.mouseClick(page.clear_button, Qt.LeftButton)
    settle(qtbot, window)
    assert page.model.rowCount() == 50
    while page.model.rowCount() < DEMO_HOUSEHOLDS:
        count = page.model.rowCount()
        page.table.scrollToBottom()
        qtbot.waitUntil(lambda: page.model.rowCount() > count, timeout=3000)
    settle(qtbot, window)
    assert not page.model.canFetchMore()
    assert len(page.model.rows()) <= 100
    expected = [r.id for r in archive.search_households(clerk, HouseholdFilter(), limit=DEMO_HOUSEHOLDS).rows]
    page.table.scrollToTop()
    qtbot.waitUntil(lambda: page.model.index(0, 0).data() == archive.get_household(clerk, expected[0]).archive_no,
                    timeout=3000)
    assert page.model.household_id(page.model.index(1, 0)) == expected[1]


def test_a_household_saved_while_scrolling_is_listed_once(window, qtbot, clerk):
    page = window.pages["archive"]
    assert page.model.rowCount() == PAGE_SIZE
    shown = archive.search_households(clerk, HouseholdFilter(), limit=1).rows[0]
    archive.create_household(clerk, household(clerk, name="丁一", seq=901, unit=shown.unit_name))  # numbered last
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > PAGE_SIZE, timeout=3000)
    settle(qtbot, window)
    ids = [r.id for r in rows(page.model)]
    assert len(ids) == len(set(ids)) == DEMO_HOUSEHOLDS + 1
    assert ids[0] == shown.id
