"""Writing and verifying the hash chain of the audit trail.

Each row stores the previous row's hash and sha256(prev_hash + canonical content). The
single `audit_head` row is updated in the same transaction, which serialises writers on
SQLite and PostgreSQL alike and lets the app show the chain head cheaply.

At commit, the transaction's last entry also takes the digest of the row seals the
transaction wrote (:mod:`.row_seals`) into its hashed content, is signed with the office
key when one is configured (:mod:`.office_key`), and the new head is recorded beside the key.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..domain import clock
from ..storage.models import AuditEntry, AuditHead
from ..storage.write_lock import serialize_writes
from . import office_key, row_seals

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
    if entry.seal_digest is not None:
        payload["seal_digest"] = entry.seal_digest
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(entry)).encode("utf-8")).hexdigest()


def append(session: Session, *, user_id: int | None, username: str, action: str, entity: str,
           entity_id: object = None, household_id: int | None = None, summary: str = "",
           changes: list | None = None) -> AuditEntry:
    serialize_writes(session)  # PostgreSQL: concurrent writers append one after another
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()
                           .execution_options(populate_existing=True)).scalar_one_or_none()
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
    entry.mac = _mac(entry.hash)
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    session.info[_ENTRY] = entry
    return entry


_ENTRY = "audit_last_entry"
_ANCHOR = "audit_anchor"
_ACTOR = "audit_actor"


def _mac(entry_hash_: str) -> str | None:
    key = office_key.load_key()
    return office_key.sign(key, entry_hash_) if key is not None else None


def set_actor(session: Session, user_id: int | None, username: str) -> None:
    """Who a seal-only entry is recorded under when a transaction changed sealed rows without auditing."""
    session.info[_ACTOR] = (user_id, username)


@event.listens_for(Session, "before_commit")
def _seal_and_sign(session: Session) -> None:
    session.flush()
    parts = row_seals.pending_seals(session)
    part = next(parts, None)  # the seals come a part at a time: written before the next is read
    entry = session.info.get(_ENTRY)
    if part is not None:
        sealing_only = entry is None
        if sealing_only:
            user_id, username = session.info.get(_ACTOR, (None, "system"))
            entry = append(session, user_id=user_id, username=username, action="seal", entity="row_seals")
        written = row_seals.write_seals(session, entry, itertools.chain([part], parts))
        if sealing_only:  # hashed below with the digest
            entry.summary = f"记录 {written} 行数据的校验值"
        entry.hash = entry_hash(entry.prev_hash, entry)
        entry.mac = _mac(entry.hash)
        head = session.get(AuditHead, 1)
        head.hash = entry.hash
        session.flush()
    if entry is not None:
        first = entry if entry.seq == 1 else session.get(AuditEntry, 1)
        chain_id = first.hash if first is not None else GENESIS
        if session.info.pop(RESET_ANCHOR, False) or _continues_recorded_head(session, chain_id, entry):
            session.info[_ANCHOR] = (chain_id, entry.seq, entry.hash)


RESET_ANCHOR = "audit_reset_anchor"  # set by a restore: the restored chain is the office's from now on


def _continues_recorded_head(session: Session, chain_id: str, entry: AuditEntry) -> bool:
    """Only move the head recorded beside the key forward along the same chain: after the last
    entries were deleted (or the chain rewritten) the old record stays as evidence for `check`."""
    recorded = office_key.recorded_head(chain_id)
    if recorded is None:
        return True
    if isinstance(recorded, str):
        return False
    seq, head_hash = recorded
    if seq >= entry.seq:
        return False
    row = session.get(AuditEntry, seq)
    return row is not None and row.hash == head_hash


@event.listens_for(Session, "after_commit")
def _record_anchor(session: Session) -> None:
    anchor = session.info.pop(_ANCHOR, None)
    session.info.pop(_ENTRY, None)
    if anchor is not None:
        office_key.record_head(*anchor)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    for key in (_ENTRY, _ANCHOR, row_seals.TOUCHED):
        session.info.pop(key, None)


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
