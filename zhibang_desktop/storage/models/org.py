"""Office settings, the union tree and yearly standards."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..types import Fen
from .base import Base


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


class OrgUnit(Base):
    """基层工会 / 镇街（系统）工会 / 区总工会, as a tree."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))  # city / district / street / grassroots
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # In a city union's database, the unions of an imported county: its union code, and the
    # union's number in the county's own database (how a re-import finds it again).
    archive_scope: Mapped[str] = mapped_column(String(40), default="", server_default="", index=True)
    source_unit_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}


class YearStandard(Base):
    """低保标准 and 低收入标准 of the locality for one year, per person per month."""

    __tablename__ = "year_standards"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    dibao_fen: Mapped[int] = mapped_column(Fen)
    low_income_fen: Mapped[int | None] = mapped_column(Fen)


class Counter(Base):
    """Named sequences (archive numbers per year, batch numbers) incremented in-transaction."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class CalendarDay(Base):
    """Admin-entered holiday / make-up workday (调休) from the State Council notice."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    name: Mapped[str] = mapped_column(String(50), default="")


class CalendarYear(Base):
    """Years whose holiday table the admin declared complete."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


