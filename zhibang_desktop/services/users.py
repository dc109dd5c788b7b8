"""Users, passwords (argon2id) and login with lock-out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from ..domain.permissions import ROLES
from ..storage.database import Database
from ..storage.models import User
from ..storage.types import utcnow
from . import audit_chain
from .context import Actor, AppContext
from .errors import FieldProblem, ServiceError, ValidationFailed

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 5
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()  # argon2id with the library's defaults


class LoginFailed(ServiceError):
    pass


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    scope_unit_id: int | None
    active: bool
    locked_until: datetime | None


def _view(u: User) -> UserView:
    return UserView(u.id, u.username, u.display_name, tuple(u.roles), u.scope_unit_id, u.active, u.locked_until)


def actor_for(u: User) -> Actor:
    return Actor.make(u.id, u.username, u.display_name, u.roles, u.scope_unit_id)


def has_users(db: Database) -> bool:
    with db.session() as session:
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
                scope_unit_id=scope_unit_id, active=True, failed_attempts=0, created_at=utcnow())
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
    now = utcnow()
    with db.session() as session:
        user = session.execute(select(User).where(User.username == username.strip())).scalar_one_or_none()
        failure = None
        if user is None:
            failure = "用户名或密码错误"
        elif not user.active:
            failure = "该用户已停用，请联系管理员"
        elif user.locked_until and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            failure = f"连续输错密码 {MAX_FAILED_ATTEMPTS} 次，账户已锁定，请 {minutes} 分钟后再试"
        elif not _verify(user.password_hash, password):
            user.failed_attempts += 1
            if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_attempts = 0
                failure = f"连续输错密码 {MAX_FAILED_ATTEMPTS} 次，账户已锁定 {LOCK_MINUTES} 分钟"
            else:
                failure = f"用户名或密码错误（还可尝试 {MAX_FAILED_ATTEMPTS - user.failed_attempts} 次）"
        if failure is None:
            user.failed_attempts, user.locked_until = 0, None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
        audit_chain.append(session, user_id=user.id if user else None, username=username.strip()[:50],
                           action="login" if failure is None else "login_failed", entity="user",
                           entity_id=user.id if user else None, summary=failure or "登录成功")
        actor = actor_for(user) if failure is None else None
    if actor is None:
        raise LoginFailed(failure)
    return actor


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def list_users(ctx: AppContext) -> list[UserView]:
    ctx.require("users.manage")
    with ctx.db.session() as session:
        return [_view(u) for u in session.execute(select(User).order_by(User.id)).scalars()]
