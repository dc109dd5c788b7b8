"""Fund sources, budget lines and what happens to them: adjustments, allocations, carry-over, draws.

Seed 001: a budget of 480,000 cut to 270,000 during the year (调减, with a reason and a
document number), 265,800 spent = 98.44 %.  Seed 002: sources with their allowed uses
(provincial money only for living, education, medical) and 764,963 carried into the next
year.  Seed 004: city money allocated (下拨) to the county unions, which report back.

A budget line's money is never stored as a running balance: it is computed from the
initial amount, the dated adjustments, the carry-over into it, the allocations and the
payment lines drawing on it (``budget_draws``), so a returned or renounced line gives its
money back by its state alone.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..types import Fen, UTCDateTime
from .base import Base


class FundSource(Base):
    """资金来源: 中央财政, 省财政, 本级工会经费 … with the relief types it may pay for."""

    __tablename__ = "fund_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # the code payment lines carry
    name: Mapped[str] = mapped_column(String(60), unique=True)
    allowed_relief_types: Mapped[list] = mapped_column(JSON, default=list)  # [] = any type
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))


class BudgetLine(Base):
    """One year × source × programme, held by a union (the district, or a lower union)."""

    __tablename__ = "budget_lines"
    __table_args__ = (UniqueConstraint("year", "source_id", "programme", "unit_id",
                                       name="uq_budget_lines_year_source_programme_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("fund_sources.id", ondelete="RESTRICT"), index=True)
    programme: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    initial_fen: Mapped[int] = mapped_column(Fen)
    set_on: Mapped[date]
    doc_no: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))
    # Raised by each 调增/调减 (budgets.py), which writes a child row, not this one: two people
    # cutting the same line from the same figure must not both succeed.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class BudgetAdjustment(Base):
    """调增 (positive) or 调减 (negative) on a date, with its reason and 文号."""

    __tablename__ = "budget_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"), index=True)
    adjusted_on: Mapped[date]
    amount_fen: Mapped[int] = mapped_column(Fen)
    reason: Mapped[str] = mapped_column(Text)
    doc_no: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))


class BudgetAllocation(Base):
    """下拨: money of a line sent to a lower union, and what it reported back as spent."""

    __tablename__ = "budget_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    allocated_on: Mapped[date]
    amount_fen: Mapped[int] = mapped_column(Fen)
    doc_no: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reported_spent_fen: Mapped[int | None] = mapped_column(Fen)
    reported_on: Mapped[date | None]
    report_note: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))


class BudgetCarryOver(Base):
    """结转: what was left on a line at year end, moved into next year's line of the same
    source and programme once a person confirmed it (the computed figure is kept too)."""

    __tablename__ = "budget_carry_overs"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"), unique=True)
    to_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"), index=True)
    computed_fen: Mapped[int] = mapped_column(Fen)
    amount_fen: Mapped[int] = mapped_column(Fen)
    note: Mapped[str] = mapped_column(Text, default="")
    doc_no: Mapped[str] = mapped_column(String(80), default="")
    confirmed_by: Mapped[str] = mapped_column(String(50))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BudgetDraw(Base):
    """The budget line a payment line draws on; an overdraw carries its written reason."""

    __tablename__ = "budget_draws"

    line_id: Mapped[int] = mapped_column(ForeignKey("disbursement_lines.id", ondelete="RESTRICT"),
                                         primary_key=True, autoincrement=False)
    budget_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"), index=True)
    overdraw_reason: Mapped[str | None] = mapped_column(Text)
    drawn_on: Mapped[date]
    drawn_by: Mapped[str] = mapped_column(String(50))
