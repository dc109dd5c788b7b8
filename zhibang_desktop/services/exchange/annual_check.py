"""Check an annual exchange workbook without importing it (the county before sending, the city
on arrival): the 说明 sheet, the layout version and every sheet's row count and SHA-256."""
from __future__ import annotations

from dataclasses import dataclass

from ...documents.exchange_reader import ExchangeFile, ExchangeRefused, read_exchange_workbook
from ..context import AppContext
from ..errors import ServiceError
from .permissions import IMPORT


class ExchangeFileRefused(ServiceError):
    """The workbook is refused; the message says why (in Chinese, naming the sheet)."""


@dataclass(frozen=True)
class ExchangeFileSummary:
    name: str
    sha256: str
    office: str
    union_code: str
    year: int
    exported_at: str
    exported_by: str
    counts: dict[str, int]


def read_checked(path, password: str | None) -> ExchangeFile:
    try:
        return read_exchange_workbook(path, password)
    except ExchangeRefused as exc:
        raise ExchangeFileRefused(str(exc)) from None


def summary_of(f: ExchangeFile) -> ExchangeFileSummary:
    return ExchangeFileSummary(f.name, f.sha256, f.office, f.union_code, f.year, f.exported_at, f.exported_by,
                               dict(f.counts))


def check_annual_workbook(ctx: AppContext, path, password: str | None = None) -> ExchangeFileSummary:
    """Read and check ``path``; ExchangeFileRefused with the reason when it is not sound."""
    ctx.require(IMPORT)
    return summary_of(read_checked(path, password))
