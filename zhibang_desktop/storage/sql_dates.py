"""Date arithmetic inside a query, written once per engine: SQLite keeps dates as ISO text
('2025-06-10', time stamps '2025-07-10 02:00:00.000000'), PostgreSQL as dates and timestamps."""
from __future__ import annotations

from sqlalchemy import Integer, literal_column
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date


class _DaysAfter(FunctionElement):
    type = Date()
    inherit_cache = True
    name = "days_after"


def days_after(day, days: int):
    """The date ``days`` after the date column ``day``.  Beside a time stamp column (naive UTC, as
    UTCDateTime stores it) it stands for that day's 00:00 UTC: ``stamp >= days_after(day, 30)``
    holds exactly when the stamp's UTC date is 30 or more days after ``day``."""
    # the number is written into the statement (part of its cache key), not bound
    return _DaysAfter(day, literal_column(str(int(days)), Integer()))


def _parts(element, compiler, **kw) -> tuple[str, int]:
    day, days = element.clauses
    return compiler.process(day, **kw), int(days.name)


@compiles(_DaysAfter, "sqlite")
def _sqlite(element, compiler, **kw):
    day, days = _parts(element, compiler, **kw)
    return f"date({day}, '{days:+d} days')"  # ISO text, which compares as text with a time stamp


@compiles(_DaysAfter, "postgresql")
def _postgresql(element, compiler, **kw):
    day, days = _parts(element, compiler, **kw)
    return f"({day} + {days})"  # date + integer is a date; beside a timestamp, its midnight


@compiles(_DaysAfter)
def _other(element, compiler, **kw):
    raise CompileError(f"days_after is not written for {compiler.dialect.name}")
