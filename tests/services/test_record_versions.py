"""Users, unions, budget lines and the year's policy carry a version like households do: a save
over someone else's newer save is refused, names who changed what, and writes nothing."""
from __future__ import annotations

import pytest

from zhibang_desktop.services.admin import audit, users
from zhibang_desktop.services.errors import Conflict

from ..admin_helpers import PASSWORD, snapshot
from .record_cases import CASES, opened_twice, two_admins


@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_second_save_over_the_same_record_is_told_who_changed_what(ctx, kind):
    w = opened_twice(ctx, kind)
    case, admin, wang, rid, mine = w.case, w.admin, w.wang, w.rid, w.mine
    case.save(wang, w.theirs, "王芳改的")
    kept = case.stored(admin, rid)
    before = snapshot(ctx.db)
    with pytest.raises(Conflict) as told:
        case.save(admin, mine, "管理员改的")
    message = str(told.value)
    assert "王芳" in message and case.field in message and "没有保存" in message, message
    assert snapshot(ctx.db) == before  # nothing of the loser's was written
    assert case.stored(admin, rid) == kept
    again = case.open(admin, rid)  # opened afresh, the same typing saves
    case.save(admin, again, "管理员改的")
    assert case.stored(admin, rid) != kept
    assert audit.verify_chain(admin).ok


@pytest.mark.parametrize("kind", sorted(CASES))
def test_saves_one_after_the_other_from_fresh_windows_both_count(ctx, kind):
    case = CASES[kind]
    admin, wang = two_admins(ctx)
    rid = case.prepare(admin)
    case.save(wang, case.open(wang, rid), "王芳改的")
    first = case.stored(admin, rid)
    case.save(admin, case.open(admin, rid), "管理员改的")
    assert case.stored(admin, rid) != first


def test_a_users_own_failed_login_does_not_make_the_administrators_window_stale(ctx):
    admin, _ = two_admins(ctx)
    target = users.add_user(admin, "lihua", "李华", PASSWORD, ["clerk"])
    opened = users.get_user(admin, target.id)
    with pytest.raises(users.LoginFailed):
        users.authenticate(ctx.db, "lihua", "wrong-password")
    saved = users.update_user(admin, target.id, display_name="李华华", version=opened.version)
    assert saved.display_name == "李华华" and saved.version == opened.version + 1
