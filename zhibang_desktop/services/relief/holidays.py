"""The holiday table an admin extends each year from the State Council notice.

``chinese_calendar`` knows 2004–2026 and raises for 2027; rows here (holidays and
make-up workdays, 调休) take precedence over it, and a year the admin declared
complete counts as known.  In a year with neither, working days fall back to
weekends only and every due date computed there carries a warning.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.workdays import package_years
from ...storage.models import CalendarDay, CalendarYear
from ..context import AppContext
from ..errors import FieldProblem, NotFound, ValidationFailed
from .calendar import work_calendar
from .review import refresh_pending_due_dates
from .types import CalendarYearView, HolidayView

EDIT = "org.edit"


def _view(row: CalendarDay) -> HolidayView:
    return HolidayView(row.day, row.is_workday, row.name)


def list_days(ctx: AppContext, year: int | None = None) -> list[HolidayView]:
    with ctx.tx(None, read_only=True) as tx:
        q = select(CalendarDay).order_by(CalendarDay.day)
        if year is not None:
            q = q.where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        return [_view(r) for r in tx.session.execute(q).scalars()]


def add_days(ctx: AppContext, days: list[HolidayView], *, complete_year: int | None = None) -> list[HolidayView]:
    """Add or replace several rows at once (one year's notice); optionally mark the year complete."""
    problems = []
    for i, d in enumerate(days):
        if not isinstance(d.day, date):
            problems.append(FieldProblem(f"days[{i}].day", "日期", f"“{d.day}”不是日期"))
        elif not 2000 <= d.day.year <= 2100:
            problems.append(FieldProblem(f"days[{i}].day", "日期", f"{d.day} 超出范围"))
        if len(d.name or "") > 50:
            problems.append(FieldProblem(f"days[{i}].name", "名称", "不超过 50 个字"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(EDIT) as tx:
        s = tx.session
        changes = []
        for d in days:
            row = s.get(CalendarDay, d.day)
            old = "" if row is None else ("上班" if row.is_workday else "放假") + (f"（{row.name}）" if row.name else "")
            if row is None:
                row = CalendarDay(day=d.day, is_workday=d.is_workday, name=(d.name or "").strip())
                s.add(row)
            else:
                row.is_workday, row.name = d.is_workday, (d.name or "").strip()
            changes.append([d.day.isoformat(), old,
                            ("上班" if d.is_workday else "放假") + (f"（{row.name}）" if row.name else "")])
        if complete_year is not None and s.get(CalendarYear, complete_year) is None:
            s.add(CalendarYear(year=complete_year))
            changes.append([f"{complete_year}年", "未完成", "已录入完整"])
        s.flush()
        tx.audit("update", "calendar", None, summary=f"录入节假日/调休 {len(days)} 天", changes=changes)
        _refresh_due_dates(s)
        return [_view(s.get(CalendarDay, d.day)) for d in days]


def add_day(ctx: AppContext, day: date, is_workday: bool, name: str = "") -> HolidayView:
    """A holiday (``is_workday=False``) or a make-up workday (``True``)."""
    return add_days(ctx, [HolidayView(day, is_workday, name)])[0]


def remove_day(ctx: AppContext, day: date) -> None:
    with ctx.tx(EDIT) as tx:
        row = tx.session.get(CalendarDay, day)
        if row is None:
            raise NotFound(f"{day.isoformat()} 不在节假日表中")
        old = ("上班" if row.is_workday else "放假") + (f"（{row.name}）" if row.name else "")
        tx.session.delete(row)
        tx.session.flush()
        tx.audit("delete", "calendar", None, summary=f"删除节假日/调休：{day.isoformat()}",
                 changes=[[day.isoformat(), old, ""]])
        _refresh_due_dates(tx.session)


def mark_year_complete(ctx: AppContext, year: int, complete: bool = True) -> CalendarYearView:
    """Declare that the table holds every holiday and make-up day of ``year`` (or undo it)."""
    if not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"{year} 不是有效年度")])
    with ctx.tx(EDIT) as tx:
        row = tx.session.get(CalendarYear, year)
        if complete and row is None:
            tx.session.add(CalendarYear(year=year))
        elif not complete and row is not None:
            tx.session.delete(row)
        else:
            return _year_view(tx.session, year)
        tx.session.flush()
        tx.audit("update", "calendar", year, summary=f"{year}年节假日安排{'已录入完整' if complete else '改为未完成'}")
        _refresh_due_dates(tx.session)
        return _year_view(tx.session, year)


def _year_view(session: Session, year: int) -> CalendarYearView:
    entries = session.execute(select(func.count()).select_from(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))).scalar_one()
    if session.get(CalendarYear, year) is not None:
        source = "admin"
    elif year in package_years():
        source = "package"
    else:
        source = "none"
    return CalendarYearView(year, source != "none", source, entries)


def calendar_years(ctx: AppContext, years: list[int] | None = None) -> list[CalendarYearView]:
    """Known/unknown status of the given years (default: this year and the next)."""
    today = clock.today()
    with ctx.tx(None, read_only=True) as tx:
        return [_year_view(tx.session, y) for y in (years or [today.year, today.year + 1])]


def _refresh_due_dates(session: Session) -> None:
    refresh_pending_due_dates(session, work_calendar(session))
