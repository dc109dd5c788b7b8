"""The demo year's calendar: the program's clock moved to the day the demo work happened, the
four quarters it covers, and its pay days (workdays)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

from ..domain import clock


class _Clock:
    """Moves the program's clock (:mod:`domain.clock`) to the day the demo work happened."""

    def __init__(self, today: date):
        self.today = today
        self.at = self._stamp(today, 10)

    @staticmethod
    def _stamp(d: date, hour: int) -> datetime:
        return datetime.combine(d, time(hour, 0)).astimezone().astimezone(timezone.utc)

    def day(self, d: date, hour: int = 10) -> date:
        d = min(d, self.today)
        self.at = self._stamp(d, hour)
        clock.pin(self.at, frozen=True)
        return d

    @contextmanager
    def installed(self) -> Iterator[None]:
        with clock.pinned(self.at, frozen=True):
            yield


def _window(today: date) -> list[tuple[int, int]]:
    """The four quarters ending with today's."""
    y, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(4):
        out.append((y, q))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    return list(reversed(out))


def _workday(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _quarter_start(y: int, q: int) -> date:
    return date(y, 3 * q - 2, 1)
