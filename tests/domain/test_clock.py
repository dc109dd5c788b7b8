"""One clock: every "today" and "now" of the program comes from domain.clock."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

import zhibang_desktop
from zhibang_desktop.domain import clock

PACKAGE = Path(zhibang_desktop.__file__).parent
# Reading the machine's clock directly; `datetime.now(tz)` and `time.time()` included.
FORBIDDEN = re.compile(r"\b(date\.today\(|datetime\.now\(|datetime\.utcnow\(|datetime\.today\(|time\.time\(|"
                       r"QDate\.currentDate\(|QDateTime\.current)")


def test_no_module_reads_the_machine_clock_except_the_clock():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "domain" / "clock.py":
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line.split("#", 1)[0]):
                offenders.append(f"{path.relative_to(PACKAGE)}:{no}: {line.strip()}")
    assert not offenders, "read the time through domain.clock:\n" + "\n".join(offenders)


def test_the_suite_runs_on_a_pinned_day():
    assert clock.today() == date(2026, 11, 23)


def test_a_pinned_clock_runs_forward_and_a_frozen_one_does_not():
    at = datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)
    with clock.pinned(at):
        first = clock.now()
        second = clock.now()
        assert at <= first <= second
        assert (second - at).total_seconds() < 5
    with clock.pinned(at, frozen=True):
        assert clock.now() == at == clock.now()
    assert clock.today() == date(2026, 11, 23)  # the outer pin is back


def test_a_date_pins_ten_oclock_local_time():
    with clock.pinned(date(2027, 3, 1), frozen=True):
        assert clock.today() == date(2027, 3, 1)
        assert clock.local_now().hour == 10


@pytest.mark.parametrize("text", ["2027-12-15", "2031-02-28"])
def test_the_environment_can_start_the_clock_on_another_day(monkeypatch, text):
    monkeypatch.setattr(clock, "_env_read", False)
    monkeypatch.setattr(clock, "_pin", None)
    monkeypatch.setenv(clock.ENV_TODAY, text)
    assert clock.today() == date.fromisoformat(text)


def test_a_pinned_clock_reads_the_same_on_every_thread_under_a_faked_system_time():
    """freezegun (the shifted-date pass) fakes time.monotonic() on the test's thread but hands a
    thread started by `threading` the real one; a pinned clock that ran on time.monotonic()
    then read a day years away there (a snapshot test saw another budget). It runs on
    clock_gettime, the same on every thread."""
    import threading

    import freezegun

    with freezegun.freeze_time(datetime(2031, 5, 1, 9, 0), tick=True), clock.pinned(date(2026, 11, 23)):
        seen: list[date] = []
        thread = threading.Thread(target=lambda: seen.append(clock.today()))
        thread.start()
        thread.join(10)
        assert seen == [clock.today()] == [date(2026, 11, 23)]
