"""Users, passwords (argon2id) and login with lock-out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm.exc import StaleDataError

from ...domain import clock
from ...domain.permissions import ROLES
from ...storage.database import Database
from ...storage.models import OrgUnit, ReviewerScope, User
from .. import audit_chain, row_seals
from ..context import Actor, AppContext
from ..record_conflicts import check_version, told_who_changed
from ..errors import FieldProblem, NotFound, PermissionDenied, ServiceError, ValidationFailed
from .org import visible_unit_ids

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 5
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()  # argon2id with the library's defaults


class LoginFailed(ServiceError):
    pass


WRONG_LOGIN = f"用户名或密码错误（连续输错 {MAX_FAILED_ATTEMPTS} 次，账户将锁定 {LOCK_MINUTES} 分钟）"
_dummy: list[str] = []


def _dummy_hash() -> str:
    """A hash to verify against when the name is unknown, so that it costs the same time."""
    if not _dummy:
        _dummy.append(_hasher.hash("no such user"))
    return _dummy[0]


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    scope_unit_id: int | None
    active: bool
    locked_until: datetime | None
    version: int = 1  # what an edit dialog hands back, so a save over someone else's is refused


def _view(u: User) -> UserView:
    return UserView(u.id, u.username, u.display_name, tuple(u.roles), u.scope_unit_id, u.active, u.locked_until,
                    u.version)


def actor_for(u: User) -> Actor:
    return Actor.make(u.id, u.username, u.display_name, u.roles, u.scope_unit_id)


def has_users(db: Database) -> bool:
    with db.session(read_only=True) as session:
        return session.execute(select(func.count()).select_from(User)).scalar_one() > 0


def password_problems(password: str) -> list[FieldProblem]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [FieldProblem("password", "密码", f"至少 {MIN_PASSWORD_LENGTH} 位")]
    if password.isdigit() or password.isalpha():
        return [FieldProblem("password", "密码", "须同时包含字母和数字")]
    return []


def username_problems(session, username: str) -> list[FieldProblem]:
    username = username.strip()
    if not username:
        return [FieldProblem("username", "用户名", "不能为空")]
    if len(username) > 50:
        return [FieldProblem("username", "用户名", "不能超过 50 个字符")]
    if session.execute(select(User.id).where(User.username == username)).scalar_one_or_none():
        return [FieldProblem("username", "用户名", f"“{username}”已存在")]
    return []


def new_user(session, username: str, display_name: str, password: str, roles, scope_unit_id=None) -> User:
    problems = username_problems(session, username) + password_problems(password)
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        problems.append(FieldProblem("roles", "角色", "至少选择一个有效角色"))
    if problems:
        raise ValidationFailed(problems)
    user = User(username=username.strip(), display_name=(display_name or username).strip(),
                password_hash=_hasher.hash(password), roles=sorted(set(roles)),
                scope_unit_id=scope_unit_id, active=True, failed_attempts=0, created_at=clock.now())
    session.add(user)
    session.flush()
    return user


def create_admin(db: Database, username: str, password: str, display_name: str = "") -> UserView:
    """First start: the administrator. Refused once any user exists."""
    with db.session() as session:
        if session.execute(select(func.count()).select_from(User)).scalar_one():
            raise ValidationFailed([FieldProblem("username", "用户名", "管理员已存在，请由管理员添加其他用户")])
        user = new_user(session, username, display_name, password, ["admin"])
        audit_chain.append(session, user_id=user.id, username=user.username, action="create",
                           entity="user", entity_id=user.id, summary=f"创建管理员：{user.username}")
        return _view(user)


def authenticate(db: Database, username: str, password: str) -> Actor:
    """Check the password; lock the account for 5 minutes after 5 failures. Every try is audited."""
    try:
        return _authenticate(db, username, password)
    except StaleDataError:  # an administrator saved this user in the same instant: read it again
        return _authenticate(db, username, password)


def _authenticate(db: Database, username: str, password: str) -> Actor:
    now = clock.now()
    with db.session() as session:
        user = session.execute(select(User).where(User.username == username.strip())).scalar_one_or_none()
        # The password is checked first, for a name that exists or not (the same argon2 work):
        # until it is right, every refusal reads the same, so a stranger learns nothing about
        # which names exist, are disabled or are locked.
        password_ok = _verify(user.password_hash if user is not None else _dummy_hash(), password)
        failure = reason = None
        if user is None:
            failure, reason = WRONG_LOGIN, "用户名不存在"
        elif not password_ok:
            failure = reason = WRONG_LOGIN
            if not (user.locked_until and user.locked_until > now):
                user.failed_attempts += 1
                if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
                    user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                    user.failed_attempts = 0
                    reason = f"连续输错密码 {MAX_FAILED_ATTEMPTS} 次，账户已锁定 {LOCK_MINUTES} 分钟"
        elif not user.active:
            failure = reason = "该用户已停用，请联系管理员"
        elif user.locked_until and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            failure = reason = f"连续输错密码 {MAX_FAILED_ATTEMPTS} 次，账户已锁定，请 {minutes} 分钟后再试"
        if failure is None and not row_seals.row_intact(session, "users", user.id):
            # written or changed outside the app (issue 10: an admin inserted with SQL)
            failure = reason = "该账号的数据不是由本程序写入或已被改动，不能登录；请管理员运行“zhibang check”检查"
        if failure is None:
            user.failed_attempts, user.locked_until = 0, None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
        audit_chain.append(session, user_id=user.id if user else None,
                           username=user.username if user else unknown_login_name(username),
                           action="login" if failure is None else "login_failed", entity="user",
                           entity_id=user.id if user else None, summary=reason or "登录成功")
        actor = actor_for(user) if failure is None else None
    if actor is None:
        raise LoginFailed(failure)
    return actor


def unknown_login_name(typed: str) -> str:
    """What the audit keeps of a user name that matches no user: clerks sometimes type the
    password into the name box, so only its first character and length are kept."""
    typed = typed.strip()
    return f"未知用户（{typed[:1]}…，{len(typed)} 个字符）" if typed else "未知用户（空）"


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def list_users(ctx: AppContext) -> list[UserView]:
    """Every user; for an administrator bound to a union, the users bound within its subtree."""
    ctx.require("users.manage")
    with ctx.db.session(read_only=True) as session:
        reach = visible_unit_ids(session, ctx.actor)
        return [_view(u) for u in session.execute(select(User).order_by(User.id)).scalars()
                if _within(reach, u.scope_unit_id)]


# ---------------------------------------------------------------------------
# Administration: add / edit / disable users, passwords, reviewer scopes.
# Every change is audited; passwords and hashes never reach the audit trail.
# ---------------------------------------------------------------------------

REVIEW_LEVELS: dict[str, str] = {"grassroots": "基层工会", "street": "镇街/系统工会", "district": "区总工会"}


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class ReviewerScopeView:
    unit_id: int
    unit_name: str
    level: str

    @property
    def level_label(self) -> str:
        return REVIEW_LEVELS.get(self.level, self.level)


def role_names(roles) -> str:
    return "、".join(ROLES.get(r, r) for r in sorted(roles)) or "无"


def _edited_user(ctx: AppContext, user_id: int, version: int | None):
    """The frame of an administrator's edit of a user opened at `version`."""
    return told_who_changed(ctx.db, User, user_id, version, entity=("user", "reviewer_scope"), noun="用户")


_READ_NOW = object()  # no reach given: read the actor's (None is a reach: the whole office)


def _user_to_edit(tx, user_id: int, version: int | None, reach=_READ_NOW) -> User:
    user = _user_in_reach(tx.session, tx.actor, user_id, reach)
    check_version(user, version)
    return user


# An administrator bound to a union manages the users bound within its subtree, and gives them
# scopes within it: otherwise they could make an administrator of the whole office.
def _within(reach: set[int] | None, unit_id: int | None) -> bool:
    return reach is None or (unit_id is not None and unit_id in reach)


def _user_in_reach(session, actor, user_id: int, reach=_READ_NOW) -> User:
    """`reach`: the actor's visible_unit_ids when the service already read them."""
    if reach is _READ_NOW:
        reach = visible_unit_ids(session, actor)
    user = _get_user(session, user_id)
    if user.id != actor.user_id and not _within(reach, user.scope_unit_id):
        raise PermissionDenied(f"用户“{user.username}”不在当前用户的管辖范围内")
    return user


def _saved(user: User) -> None:
    user.version = user.version + 1  # the row's version counter is ours to raise (models/user.py)


def _get_user(session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户（编号 {user_id}）不存在")
    return user


def _unit_name(session, unit_id: int | None) -> str:
    if unit_id is None:
        return "全单位"
    unit = session.get(OrgUnit, unit_id)
    return unit.name if unit is not None else f"（编号 {unit_id}）"


def _check_roles(roles) -> list[FieldProblem]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        return [FieldProblem("roles", "角色", "至少选择一个有效角色" + (f"（无效：{'、'.join(unknown)}）" if unknown else ""))]
    return []


def _check_scope(session, actor, scope_unit_id: int | None, reach: set[int] | None) -> list[FieldProblem]:
    if scope_unit_id is None:
        return [] if reach is None else [FieldProblem(
            "scope_unit_id", "管辖范围", f"不能设为全单位：当前用户只管辖“{_unit_name(session, actor.scope_unit_id)}”及其下级工会")]
    unit = session.get(OrgUnit, scope_unit_id)
    if unit is None:
        return [FieldProblem("scope_unit_id", "管辖范围", f"工会（编号 {scope_unit_id}）不存在")]
    if not unit.active:
        return [FieldProblem("scope_unit_id", "管辖范围", f"“{unit.name}”已停用")]
    if not _within(reach, scope_unit_id):
        return [FieldProblem("scope_unit_id", "管辖范围", f"“{unit.name}”不在当前用户的管辖范围内")]
    return []


def _active_admin_ids(session) -> set[int]:
    rows = session.execute(select(User.id, User.roles).where(User.active.is_(True))).all()
    return {uid for uid, roles in rows if "admin" in (roles or [])}


def _guard_last_admin(session, user: User, *, new_roles=None, new_active=None) -> None:
    """The last active administrator can be neither disabled nor stripped of the role."""
    if not user.active or "admin" not in (user.roles or []):
        return
    loses_admin = (new_roles is not None and "admin" not in new_roles) or new_active is False
    if loses_admin and _active_admin_ids(session) == {user.id}:
        raise ValidationFailed([FieldProblem(
            "roles", "角色", f"“{user.username}”是唯一启用的管理员，不能停用或取消其管理员角色；请先指定另一位管理员"
        )])


def add_user(ctx: AppContext, username: str, display_name: str, password: str, roles,
             scope_unit_id: int | None = None) -> UserView:
    """A new user (admin only). The password is checked for length and mix."""
    with ctx.tx("users.manage") as tx:
        roles = sorted(set(roles or ()))
        reach = visible_unit_ids(tx.session, tx.actor)
        problems = (username_problems(tx.session, username) + password_problems(password)
                    + _check_roles(roles) + _check_scope(tx.session, tx.actor, scope_unit_id, reach))
        if problems:
            raise ValidationFailed(problems)
        user = new_user(tx.session, username, display_name, password, roles, scope_unit_id)
        tx.audit("create", "user", user.id, summary=f"新增用户：{user.username}（{user.display_name}）", changes=[
            ["角色", "", role_names(user.roles)],
            ["管辖范围", "", _unit_name(tx.session, user.scope_unit_id)],
        ])
        return _view(user)


def update_user(ctx: AppContext, user_id: int, *, roles=None, display_name: str | None = None,
                scope_unit_id: Any = UNSET, version: int | None = None) -> UserView:
    """Change roles, display name or scope (`scope_unit_id=None`: the whole office); `version` is
    the one the dialog opened (saved by someone else since: Conflict naming who changed what)."""
    with _edited_user(ctx, user_id, version), ctx.tx("users.manage") as tx:
        reach = visible_unit_ids(tx.session, tx.actor)
        user = _user_to_edit(tx, user_id, version, reach)
        problems: list[FieldProblem] = []
        changes = []
        if roles is not None:
            roles = sorted(set(roles))
            problems += _check_roles(roles)
        if display_name is not None and not display_name.strip():
            problems.append(FieldProblem("display_name", "姓名", "不能为空"))
        if scope_unit_id is not UNSET:
            problems += _check_scope(tx.session, tx.actor, scope_unit_id, reach)
        if problems:
            raise ValidationFailed(problems)
        if roles is not None and roles != sorted(user.roles or []):
            _guard_last_admin(tx.session, user, new_roles=roles)
            changes.append(["角色", role_names(user.roles), role_names(roles)])
            user.roles = roles
        if display_name is not None and display_name.strip() != user.display_name:
            changes.append(["姓名", user.display_name, display_name.strip()])
            user.display_name = display_name.strip()
        if scope_unit_id is not UNSET and scope_unit_id != user.scope_unit_id:
            changes.append(["管辖范围", _unit_name(tx.session, user.scope_unit_id), _unit_name(tx.session, scope_unit_id)])
            user.scope_unit_id = scope_unit_id
        if changes:
            _saved(user)
            tx.audit("update", "user", user.id, summary=f"修改用户：{user.username}", changes=changes)
        return _view(user)


def _set_active(ctx: AppContext, user_id: int, active: bool, version: int | None) -> UserView:
    with _edited_user(ctx, user_id, version), ctx.tx("users.manage") as tx:
        user = _user_to_edit(tx, user_id, version)
        if user.active == active:
            return _view(user)
        if not active:
            if user.id == ctx.actor.user_id:
                raise ValidationFailed([FieldProblem("active", "停用", "不能停用当前登录的用户")])
            _guard_last_admin(tx.session, user, new_active=False)
        user.active = active
        _saved(user)
        if active:
            user.failed_attempts, user.locked_until = 0, None
        tx.audit("enable" if active else "disable", "user", user.id,
                 summary=f"{'启用' if active else '停用'}用户：{user.username}",
                 changes=[["状态", "停用" if active else "启用", "启用" if active else "停用"]])
        return _view(user)


def disable_user(ctx: AppContext, user_id: int, version: int | None = None) -> UserView:
    return _set_active(ctx, user_id, False, version)


def enable_user(ctx: AppContext, user_id: int, version: int | None = None) -> UserView:
    return _set_active(ctx, user_id, True, version)


def change_own_password(ctx: AppContext, old_password: str, new_password: str) -> None:
    """Any signed-in user changes their own password (the old one is checked)."""
    if ctx.actor.user_id is None:
        raise PermissionDenied("系统账户没有密码，请以具体用户身份登录后修改密码")
    problems = password_problems(new_password)
    if new_password == old_password:
        problems.append(FieldProblem("password", "新密码", "不能与原密码相同"))
    with ctx.tx(None) as tx:
        user = _get_user(tx.session, ctx.actor.user_id)
        if not _verify(user.password_hash, old_password):
            raise ValidationFailed([FieldProblem("old_password", "原密码", "不正确")])
        if problems:
            raise ValidationFailed(problems)
        user.password_hash = _hasher.hash(new_password)
        tx.audit("password", "user", user.id, summary=f"修改本人密码：{user.username}")


def reset_password(ctx: AppContext, user_id: int, new_password: str, version: int | None = None) -> UserView:
    """Admin sets a new password for another user; also lifts a lock-out."""
    with _edited_user(ctx, user_id, version), ctx.tx("users.manage") as tx:
        user = _user_to_edit(tx, user_id, version)
        problems = password_problems(new_password)
        if problems:
            raise ValidationFailed(problems)
        user.password_hash = _hasher.hash(new_password)
        user.failed_attempts, user.locked_until = 0, None
        _saved(user)
        tx.audit("password_reset", "user", user.id, summary=f"管理员重置密码：{user.username}")
        return _view(user)


def unlock_user(ctx: AppContext, user_id: int, version: int | None = None) -> UserView:
    """Lift a 5-minute lock-out early."""
    with _edited_user(ctx, user_id, version), ctx.tx("users.manage") as tx:
        user = _user_to_edit(tx, user_id, version)
        if user.locked_until is None and not user.failed_attempts:
            return _view(user)
        user.failed_attempts, user.locked_until = 0, None
        _saved(user)
        tx.audit("unlock", "user", user.id, summary=f"解除锁定：{user.username}")
        return _view(user)


def set_reviewer_scopes(ctx: AppContext, user_id: int, scopes, version: int | None = None) -> list[ReviewerScopeView]:
    """Replace the (unit, review level) pairs a reviewer decides for."""
    with _edited_user(ctx, user_id, version), ctx.tx("users.manage") as tx:
        reach = visible_unit_ids(tx.session, tx.actor)
        user = _user_to_edit(tx, user_id, version, reach)
        wanted: list[tuple[int, str]] = []
        problems = []
        for unit_id, level in scopes:
            if level not in REVIEW_LEVELS:
                problems.append(FieldProblem("level", "审核层级", f"“{level}”不是有效层级"))
            unit = tx.session.get(OrgUnit, unit_id)
            if unit is None:
                problems.append(FieldProblem("unit_id", "审核工会", f"工会（编号 {unit_id}）不存在"))
            elif not _within(reach, unit_id):
                problems.append(FieldProblem("unit_id", "审核工会", f"“{unit.name}”不在当前用户的管辖范围内"))
            if (unit_id, level) not in wanted:
                wanted.append((unit_id, level))
        if wanted and not {"reviewer", "head"} & set(user.roles or []):
            problems.append(FieldProblem("roles", "角色", "只有审核人或负责人可以设置审核范围"))
        if problems:
            raise ValidationFailed(problems)
        old = _scopes(tx.session, user.id)
        if [(s.unit_id, s.level) for s in old] != wanted:
            _saved(user)
            tx.session.execute(delete(ReviewerScope).where(ReviewerScope.user_id == user.id))
            for unit_id, level in wanted:
                tx.session.add(ReviewerScope(user_id=user.id, unit_id=unit_id, level=level))
            tx.session.flush()
            new = _scopes(tx.session, user.id)
            tx.audit("update", "reviewer_scope", user.id, summary=f"设置审核范围：{user.username}", changes=[
                ["审核范围", _scope_text(old), _scope_text(new)],
            ])
        return _scopes(tx.session, user.id)


def _scopes(session, user_id: int) -> list[ReviewerScopeView]:
    rows = session.execute(
        select(ReviewerScope, OrgUnit.name).join(OrgUnit, OrgUnit.id == ReviewerScope.unit_id)
        .where(ReviewerScope.user_id == user_id).order_by(ReviewerScope.id)
    ).all()
    return [ReviewerScopeView(s.unit_id, name, s.level) for s, name in rows]


def _scope_text(scopes: list[ReviewerScopeView]) -> str:
    return "；".join(f"{s.unit_name}（{s.level_label}）" for s in scopes) or "无"


def reviewer_scopes(ctx: AppContext, user_id: int) -> list[ReviewerScopeView]:
    if user_id != ctx.actor.user_id:
        ctx.require("users.manage")
    with ctx.db.session(read_only=True) as session:
        _user_in_reach(session, ctx.actor, user_id)
        return _scopes(session, user_id)


def get_user(ctx: AppContext, user_id: int) -> UserView:
    if user_id != ctx.actor.user_id:
        ctx.require("users.manage")
    with ctx.db.session(read_only=True) as session:
        return _view(_user_in_reach(session, ctx.actor, user_id))


def find_user(ctx: AppContext, username: str) -> UserView:
    """By user name (the CLI addresses users by name)."""
    ctx.require("users.manage")
    with ctx.db.session(read_only=True) as session:
        user = session.execute(select(User).where(User.username == username.strip())).scalar_one_or_none()
        if user is None:
            raise NotFound(f"用户“{username}”不存在")
        return _view(_user_in_reach(session, ctx.actor, user.id))
