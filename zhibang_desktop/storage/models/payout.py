"""Public notices (公示), objections, disbursement batches and their lines, bank templates.

From an approved request to money in the worker's hand (seed 000: 公示 5 个工作日
→ 发放 → 银行退票 → 重新支付, 放弃申领 → 资金退回; seed 002: 公示 before every
payout, cash only against signatures).

Never paid twice — enforced in the database as well as in the services:

* ``request_payout_claims`` has one row per request that ever entered a batch
  (``request_id`` is its primary key).  The claim points at the line that
  currently stands for the request; a reissue moves it from the returned line to
  the new line (``UPDATE … WHERE line_id = <returned line>``), so two reissues of
  the same return cannot both succeed, and no second batch can take the request.
* ``disbursement_lines.reissue_of`` is unique: a returned line is reissued once.
* ``payments`` gets a partial unique index: at most one payment with source
  ``disbursement`` per request (the row issue 4's limits and reports count).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..types import Fen, UTCDateTime
from .base import Base
from .relief import Payment

NOTICE_STATUSES = ("draft", "published", "closed")
ENTRY_STATES = ("listed", "removed")
OBJECTION_RESULTS = ("open", "upheld", "dismissed")
BATCH_STATUSES = ("open", "closed")
LINE_METHODS = ("bank_transfer", "social_security_card", "cash", "via_grassroots")
LINE_STATES = ("pending", "paid", "returned", "reissued", "renounced", "paid_to_relative")


class Notice(Base):
    """A 公示: which approved requests, for how long, where to object."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(30), unique=True)  # GS2026-001, printed on the roster
    relief_types: Mapped[list] = mapped_column(JSON, default=list)  # filter used ([] = all)
    period_year: Mapped[int | None] = mapped_column(Integer, index=True)
    period_quarter: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    start_date: Mapped[date]
    working_days: Mapped[int] = mapped_column(Integer, default=5)
    end_date: Mapped[date] = mapped_column(index=True)
    end_warning: Mapped[str | None] = mapped_column(Text)  # e.g. no holiday table for 2027
    object_to: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    show_masked_id: Mapped[bool] = mapped_column(default=False)
    issued_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[str | None] = mapped_column(String(50))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(Integer, default=1)

    entries: Mapped[list["NoticeEntry"]] = relationship(
        back_populates="notice", order_by="NoticeEntry.seq", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class NoticeEntry(Base):
    """One line of a notice; a frozen copy of what was published."""

    __tablename__ = "notice_entries"
    __table_args__ = (UniqueConstraint("notice_id", "request_id", name="uq_notice_entries_notice_request"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    unit_name: Mapped[str] = mapped_column(String(100), default="")
    relief_type_label: Mapped[str] = mapped_column(String(60), default="")
    amount_fen: Mapped[int] = mapped_column(Fen)
    masked_id: Mapped[str | None] = mapped_column(String(18))
    remark: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="listed")  # listed | removed
    removed_reason: Mapped[str | None] = mapped_column(Text)

    notice: Mapped[Notice] = relationship(back_populates="entries")


class Objection(Base):
    """异议: who objected, when, what about, how it was handled and the result."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="RESTRICT"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("notice_entries.id", ondelete="RESTRICT"), index=True)
    objector: Mapped[str] = mapped_column(String(100))  # may be 匿名
    contact: Mapped[str] = mapped_column(String(100), default="")
    channel: Mapped[str] = mapped_column(String(20), default="")  # 电话 / 信函 / 来访 / 其他
    received_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(50))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    result: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open | upheld | dismissed
    handling: Mapped[str] = mapped_column(Text, default="")
    handled_by: Mapped[str | None] = mapped_column(String(50))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PayoutOverride(Base):
    """An admin's written permission to pay a request before its notice allows it."""

    __tablename__ = "payout_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    by_username: Mapped[str] = mapped_column(String(50))
    by_name: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Disbursement(Base):
    """发放批次, numbered like 2026-Q1-01 (or 第31次 for a standing subsidy)."""

    __tablename__ = "disbursements"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="regular")  # regular | standing | reissue
    pay_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open | closed
    remark: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list["DisbursementLine"]] = relationship(
        back_populates="batch", order_by="DisbursementLine.seq",
        foreign_keys="DisbursementLine.batch_id")

    __mapper_args__ = {"version_id_col": version}


class DisbursementLine(Base):
    """One person's money in a batch, with the account as it was when the batch was made."""

    __tablename__ = "disbursement_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disbursements.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[int] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    unit_name: Mapped[str] = mapped_column(String(100), default="")
    relief_type: Mapped[str] = mapped_column(String(40))
    relief_type_label: Mapped[str] = mapped_column(String(60), default="")
    method: Mapped[str] = mapped_column(String(24))
    fund_source: Mapped[str | None] = mapped_column(String(30))
    bank_name: Mapped[str | None] = mapped_column(String(60))
    account: Mapped[str | None] = mapped_column(String(32), index=True)
    amount_fen: Mapped[int] = mapped_column(Fen)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    return_reason: Mapped[str | None] = mapped_column(Text)
    returned_on: Mapped[date | None]
    renounce_reason: Mapped[str | None] = mapped_column(Text)
    renounced_on: Mapped[date | None]
    relative_name: Mapped[str | None] = mapped_column(String(50))
    relative_relation: Mapped[str | None] = mapped_column(String(20))
    relative_id_number: Mapped[str | None] = mapped_column(String(18))
    proxy_name: Mapped[str | None] = mapped_column(String(50))  # 代领 (cash)
    proxy_phone: Mapped[str | None] = mapped_column(String(30))
    proxy_id_number: Mapped[str | None] = mapped_column(String(18))
    proxy_relation: Mapped[str | None] = mapped_column(String(20))
    reissue_of: Mapped[int | None] = mapped_column(ForeignKey("disbursement_lines.id", ondelete="RESTRICT"),
                                                   unique=True)
    paid_on: Mapped[date | None]
    remark: Mapped[str] = mapped_column(String(200), default="")
    settled_by: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    batch: Mapped[Disbursement] = relationship(back_populates="lines", foreign_keys=[batch_id])

    __mapper_args__ = {"version_id_col": version}


class ReceiptPrint(Base):
    """A 签领表 of a batch printed (or saved to print): who, when, which lines.  Cash lines
    are marked paid only against a list that carried them (seed 002: 现金须在实名制表上签名)."""

    __tablename__ = "receipt_prints"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disbursements.id", ondelete="RESTRICT"), index=True)
    line_ids: Mapped[list] = mapped_column(JSON, default=list)
    rows: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(Fen)
    full_id: Mapped[bool] = mapped_column(default=False)
    how: Mapped[str] = mapped_column(String(16), default="print")  # print | export (saved as PDF)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    printed_by: Mapped[str] = mapped_column(String(50))
    printed_by_name: Mapped[str] = mapped_column(String(50), default="")


class BatchAttachment(Base):
    """A scan of a batch's signed 签领表 (or other paper); content shared in attachment_blobs."""

    __tablename__ = "batch_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disbursements.id", ondelete="RESTRICT"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256", ondelete="RESTRICT"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(50))


class RequestPayoutClaim(Base):
    """The one line that currently stands for a request's money (see the module docstring)."""

    __tablename__ = "request_payout_claims"

    request_id: Mapped[int] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"),
                                            primary_key=True, autoincrement=False)
    line_id: Mapped[int] = mapped_column(ForeignKey("disbursement_lines.id", ondelete="RESTRICT"), unique=True)


class BankTemplate(Base):
    """Columns of one bank's payment file, defined by the admin."""

    __tablename__ = "bank_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    bank: Mapped[str] = mapped_column(String(100), default="")
    columns: Mapped[list] = mapped_column(JSON)  # [{header, field, value?, width?}]
    amount_as_text: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(50))


# At most one disbursement payment per request, whatever the services do. On PostgreSQL the
# index has the same WHERE (migration 0001 creates it on both engines); naming postgresql_where
# here would import SQLAlchemy's PostgreSQL dialect at every start of a SQLite office
# (30–50 ms), and the comparison of models with migrations does not read the WHERE.
Index(
    "uq_payments_disbursement_request",
    Payment.request_id,
    unique=True,
    sqlite_where=text("source = 'disbursement'"),
)
