"""Users administration: add, edit, disable, passwords, reviewer scopes, the last admin."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.admin_helpers import PASSWORD, admin_context, audit_count, unit_id, user_context
from zhibang_desktop.domain import clock as zclock
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.errors import NotFound, PermissionDenied, ValidationFailed
from zhibang_desktop.storage.models import AuditEntry, User


@pytest.fixture
def admin(ctx) -> AppContext:
    return admin_context(ctx)


def audit_rows(db, entity="user"):
    with db.session() as s:
        return s.execute(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.seq)).scalars().all()


def test_add_user_with_roles_and_scope(admin):
    street = unit_id(admin, "荔城街总工会")
    view = users.add_user(admin, "lina", "李娜", "Passw0rd", ["clerk", "reviewer"], street)
    assert view.roles == ("clerk", "reviewer")
    assert view.scope_unit_id == street and view.active
    actor = users.authenticate(admin.db, "lina", "Passw0rd")
    assert actor.roles == frozenset({"clerk", "reviewer"}) and actor.scope_unit_id == street
    row = [r for r in audit_rows(admin.db) if r.action == "create"][-1]
    assert "lina" in row.summary
    assert ["管辖范围", "", "荔城街总工会"] in row.changes


@pytest.mark.parametrize("kwargs, field", [
    (dict(username="", password="Passw0rd", roles=["clerk"]), "username"),
    (dict(username="admin", password="Passw0rd", roles=["clerk"]), "username"),
    (dict(username="x1", password="short1", roles=["clerk"]), "password"),
    (dict(username="x2", password="onlyletters", roles=["clerk"]), "password"),
    (dict(username="x3", password="Passw0rd", roles=[]), "roles"),
    (dict(username="x4", password="Passw0rd", roles=["boss"]), "roles"),
    (dict(username="x5", password="Passw0rd", roles=["clerk"], scope_unit_id=9999), "scope_unit_id"),
])
def test_add_user_rejects_bad_input(admin, kwargs, field):
    kwargs.setdefault("scope_unit_id", None)
    with pytest.raises(ValidationFailed) as err:
        users.add_user(admin, kwargs["username"], "名字", kwargs["password"], kwargs["roles"], kwargs["scope_unit_id"])
    assert field in {p.field for p in err.value.problems}
    assert len(users.list_users(admin)) == 1


def test_passwords_never_reach_the_audit_trail(admin):
    view = users.add_user(admin, "zhang", "张三", "Zhang2026x", ["clerk"])
    users.reset_password(admin, view.id, "Reset2026y")
    clerk = AppContext(admin.db, users.authenticate(admin.db, "zhang", "Reset2026y"))
    users.change_own_password(clerk, "Reset2026y", "Own2026zz")
    with admin.db.session() as s:
        hashes = [u.password_hash for u in s.execute(select(User)).scalars()]
        text = repr([(e.summary, e.changes) for e in s.execute(select(AuditEntry)).scalars()])
    for secret in ["Zhang2026x", "Reset2026y", "Own2026zz", PASSWORD, *hashes, "argon2"]:
        assert secret not in text
    assert all(h.startswith("$argon2id$") for h in hashes)
    actions = [r.action for r in audit_rows(admin.db)]
    assert "password_reset" in actions and "password" in actions


def test_update_user_roles_display_name_and_scope(admin):
    view = users.add_user(admin, "wang", "王五", "Passw0rd", ["clerk"])
    street = unit_id(admin, "新塘镇总工会")
    updated = users.update_user(admin, view.id, roles=["clerk", "head"], display_name="王五一", scope_unit_id=street)
    assert updated.roles == ("clerk", "head") and updated.display_name == "王五一" and updated.scope_unit_id == street
    assert users.update_user(admin, view.id, scope_unit_id=None).scope_unit_id is None
    row = [r for r in audit_rows(admin.db) if r.action == "update"][0]
    assert ["角色", "经办人", "经办人、负责人"] in row.changes
    assert ["管辖范围", "全单位", "新塘镇总工会"] in row.changes
    # Nothing to change: no audit row.
    before = len(audit_rows(admin.db))
    users.update_user(admin, view.id, roles=["head", "clerk"])
    assert len(audit_rows(admin.db)) == before


def test_disable_and_enable(admin):
    view = users.add_user(admin, "zhao", "赵六", "Passw0rd", ["clerk"])
    assert not users.disable_user(admin, view.id).active
    with pytest.raises(users.LoginFailed, match="已停用"):
        users.authenticate(admin.db, "zhao", "Passw0rd")
    assert users.enable_user(admin, view.id).active
    users.authenticate(admin.db, "zhao", "Passw0rd")
    assert [r.action for r in audit_rows(admin.db) if r.entity_id == str(view.id)][-2:] == ["enable", "login"]


def test_last_active_admin_is_protected(admin):
    me = admin.actor.user_id
    with pytest.raises(ValidationFailed, match="唯一启用的管理员"):
        users.update_user(admin, me, roles=["clerk"])
    with pytest.raises(ValidationFailed):
        users.disable_user(admin, me)  # also: cannot disable yourself
    second = users.add_user(admin, "admin2", "副管理员", "Passw0rd", ["admin"])
    other = AppContext(admin.db, users.authenticate(admin.db, "admin2", "Passw0rd"))
    # With two admins one may drop the role; then the other is the last one again.
    users.update_user(other, me, roles=["admin", "clerk"])
    users.update_user(admin, second.id, roles=["auditor"])
    with pytest.raises(ValidationFailed, match="唯一启用的管理员"):
        users.update_user(admin, me, roles=["clerk"])
    # A disabled admin does not count as the other admin.
    users.update_user(admin, second.id, roles=["admin"])
    users.disable_user(admin, second.id)
    with pytest.raises(ValidationFailed, match="唯一启用的管理员"):
        users.update_user(admin, me, roles=["clerk"])


def test_disable_self_refused(admin):
    users.add_user(admin, "admin2", "副管理员", "Passw0rd", ["admin"])
    with pytest.raises(ValidationFailed, match="当前登录"):
        users.disable_user(admin, admin.actor.user_id)


def test_change_own_password(admin):
    clerk = user_context(admin, "qian", ["clerk"])
    with pytest.raises(ValidationFailed, match="原密码"):
        users.change_own_password(clerk, "wrong-pass1", "NewPass123")
    with pytest.raises(ValidationFailed, match="至少"):
        users.change_own_password(clerk, PASSWORD, "short")
    with pytest.raises(ValidationFailed, match="相同"):
        users.change_own_password(clerk, PASSWORD, PASSWORD)
    users.change_own_password(clerk, PASSWORD, "NewPass123")
    with pytest.raises(users.LoginFailed):
        users.authenticate(admin.db, "qian", PASSWORD)
    users.authenticate(admin.db, "qian", "NewPass123")


def test_reset_password_lifts_lock_out(admin):
    view = users.add_user(admin, "sun", "孙七", "Passw0rd", ["clerk"])
    for _ in range(users.MAX_FAILED_ATTEMPTS):
        with pytest.raises(users.LoginFailed):
            users.authenticate(admin.db, "sun", "wrong")
    with pytest.raises(users.LoginFailed, match="锁定"):
        users.authenticate(admin.db, "sun", "Passw0rd")
    users.reset_password(admin, view.id, "Fresh2026a")
    users.authenticate(admin.db, "sun", "Fresh2026a")


def test_lock_after_five_failures_lifts_by_itself_after_five_minutes(admin, monkeypatch):
    users.add_user(admin, "li", "李十", "Passw0rd", ["clerk"])
    start = zclock.now()
    clock = [start]
    monkeypatch.setattr(zclock, "now", lambda: clock[0])
    for _ in range(4):
        with pytest.raises(users.LoginFailed, match="用户名或密码错误"):
            users.authenticate(admin.db, "li", "wrong")
    users.authenticate(admin.db, "li", "Passw0rd")  # four failures do not lock; success resets the count
    for _ in range(5):
        with pytest.raises(users.LoginFailed):
            users.authenticate(admin.db, "li", "wrong")
    clock[0] = start + timedelta(minutes=4, seconds=50)
    with pytest.raises(users.LoginFailed, match="账户已锁定，请 1 分钟后再试"):
        users.authenticate(admin.db, "li", "Passw0rd")
    clock[0] = start + timedelta(minutes=5, seconds=1)
    assert users.authenticate(admin.db, "li", "Passw0rd").username == "li"


def test_unlock_user(admin):
    view = users.add_user(admin, "zhou", "周八", "Passw0rd", ["clerk"])
    with admin.db.session() as s:
        s.get(User, view.id).locked_until = zclock.now() + timedelta(minutes=5)
    users.unlock_user(admin, view.id)
    users.authenticate(admin.db, "zhou", "Passw0rd")


def test_reviewer_scopes(admin):
    reviewer = users.add_user(admin, "wu", "吴九", "Passw0rd", ["reviewer"])
    street, district = unit_id(admin, "荔城街总工会"), unit_id(admin, "增城区总工会")
    got = users.set_reviewer_scopes(admin, reviewer.id, [(street, "street"), (district, "district"), (street, "street")])
    assert [(s.unit_id, s.level) for s in got] == [(street, "street"), (district, "district")]
    assert got[0].unit_name == "荔城街总工会" and got[0].level_label == "镇街/系统工会"
    assert users.reviewer_scopes(admin, reviewer.id) == got
    row = audit_rows(admin.db, "reviewer_scope")[-1]
    assert row.changes[0][2] == "荔城街总工会（镇街/系统工会）；增城区总工会（区总工会）"
    assert users.set_reviewer_scopes(admin, reviewer.id, []) == []
    with pytest.raises(ValidationFailed, match="有效层级"):
        users.set_reviewer_scopes(admin, reviewer.id, [(street, "province")])
    clerk = users.add_user(admin, "zheng", "郑十", "Passw0rd", ["clerk"])
    with pytest.raises(ValidationFailed, match="审核人"):
        users.set_reviewer_scopes(admin, clerk.id, [(street, "street")])


def test_reviewer_sees_own_scopes_only(admin):
    reviewer = user_context(admin, "feng", ["reviewer"])
    other = users.add_user(admin, "chen", "陈", "Passw0rd", ["reviewer"])
    assert users.reviewer_scopes(reviewer, reviewer.actor.user_id) == []
    with pytest.raises(PermissionDenied):
        users.reviewer_scopes(reviewer, other.id)


def test_unknown_user(admin):
    with pytest.raises(NotFound):
        users.update_user(admin, 9999, display_name="x")
    with pytest.raises(NotFound):
        users.find_user(admin, "nobody")
    assert users.find_user(admin, "admin").roles == ("admin",)


def test_login_messages_do_not_tell_names_disabled_or_locked_users_apart_before_the_password(admin):
    """Issue 10: the messages revealed whether a user existed or was disabled before the password
    was checked. Now every wrong password reads the same; only the right one learns more."""
    from sqlalchemy import func

    off = users.add_user(admin, "off", "停用", "Passw0rd", ["clerk"])
    users.disable_user(admin, off.id)
    locked = users.add_user(admin, "locked", "锁定", "Passw0rd", ["clerk"])
    with admin.db.session() as s:
        s.get(User, locked.id).locked_until = zclock.now() + timedelta(minutes=5)
    users.add_user(admin, "plain", "普通", "Passw0rd", ["clerk"])
    seen = set()
    for name in ("nobody", "off", "locked", "plain", "nobody2"):
        for _ in range(3):
            with pytest.raises(users.LoginFailed) as caught:
                users.authenticate(admin.db, name, "wrong-guess1")
            seen.add(str(caught.value))
    assert seen == {users.WRONG_LOGIN}
    with pytest.raises(users.LoginFailed, match="已停用"):
        users.authenticate(admin.db, "off", "Passw0rd")
    with pytest.raises(users.LoginFailed, match="已锁定"):
        users.authenticate(admin.db, "locked", "Passw0rd")
    with admin.db.session() as s:  # the audit trail still keeps the real reason
        n = s.execute(select(func.count()).select_from(AuditEntry)
                      .where(AuditEntry.summary == "用户名不存在")).scalar_one()
    assert n == 6


def test_a_session_opened_before_its_user_was_disabled_writes_nothing_more(admin):
    """Issue 10: a session opened before its user was disabled kept writing. The user's row is
    now read in each write's transaction: 10 tries after the disable, 10 refusals, 0 rows."""
    from sqlalchemy import func

    clerk = user_context(admin, "wang", ["clerk"])
    users.change_own_password(clerk, PASSWORD, "Before2026a")  # writes while enabled
    users.disable_user(admin, clerk.actor.user_id)
    with admin.db.session() as s:
        before = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    refused = 0
    for i in range(10):
        with pytest.raises(PermissionDenied, match="已被停用"):
            users.change_own_password(clerk, "Before2026a", f"After2026a{i}")
        refused += 1
    assert refused == 10
    with admin.db.session() as s:
        assert s.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == before


def test_a_session_whose_user_lost_a_role_cannot_use_it(admin):
    second = user_context(admin, "admin2", ["admin"])
    users.update_user(admin, second.actor.user_id, roles=["auditor"])
    assert second.actor.can("users.manage")  # the session's own copy still says so …
    with pytest.raises(PermissionDenied, match="用户管理|管理用户|权限"):
        users.add_user(second, "sneaky", "偷偷", "Passw0rd", ["admin"])  # … the database does not


def test_an_administrator_bound_to_a_union_manages_only_its_subtree(admin):
    """A union's administrator adds and edits the users bound within its union and gives them
    scopes within it: not the whole office (it could make itself an office-wide administrator),
    not another union, not the users of either."""
    street, factory = unit_id(admin, "荔城街总工会"), unit_id(admin, "荔城街某某电子厂工会")
    xintang = unit_id(admin, "新塘镇总工会")
    local = user_context(admin, "licheng_admin", ["admin"], scope_unit_id=street)
    mine = users.add_user(local, "f_clerk", "厂经办", "Passw0rd", ["clerk"], factory)
    theirs = users.add_user(admin, "x_clerk", "新塘经办", "Passw0rd", ["reviewer"], xintang)
    office = users.add_user(admin, "o_clerk", "区经办", "Passw0rd", ["clerk"])

    assert {u.username for u in users.list_users(local)} == {"licheng_admin", "f_clerk"}
    assert users.update_user(local, mine.id, roles=["clerk", "reviewer"], scope_unit_id=street).scope_unit_id == street
    assert users.set_reviewer_scopes(local, mine.id, [(factory, "grassroots")])[0].unit_id == factory
    before = audit_count(admin.db)
    for scope, refused in ((None, "不能设为全单位"), (xintang, "不在当前用户的管辖范围内")):
        with pytest.raises(ValidationFailed, match=refused):
            users.add_user(local, "boss2", "越权", "Passw0rd", ["admin"], scope)
        with pytest.raises(ValidationFailed, match=refused):
            users.update_user(local, mine.id, scope_unit_id=scope)
    with pytest.raises(ValidationFailed, match="不在当前用户的管辖范围内"):
        users.set_reviewer_scopes(local, mine.id, [(xintang, "street")])
    for other in (theirs, office):
        for attempt in (lambda o: users.update_user(local, o.id, roles=["admin"]),
                        lambda o: users.reset_password(local, o.id, "Newpassw0rd"),
                        lambda o: users.disable_user(local, o.id), lambda o: users.unlock_user(local, o.id),
                        lambda o: users.get_user(local, o.id), lambda o: users.find_user(local, o.username),
                        lambda o: users.reviewer_scopes(local, o.id)):
            with pytest.raises(PermissionDenied, match="不在当前用户的管辖范围内"):
                attempt(other)
    assert audit_count(admin.db) == before  # nothing refused was written
    assert users.get_user(local, local.actor.user_id).username == "licheng_admin"  # its own row


def test_a_scoped_change_reads_the_union_tree_once(admin):
    """update_user and set_reviewer_scopes check the user's place and the new scope against one
    reading of the actor's subtree, not one reading each."""
    from sqlalchemy import event

    street, factory = unit_id(admin, "荔城街总工会"), unit_id(admin, "荔城街某某电子厂工会")
    local = user_context(admin, "licheng_admin2", ["admin"], scope_unit_id=street)
    mine = users.add_user(local, "f_clerk2", "厂经办", "Passw0rd", ["clerk", "reviewer"], factory)
    tree_reads = []

    def seen(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "org_units.parent_id" in statement \
                and "WHERE" not in statement.upper():
            tree_reads.append(statement)

    event.listen(admin.db.engine, "before_cursor_execute", seen)
    try:
        users.update_user(local, mine.id, scope_unit_id=street)
        assert len(tree_reads) == 1
        users.set_reviewer_scopes(local, mine.id, [(factory, "grassroots")])
        assert len(tree_reads) == 2
    finally:
        event.remove(admin.db.engine, "before_cursor_execute", seen)
