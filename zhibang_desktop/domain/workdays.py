"""Working days on the Chinese calendar, including make-up workdays (调休).

Sources, in order: holidays the admin entered from the State Council notice,
then the ``chinese_calendar`` package for the years it covers, then weekends
only. A due date that had to rely on weekends only says so in ``warning``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

__all__ = ["DayOverride", "DueDate", "WorkCalendar", "package_years"]

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayOverride:
    date: dt.date
    is_workday: bool
    name: str = ""


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    assumed_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str | None:
        if not self.assumed_years:
            return None
        years = "、".join(str(y) for y in self.assumed_years)
        return (
            f"{years}年的节假日安排尚未录入，到期日仅按周末推算，"
            "请管理员在“节假日”中补录国务院通知"
        )


@lru_cache(maxsize=1)
def package_years() -> range:
    """The years the installed ``chinese_calendar`` has holiday data for."""
    years = {d.year for d in chinese_calendar.holidays}
    years.update(d.year for d in chinese_calendar.workdays)
    if not years:
        return range(0)
    return range(min(years), max(years) + 1)


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


class WorkCalendar:
    def __init__(
        self,
        overrides: Iterable[DayOverride] = (),
        covered_years: Iterable[int] = (),
    ) -> None:
        self._overrides = {_as_date(o.date): o for o in overrides}
        self._covered_years = frozenset(covered_years)

    def override(self, d: dt.date) -> DayOverride | None:
        return self._overrides.get(_as_date(d))

    def is_year_known(self, year: int) -> bool:
        return year in self._covered_years or year in package_years()

    def is_workday(self, d: dt.date) -> bool:
        d = _as_date(d)
        entry = self._overrides.get(d)
        if entry is not None:
            return entry.is_workday
        if d.year in package_years():
            try:
                return chinese_calendar.is_workday(d)
            except NotImplementedError:
                pass
        return d.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> DueDate:
        """The n-th working day after ``start`` (``start`` itself never counts)."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        day = _as_date(start)
        unknown: set[int] = set()
        remaining = n
        while remaining:
            day += _ONE_DAY
            if not self.is_year_known(day.year):
                unknown.add(day.year)
            if self.is_workday(day):
                remaining -= 1
        return DueDate(date=day, assumed_years=tuple(sorted(unknown)))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after ``a`` up to and including ``b``; 0 if ``b <= a``."""
        day, end = _as_date(a), _as_date(b)
        count = 0
        while day < end:
            day += _ONE_DAY
            count += self.is_workday(day)
        return count

    def unknown_years_between(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """Years in (a, b] with no holiday data (only weekends are skipped there)."""
        start, end = _as_date(a), _as_date(b)
        if end <= start:
            return ()
        first, last = (start + _ONE_DAY).year, end.year
        return tuple(y for y in range(first, last + 1) if not self.is_year_known(y))
