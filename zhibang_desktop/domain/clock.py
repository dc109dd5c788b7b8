"""The one clock of the program: every "now" and "today" is read here.

Nothing else in the package calls ``date.today()``, ``datetime.now()`` or
``datetime.utcnow()`` (a test scans the sources for them). Tests, the demo builder and
the benchmark pin the clock with :func:`pinned` / :func:`pin`; a pinned clock starts at
the given moment and runs forward with the real time, so two writes a second apart still get
different time stamps (it runs on the machine's monotonic clock read through clock_gettime: the
same on every thread, even where a test fakes time.monotonic() on some threads only).

``ZHIBANG_TODAY=YYYY-MM-DD`` starts the clock on that day at the current time of day (for
training on a past or future date); it is read once, at the first call.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Iterator

ENV_TODAY = "ZHIBANG_TODAY"

_lock = threading.Lock()
_pin: tuple[datetime, float, bool] | None = None  # (moment, process_seconds() at pin, frozen)
_env_read = False


def now() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    _read_env_once()
    pin = _pin
    if pin is None:
        return datetime.now(timezone.utc)
    moment, started, frozen = pin
    return moment if frozen else moment + timedelta(seconds=process_seconds() - started)


def process_seconds() -> float:
    """A reading of the machine's monotonic clock, the same in every process (for durations that
    span processes, such as a program's start); never a date. Read through clock_gettime where
    it exists, so that a test's frozen time.monotonic() does not shift it."""
    if hasattr(time, "clock_gettime"):
        return time.clock_gettime(time.CLOCK_MONOTONIC)
    return time.monotonic()


def today() -> date:
    """The office's calendar day: the local date of :func:`now` on this computer."""
    return local_date(now())


def local_date(ts: datetime) -> date:
    return ts.astimezone().date()


def local_now() -> datetime:
    """:func:`now` in this computer's time zone (for file names and on-screen times)."""
    return now().astimezone()


def pin(moment: datetime | date, *, frozen: bool = False) -> None:
    """Make :func:`now` start at ``moment`` (a date means 10:00 local time on that day)."""
    global _pin
    with _lock:
        _pin = (_as_utc(moment), process_seconds(), frozen)


def unpin() -> None:
    global _pin
    with _lock:
        _pin = None


@contextmanager
def pinned(moment: datetime | date, *, frozen: bool = False) -> Iterator[None]:
    """Pin the clock for the ``with`` block and put back whatever was there before."""
    global _pin
    _read_env_once()
    with _lock:
        saved = _pin
    pin(moment, frozen=frozen)
    try:
        yield
    finally:
        with _lock:
            _pin = saved


def _as_utc(moment: datetime | date) -> datetime:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.astimezone()  # naive means local time
        return moment.astimezone(timezone.utc)
    return datetime(moment.year, moment.month, moment.day, 10, 0).astimezone().astimezone(timezone.utc)


def _read_env_once() -> None:
    global _env_read, _pin
    if _env_read:
        return
    with _lock:
        if _env_read:
            return
        _env_read = True
        text = os.environ.get(ENV_TODAY, "").strip()
        if not text or _pin is not None:
            return
        day = date.fromisoformat(text)
        real = datetime.now().astimezone()
        start = real.replace(year=day.year, month=day.month, day=day.day)
        _pin = (start.astimezone(timezone.utc), process_seconds(), False)
