"""Writing and verifying the hash chain of the audit trail.

Each row stores the previous row's hash and sha256(prev_hash + canonical content). The
single `audit_head` row is updated in the same transaction, which serialises writers on
SQLite and PostgreSQL alike and lets the app show the chain head cheaply.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import clock
from ..storage.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical(entry: AuditEntry) -> str:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "user_id": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "household_id": entry.household_id,
        "summary": entry.summary,
        "changes": entry.changes,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(entry)).encode("utf-8")).hexdigest()


def append(session: Session, *, user_id: int | None, username: str, action: str, entity: str,
           entity_id: object = None, household_id: int | None = None, summary: str = "",
           changes: list | None = None) -> AuditEntry:
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
    # Stored timestamps lose nothing below microseconds, so the hash is reproducible.
    at: datetime = clock.now()
    entry = AuditEntry(
        seq=head.seq + 1, at=at, user_id=user_id, username=username, action=action,
        entity=entity, entity_id=None if entity_id is None else str(entity_id),
        household_id=household_id, summary=summary, changes=changes or [], prev_hash=head.hash,
    )
    entry.hash = entry_hash(head.hash, entry)
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    head_hash: str
    first_broken_seq: int | None = None
    reason: str = ""


def verify(session: Session, batch: int = 5000) -> ChainReport:
    prev_hash, expected_seq, count = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return ChainReport(False, count, prev_hash, expected_seq, f"缺少第 {expected_seq} 条记录（可能被删除）")
            if row.prev_hash != prev_hash:
                return ChainReport(False, count, prev_hash, row.seq, f"第 {row.seq} 条记录的前序哈希不符（前一条被修改或删除）")
            if entry_hash(prev_hash, row) != row.hash:
                return ChainReport(False, count, prev_hash, row.seq, f"第 {row.seq} 条记录内容与其哈希不符（记录被修改）")
            prev_hash, expected_seq, count, last_seq = row.hash, row.seq + 1, count + 1, row.seq
        session.expunge_all()
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.hash != prev_hash):
        return ChainReport(False, count, prev_hash, count + 1 if head.seq > count else head.seq,
                           "链头与最后一条记录不符（末尾记录被删除或修改）")
    return ChainReport(True, count, prev_hash)


def chain_head(session: Session) -> tuple[int, str]:
    head = session.get(AuditHead, 1)
    return (0, GENESIS) if head is None else (head.seq, head.hash)
