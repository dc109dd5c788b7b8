"""Helpers shared by the users / audit / backup tests (plain functions, no fixtures)."""
from __future__ import annotations

import hashlib

from sqlalchemy import func, inspect, select, text

from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.models import AuditHead

ADMIN = "admin"
PASSWORD = "Secret123"


def admin_context(ctx: AppContext, username: str = ADMIN, password: str = PASSWORD) -> AppContext:
    """The first administrator of an initialised office, signed in."""
    users.create_admin(ctx.db, username, password, display_name="管理员")
    return AppContext(ctx.db, users.authenticate(ctx.db, username, password))


def user_context(admin: AppContext, username: str, roles, scope_unit_id=None, password: str = PASSWORD) -> AppContext:
    users.add_user(admin, username, username, password, roles, scope_unit_id)
    return AppContext(admin.db, users.authenticate(admin.db, username, password))


def unit_id(ctx: AppContext, name: str) -> int:
    from zhibang_desktop.storage.models import OrgUnit

    with ctx.db.session() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.name == name)).scalar_one()


def snapshot(db) -> dict:
    """Per table: row count and a digest of the content; plus the audit chain head.

    'Nothing changed' means two equal snapshots.
    """
    with db.session() as s:
        names = inspect(s.connection()).get_table_names()
        result = {}
        for n in names:
            rows = sorted(repr(tuple(r)) for r in s.execute(text(f'select * from "{n}"')))
            result[n] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        head = s.get(AuditHead, 1)
        result["__audit_head__"] = None if head is None else (head.seq, head.hash)
        return result


def audit_count(db) -> int:
    from zhibang_desktop.storage.models import AuditEntry

    with db.session() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
