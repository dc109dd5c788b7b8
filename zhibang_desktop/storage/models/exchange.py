"""What a city union's database records of each county's annual exchange file it imported."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..types import UTCDateTime
from .base import Base


class ExchangeImport(Base):
    """One imported file: which county and year, the file and its SHA-256, who and when, the
    row counts; the county's own indicators and budget sheets are kept as they came.  A later
    import of the same county and year replaces the data and points back here (replaced_by)."""

    __tablename__ = "exchange_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(String(40), index=True)  # the county's archive_scope
    county_name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    layout_version: Mapped[int] = mapped_column(Integer)
    exported_at: Mapped[str] = mapped_column(String(30))  # as the county wrote it (local time)
    exported_by: Mapped[str] = mapped_column(String(50))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # sheet key -> data rows
    indicators: Mapped[list] = mapped_column(JSON, default=list)  # the 指标 sheet's rows
    budgets: Mapped[list] = mapped_column(JSON, default=list)  # the 预算 sheet's rows
    allocations: Mapped[list] = mapped_column(JSON, default=list)  # the 下拨 sheet's rows
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(50))
    imported_by_name: Mapped[str] = mapped_column(String(50))
    replaced_by: Mapped[int | None] = mapped_column(ForeignKey("exchange_imports.id", ondelete="RESTRICT"))
