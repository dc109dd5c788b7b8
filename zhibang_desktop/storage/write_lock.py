"""One writer at a time, on PostgreSQL as on SQLite.

SQLite serialises writers itself (`BEGIN IMMEDIATE`). On PostgreSQL a transaction takes a
transaction-scoped advisory lock before its first write (the first flush, or the first INSERT,
UPDATE or DELETE statement run through the session), and the numbering
code and the audit chain take it before they read what they will build on (the last number,
the chain head). Writers therefore never interleave: numbers stay unique, the audit chain
stays one chain, and since this lock always comes before any row lock, writers cannot
deadlock on each other. Readers are never blocked. Two clerks who both read a record and
then save are told apart by the record's version column, not by this lock.
"""
from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.orm import Session

WRITER_LOCK_KEY = 0x7A6861  # "zha"
_HELD = "zhibang_writer_lock_held"


def serialize_writes(session: Session) -> None:
    """Wait until no other transaction is writing; held until this transaction ends."""
    if session.info.get(_HELD):
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY})
    session.info[_HELD] = True


READ_ONLY = "zhibang_read_only"  # session.info flag set by Database.session(read_only=True)


class WriteInReadOnlySession(RuntimeError):
    """A bug: a function that only reads (it began a deferred transaction) tried to write."""


@event.listens_for(Session, "before_flush")
def _before_first_write(session: Session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        if session.info.get(READ_ONLY):
            raise WriteInReadOnlySession("read-only transaction tried to write")
        serialize_writes(session)


@event.listens_for(Session, "do_orm_execute")
def _before_statement_write(state) -> None:
    # INSERT/UPDATE/DELETE statements (bulk inserts, `update(...).values(...)`) write without a flush
    if state.is_insert or state.is_update or state.is_delete:
        if state.session.info.get(READ_ONLY):
            raise WriteInReadOnlySession("read-only transaction tried to write")
        serialize_writes(state.session)


@event.listens_for(Session, "after_transaction_end")
def _released(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: the server let go of the lock
        session.info.pop(_HELD, None)
