"""Demo data: realistic, valid, consistent, and bulk-inserted."""
from __future__ import annotations

from sqlalchemy import func, select

from zhibang_desktop.domain import clock
from zhibang_desktop.domain.idnumber import is_valid_id_number
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.demo.office import DEMO_PASSWORD, create_demo
from zhibang_desktop.services.admin.settings import get_settings
from zhibang_desktop.services.admin.users import authenticate
from zhibang_desktop.storage.models import AuditEntry, FamilyMember, Household, OrgUnit, YearStandard


def test_demo_on_a_new_database(db):
    seen = []
    summary = create_demo(db, households=120, seed=3, progress=lambda d, t: seen.append((d, t)))
    assert summary.households == 120 and summary.members > 100 and summary.visits > 120
    assert seen[0] == (0, 120) and seen[-1] == (120, 120)
    ctx = AppContext(db, SYSTEM)
    assert get_settings(ctx).office_name == "增城区总工会"
    with db.session() as s:
        streets = set(s.execute(select(OrgUnit.name).where(OrgUnit.level == "street")).scalars())
        assert {"荔城街总工会", "新塘镇总工会", "派潭镇总工会"} <= streets
        ids = s.execute(select(Household.id_number)).scalars().all()
        member_ids = [n for n in s.execute(select(FamilyMember.id_number)).scalars() if n]
        assert all(is_valid_id_number(n) for n in ids + member_ids)
        assert all(n[:4] in ("4401", "4413", "4451") for n in ids)
        assert len(set(ids + member_ids)) == len(ids + member_ids)
        statuses = dict(s.execute(select(Household.status, func.count()).group_by(Household.status)).all())
        assert statuses["active"] > 60 and set(statuses) <= {"draft", "active", "phasing_out", "exited"}
        deep = s.execute(select(func.count()).where(Household.category == "deep")).scalar_one()
        assert 20 <= deep <= 65  # about a third
        schooling = set(s.execute(select(FamilyMember.schooling)).scalars())
        assert len(schooling - {"none"}) >= 3
        assert s.get(YearStandard, 2024).dibao_fen == 116_600
        assert s.get(YearStandard, 2026).low_income_fen == 186_000
        chunks = s.execute(select(func.count()).where(AuditEntry.summary.like("生成演示数据%"))).scalar_one()
        assert chunks == 1
    assert run_checks(db).ok
    assert authenticate(db, "clerk", DEMO_PASSWORD).roles == frozenset({"clerk"})
    # the surnames pypinyin reads wrong are in the data and found by their right reading
    names = {r.name for r in archive.search_households(ctx, HouseholdFilter(text="zeng"), limit=1000).rows}
    assert names and all(n.startswith("曾") for n in names)


def test_demo_adds_to_an_existing_demo_database(db):
    create_demo(db, households=30, seed=1)
    again = create_demo(db, households=30, seed=2)
    assert again.users == []  # users only once
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Household)).scalar_one() == 60
        numbers = s.execute(select(Household.archive_no)).scalars().all()
    assert len(set(numbers)) == 60
    assert run_checks(db).ok


def test_demo_then_the_services_number_on(db):

    from tests.archive_helpers import household

    create_demo(db, households=20, seed=5)
    ctx = AppContext(db, SYSTEM)
    new = archive.create_household(ctx, household(ctx, unit="荔城街总工会", seq=499, name="新户"))
    assert new.archive_no.startswith(f"ZC{clock.today().year}")



def test_the_demo_year_loads_only_the_households_it_uses(db, monkeypatch):
    """100,000 households must be feasible: the year of requests must not load them all
    (it held every active household with its members, about a gigabyte at 100,000)."""

    from sqlalchemy import event

    from zhibang_desktop.demo import year as demo_year

    monkeypatch.setattr(demo_year, "create_year", lambda *a, **k: None)
    create_demo(db, households=600, seed=4)
    loaded = []

    def on_load(target, context):
        loaded.append(target.id)

    event.listen(Household, "load", on_load)
    try:
        a, b, c = demo_year._Year(db, 4, clock.today()).households()
    finally:
        event.remove(Household, "load", on_load)
    assert a and b and c and len(a) + len(b) + len(c) == len(loaded)
    assert len(loaded) <= 4 * demo_year.PER_QUARTER_MAX + 40


def test_demo_households_fill_the_archive_form_plausibly(db):
    from zhibang_desktop.services.archive.store import to_input
    from zhibang_desktop.services.archive.validation import form_problems

    create_demo(db, households=150, seed=5)
    with db.session() as s:
        rows = s.execute(select(Household)).scalars().all()
        problems = [(h.archive_no, p.label, p.message) for h in rows for p in form_problems(to_input(h))]
        assert problems == []
        assert len({h.political_status for h in rows}) >= 3 and len({h.housing_type for h in rows}) >= 4
        assert all(h.housing_area_x100 for h in rows)
        assert 0 < sum(h.disability_category != "none" for h in rows) < 50
        archived = [h for h in rows if h.status != "draft"]
        assert all(h.grassroots_opinion_on <= h.upper_opinion_on <= h.archived_on for h in archived)


def test_demo_card_check_digit_is_the_one_luhn_accepts():
    import random

    from zhibang_desktop.demo.people import luhn_check_digit
    from zhibang_desktop.domain.cards import luhn_ok

    rnd = random.Random(7)
    for _ in range(500):
        body = "".join(str(rnd.randint(0, 9)) for _ in range(rnd.randint(12, 18)))
        assert [d for d in range(10) if luhn_ok(body + str(d))] == [luhn_check_digit(body)]


def test_demo_members_visits_and_seals_belong_to_their_households(db, monkeypatch):
    """Households go in with one executemany per chunk and their ids are read back by archive
    number: members and visits must land on their own household (a child has the head's or
    the spouse's surname; the first visit is 3–25 days before archiving), and every household
    is sealed — in a chunk that is one INSERT of its seals, not one statement per row."""
    from datetime import timedelta

    from sqlalchemy import event

    from zhibang_desktop.demo import office
    from zhibang_desktop.demo import year as demo_year
    from zhibang_desktop.storage.models import RowSeal, Visit

    monkeypatch.setattr(demo_year, "create_year", lambda *a, **k: None)
    monkeypatch.setattr(office, "CHUNK", 40)
    statements = []

    def seen(conn, cursor, statement, params, context, executemany):
        if statement.startswith("INSERT INTO row_seals"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        create_demo(db, households=200, seed=6)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert 5 <= len(statements) <= 8  # one per chunk of 40 households (and the set-up's few)
    with db.session() as s:
        households = {h.id: h for h in s.execute(select(Household)).scalars()}
        first_visit = dict(s.execute(select(Visit.household_id, func.min(Visit.visit_date))
                                     .group_by(Visit.household_id)).all())
        for h in households.values():
            if h.archived_on is not None and h.id in first_visit:
                assert timedelta(days=3) <= h.archived_on - first_visit[h.id] <= timedelta(days=25), h.archive_no
        for m in s.execute(select(FamilyMember).where(FamilyMember.relation == "子女")).scalars():
            head = households[m.household_id]
            spouse = [x.name[0] for x in head.members if x.relation == "配偶"]
            assert m.name[0] in [head.name[0], *spouse], (head.name, m.name)
        sealed = set(s.execute(select(RowSeal.row_id).where(RowSeal.table_name == "households")).scalars())
        assert sealed == {str(i) for i in households}
    assert run_checks(db).ok
