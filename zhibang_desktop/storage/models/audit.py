"""The hash-chained audit trail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..types import UTCDateTime
from .base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(50), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(40))
    household_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list] = mapped_column(JSON, default=list)  # [[field, old, new], ...] masked
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # sha256 over the row seals this entry wrote (payments, lines, reviews, accounts, users);
    # part of the hashed content when set
    seal_digest: Mapped[str | None] = mapped_column(String(64))
    # HMAC-SHA256 of `hash` under the office key held outside the database (None: no key configured)
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditHead(Base):
    """Single row: the chain head. Updating it serialises writers on every database."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class RowSeal(Base):
    """The hash of a business row as the app wrote it, tied to the audit entry that wrote it.

    Append-only: the newest seal of (table, row) must match the row as it is now; `hash` is
    None when the app deleted the row.  The seals of one entry add up to its `seal_digest`.
    """

    __tablename__ = "row_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(40))
    audit_seq: Mapped[int] = mapped_column(Integer, index=True)
    hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_row_seals_row", "table_name", "row_id", "id"),)
