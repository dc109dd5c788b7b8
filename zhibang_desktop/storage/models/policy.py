"""Relief policies as stored, one immutable row per version.

A request points at the exact version it was judged under; editing a policy
writes a new version and never changes a row a request points to.  At most one
version per year is in force (kept by services.policies).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..types import UTCDateTime
from .base import Base


class PolicyVersion(Base):
    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_policy_versions_year_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict] = mapped_column(JSON)  # domain.policy_io.policy_to_dict (amounts in yuan)
    in_force: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))
    origin: Mapped[str] = mapped_column(Text, default="")  # preset name, imported file, edited
