"""City mode: the indicators each county reported in its annual file (its 指标 sheet, kept with
the import record), per county and added up over the city.

The city cannot recompute what needs records that stay home (reviews, visits, objections), so
it reads the counties' own figures.  Every indicator is a count over a count (or money over
money), so the city's figure is the sum of the numerators over the sum of the denominators of
the counties that could compute it; a county that could not is named.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...storage.models import ExchangeImport
from ..admin.org import require_whole_office
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed

READ = "report.read"
KEY, NAME, ANSWERABLE, NUMERATOR, DENOMINATOR = 0, 1, 2, 3, 4  # columns of the 指标 sheet


@dataclass(frozen=True)
class CountyFigure:
    county: str
    numerator: int | None
    denominator: int | None  # None (both): the county could not compute it


@dataclass(frozen=True)
class ReportedIndicator:
    key: str
    name: str
    counties: tuple[CountyFigure, ...]  # in the order of the counties' names

    @property
    def numerator(self) -> int:
        return sum(c.numerator or 0 for c in self.counties if c.denominator is not None)

    @property
    def denominator(self) -> int:
        return sum(c.denominator or 0 for c in self.counties if c.denominator is not None)

    @property
    def not_computed(self) -> tuple[str, ...]:
        return tuple(c.county for c in self.counties if c.denominator is None)


def rate_text(numerator: int | None, denominator: int | None) -> str:
    """98.44% (half up on the exact fraction), or — ."""
    if not denominator or numerator is None:
        return "—"
    bp = (numerator * 10000 * 2 + denominator) // (denominator * 2)
    return f"{bp // 100}.{bp % 100:02d}%"


def reported_indicators(ctx: AppContext, year: int) -> tuple[ReportedIndicator, ...]:
    """The year's indicators as the counties reported them (the current import of each)."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"“{year}”不是有效年度")])
    ctx.require(READ)
    require_whole_office(ctx.actor, "各区县上报的指标")
    with ctx.tx(READ) as tx:
        records = tx.session.execute(select(ExchangeImport).where(
            ExchangeImport.year == year, ExchangeImport.replaced_by.is_(None)).order_by(ExchangeImport.county_name)
        ).scalars().all()
        names: dict[str, str] = {}
        figures: dict[str, list[CountyFigure]] = {}
        for record in records:
            for row in record.indicators:
                key = row[KEY]
                names.setdefault(key, row[NAME])
                answerable = row[ANSWERABLE] == "是" and row[DENOMINATOR] is not None
                figures.setdefault(key, []).append(CountyFigure(
                    record.county_name, row[NUMERATOR] if answerable else None,
                    row[DENOMINATOR] if answerable else None))
        return tuple(ReportedIndicator(key, names[key], tuple(f)) for key, f in figures.items())
