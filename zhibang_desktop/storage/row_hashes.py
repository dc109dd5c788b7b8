"""The hash of a business row as stored: what a seal records and what `check` recomputes.

Shared by the seal service and by migration 0004, which seals the rows that existed
before seals did (so an upgraded office's users can still log in and `check` stays clean).
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import select

from .models import DisbursementLine, Household, Payment, ReliefRequest, Review, ReviewerScope, User

BASELINE_SEQ = 0  # audit_seq of the seals written at the upgrade that introduced seals

#: table -> (model, sealed columns); None = every column
SEALED: dict[str, tuple[type, tuple[str, ...] | None]] = {
    "payments": (Payment, None),
    "disbursement_lines": (DisbursementLine, None),
    "reviews": (Review, None),
    "relief_requests": (ReliefRequest, ("id", "household_id", "name", "id_number", "relief_type", "status",
                                        "requested_fen", "suggested_fen", "approved_fen", "current_fen")),
    "households": (Household, ("id", "name", "id_number", "unit_id", "bank_name", "bank_account", "account_kind")),
    "users": (User, ("id", "username", "password_hash", "roles", "scope_unit_id", "active")),
    "reviewer_scopes": (ReviewerScope, None),
}


#: columns added after seals existed that a seal over "every column" leaves out, so that the
#: seals of rows written before them stay valid (archive_scope: migration 0008, always "" in a
#: county's own database)
NOT_SEALED = frozenset({"archive_scope"})


def _columns(table: str):
    model, names = SEALED[table]
    cols = model.__table__.c
    return [cols[n] for n in names] if names else [c for c in cols if c.name not in NOT_SEALED]


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def row_digest(table: str, values) -> str:
    payload = json.dumps([table, [_plain(v) for v in values]], ensure_ascii=False, sort_keys=True,
                         separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def current_hashes(conn, table: str, ids: list | None = None, batch: int = 5000):
    """(row id as text, hash) of the rows as stored now; all rows when ``ids`` is None."""
    cols = _columns(table)
    pk = SEALED[table][0].__table__.c.id
    if ids is not None:
        for start in range(0, len(ids), 500):
            chunk = [int(i) for i in ids[start:start + 500]]
            for row in conn.execute(select(*cols).where(pk.in_(chunk))):
                yield str(row.id), row_digest(table, row)
        return
    last = None
    while True:
        q = select(*cols).order_by(pk).limit(batch)
        if last is not None:
            q = q.where(pk > last)
        rows = conn.execute(q).all()
        if not rows:
            return
        for row in rows:
            yield str(row.id), row_digest(table, row)
        last = rows[-1].id
