"""Follow-ups after payout (回访), complaints (信访/投诉) and the other agencies' lists the
archive is compared with (数据比对), with what the comparison found and the clerk's decision."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..types import Fen, UTCDateTime
from .base import Base


class FollowUp(Base):
    """One call or visit to a paid recipient: did the money arrive, were they satisfied."""

    __tablename__ = "followups"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("disbursement_lines.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    method: Mapped[str] = mapped_column(String(16))  # phone | visit
    followup_date: Mapped[date] = mapped_column(index=True)
    by_name: Mapped[str] = mapped_column(String(50))
    reached: Mapped[bool] = mapped_column(default=True)  # spoke with the recipient (or the family)
    money_arrived: Mapped[bool | None]
    satisfaction: Mapped[str | None] = mapped_column(String(16))  # satisfied | basic | dissatisfied
    needs: Mapped[str] = mapped_column(Text, default="")  # remaining needs (后续需求)
    remark: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))


class Complaint(Base):
    """A complaint (信访/投诉): received when and how, about whom, handled by, result, fault."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # TS2026-001
    received_on: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(16))
    complainant: Mapped[str] = mapped_column(String(100))  # may be 匿名
    contact: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("relief_requests.id", ondelete="RESTRICT"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("disbursement_lines.id", ondelete="RESTRICT"))
    content: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(index=True)
    due_warning: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open | closed
    handling: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    at_fault: Mapped[bool | None]
    closed_on: Mapped[date | None]
    handled_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CrossCheckList(Base):
    """A list from 民政, 人社, 残联, 医保, 住建 or 公安; the same source and date imported again
    replaces it (its rows and its undecided findings)."""

    __tablename__ = "crosscheck_lists"
    __table_args__ = (UniqueConstraint("source", "list_date", name="uq_crosscheck_lists_source_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    list_date: Mapped[date]
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(50))

    entries: Mapped[list["CrossCheckEntry"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class CrossCheckEntry(Base):
    """One row of a list: an ID number and what the agency says about that person."""

    __tablename__ = "crosscheck_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("crosscheck_lists.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(50), default="")
    dibao: Mapped[bool | None]
    vehicles: Mapped[int | None] = mapped_column(Integer)
    properties: Mapped[int | None] = mapped_column(Integer)
    deceased_on: Mapped[date | None]
    deceased: Mapped[bool | None]
    employer: Mapped[str | None] = mapped_column(String(100))
    monthly_income_fen: Mapped[int | None] = mapped_column(Fen)
    disability_grade: Mapped[str | None] = mapped_column(String(20))


class CrossCheckFinding(Base):
    """What a list says that the archive does not, for one person of one household; the clerk's
    decision is recorded here and as a data-check visit of the household."""

    __tablename__ = "crosscheck_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("crosscheck_lists.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    list_says: Mapped[str] = mapped_column(Text)
    archive_says: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(16))  # confirmed | dismissed
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None]
    decided_by: Mapped[str | None] = mapped_column(String(50))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
