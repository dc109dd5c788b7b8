"""The working-day calendar the relief and payout services count deadlines with: the admin's
holiday table (:mod:`.holidays`) over the ``chinese_calendar`` package data."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.workdays import DayOverride, WorkCalendar
from ...storage.models import CalendarDay, CalendarYear


def work_calendar(session: Session) -> WorkCalendar:
    """The working-day calendar: admin rows over the package data."""
    days = session.execute(select(CalendarDay)).scalars()
    years = session.execute(select(CalendarYear.year)).scalars()
    return WorkCalendar([DayOverride(d.day, d.is_workday, d.name) for d in days], list(years))
