"""The archive list: pinyin search (surnames read right), ID trailing digits, filters, scope."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.archive_helpers import FACTORY, JEANS, archived, household, id_no, scoped, unit_id
from zhibang_desktop.domain import clock
from zhibang_desktop.domain.household import add_months
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter as F
from zhibang_desktop.services.errors import PermissionDenied


@pytest.fixture
def people(ctx):
    """曾 (zeng, not ceng), 单 (shan), 覃 (qin), 区 (ou) and two ordinary names."""
    made = {}
    for seq, (name, unit, category, phone) in enumerate([
        ("曾志明", FACTORY, "deep", "13800138000"),
        ("单丽", FACTORY, "relative", "020-82712345"),
        ("覃国强", JEANS, "accident", None),
        ("区小凤", JEANS, "deep", None),
        ("陈伟", "区直机关工会", "relative", "13912345678"),
        ("张伟", FACTORY, "deep", None),
    ], start=1):
        made[name] = archive.create_household(ctx, household(ctx, name=name, seq=seq, unit=unit, category=category,
                                                             phone=phone))
    return made


def names(page):
    return {r.name for r in page.rows}


@pytest.mark.parametrize("query,expected", [
    ("曾", {"曾志明"}),
    ("zeng", {"曾志明"}),
    ("zengzhiming", {"曾志明"}),
    ("zzm", {"曾志明"}),
    ("ZZM", {"曾志明"}),
    ("zeng zhi", {"曾志明"}),
    ("shanli", {"单丽"}),
    ("sl", {"单丽"}),
    ("qinguoqiang", {"覃国强"}),
    ("qgq", {"覃国强"}),
    ("ouxiaofeng", {"区小凤"}),
    ("wei", {"陈伟", "张伟"}),
    ("伟", {"陈伟", "张伟"}),
    ("82712345", {"单丽"}),
    ("138 0013 8000", {"曾志明"}),
])
def test_text_search(ctx, people, query, expected):
    assert names(archive.search_households(ctx, F(text=query))) == expected


def test_id_number_in_full_or_trailing_digits_and_archive_number(ctx, people):
    zeng = people["曾志明"]
    number = id_no(1)
    assert names(archive.search_households(ctx, F(text=number))) == {"曾志明"}
    assert "曾志明" in names(archive.search_households(ctx, F(text=number[-6:])))
    assert names(archive.search_households(ctx, F(text=zeng.archive_no.lower()))) == {"曾志明"}
    row = archive.search_households(ctx, F(text=number)).rows[0]
    assert row.id_number_masked == number[:6] + "********" + number[-4:]


def test_like_wildcards_are_literal(ctx, people):
    assert archive.search_households(ctx, F(text="%")).total == 0
    assert archive.search_households(ctx, F(text="_")).total == 0


def test_filters_category_status_unit(ctx, people):
    assert names(archive.search_households(ctx, F(categories=frozenset({"deep"})))) == {"曾志明", "区小凤", "张伟"}
    assert names(archive.search_households(ctx, F(unit_id=unit_id(ctx, "新塘镇总工会")))) == {"覃国强", "区小凤"}
    assert archive.search_households(ctx, F(statuses=frozenset({"active"}))).total == 0
    assert archive.search_households(ctx, F(statuses=frozenset({"draft"}))).total == 6
    counts = archive.archive_counts(ctx, F())
    assert counts.total == 6 and counts.by_status == {"draft": 6}
    assert counts.by_category == {"deep": 3, "relative": 2, "accident": 1}


def test_visit_overdue_and_due_soon(ctx):
    today = clock.today()
    late = archived(ctx, household(ctx, name="逾期户", seq=1, category="relative"),
                    on=today - timedelta(days=300), visit_on=today - timedelta(days=300))  # due after 6 months
    soon = archived(ctx, household(ctx, name="将到期", seq=2, category="deep"),
                    on=today - timedelta(days=355), visit_on=today - timedelta(days=355))  # due in ~10 days
    fine = archived(ctx, household(ctx, name="正常户", seq=3, category="deep"),
                    on=today - timedelta(days=10), visit_on=today - timedelta(days=10))
    archive.create_household(ctx, household(ctx, name="草稿户", seq=4))  # drafts are never "overdue"
    assert names(archive.search_households(ctx, F(visit_overdue=True))) == {"逾期户"}
    assert names(archive.search_households(ctx, F(visit_due_within_days=30))) == {"逾期户", "将到期"}
    rows = {r.name: r for r in archive.search_households(ctx, F()).rows}
    assert rows["逾期户"].visit_overdue and not rows["将到期"].visit_overdue and not rows["草稿户"].visit_overdue
    assert archive.archive_counts(ctx, F()).visits_overdue == 1
    assert fine.next_visit_due == add_months(today - timedelta(days=10), 12)
    assert late.status == soon.status == "active"


def test_sorting_and_paging(ctx, people):
    page = archive.search_households(ctx, F(), sort="name", descending=False, offset=0, limit=2)
    assert page.total == 6 and len(page.rows) == 2 and page.offset == 0
    everyone = [r.name for r in archive.search_households(ctx, F(), sort="name").rows]
    assert everyone == sorted(everyone)
    rest = archive.search_households(ctx, F(), sort="name", offset=2, limit=10)
    assert [r.name for r in page.rows + rest.rows] == everyone
    by_no = [r.archive_no for r in archive.search_households(ctx, F(), descending=True).rows]
    assert by_no == sorted(by_no, reverse=True)
    for key in ("unit_name", "per_capita_income", "next_visit_due", "category", "status", "household_size"):
        assert archive.search_households(ctx, F(), sort=key).total == 6
    assert archive.search_households(ctx, F(), offset=100).rows == ()


def test_scope_limits_the_list(ctx, people):
    xintang = scoped(ctx, "新塘镇总工会", roles=("reviewer",))
    assert names(archive.search_households(xintang, F())) == {"覃国强", "区小凤"}
    assert archive.archive_counts(xintang, F()).total == 2
    assert archive.search_households(xintang, F(text="zeng")).total == 0
    with pytest.raises(PermissionDenied):
        archive.search_households(xintang, F(unit_id=unit_id(ctx, "荔城街总工会")))


def test_searches_of_one_kind_each_take_their_own_values(ctx, people):
    """The statements are built once per kind of filter and bound at each search: a search's
    texts, lists (of another length), union and scope never stay for the next one, in any order."""
    xintang = scoped(ctx, "新塘镇总工会", roles=("reviewer",))
    deep, others = frozenset({"deep"}), frozenset({"relative", "accident"})
    cases = [
        (ctx, F(text="zeng"), {"曾志明"}),
        (ctx, F(text="shanli"), {"单丽"}),
        (ctx, F(text="曾"), {"曾志明"}),
        (ctx, F(text="伟"), {"陈伟", "张伟"}),
        (ctx, F(text="sl"), {"单丽"}),
        (ctx, F(text="qgq"), {"覃国强"}),
        (ctx, F(categories=deep), {"曾志明", "区小凤", "张伟"}),
        (ctx, F(categories=others), {"单丽", "覃国强", "陈伟"}),
        (ctx, F(categories=deep, text="wei"), {"张伟"}),
        (ctx, F(categories=others, text="wei"), {"陈伟"}),
        (ctx, F(unit_id=unit_id(ctx, "新塘镇总工会")), {"覃国强", "区小凤"}),
        (ctx, F(unit_id=unit_id(ctx, "区直机关工会")), {"陈伟"}),
        (xintang, F(), {"覃国强", "区小凤"}),
        (xintang, F(text="zeng"), set()),
        (xintang, F(text="ouxiaofeng"), {"区小凤"}),
    ]
    for order in (cases, cases[::-1], cases[::2] + cases[1::2]):
        for who, filt, expected in order:
            page = archive.search_households(who, filt)
            assert names(page) == expected and page.total == len(expected), filt
            assert archive.archive_counts(who, filt).total == len(expected), filt


def test_edit_updates_search_keys(ctx, people):
    view = people["张伟"]
    archive.update_household(ctx, view.id, view.version, replace(view.data, name="查海"))
    assert names(archive.search_households(ctx, F(text="zhahai"))) == {"查海"}
    assert "张伟" not in names(archive.search_households(ctx, F(text="zhangwei")))


def keyset_pages(ctx, filt, sort="archive_no", descending=False, limit=2, between=None):
    """Every page of the list by `next_after`; `between(n)` runs after page n (a save meanwhile)."""
    pages, after = [], None
    while True:
        page = archive.search_households(ctx, filt, sort=sort, descending=descending, limit=limit, after=after,
                                         count=False)
        assert page.total is None
        pages.append(page)
        if page.next_after is None:
            return pages
        after = page.next_after
        if between is not None:
            between(len(pages))


SORTS = ("archive_no", "name", "sex", "category", "status", "unit_name", "phone", "household_size",
         "per_capita_income", "next_visit_due", "archived_on", "updated_at")


@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_are_the_whole_list_in_order(ctx, people, descending):
    """On every sort key, NULLs included (phone, next visit): the pages by `next_after` are the
    list read at once, without a row repeated or missing."""
    for sort in SORTS:
        whole = [r.id for r in archive.search_households(ctx, F(), sort=sort, descending=descending).rows]
        paged = [r.id for page in keyset_pages(ctx, F(), sort, descending) for r in page.rows]
        assert paged == whole and len(set(paged)) == 6, sort
        assert len(keyset_pages(ctx, F(), sort, descending, limit=6)) == 1  # a full last page says so


def test_keyset_paging_with_rows_saved_meanwhile(ctx, people):
    """A household saved between two pages, before or after the place reached, neither repeats
    a row nor hides one (OFFSET would show the row at the seam twice when one is saved before)."""
    before = [r.id for r in archive.search_households(ctx, F(), sort="name").rows]
    saved = {}

    def save(n):
        if n == 1:  # after 区小凤, 单丽: 丁 sorts before them, 赵 after
            saved["before"] = archive.create_household(ctx, household(ctx, name="丁一", seq=41)).id
            saved["after"] = archive.create_household(ctx, household(ctx, name="赵二", seq=42)).id

    paged = [r.id for page in keyset_pages(ctx, F(), "name", between=save) for r in page.rows]
    assert len(paged) == len(set(paged))
    assert set(before) <= set(paged)
    assert saved["after"] in paged and saved["before"] not in paged  # the place reached is kept
    again = [r.id for page in keyset_pages(ctx, F(), "name") for r in page.rows]
    assert again[0] == saved["before"] and len(again) == 8


def test_keyset_paging_keeps_to_scope_and_filters(ctx, people):
    xintang = scoped(ctx, "新塘镇总工会", roles=("reviewer",))
    paged = [r.name for page in keyset_pages(xintang, F(), limit=1) for r in page.rows]
    assert sorted(paged) == sorted(["覃国强", "区小凤"])
    deep = [r.name for page in keyset_pages(ctx, F(categories=frozenset({"deep"})), "name", limit=1) for r in page.rows]
    assert sorted(deep) == sorted(["曾志明", "区小凤", "张伟"])
    assert [r.name for page in keyset_pages(xintang, F(text="qgq"), limit=1) for r in page.rows] == ["覃国强"]
    assert [r.name for page in keyset_pages(xintang, F(text="zeng")) for r in page.rows] == []


def test_counts_are_kept_until_something_is_written(ctx, people):
    everyone = archive.archive_counts(ctx, F())
    assert everyone.total == 6
    assert archive.archive_counts(ctx, F(), quick=True) is everyone  # kept: nothing written since
    assert archive.archive_counts(ctx, F(categories=frozenset({"accident"})), quick=True) is None  # broad, not kept
    assert archive.archive_counts(ctx, F(text="qgq"), quick=True).total == 1  # the index answers: counted at once
    archive.create_household(ctx, household(ctx, name="艾一", seq=41))
    assert archive.archive_counts(ctx, F(), quick=True) is None
    assert archive.archive_counts(ctx, F()).total == 7
    xintang = scoped(ctx, "新塘镇总工会", roles=("reviewer",))
    assert archive.archive_counts(xintang, F()).total == 2  # kept per scope, not shared with the office


def test_a_search_overtaken_by_a_newer_one_stops_inside_the_database(ctx, people, monkeypatch):
    from zhibang_desktop.storage import search_index

    if not ctx.db.is_sqlite:
        pytest.skip("PostgreSQL runs the query to its end; the caller drops the answer")
    monkeypatch.setattr(search_index, "STOP_CHECK_STEPS", 1)
    with pytest.raises(search_index.QueryStopped):
        archive.archive_counts(ctx, F(categories=frozenset({"deep"})), stop=lambda: True)
    with pytest.raises(search_index.QueryStopped):
        archive.search_households(ctx, F(), stop=lambda: True)
    assert archive.archive_counts(ctx, F(categories=frozenset({"deep"})), stop=lambda: False).total == 3
    assert archive.search_households(ctx, F()).total == 6  # the pooled connection no longer stops
