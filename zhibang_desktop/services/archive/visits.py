"""Visits (入户核查 / 电话走访 / 数据比对) and the household's next visit due date.

Seed 002 (海口): deep households are checked once a year, relative and accident
households twice a year (seed 002; the months are the policy's visit_interval_months).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.household import VISIT_METHODS
from ...storage.models import Household, Visit
from .fields import VISIT_LABELS, visit_diff
from .store import build_view, load_household, refresh_visit_due
from .types import HouseholdView, VisitInput
from ..context import AppContext
from ..errors import FieldProblem, NotFound, ValidationFailed

EARLIEST_VISIT = date(1990, 1, 1)


def visit_problems(v: VisitInput) -> list[FieldProblem]:
    problems = []

    def add(field: str, message: str) -> None:
        problems.append(FieldProblem(field, VISIT_LABELS[field], message))

    if not isinstance(v.visit_date, date):
        add("visit_date", "请填写日期")
    elif v.visit_date > clock.today():
        add("visit_date", "不能晚于今天")
    elif v.visit_date < EARLIEST_VISIT:
        add("visit_date", "日期过早，请核对")
    if v.method not in VISIT_METHODS:
        add("method", "请选择：" + "、".join(VISIT_METHODS.values()))
    if not v.visitor:
        add("visitor", "请填写走访人")
    elif len(v.visitor) > 50:
        add("visitor", "不能超过 50 个字")
    return problems


def _clean(v: VisitInput) -> VisitInput:
    return replace(v, visitor=(v.visitor or "").strip(), findings=(v.findings or "").strip(),
                   outcome=(v.outcome or "").strip())


def refresh_last_visit(session: Session, hh: Household) -> None:
    session.flush()
    hh.last_visit_on = session.execute(
        select(func.max(Visit.visit_date)).where(Visit.household_id == hh.id)).scalar_one()
    refresh_visit_due(hh)
    hh.updated_at = clock.now()


def add_visit(ctx: AppContext, household_id: int, visit: VisitInput) -> HouseholdView:
    """Record a visit; returns the household with its new last/next visit dates (and version)."""
    visit = _clean(visit)
    problems = visit_problems(visit)
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        hh = load_household(s, ctx.actor, household_id)
        row = Visit(household_id=hh.id, visit_date=visit.visit_date, method=visit.method, visitor=visit.visitor,
                    findings=visit.findings, outcome=visit.outcome, created_at=clock.now())
        hh.visits.append(row)
        refresh_last_visit(s, hh)
        s.flush()
        tx.audit("create", "visit", row.id, household_id=hh.id,
                 summary=f"新增走访记录：{VISIT_METHODS[visit.method]} {visit.visit_date.isoformat()}",
                 changes=visit_diff(None, visit))
        return build_view(s, hh)


def delete_visit(ctx: AppContext, visit_id: int) -> HouseholdView:
    with ctx.tx("archive.edit") as tx:
        s = tx.session
        row = s.get(Visit, visit_id)
        if row is None:
            raise NotFound(f"走访记录（编号 {visit_id}）不存在")
        hh = load_household(s, ctx.actor, row.household_id)
        changes = visit_diff(row, None)
        summary = f"删除走访记录：{VISIT_METHODS.get(row.method, row.method)} {row.visit_date.isoformat()}"
        hh.visits.remove(row)
        refresh_last_visit(s, hh)
        s.flush()
        tx.audit("delete", "visit", visit_id, household_id=hh.id, summary=summary, changes=changes)
        return build_view(s, hh)
