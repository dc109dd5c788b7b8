"""Relief requests, their review decisions, payments and request attachments.

Money is integer fen; timestamps UTC.  A request of a worker who is not in the
archive has no ``household_id`` and carries the minimal identity (name, ID
number, union) itself; archived requests copy it too, so lists need no join.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..types import Fen, UTCDateTime
from .base import Base


class ReliefRequest(Base):
    __tablename__ = "relief_requests"
    __table_args__ = (UniqueConstraint("archive_scope", "number", name="uq_relief_requests_scope_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_scope: Mapped[str] = mapped_column(String(40), default="", server_default="")  # as Household's
    number: Mapped[str] = mapped_column(String(30), index=True)
    source: Mapped[str] = mapped_column(String(16), default="entered", index=True)  # entered | ledger
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    person_id_number: Mapped[str | None] = mapped_column(String(18), index=True)  # member the aid is for

    # None only for a county's request imported by a city union (judged under the county's policy,
    # which the annual exchange file does not carry).
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_versions.id", ondelete="RESTRICT"),
                                                          index=True)
    relief_type: Mapped[str] = mapped_column(String(40), index=True)
    subcase: Mapped[str | None] = mapped_column(String(40))
    period_year: Mapped[int] = mapped_column(Integer, index=True)
    period_quarter: Mapped[int | None] = mapped_column(Integer)
    request_date: Mapped[date]
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    self_paid_medical_fen: Mapped[int | None] = mapped_column(Fen)
    students: Mapped[list] = mapped_column(JSON, default=list)
    months: Mapped[int | None] = mapped_column(Integer)
    persons: Mapped[int | None] = mapped_column(Integer)
    batch_no: Mapped[int | None] = mapped_column(Integer)
    goods: Mapped[bool] = mapped_column(default=False)
    fund_source: Mapped[str | None] = mapped_column(String(30))
    attachment_kinds: Mapped[list | None] = mapped_column(JSON)

    requested_fen: Mapped[int] = mapped_column(Fen)
    suggested_fen: Mapped[int] = mapped_column(Fen, default=0)
    approved_fen: Mapped[int | None] = mapped_column(Fen)
    current_fen: Mapped[int] = mapped_column(Fen)  # the amount as it goes up the levels
    findings: Mapped[list] = mapped_column(JSON, default=list)  # [{code, severity, message, rule}]
    standard_text: Mapped[str] = mapped_column(String(200), default="")
    standard_min_fen: Mapped[int | None] = mapped_column(Fen)
    standard_max_fen: Mapped[int | None] = mapped_column(Fen)

    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    chain: Mapped[list] = mapped_column(JSON, default=list)  # [{level, name, days}] fixed at submission
    level_index: Mapped[int | None] = mapped_column(Integer)
    current_level: Mapped[str | None] = mapped_column(String(16), index=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # reached the current level
    due_date: Mapped[date | None] = mapped_column(index=True)
    self_approved: Mapped[bool] = mapped_column(default=False)
    events: Mapped[list] = mapped_column(JSON, default=list)  # [[iso UTC, kind, username, name, detail]]

    creator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    creator_username: Mapped[str] = mapped_column(String(50))
    creator_name: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remark: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    reviews: Mapped[list["Review"]] = relationship(back_populates="request", order_by="Review.id")

    __mapper_args__ = {"version_id_col": version}


class Review(Base):
    """One level's decision on a request (审核 / 审批)."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    level_index: Mapped[int] = mapped_column(Integer)
    level_name: Mapped[str] = mapped_column(String(100), default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    reviewer_username: Mapped[str] = mapped_column(String(50))
    reviewer_name: Mapped[str] = mapped_column(String(50))
    decision: Mapped[str] = mapped_column(String(10))  # approve | reject | return
    opinion: Mapped[str] = mapped_column(Text)
    amount_fen: Mapped[int | None] = mapped_column(Fen)
    justification: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_date: Mapped[date]
    overdue: Mapped[bool] = mapped_column(default=False)
    due_warning: Mapped[str | None] = mapped_column(Text)
    self_approved: Mapped[bool] = mapped_column(default=False)

    request: Mapped[ReliefRequest] = relationship(back_populates="reviews")


class Payment(Base):
    """A paid amount: from a historical ledger, or later from a disbursement batch.

    A ledger payment's period (quarter) is that of its payout date.
    """

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_scope: Mapped[str] = mapped_column(String(40), default="", server_default="", index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"),
                                                  index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(50))
    relief_type: Mapped[str] = mapped_column(String(40), index=True)
    subcase: Mapped[str | None] = mapped_column(String(40))
    amount_fen: Mapped[int] = mapped_column(Fen)
    paid_on: Mapped[date] = mapped_column(index=True)
    period_year: Mapped[int] = mapped_column(Integer, index=True)
    period_quarter: Mapped[int | None] = mapped_column(Integer)
    fund_source: Mapped[str | None] = mapped_column(String(30))
    remark: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="ledger")  # ledger | disbursement
    batch: Mapped[str | None] = mapped_column(String(40), index=True)  # import batch / disbursement id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))


class RequestAttachment(Base):
    """A file attached to a request; content shared with the archive's attachment_blobs."""

    __tablename__ = "request_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256", ondelete="RESTRICT"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(50))
