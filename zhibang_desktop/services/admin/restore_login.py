"""Who may restore over a database that cannot be opened.

A damaged database (it fails quick_check) or a missing one cannot run the normal login, yet
replacing it is the administrator's decision and must be recorded under the administrator's
name, not as the system. The password is checked read-only against the users of the damaged
file while its users table can still be read, else against the users of the backup that is
about to become the database. Either way the user must be active and hold 'backup.restore'.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ...domain.permissions import denied_message
from ..context import Actor
from ..errors import PermissionDenied
from .users import LoginFailed

_hasher = PasswordHasher()
_UNREADABLE = object()
WRONG = "用户名或密码错误"


def _user_row(path: Path, username: str):
    """The user's row, None if there is no such user, _UNREADABLE if the table cannot be read."""
    if not path.is_file():
        return _UNREADABLE
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute(
                "select id, username, display_name, password_hash, roles, active, scope_unit_id "
                "from users where username = ?", (username,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return _UNREADABLE


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate_for_restore(db_path: Path | str, backup_file: Path | str, username: str, password: str) -> Actor:
    username = (username or "").strip()
    if not username:
        raise LoginFailed("恢复损坏或缺失的数据库需要管理员登录：请用 --user 指定管理员（密码取自 ZHIBANG_PASSWORD）")
    row = _user_row(Path(db_path), username)
    if row is _UNREADABLE:
        row = _user_row(Path(backup_file), username)
    if row is _UNREADABLE or row is None or not _verify(row[3], password):
        raise LoginFailed(WRONG)
    user_id, name, display, _, roles_json, active, scope = row
    if not active:
        raise LoginFailed("该用户已停用，请联系管理员")
    try:
        roles = json.loads(roles_json) if isinstance(roles_json, str) else list(roles_json or [])
    except ValueError:
        roles = []
    actor = Actor.make(user_id, name, display, roles, scope)
    if not actor.can("backup.restore"):
        raise PermissionDenied(denied_message("backup.restore", actor.roles, actor.scope_unit_id))
    return actor
