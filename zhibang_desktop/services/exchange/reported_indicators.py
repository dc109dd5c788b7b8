"""City mode: the indicators each county reported in its annual file (its 指标 sheet, kept with
the import record), per county and added up over the city.

The city cannot recompute what needs records that stay home (reviews, visits, objections), so
it reads the counties' own figures.  Every indicator is a count over a count (or money over
money), so the city's figure is the sum of the numerators over the sum of the denominators of
the counties that could compute it; a county that could not is named.  The 报表 page and the
annual report take the same figures for the indicators the city cannot recompute
(reports/county_reported.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..admin.org import require_whole_office
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed
from ..reports.county_reported import DENOMINATOR, KEY, NAME, NUMERATOR, answerable_row, current_reports, rate_text

READ = "report.read"
__all__ = ["CountyFigure", "ReportedIndicator", "rate_text", "reported_indicators"]


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


def reported_indicators(ctx: AppContext, year: int) -> tuple[ReportedIndicator, ...]:
    """The year's indicators as the counties reported them (the current import of each)."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"“{year}”不是有效年度")])
    ctx.require(READ)
    require_whole_office(ctx.actor, "各区县上报的指标")
    with ctx.tx(READ, read_only=True) as tx:
        names: dict[str, str] = {}
        figures: dict[str, list[CountyFigure]] = {}
        for report in current_reports(tx.session, year):
            for row in report.rows:
                key = row[KEY]
                names.setdefault(key, row[NAME])
                answerable = answerable_row(row)
                figures.setdefault(key, []).append(CountyFigure(
                    report.county, row[NUMERATOR] if answerable else None, row[DENOMINATOR] if answerable else None))
        return tuple(ReportedIndicator(key, names[key], tuple(f)) for key, f in figures.items())
