"""A street-union user sees and edits only the households of its own union subtree."""
from __future__ import annotations

from datetime import date

import pytest

from tests.admin_helpers import PASSWORD, admin_context, snapshot, unit_id, user_context
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.archive.types import HouseholdFilter, HouseholdInput, VisitInput
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed


def household(unit: int, name: str, seq: int) -> HouseholdInput:
    return HouseholdInput(name=name, id_number=make_id_number("440183", date(1975, 3, 9), seq, "F"),
                          unit_id=unit, category="relative", phone="13900139000", causes=["因病"],
                          household_size=1)


@pytest.fixture
def offices(ctx):
    """Two streets with one household each, created through the archive service."""
    admin = admin_context(ctx)
    licheng = unit_id(ctx, "荔城街总工会")
    licheng_factory = unit_id(ctx, "荔城街某某电子厂工会")
    xintang_factory = unit_id(ctx, "新塘镇牛仔服装公司工会")
    mine = archive.create_household(ctx, household(licheng_factory, "李秀英", 31))
    theirs = archive.create_household(ctx, household(xintang_factory, "陈桂兰", 42))
    scoped = user_context(admin, "licheng_clerk", ["clerk"], scope_unit_id=licheng)
    return admin, scoped, mine, theirs, xintang_factory


def test_scoped_user_lists_only_own_subtree(offices):
    admin, scoped, mine, theirs, _ = offices
    page = archive.search_households(scoped, HouseholdFilter())
    assert [r.id for r in page.rows] == [mine.id] and page.total == 1
    assert archive.archive_counts(scoped).total == 1
    assert archive.search_households(scoped, HouseholdFilter(text="陈桂兰")).total == 0
    assert archive.find_by_id_number(scoped, mine.data.id_number) == mine.id
    everyone = archive.search_households(admin, HouseholdFilter())
    assert {r.id for r in everyone.rows} == {mine.id, theirs.id}


def test_scoped_user_cannot_read_or_edit_another_street(offices):
    admin, scoped, mine, theirs, xintang_factory = offices
    before = snapshot(scoped.db)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        archive.get_household(scoped, theirs.id)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        archive.find_by_id_number(scoped, theirs.data.id_number)
    changed = household(xintang_factory, "陈桂兰（改）", 42)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        archive.update_household(scoped, theirs.id, theirs.version, changed)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        archive.add_visit(scoped, theirs.id, VisitInput(date(2026, 1, 5), "home", "李娜"))
    with pytest.raises(PermissionDenied, match="管辖范围"):
        archive.delete_draft(scoped, theirs.id, theirs.version)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        archive.search_households(scoped, HouseholdFilter(unit_id=xintang_factory))
    # Creating a household in another street, or moving one's own household there, is refused too.
    with pytest.raises(ValidationFailed, match="管辖范围"):
        archive.create_household(scoped, household(xintang_factory, "王小红", 53))
    moved = household(xintang_factory, mine.data.name, 31)
    with pytest.raises(ValidationFailed, match="管辖范围"):
        archive.update_household(scoped, mine.id, mine.version, moved)
    assert snapshot(scoped.db) == before
    assert archive.get_household(admin, theirs.id).data.name == "陈桂兰"


def test_scoped_user_edits_own_street(offices):
    _, scoped, mine, _, _ = offices
    view = archive.get_household(scoped, mine.id)
    data = view.data
    data.phone = "13700137000"
    saved = archive.update_household(scoped, mine.id, view.version, data)
    assert saved.data.phone == "13700137000"
    archive.add_visit(scoped, mine.id, VisitInput(date(2026, 1, 5), "home", "李娜"))


def test_scope_change_takes_effect_at_next_login(offices):
    admin, scoped, mine, theirs, _ = offices
    users.update_user(admin, scoped.actor.user_id, scope_unit_id=None)
    widened = AppContext(admin.db, users.authenticate(admin.db, "licheng_clerk", PASSWORD))
    assert archive.get_household(widened, theirs.id).id == theirs.id
