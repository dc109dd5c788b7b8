"""The year's exchange workbook for the city union (年度上报), read from the normal tables.

Only a user who sees the whole office and holds ``exchange.export`` (管理员, 负责人) writes it:
the file carries every household's ID number, so it is the office's 上报, not a union's.
What stays home: phone numbers, addresses, health and disability notes, remarks, visit
findings, attachments and full bank card numbers (masked to the first and last four digits).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...documents.exchange_workbook import ExchangeInfo, write_exchange_workbook
from ...domain import clock
from ...domain.cards import mask_account
from ...domain.household import ASSISTANCE_STATUSES, CATEGORIES, SCHOOLING_STAGES, STATUSES
from ...storage.models import (
    BudgetAdjustment, BudgetAllocation, BudgetCarryOver, BudgetLine, FamilyMember, FundSource, Household, OrgUnit,
    Payment, ReliefRequest,
)
from ..admin.org import require_whole_office
from ..admin.settings import read_settings
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed
from ..funds import rate_bp
from ..reports import annual_report
from .permissions import EXPORT

ProgressFn = Callable[[int, int], None]
SEX = {"M": "男", "F": "女"}


@dataclass(frozen=True)
class ExchangeExport:
    path: Path
    office: str
    year: int
    counts: dict[str, int]  # sheet key -> data rows


def _households_of_year(s: Session, year: int):
    start, end = date(year, 1, 1), date(year, 12, 31)
    aided = select(Payment.household_id).where(Payment.paid_on >= start, Payment.paid_on <= end,
                                               Payment.household_id.is_not(None))
    requested = select(ReliefRequest.household_id).where(ReliefRequest.period_year == year,
                                                         ReliefRequest.household_id.is_not(None))
    in_archive = ((Household.status != "draft") & (Household.archived_on <= end)
                  & or_(Household.exited_on.is_(None), Household.exited_on >= start))
    return or_(in_archive, Household.id.in_(aided), Household.id.in_(requested))


def _household_rows(s: Session, year: int):
    q = select(Household).where(_households_of_year(s, year)).order_by(Household.archive_no)
    for h in s.execute(q).scalars():
        yield (h.archive_no, h.unit_id, h.name, h.id_number, SEX.get(h.sex or ""), h.birth_date,
               STATUSES.get(h.status, h.status), CATEGORIES.get(h.category, h.category), "、".join(h.causes or []),
               h.household_size, h.total_income_fen, h.union_member, h.member_no, h.employer,
               ASSISTANCE_STATUSES.get(h.assistance_status, h.assistance_status), h.archived_on,
               h.phase_out_until, h.exited_on, h.exit_reason, h.last_visit_on, h.next_visit_due,
               {"bank": "银行卡", "social_security": "社保卡"}.get(h.account_kind or "", h.account_kind),
               h.bank_name, mask_account(h.bank_account) if h.bank_account else None)


def _member_rows(s: Session, year: int):
    q = (select(Household.archive_no, Household.id_number, FamilyMember).join(FamilyMember.household)
         .where(_households_of_year(s, year)).order_by(Household.archive_no, FamilyMember.id))
    for archive_no, head_id, m in s.execute(q):
        yield (archive_no, head_id, m.name, m.id_number, m.relation, SEX.get(m.sex or ""), m.birth_date,
               SCHOOLING_STAGES.get(m.schooling, m.schooling), m.monthly_income_fen)


def _union_rows(s: Session):
    for u in s.execute(select(OrgUnit).order_by(OrgUnit.id)).scalars():
        yield u.id, u.name, u.level, u.parent_id, u.sort_order


def _request_rows(s: Session, year: int):
    start, end = date(year, 1, 1), date(year, 12, 31)
    paid = select(Payment.request_id).where(Payment.paid_on >= start, Payment.paid_on <= end,
                                            Payment.request_id.is_not(None))
    q = (select(ReliefRequest, Household.archive_no).outerjoin(Household, Household.id == ReliefRequest.household_id)
         .where(or_(ReliefRequest.period_year == year, ReliefRequest.id.in_(paid))).order_by(ReliefRequest.number))
    for r, archive_no in s.execute(q):
        decided = clock.local_date(r.decided_at).isoformat() if r.decided_at else None
        yield (r.number, r.source, archive_no, r.name, r.id_number, r.person_id_number, r.unit_id, r.relief_type,
               r.subcase, r.period_year, r.period_quarter, r.request_date, r.requested_fen, r.approved_fen,
               r.standard_min_fen, r.standard_max_fen, r.status, r.fund_source, r.justification, decided)


def _payment_rows(s: Session, year: int):
    start, end = date(year, 1, 1), date(year, 12, 31)
    q = (select(Payment, ReliefRequest.number, Household.archive_no)
         .outerjoin(ReliefRequest, ReliefRequest.id == Payment.request_id)
         .outerjoin(Household, Household.id == Payment.household_id)
         .where(Payment.paid_on >= start, Payment.paid_on <= end).order_by(Payment.paid_on, Payment.id))
    for p, number, archive_no in s.execute(q):
        yield (p.id, number, archive_no, p.name, p.id_number, p.relief_type, p.subcase, p.amount_fen, p.paid_on,
               p.period_year, p.period_quarter, p.fund_source, p.source, p.batch)


def _budget_rows(s: Session, year: int):
    """预算合计 = 下达金额 + 调整合计 + the carry-over into the line (the line's budget, as the
    funds service computes it)."""
    adjusted = (select(BudgetAdjustment.line_id, func.sum(BudgetAdjustment.amount_fen).label("fen"))
                .group_by(BudgetAdjustment.line_id).subquery())
    carried = (select(BudgetCarryOver.to_line_id, func.sum(BudgetCarryOver.amount_fen).label("fen"))
               .group_by(BudgetCarryOver.to_line_id).subquery())
    q = (select(BudgetLine, FundSource.code, FundSource.name, func.coalesce(adjusted.c.fen, 0),
                func.coalesce(carried.c.fen, 0))
         .join(FundSource, FundSource.id == BudgetLine.source_id)
         .outerjoin(adjusted, adjusted.c.line_id == BudgetLine.id)
         .outerjoin(carried, carried.c.to_line_id == BudgetLine.id)
         .where(BudgetLine.year == year).order_by(BudgetLine.id))
    for line, code, name, adjust, carry in s.execute(q):
        yield (line.id, line.year, code, name, line.programme, line.unit_id, line.initial_fen, int(adjust),
               line.initial_fen + int(adjust) + int(carry), line.doc_no, line.set_on)


def _allocation_rows(s: Session, year: int):
    q = (select(BudgetAllocation, FundSource.code).join(BudgetLine, BudgetLine.id == BudgetAllocation.line_id)
         .join(FundSource, FundSource.id == BudgetLine.source_id)
         .where(BudgetLine.year == year).order_by(BudgetAllocation.id))
    for a, code in s.execute(q):
        yield (a.id, a.line_id, code, a.unit_id, a.allocated_on, a.amount_fen, a.doc_no, a.reported_spent_fen,
               a.reported_on)


def _indicator_rows(ctx: AppContext, year: int):
    for i in annual_report(ctx, year).indicators:
        value = rate_bp(i.numerator, i.denominator) if i.answerable and i.denominator else None
        yield (i.key, i.name, i.answerable, i.numerator, i.denominator, value, i.shortfalls,
               i.reason or None, i.seed)


def export_annual_workbook(ctx: AppContext, year: int, path, password: str | None = None,
                           progress: ProgressFn | None = None) -> ExchangeExport:
    """Write the year's exchange workbook to ``path`` (.xlsx; with ``password`` encrypted) and
    record the export in the audit trail."""
    out = Path(path)
    problems = []
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(FieldProblem("year", "年度", f"“{year}”不是有效年度"))
    if out.suffix.lower() != ".xlsx":
        problems.append(FieldProblem("out", "输出文件", f"“{out.name}”应以 .xlsx 结尾"))
    if problems:
        raise ValidationFailed(problems)
    ctx.require(EXPORT)
    require_whole_office(ctx.actor, "年度上报文件")
    # Read in one snapshot (the indicators agree with the rows whatever is saved meanwhile) that
    # takes no write lock while the file is written; the export is recorded after.
    with ctx.snapshot(), ctx.tx(EXPORT, read_only=True) as tx:
        indicators = list(_indicator_rows(ctx, year))
        s = tx.session
        settings = read_settings(s)
        total = (s.execute(select(func.count()).select_from(Household).where(_households_of_year(s, year))).scalar_one()
                 + s.execute(select(func.count()).select_from(Payment).where(
                     Payment.paid_on >= date(year, 1, 1), Payment.paid_on <= date(year, 12, 31))).scalar_one())
        done = [0]

        def advance(n: int) -> None:
            done[0] += n
            if progress:
                progress(min(done[0], total), max(total, done[0], 1))

        info = ExchangeInfo(settings.office_name, settings.archive_prefix, settings.region, year,
                            clock.local_now().strftime("%Y-%m-%d %H:%M:%S"), ctx.actor.display_name)
        data = {"unions": _union_rows(s), "households": _household_rows(s, year), "members": _member_rows(s, year),
                "requests": _request_rows(s, year), "payments": _payment_rows(s, year),
                "budgets": _budget_rows(s, year), "allocations": _allocation_rows(s, year),
                "indicators": indicators}
        counts = write_exchange_workbook(out, info, data, password, advance)
    lock = "（已加密）" if password else ""
    with ctx.tx(EXPORT) as tx:
        tx.audit("export", "annual_exchange", year,
                 summary=f"导出{year}年度上报文件{lock}：{counts['households']} 户、{counts['payments']} 笔发放")
    return ExchangeExport(out, settings.office_name, year, counts)
