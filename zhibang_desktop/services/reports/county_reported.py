"""City mode: the indicators a city cannot recompute, taken from what its counties reported.

A county's annual file carries its payments, households and requests, so the city computes
archive coverage, standard compliance, the phase-out and budget execution live like any
office.  Everything else needs records that stay home or are not in the file (reviews, visits,
notices, payout lines and receipts, follow-ups, complaints): computed in the city's database it
would read an empty table as a perfect or a failed score.  Those indicators come from each
county's 指标 sheet (kept with its current import record) and say so (``source`` 据区县上报):
over all counties the sum of the numerators over the sum of the denominators of the counties
that could compute it (each county weighted by its own denominator); for one county, its own
figure.  The counties report whole years, so a period other than one calendar year, or a union
below a county, cannot be answered from them and says why.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...storage.models import ExchangeImport, OrgUnit
from ..admin.org import district_unit
from ..admin.settings import is_city
from ..funds.types import rate_bp, rate_text as funds_rate_text
from .types import Indicator, IndicatorException

REPORTED = "据区县上报"
# Computable from what the counties' files carry: live in the city's database too.
LIVE_IN_CITY = frozenset({"archive_coverage", "standard_compliance", "phase_out", "budget_execution",
                          "targeting_accuracy"})
KEY, NAME, ANSWERABLE, NUMERATOR, DENOMINATOR, _VALUE, EXCEPTIONS, REASON = range(8)  # columns of the 指标 sheet


@dataclass(frozen=True)
class CountyReport:
    county: str
    unit_id: int
    rows: tuple[tuple, ...]  # the county's 指标 sheet


def current_reports(s: Session, year: int) -> list[CountyReport]:
    """The 指标 sheet of each county's current import of ``year``, in the order of the counties' names."""
    records = s.execute(select(ExchangeImport).where(
        ExchangeImport.year == year, ExchangeImport.replaced_by.is_(None)).order_by(ExchangeImport.county_name)
    ).scalars().all()
    return [CountyReport(r.county_name, r.unit_id, tuple(tuple(row) for row in r.indicators)) for r in records]


def answerable_row(row) -> bool:
    return row[ANSWERABLE] == "是" and row[DENOMINATOR] is not None


def rate_text(numerator: int | None, denominator: int | None) -> str:
    """98.44% (half up on the exact fraction), or — ."""
    return "—" if numerator is None or not denominator else funds_rate_text(rate_bp(numerator, denominator))


def _counties(s: Session, actor, unit_id: int | None, year: int) -> tuple[list[CountyReport], list[str], str]:
    """(the reports covered, the counties without a current import, why nothing can be covered)."""
    city = district_unit(s)
    root = unit_id if unit_id is not None else actor.scope_unit_id
    counties = s.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.parent_id == city.id)
                         .order_by(OrgUnit.sort_order, OrgUnit.id)).all()
    if root is not None and root != city.id and root not in {c.id for c in counties}:
        name = s.get(OrgUnit, root).name
        return [], [], f"区县只上报全县的指标，市总工会的数据库无法计算“{name}”（区县以下工会）的此项指标"
    wanted = {c.id for c in counties} if root in (None, city.id) else {root}
    reports = [r for r in current_reports(s, year) if r.unit_id in wanted]
    have = {r.unit_id for r in reports}
    missing = [name for uid, name in counties if uid in wanted and uid not in have]
    return reports, missing, ""


def _from_counties(live: Indicator, reports: list[CountyReport], missing: list[str], year: int) -> Indicator:
    lines, numerator, denominator, short, computed = [], 0, 0, 0, 0
    for report in reports:
        row = next((r for r in report.rows if r[KEY] == live.key), None)
        if row is None:
            lines.append(f"{report.county}：上报文件中没有此项指标")
        elif answerable_row(row):
            n, d = int(row[NUMERATOR] or 0), int(row[DENOMINATOR])
            numerator, denominator, computed = numerator + n, denominator + d, computed + 1
            short += int(row[EXCEPTIONS] or 0)
            lines.append(f"{report.county}：{n} / {d}（{rate_text(n, d)}），不达标 {row[EXCEPTIONS] or 0} 条（明细在区县）")
        else:
            lines.append(f"{report.county}：无法计算（{row[REASON] or '区县未说明原因'}）")
    lines += [f"{name}：{year} 年度上报文件尚未导入，未计入" for name in missing]
    breakdown = tuple(IndicatorException("county_reported", text, None, None, None) for text in lines)
    if not computed:
        reason = ("各区县均无法计算此项指标（原因见各区县）" if reports else
                  f"尚未导入 {year} 年度区县上报文件，市总工会的数据库无法计算此项指标（需区县的审核、走访、公示等记录）")
        return replace(live, numerator=None, denominator=None, value=None, answerable=False, reason=reason,
                       exceptions=breakdown, source=REPORTED)
    return replace(live, numerator=numerator, denominator=denominator,
                   value=numerator / denominator if denominator else None, answerable=True, reason="",
                   exceptions=breakdown, source=REPORTED, reported_exceptions=short)


def city_indicators(s: Session, actor, indicators: list[Indicator], start: date, end: date,
                    unit_id: int | None) -> list[Indicator]:
    """In a city union's database, the indicators it cannot recompute replaced by the counties'
    reported figures; elsewhere ``indicators`` unchanged."""
    if not is_city(s):
        return indicators
    whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    if not whole_year:
        reason = ("区县只上报全年的指标，市总工会的数据库不能按其他期间计算此项指标（需区县的审核、走访、公示等记录）；"
                  "请选择某一年的全年")
        return [i if i.key in LIVE_IN_CITY else replace(
            i, numerator=None, denominator=None, value=None, answerable=False, reason=reason, exceptions=(),
            source=REPORTED) for i in indicators]
    reports, missing, refused = _counties(s, actor, unit_id, start.year)
    out = []
    for i in indicators:
        if i.key in LIVE_IN_CITY:
            out.append(i)
        elif refused:
            out.append(replace(i, numerator=None, denominator=None, value=None, answerable=False, reason=refused,
                               exceptions=(), source=REPORTED))
        else:
            out.append(_from_counties(i, reports, missing, start.year))
    return out
