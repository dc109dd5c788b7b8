"""Seals: the hash of each business row that matters for money and access, as the app wrote it.

DESIGN.md §6: the audit chain covers the rows it records, so an edit made outside the app
(an amount, an account, a user) is found by `check`.  Whenever a transaction inserts,
updates or deletes a payment, a disbursement line, a review, a request's amounts, a
household's ID or account, a user or a reviewer binding, the commit writes one `RowSeal`
per changed row (sha256 of its sealed columns, read back from the database) and stores the
digest of those seals in the transaction's last audit entry, before that entry is hashed
into the chain.  Editing a row then breaks its seal; editing the seal breaks the entry's
digest; editing the entry breaks the chain (and its office-key signature).

Rows written with Core statements (bulk demo inserts) are sealed by calling :func:`touch`.
"""
from __future__ import annotations

import hashlib
import itertools
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from ..storage.models import AuditEntry, RowSeal
from ..storage.sql_collation import code_point_order
from ..storage.row_hashes import BASELINE_SEQ, SEALED, current_hashes, row_digest  # noqa: F401

TABLE_LABELS = {"payments": "发放记录", "disbursement_lines": "发放明细", "reviews": "审核/审批意见",
                "relief_requests": "救助申请", "households": "档案（身份证号/账户）", "users": "用户",
                "reviewer_scopes": "审核范围"}
_BY_MODEL = {model: table for table, (model, _) in SEALED.items()}
TOUCHED = "sealed_rows_touched"


def latest_seals(session: Session, table: str, ids: list[str] | None = None) -> dict[str, str | None]:
    """The newest seal of each row (None: the app deleted it)."""
    newest = select(RowSeal.row_id, func.max(RowSeal.id).label("last")).where(RowSeal.table_name == table)
    if ids is not None:
        newest = newest.where(RowSeal.row_id.in_(ids))
    newest = newest.group_by(RowSeal.row_id).subquery()
    q = select(RowSeal.row_id, RowSeal.hash).join(newest, RowSeal.id == newest.c.last)
    return dict(session.execute(q).all())


def row_intact(session: Session, table: str, row_id) -> bool:
    """The row matches its newest seal (a database sealed by no earlier version counts as intact)."""
    rid = str(row_id)
    sealed = latest_seals(session, table, [rid])
    if rid not in sealed:
        return session.execute(select(RowSeal.id).where(RowSeal.table_name == table).limit(1)).first() is None
    return sealed[rid] == dict(current_hashes(session, table, [rid])).get(rid)


class TouchedIds:
    """The ids of one table's rows a transaction touched, as runs of consecutive ids: a bulk insert
    gives consecutive ids, so an import of 50,000 households is one run or a few (a set of the ids as
    text took ≈120 bytes a household); scattered ids take 16 bytes each. Every sealed table's id is
    an integer."""

    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs = array("q")  # start, stop, start, stop … (stop exclusive)

    def add(self, ids: Iterable) -> None:
        runs = self.runs
        for i in ids:
            i = int(i)
            if runs and runs[-2] <= i <= runs[-1]:
                if i == runs[-1]:
                    runs[-1] = i + 1
                continue
            runs.extend((i, i + 1))

    def __iter__(self) -> Iterator[int]:
        """Each id once, in ascending order."""
        runs = self.runs
        starts = sorted(range(0, len(runs), 2), key=runs.__getitem__)  # one int a run, not a tuple
        last = None
        for k in starts:
            start, stop = runs[k], runs[k + 1]
            if last is not None:
                start = max(start, last)
            if start < stop:
                yield from range(start, stop)
                last = stop


def touch(session: Session, table: str, ids) -> None:
    """Seal these rows at commit (for rows written with Core statements)."""
    session.info.setdefault(TOUCHED, defaultdict(TouchedIds))[table].add(ids)


def _line(table: str, row_id: str, hash_: str | None) -> str:
    return f"{table}:{row_id}:{hash_ or '-'}"


def _digest_of_sorted(lines: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for i, line in enumerate(lines):
        digest.update(f"\n{line}".encode("utf-8") if i else line.encode("utf-8"))
    return digest.hexdigest()


def seals_digest(seals: Iterable[tuple[str, str, str | None]]) -> str:
    """sha256 of the sorted lines "table:row:hash" joined by newlines: the definition (fed a line at
    a time, not joined into one text). The app digests stored seals with `_stored_digests`, which
    lets the database sort them; both give the same bytes."""
    return _digest_of_sorted(sorted(_line(t, r, h) for t, r, h in seals))


def _line_column():
    """The seal line as SQL, ordered as Python's `sorted` orders str (code-point order)."""
    return code_point_order(RowSeal.table_name + ":" + RowSeal.row_id + ":" + func.coalesce(RowSeal.hash, "-"))


def _stored_digests(session: Session, seq: int | None = None) -> Iterator[tuple[int, str]]:
    """(audit_seq, the digest of its stored seals) for `seq`, or for every seq with seals, with the
    database sorting the lines and the digests fed as they stream (an import's 50,000 seal lines,
    or every seal at `check`, are never held at once)."""
    line = _line_column()
    q = select(RowSeal.audit_seq, line)
    q = q.where(RowSeal.audit_seq == seq) if seq is not None else q
    rows = session.execute(q.order_by(RowSeal.audit_seq, line).execution_options(yield_per=5000))
    for at, group in itertools.groupby(rows, key=lambda row: row[0]):
        yield at, _digest_of_sorted(row[1] for row in group)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _ctx) -> None:
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        table = _BY_MODEL.get(type(obj))
        if table is not None and getattr(obj, "id", None) is not None:
            touch(session, table, [obj.id])


def pending_seals(session: Session) -> Iterator[list[tuple[str, str, str | None]]]:
    """The seals this transaction must write, a part at a time (parts never empty): rows whose
    stored hash differs from their newest seal. Each part's rows are distinct from the others', so
    a part may be written before the next is read."""
    touched = session.info.pop(TOUCHED, None)
    for table, ids in (touched or {}).items():
        ids = iter(ids)
        while some := [str(i) for i in itertools.islice(ids, 5000)]:  # an import touches 50,000 rows
            now = dict(current_hashes(session, table, some))
            sealed = latest_seals(session, table, some)
            out = []
            for rid in some:
                h = now.get(rid)
                if rid in sealed and sealed[rid] == h:
                    continue
                if h is None and rid not in sealed:
                    continue  # inserted and deleted in the same transaction
                out.append((table, rid, h))
            if out:
                yield out


def write_seals(session: Session, entry: AuditEntry, parts: Iterable[list[tuple[str, str, str | None]]]) -> int:
    """Write the seals under `entry` with Core INSERTs of many rows, a thousand at a time, and set
    its `seal_digest`; returns how many. RowSeal objects were flushed one INSERT … RETURNING at a
    time, and an import of 50,000 households writes 50,000 seals at its commit (≈100 MB as objects
    in the session, ≈20 MB as one list of parameters); now one part of `pending_seals` at a time,
    and the digest is taken over the stored seals, sorted by the database."""
    written = 0
    for seals in parts:
        for start in range(0, len(seals), 1000):
            session.execute(insert(RowSeal.__table__), [
                dict(table_name=table, row_id=rid, audit_seq=entry.seq, hash=h)
                for table, rid, h in seals[start:start + 1000]])
        written += len(seals)
    entry.seal_digest = dict(_stored_digests(session, entry.seq)).get(entry.seq, _digest_of_sorted([]))
    return written


@dataclass(frozen=True)
class SealProblem:
    table: str
    row_id: str
    what: str  # changed / unsealed / deleted

    def __str__(self) -> str:
        words = {"changed": "在本程序之外被修改", "unsealed": "不是由本程序写入（无校验记录）",
                 "deleted": "在本程序之外被删除"}
        return f"{TABLE_LABELS.get(self.table, self.table)} 第 {self.row_id} 行{words[self.what]}"


def verify_rows(session: Session) -> list[SealProblem]:
    """Every sealed row against its newest seal: changed, never sealed, or missing."""
    problems = []
    for table in SEALED:
        sealed = latest_seals(session, table)
        for rid, h in current_hashes(session, table):
            if rid not in sealed:
                problems.append(SealProblem(table, rid, "unsealed"))
            elif sealed.pop(rid) != h:
                problems.append(SealProblem(table, rid, "changed"))
        problems += [SealProblem(table, rid, "deleted") for rid, h in sealed.items() if h is not None]
    return problems


def verify_digests(session: Session) -> list[int]:
    """Audit entries whose recorded seal digest no longer matches the seals stored for them."""
    stored = dict(_stored_digests(session))  # one digest per entry with seals, not their lines
    bad = []
    recorded = dict(session.execute(select(AuditEntry.seq, AuditEntry.seal_digest)
                                    .where(AuditEntry.seal_digest.is_not(None))).all())
    if BASELINE_SEQ in stored and BASELINE_SEQ not in recorded:
        del stored[BASELINE_SEQ]  # the upgrade's baseline; its seals are checked by _late_baseline_seals
    for seq in sorted(set(stored) | set(recorded)):
        if recorded.get(seq) != stored.get(seq):
            bad.append(seq)
    return bad + _late_baseline_seals(session)


def _late_baseline_seals(session: Session) -> list[int]:
    """Baseline seals are written once, by the upgrade, before any other seal: one added later
    (to make a row inserted with SQL look old) is reported against audit entry 0."""
    first_real = session.execute(select(func.min(RowSeal.id)).where(RowSeal.audit_seq != BASELINE_SEQ)).scalar()
    if first_real is None:
        return []
    late = session.execute(select(RowSeal.id).where(RowSeal.audit_seq == BASELINE_SEQ, RowSeal.id > first_real)
                           .limit(1)).first()
    return [BASELINE_SEQ] if late else []
