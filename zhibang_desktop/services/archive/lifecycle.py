"""Lifecycle of an archive: draft → active (在档) → phasing_out (渐退期) → exited (退档),
and re-activation.

Seed 002 (海口): "先家访、后建档" — archiving needs a visit on record; a household that
leaves the archive keeps a 6-month 渐退期. Seed 000 (上海): the exclusion checklist.
"""
from __future__ import annotations

from datetime import date

from ...domain import clock
from ...domain.household import (
    STATUSES, TRANSITION_LABELS, archive_blockers, phase_out_end, transition_error,
)
from ...storage.models import Household
from .fields import STATUS_FIELD_LABELS as SL
from .store import archive_facts, build_view, load_household, refresh_visit_due
from .types import HouseholdView
from ..context import AppContext, Tx
from ..errors import FieldProblem, ValidationFailed

# Reasons a household leaves the archive at once, without a 渐退期 (suggestions for the GUI).
IMMEDIATE_EXIT_REASONS = ("死亡", "迁出", "调离本地", "经核查不符合条件", "本人申请退出")
_TRACKED = ("status", "archived_on", "exit_decided_on", "phase_out_until", "exited_on", "exit_reason",
            "next_visit_due")


def _problem(field: str, label: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldProblem(field, label, message)])


def _check_transition(hh: Household, action: str) -> None:
    message = transition_error(action, hh.status)
    if message:
        raise _problem("status", "状态", message)


def _check_date(on: date, field: str, label: str, hh: Household) -> None:
    if not isinstance(on, date):
        raise _problem(field, label, "请填写日期")
    if on > clock.today():
        raise _problem(field, label, "不能晚于今天")
    if hh.archived_on and on < hh.archived_on:
        raise _problem(field, label, f"不能早于建档日期 {hh.archived_on.isoformat()}")


def _snapshot(hh: Household) -> dict[str, object]:
    return {f: getattr(hh, f) for f in _TRACKED}


def _show(field: str, value) -> str:
    if value is None:
        return ""
    if field == "status":
        return STATUSES.get(value, value)
    return value.isoformat() if isinstance(value, date) else str(value)


def _finish(tx: Tx, hh: Household, action: str, before: dict, summary: str) -> HouseholdView:
    refresh_visit_due(hh)
    hh.updated_at = clock.now()
    tx.session.flush()
    changes = [[SL[f], _show(f, before[f]), _show(f, getattr(hh, f))]
               for f in _TRACKED if before[f] != getattr(hh, f)]
    tx.audit(action, "household", hh.id, household_id=hh.id,
             summary=f"{TRANSITION_LABELS.get(action, action)}：{hh.archive_no}（{hh.name}）{summary}",
             changes=changes)
    return build_view(tx.session, hh)


def archive_household(ctx: AppContext, household_id: int, on: date) -> HouseholdView:
    """建档: draft → active. Every unmet condition is listed in one ValidationFailed."""
    with ctx.tx("archive.edit") as tx:
        hh = load_household(tx.session, ctx.actor, household_id)
        _check_transition(hh, "archive")
        problems = [FieldProblem("archive", "建档条件", msg) for msg in archive_blockers(archive_facts(hh))]
        if not isinstance(on, date):
            problems.append(FieldProblem("archived_on", SL["archived_on"], "请填写日期"))
        elif on > clock.today():
            problems.append(FieldProblem("archived_on", SL["archived_on"], "不能晚于今天"))
        if problems:
            raise ValidationFailed(problems)
        before = _snapshot(hh)
        hh.status, hh.archived_on = "active", on
        return _finish(tx, hh, "archive", before, "")


def begin_exit(ctx: AppContext, household_id: int, decided_on: date, reason: str) -> HouseholdView:
    """退档决定: active → phasing_out; the 渐退期 ends 6 months after the decision (seed 002)."""
    reason = (reason or "").strip()
    with ctx.tx("archive.edit") as tx:
        hh = load_household(tx.session, ctx.actor, household_id)
        _check_transition(hh, "begin_exit")
        _check_date(decided_on, "exit_decided_on", SL["exit_decided_on"], hh)
        if not reason:
            raise _problem("exit_reason", SL["exit_reason"], "请填写退档原因（如：家庭收入已超过标准）")
        before = _snapshot(hh)
        hh.status, hh.exit_decided_on, hh.exit_reason = "phasing_out", decided_on, reason
        hh.phase_out_until = phase_out_end(decided_on)
        return _finish(tx, hh, "begin_exit", before, f"，渐退期至 {hh.phase_out_until.isoformat()}")


def complete_exit(ctx: AppContext, household_id: int, on: date, reason: str | None = None) -> HouseholdView:
    """退档: from phasing_out once the 渐退期 has ended; from active at once only with a reason
    such as 死亡 or 迁出 (no 渐退期)."""
    reason = (reason or "").strip() or None
    with ctx.tx("archive.edit") as tx:
        hh = load_household(tx.session, ctx.actor, household_id)
        _check_transition(hh, "complete_exit")
        _check_date(on, "exited_on", SL["exited_on"], hh)
        if hh.status == "phasing_out":
            if hh.phase_out_until and on < hh.phase_out_until and not reason:
                raise _problem("exited_on", SL["exited_on"],
                               f"渐退期至 {hh.phase_out_until.isoformat()} 结束，期满后才能退档"
                               "（如因死亡、迁出等须提前退档，请填写原因）")
        elif not reason:
            raise _problem("exit_reason", SL["exit_reason"],
                           "在档家庭直接退档（不经渐退期）须填写原因，如：" + "、".join(IMMEDIATE_EXIT_REASONS[:2]))
        before = _snapshot(hh)
        if reason:
            keep = hh.status == "phasing_out" and hh.exit_reason
            hh.exit_reason = f"{hh.exit_reason}；{reason}" if keep else reason
        hh.status, hh.exited_on = "exited", on
        return _finish(tx, hh, "complete_exit", before, f"，原因：{hh.exit_reason or ''}")


def reactivate(ctx: AppContext, household_id: int, on: date, reason: str) -> HouseholdView:
    """重新在档: phasing_out or exited → active (the exit dates are cleared; the audit keeps them)."""
    reason = (reason or "").strip()
    with ctx.tx("archive.edit") as tx:
        hh = load_household(tx.session, ctx.actor, household_id)
        _check_transition(hh, "reactivate")
        _check_date(on, "reactivated_on", "重新在档日期", hh)
        if not reason:
            raise _problem("reason", "重新在档原因", "请填写原因（如：家庭再次陷入困难）")
        before = _snapshot(hh)
        hh.status = "active"
        hh.exit_decided_on = hh.phase_out_until = hh.exited_on = None
        hh.exit_reason = None
        return _finish(tx, hh, "reactivate", before, f"，日期 {on.isoformat()}，原因：{reason}")
