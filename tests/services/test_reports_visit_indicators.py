"""走访核查按时率 and 档案及时更新率 pinned case by case (process_indicators.py): which households
and visits each counts, and the exact line of every shortfall, on the edges of their rules.

走访核查按时率: a household in the archive at the period's end (or today, when the period is still
running) whose category has a visit interval is counted; it falls short when its next visit, from
its last visit by then (from its archive date if it has none), fell due before that day.
档案及时更新率: every visit dated in the period is counted; it falls short when its local entry
date is more than 30 days after the visit.

Each case is one household in its own database, read with the whole office and with 荔城街's
subtree; then all the cases of a period together, for the sums and the order of the lines."""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tests.pinned import TEST_TODAY
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.services.admin.org import subtree_ids
from zhibang_desktop.services.reports import process_indicators as proc
from zhibang_desktop.storage.models import Household, OrgUnit, Visit

TODAY = TEST_TODAY.date()  # 2026-11-23, the pinned clock
G1, G2 = "荔城街某某电子厂工会", "新塘镇牛仔服装公司工会"  # under 荔城街 / under 新塘镇

PERIODS = {
    "2025": (date(2025, 1, 1), date(2025, 12, 31)),
    "to 2026-02-28": (date(2026, 1, 1), date(2026, 2, 28)),  # a 6-month interval ending on a month's last day
    "to 2024-02-29": (date(2024, 1, 1), date(2024, 2, 29)),  # a leap day
    "running 2026": (date(2026, 1, 1), date(2026, 12, 31)),  # judged as of today
}


def d(text: str) -> date:
    return date.fromisoformat(text)


# key, period, (category, archived_on, exited_on, union), visit dates,
# expected: None = not counted, "" = counted and on time, else the shortfall's line
VISIT_CASES = [
    ("no visit, archived in the year", "2025", ("relative", "2025-03-01", None, G1), [],
     "{no}（相对困难）应于 2025-03-01 前走访，建档后没有走访记录，截至 2025-12-31 逾期 305 天"),
    ("no visit, archived on the last day", "2025", ("relative", "2025-12-31", None, G1), [], ""),
    ("visit exactly on the due date", "2025", ("relative", "2024-06-01", None, G1), ["2025-07-01"], ""),
    ("one day late", "2025", ("relative", "2024-06-01", None, G1), ["2025-06-30"],
     "{no}（相对困难）应于 2025-12-30 前走访，上次走访 2025-06-30，截至 2025-12-31 逾期 1 天"),
    ("the latest visit counts", "2025", ("relative", "2024-06-01", None, G1), ["2025-01-10", "2025-07-02"], ""),
    ("a visit after the period does not", "2025", ("relative", "2024-06-01", None, G1), ["2025-06-30", "2026-01-05"],
     "{no}（相对困难）应于 2025-12-30 前走访，上次走访 2025-06-30，截至 2025-12-31 逾期 1 天"),
    ("deep: a year, on the due date", "2025", ("deep", "2024-06-01", None, G1), ["2024-12-31"], ""),
    ("deep: a year and a day", "2025", ("deep", "2024-06-01", None, G1), ["2024-12-30"],
     "{no}（深度困难）应于 2025-12-30 前走访，上次走访 2024-12-30，截至 2025-12-31 逾期 1 天"),
    ("accident: six months", "2025", ("accident", "2024-06-01", None, G1), ["2025-05-31"],
     "{no}（意外致困）应于 2025-11-30 前走访，上次走访 2025-05-31，截至 2025-12-31 逾期 31 天"),
    ("left the archive on the last day", "2025", ("relative", "2024-06-01", "2025-12-31", G1), [], None),
    ("left the archive after the period", "2025", ("relative", "2024-06-01", "2026-01-05", G1), [],
     "{no}（相对困难）应于 2024-06-01 前走访，建档后没有走访记录，截至 2025-12-31 逾期 578 天"),
    ("never archived", "2025", ("relative", None, None, G1), ["2025-01-10"], None),
    ("archived after the period", "2025", ("relative", "2026-01-10", None, G1), [], None),
    ("a category without a visit interval", "2025", ("other", "2024-06-01", None, G1), [], None),
    ("another street's union", "2025", ("relative", "2024-06-01", None, G2), ["2025-06-30"],
     "{no}（相对困难）应于 2025-12-30 前走访，上次走访 2025-06-30，截至 2025-12-31 逾期 1 天"),
    ("31 Aug + 6 months = 28 Feb", "to 2026-02-28", ("relative", "2024-06-01", None, G1), ["2025-08-31"], ""),
    ("29 Aug + 6 months = 28 Feb", "to 2026-02-28", ("relative", "2024-06-01", None, G1), ["2025-08-29"], ""),
    ("28 Aug + 6 months = 28 Feb", "to 2026-02-28", ("relative", "2024-06-01", None, G1), ["2025-08-28"], ""),
    ("27 Aug + 6 months = 27 Feb", "to 2026-02-28", ("relative", "2024-06-01", None, G1), ["2025-08-27"],
     "{no}（相对困难）应于 2026-02-27 前走访，上次走访 2025-08-27，截至 2026-02-28 逾期 1 天"),
    ("28 Feb + a year, on a leap day", "to 2024-02-29", ("deep", "2022-06-01", None, G1), ["2023-02-28"],
     "{no}（深度困难）应于 2024-02-28 前走访，上次走访 2023-02-28，截至 2024-02-29 逾期 1 天"),
    ("1 Mar + a year, on a leap day", "to 2024-02-29", ("deep", "2022-06-01", None, G1), ["2023-03-01"], ""),
    ("running: due today", "running 2026", ("relative", "2024-06-01", None, G1), ["2026-05-23"], ""),
    ("running: due yesterday", "running 2026", ("relative", "2024-06-01", None, G1), ["2026-05-22"],
     "{no}（相对困难）应于 2026-11-22 前走访，上次走访 2026-05-22，截至 2026-11-23 逾期 1 天"),
    ("running: a visit after today does not count", "running 2026", ("relative", "2024-06-01", None, G1),
     ["2026-05-22", "2026-11-25"],
     "{no}（相对困难）应于 2026-11-22 前走访，上次走访 2026-05-22，截至 2026-11-23 逾期 1 天"),
]

# key, (category, archived_on, exited_on, union), visit date, entered (UTC), expected as above;
# the period is 2025 and the computer's time zone Asia/Shanghai (UTC+8)
UPDATE_CASES = [
    ("entered the same day", ("relative", "2024-06-01", None, G1), "2025-06-10", "2025-06-10 02:00", ""),
    ("entered on day 30", ("relative", "2024-06-01", None, G1), "2025-06-10", "2025-07-10 02:00", ""),
    ("entered on day 31", ("relative", "2024-06-01", None, G1), "2025-06-10", "2025-07-11 02:00",
     "{no} 2025-06-10 的走访 2025-07-11 才录入，晚 1 天（应在 30 日内）"),
    ("day 30 in UTC, day 31 in China", ("relative", "2024-06-01", None, G1), "2025-06-10", "2025-07-10 16:00",
     "{no} 2025-06-10 的走访 2025-07-11 才录入，晚 1 天（应在 30 日内）"),
    ("day 30 a minute before midnight in China", ("relative", "2024-06-01", None, G1), "2025-06-10",
     "2025-07-10 15:59", ""),
    ("day 29 in UTC, day 30 in China", ("relative", "2024-06-01", None, G1), "2025-06-10", "2025-07-09 20:00", ""),
    ("entered 45 days later", ("relative", "2024-06-01", None, G1), "2025-08-01", "2025-09-15 02:00",
     "{no} 2025-08-01 的走访 2025-09-15 才录入，晚 15 天（应在 30 日内）"),
    ("a visit before the period", ("relative", "2024-06-01", None, G1), "2024-12-31", "2025-03-01 02:00", None),
    ("a visit on the period's last day", ("relative", "2024-06-01", None, G1), "2025-12-31", "2026-02-15 02:00",
     "{no} 2025-12-31 的走访 2026-02-15 才录入，晚 16 天（应在 30 日内）"),
    ("a visit after the period", ("relative", "2024-06-01", None, G1), "2026-01-01", "2026-03-01 02:00", None),
    ("a household that left the archive", ("relative", "2024-06-01", "2025-03-01", G1), "2025-02-01",
     "2025-04-01 02:00", "{no} 2025-02-01 的走访 2025-04-01 才录入，晚 29 天（应在 30 日内）"),
    ("a household never archived", ("relative", None, None, G1), "2025-02-01", "2025-02-02 02:00", ""),
    ("another street's union", ("relative", "2024-06-01", None, G2), "2025-06-10", "2025-07-11 02:00",
     "{no} 2025-06-10 的走访 2025-07-11 才录入，晚 1 天（应在 30 日内）"),
]


@pytest.fixture
def china_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _household(s, seq: int, spec, visits) -> tuple[int, str]:
    """The household and its visits, (entered, as UTC) per visit; its id and 'archive number name'."""
    category, archived, exited, union = spec
    unit = s.execute(select(OrgUnit.id).where(OrgUnit.name == union)).scalar_one()
    stamp = datetime(2024, 1, 2, 2, 0, tzinfo=timezone.utc)
    hh = Household(archive_no=f"ZC{seq:05d}", status="exited" if exited else ("active" if archived else "draft"),
                   category=category, unit_id=unit, name=f"户{seq}",
                   id_number=make_id_number("440183", date(1975, 1, 1) + timedelta(days=seq), seq, "M"),
                   created_at=stamp, updated_at=stamp, archived_on=archived and d(archived),
                   exited_on=exited and d(exited), last_visit_on=max((v for v, _ in visits), default=None))
    s.add(hh)
    s.flush()
    for visited, entered in visits:
        s.add(Visit(household_id=hh.id, visit_date=visited, method="home", visitor="李娜", created_at=entered))
    return hh.id, f"{hh.archive_no} {hh.name}"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _licheng(s) -> set[int]:
    return subtree_ids(s, s.execute(select(OrgUnit.id).where(OrgUnit.name == "荔城街总工会")).scalar_one())


def _read(ctx, figure, period, build):
    """(numerator, denominator, [(household id, line)]) for the whole office and for 荔城街, and
    what `build(session)` returned."""
    start, end = PERIODS[period]
    with ctx.db.session() as s:
        built = build(s)
        s.commit()
    with ctx.db.session() as s:
        found = [getattr(proc, figure)(s, start, end, units) for units in (None, _licheng(s))]
    return [(i.numerator, i.denominator, [(e.household_id, e.description) for e in i.exceptions]) for i in found], built


def _expected(cases, ids_and_names, scoped: bool):
    """What a figure should read over `cases` (their household's spec and, last, the expectation),
    given the households built for them."""
    counted = [(hh, name, case[-1]) for case, (hh, name) in zip(cases, ids_and_names)
               if case[-1] is not None and not (scoped and _spec(case)[3] == G2)]
    lines = [(hh, want.format(no=name)) for hh, name, want in counted if want]
    return len(counted) - len(lines), len(counted), lines


def _spec(case):
    return next(item for item in case if isinstance(item, tuple))


def _visit_household(s, seq, case):
    _key, _period, spec, visits, _want = case
    return _household(s, seq, spec, [(d(v), datetime.combine(d(v), datetime.min.time(), timezone.utc)
                                      .replace(hour=2)) for v in visits])


@pytest.mark.parametrize("case", VISIT_CASES, ids=[c[0] for c in VISIT_CASES])
def test_visits_on_time_case(ctx, case):
    found, built = _read(ctx, "visits_on_time", case[1], lambda s: [_visit_household(s, 1, case)])
    assert found == [_expected([case], built, scoped=False), _expected([case], built, scoped=True)]


@pytest.mark.parametrize("period", sorted({c[1] for c in VISIT_CASES}))
def test_visits_on_time_all_cases_of_a_period(ctx, period):
    cases = [c for c in VISIT_CASES if c[1] == period]
    found, built = _read(ctx, "visits_on_time", period,
                         lambda s: [_visit_household(s, seq, c) for seq, c in enumerate(cases, 1)])
    assert found == [_expected(cases, built, scoped=False), _expected(cases, built, scoped=True)]


def _update_household(s, seq, case):
    _key, spec, visited, entered, _want = case
    return _household(s, seq, spec, [(d(visited), _at(entered))])


@pytest.mark.parametrize("case", UPDATE_CASES, ids=[c[0] for c in UPDATE_CASES])
def test_archive_updates_case(ctx, china_time, case):
    found, built = _read(ctx, "archive_updates", "2025", lambda s: [_update_household(s, 1, case)])
    assert found == [_expected([case], built, scoped=False), _expected([case], built, scoped=True)]


def test_archive_updates_all_cases(ctx, china_time):
    # entered in an order other than the visits': the lines follow the visit dates
    cases = sorted(UPDATE_CASES, key=lambda c: c[3], reverse=True)
    found, built = _read(ctx, "archive_updates", "2025",
                         lambda s: [_update_household(s, seq, c) for seq, c in enumerate(cases, 1)])
    by_visit = sorted(zip(cases, built), key=lambda pair: pair[0][2])
    expected = [_expected([c for c, _ in by_visit], [b for _, b in by_visit], scoped=scoped) for scoped in (False, True)]
    assert found == expected
    assert found[0][:2] == (5, 11)  # the whole office: 11 visits dated in 2025, 6 entered late
