"""Every indicator of DESIGN.md §3 the data can answer, live for any period and union subtree,
with the records behind each shortfall; those it cannot answer say why (none is invented).

``compute_indicators(ctx, start, end, unit_id=None)``: the period is [start, end] (local
dates); ``unit_id`` narrows to that union's subtree within the user's scope.
"""
from __future__ import annotations

from datetime import date

from ..relief.calendar import work_calendar
from . import payout_indicators as pay
from . import casework_indicators as case
from . import process_indicators as proc
from ..funds import execution
from .budget_indicator import budget_as_of, budget_execution, unanswerable
from .common import READ, check_period, report_units
from .county_reported import city_indicators
from .labels import TypeNames
from .types import Indicator
from ..context import one_snapshot


def compute_indicators(ctx, start: date, end: date, unit_id: int | None = None) -> list[Indicator]:
    return indicators_with(ctx, start, end, unit_id)


@one_snapshot
def indicators_with(ctx, start: date, end: date, unit_id: int | None, funds=None) -> list[Indicator]:
    """The indicators; ``funds``: the funds service's execution of the end date's year when the
    caller already has it (the annual report)."""
    check_period(start, end)
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        units = report_units(s, ctx.actor, unit_id)
        cal = work_calendar(s)
        names = TypeNames(s)
        unsigned = pay.unsigned_cash(s, start, end, units)
        first = [
            proc.plan_completion(s, start, end, units),
            pay.archive_coverage(s, start, end, units),
            pay.standard_compliance(s, start, end, units, names),
            pay.account_payout(s, start, end, units),
            pay.real_name_payout(s, start, end, units, unsigned),
            pay.cash_signed(s, start, end, units, unsigned),
            pay.notice_before_payout(s, start, end, units),
            pay.payout_timeliness(s, start, end, units, cal),
            proc.review_timeliness(s, start, end, units, cal),
        ]
        last = [
            proc.visits_on_time(s, start, end, units),
            proc.archive_updates(s, start, end, units),
            proc.phase_out(s, start, end, units),
            case.followup_reach(s, start, end, units),
            case.satisfaction(s, start, end, units),
            case.complaints(s, start, end, units),
        ]
    # the funds service's own execution figures, for the user narrowed to the union asked for
    if funds is None:
        funds = execution(ctx, end.year, budget_as_of(end), unit_id)
    budget = budget_execution(funds, start, end, scoped=units is not None)
    with ctx.tx(READ, read_only=True) as tx:  # a city union's database: what it cannot recompute, from its counties' reports
        return city_indicators(tx.session, ctx.actor, first + [budget] + last + unanswerable(), start, end, unit_id)
