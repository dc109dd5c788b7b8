"""What was paid in a report's period: the 报表 page shows it above the indicators, so the
clerk sees the money of the quarter (or any period) and union chosen, not only the rates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .annual import type_rows
from .common import READ, check_period, report_units
from .labels import TypeNames
from .types import TypeRow


@dataclass(frozen=True)
class PeriodPayouts:
    start: date
    end: date
    by_type: tuple[TypeRow, ...]  # largest amount first
    total: TypeRow


def period_payouts(ctx, start: date, end: date, unit_id: int | None = None) -> PeriodPayouts:
    """The payments (disbursed and entered from ledgers) dated within the period, in the user's
    scope narrowed to `unit_id`'s subtree — the same figures as the annual report's table 1-3."""
    check_period(start, end)
    with ctx.tx(READ, read_only=True) as tx:
        units = report_units(tx.session, ctx.actor, unit_id)
        by_type, total = type_rows(tx.session, start, end, units, TypeNames(tx.session))
    return PeriodPayouts(start, end, tuple(by_type), total)
