"""The household archive (困难职工家庭档案) with members, visits and attachments."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...domain.search_grams import short_grams
from ..types import Fen, UTCDateTime
from .base import Base


class Household(Base):
    __tablename__ = "households"
    id: Mapped[int] = mapped_column(primary_key=True)
    archive_scope: Mapped[str] = mapped_column(String(40), default="", server_default="")
    archive_no: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    category: Mapped[str] = mapped_column(String(16), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)

    name: Mapped[str] = mapped_column(String(50), index=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(30), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    hukou_type: Mapped[str | None] = mapped_column(String(20))
    hukou_region: Mapped[str | None] = mapped_column(String(100))
    employer: Mapped[str | None] = mapped_column(String(100))
    health: Mapped[str | None] = mapped_column(String(100))
    union_member: Mapped[bool] = mapped_column(default=True)
    member_no: Mapped[str | None] = mapped_column(String(40))
    model_worker: Mapped[bool] = mapped_column(default=False)
    single_parent: Mapped[bool] = mapped_column(default=False)
    causes: Mapped[list] = mapped_column(JSON, default=list)
    household_size: Mapped[int] = mapped_column(Integer, default=1)
    head_income_fen: Mapped[int] = mapped_column(Fen, default=0)
    other_income_fen: Mapped[int] = mapped_column(Fen, default=0)
    # Kept by the archive service: head + other + members' incomes, per month (for the list
    # and sorting by per-capita income without summing members for 100,000 households).
    total_income_fen: Mapped[int] = mapped_column(Fen, default=0)
    assistance_status: Mapped[str] = mapped_column(String(16), default="none")
    bank_name: Mapped[str | None] = mapped_column(String(60))
    bank_account: Mapped[str | None] = mapped_column(String(32))
    account_kind: Mapped[str | None] = mapped_column(String(16))  # bank / social_security
    exclusions: Mapped[dict] = mapped_column(JSON, default=dict)  # code -> bool (True = applies)
    exclusion_override: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)
    # The rest of the 困难职工家庭档案表's head-of-household fields (domain.archive_form codes)
    political_status: Mapped[str | None] = mapped_column(String(20))
    marital_status: Mapped[str | None] = mapped_column(String(16))
    housing_type: Mapped[str | None] = mapped_column(String(20))
    housing_area_x100: Mapped[int | None] = mapped_column(Integer)  # hundredths of a square metre
    disability_category: Mapped[str | None] = mapped_column(String(16))
    disability_grade: Mapped[str | None] = mapped_column(String(2))
    employer_nature: Mapped[str | None] = mapped_column(String(20))
    enterprise_status: Mapped[str | None] = mapped_column(String(16))
    medical_insurance: Mapped[str | None] = mapped_column(String(16))
    zero_employment: Mapped[bool] = mapped_column(default=False, server_default=false())
    archived_by: Mapped[str | None] = mapped_column(String(50))  # 建档人 (a name written on the form)
    reviewed_by: Mapped[str | None] = mapped_column(String(50))  # 审核人
    grassroots_opinion: Mapped[str | None] = mapped_column(Text)  # 基层工会意见
    grassroots_opinion_on: Mapped[date | None]
    upper_opinion: Mapped[str | None] = mapped_column(Text)  # 上级工会意见
    upper_opinion_on: Mapped[date | None]

    archived_on: Mapped[date | None]
    exit_decided_on: Mapped[date | None]
    phase_out_until: Mapped[date | None]
    exited_on: Mapped[date | None]
    exit_reason: Mapped[str | None] = mapped_column(Text)
    last_visit_on: Mapped[date | None]
    next_visit_due: Mapped[date | None] = mapped_column(index=True)

    # What the list's text search matches (services/archive/search.py): the keys, and the grams
    # that let a one- or two-character query use the trigram index (domain/search_grams.py).
    # On SQLite the table households_fts (FTS5, trigram) indexes both, kept by triggers; on
    # PostgreSQL pg_trgm indexes do where the server has the extension (migration 0006).
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_grams: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    members: Mapped[list["FamilyMember"]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="FamilyMember.id"
    )
    visits: Mapped[list["Visit"]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="Visit.visit_date"
    )

    __mapper_args__ = {"version_id_col": version}
    # The status bar's counts per status and category (and visits overdue) read this index only.
    # Archive numbers and ID numbers are unique within one archive: an office's own (scope "")
    # or, in a city union's database, each imported county's (scope = the county's union code).
    # A search that has matched a set of ids orders and counts them from the two narrow (id, …)
    # indexes, not from the households' rows (storage/search_index.py, narrow_households).
    __table_args__ = (Index("ix_households_status_category_due", "status", "category", "next_visit_due"),
                      Index("ix_households_id_archive_no", "id", "archive_no"),
                      Index("ix_households_id_counted", "id", "status", "category", "next_visit_due"),
                      UniqueConstraint("archive_scope", "archive_no", name="uq_households_scope_archive_no"),
                      UniqueConstraint("archive_scope", "id_number", name="uq_households_scope_id_number"))


@event.listens_for(Household, "before_insert")
@event.listens_for(Household, "before_update")
def _grams_follow_keys(_mapper, _connection, household: Household) -> None:
    household.search_grams = short_grams(household.search_text)


class FamilyMember(Base):
    __tablename__ = "family_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    health: Mapped[str | None] = mapped_column(String(100))
    disability: Mapped[str | None] = mapped_column(String(100))
    schooling: Mapped[str] = mapped_column(String(20), default="none")
    job_or_school: Mapped[str | None] = mapped_column(String(100))
    monthly_income_fen: Mapped[int] = mapped_column(Fen, default=0)

    household: Mapped[Household] = relationship(back_populates="members")


class Visit(Base):
    """入户核查 / 走访 / 数据比对."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    visit_date: Mapped[date]
    method: Mapped[str] = mapped_column(String(16))
    visitor: Mapped[str] = mapped_column(String(50))
    findings: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    household: Mapped[Household] = relationship(back_populates="visits")


class AttachmentBlob(Base):
    """File content kept inside the database so that a backup carries it."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(50))
