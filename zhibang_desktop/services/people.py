"""People's names for what the records store as login names (created_by, published_by …).

Rows keep the login name that did the work (the audit trail's key); lists, forms and paper
show the person: 经办人 陈晓, not clerk, and 系统 for work the program did itself.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import User
from .context import SYSTEM


def name_of(session: Session) -> Callable[[str | None], str]:
    """A function from a stored login name to the person's display name ('' for none)."""
    names = {SYSTEM.username: SYSTEM.display_name}
    for username, display in session.execute(select(User.username, User.display_name)):
        names[username] = display or username

    def lookup(username: str | None) -> str:
        if not username:
            return ""
        return names.get(username, username)

    return lookup
