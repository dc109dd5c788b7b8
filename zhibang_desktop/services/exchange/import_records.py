"""City mode: the record of every county file imported (which county and year, the file and
its SHA-256, when and by whom, the row counts, and whether a later import replaced it)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ...storage.models import ExchangeImport
from ..admin.org import require_whole_office
from ..context import AppContext
from .permissions import IMPORT


@dataclass(frozen=True)
class ImportRecord:
    id: int
    county: str
    county_code: str
    unit_id: int
    year: int
    file_name: str
    file_sha256: str
    exported_at: str
    exported_by: str
    imported_at: datetime  # UTC
    imported_by: str  # the person's name (the login name when the user has none)
    counts: dict[str, int]
    replaced_by: int | None  # the later import of the same county and year

    @property
    def current(self) -> bool:
        return self.replaced_by is None


def import_records(ctx: AppContext, year: int | None = None) -> list[ImportRecord]:
    """Newest first; with ``year`` only that year's."""
    ctx.require(IMPORT)
    require_whole_office(ctx.actor, "区县上报文件的导入记录")
    with ctx.db.session(read_only=True) as s:
        q = select(ExchangeImport).order_by(ExchangeImport.id.desc())
        if year is not None:
            q = q.where(ExchangeImport.year == year)
        return [ImportRecord(r.id, r.county_name, r.county_code, r.unit_id, r.year, r.file_name, r.file_sha256,
                             r.exported_at, r.exported_by, r.imported_at, r.imported_by_name or r.imported_by,
                             dict(r.counts), r.replaced_by) for r in s.execute(q).scalars()]
