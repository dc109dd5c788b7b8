"""What every test starts from: the day on the clock and the size of the demo database.

TEST_TODAY is Monday 2026-11-23, 10:00 in China: a plain working week in a year with
holiday data. The autouse ``pinned_clock`` fixture starts the program's clock there; it
then runs forward in real time, so time stamps stay distinct. CI runs the date-sensitive
tests again under a shifted system date to prove that nothing reads the machine's date
behind the clock's back.
"""
from datetime import datetime, timezone

TEST_TODAY = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
DEMO_HOUSEHOLDS = 250  # more than one page (200 rows) of the archive list
