"""Indicators over the payouts of a period (ledger and disbursement payments alike):
archive coverage (000 C12), standard compliance (000 C13, 004), payouts to an account
(000 C14, 002), real-name payouts (004), signed lists for cash (002), 公示 before payout (002)
and payout timeliness (000 C16).

Counts are SQL aggregates over the period; only the records that fall short are read
one by one, to describe them.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ...domain.money import yuan_text
from ...storage.models import (
    BatchAttachment, Disbursement, DisbursementLine, Household, Notice, NoticeEntry, Payment, PayoutOverride,
    ReceiptPrint, ReliefRequest, RequestPayoutClaim,
)
from ..payout.types import METHOD_LABELS, PAID_STATES
from ..relief.compliance import request_justifications
from .common import indicator, late_text, payments_in
from .labels import TypeNames
from .types import Indicator, IndicatorException

ACCOUNT_METHODS = ("bank_transfer", "social_security_card")
CHUNK = 500


def _paid_line():
    """Join condition: the paid line that stands for a disbursement payment."""
    return and_(Payment.source == "disbursement", DisbursementLine.request_id == Payment.request_id,
                DisbursementLine.state.in_(tuple(PAID_STATES)))


def _disbursed(columns, start: date, end: date, units):
    return payments_in(columns, start, end, units).join(DisbursementLine, _paid_line())


def _count(s: Session, q) -> int:
    return int(s.execute(q.with_only_columns(func.count(Payment.id))).scalar_one())


def _chunks(ids):
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def line_ids_of(s: Session, request_ids) -> dict[int, int]:
    """request id → the payout line standing for it (its claim: the paid line of a paid request)."""
    out: dict[int, int] = {}
    for part in _chunks(set(r for r in request_ids if r is not None)):
        out.update(s.execute(select(RequestPayoutClaim.request_id, RequestPayoutClaim.line_id)
                             .where(RequestPayoutClaim.request_id.in_(part))).all())
    return out


def paid_text(name: str, on: date, amount_fen: int) -> str:
    return f"{name} {on.isoformat()} 发放 {yuan_text(amount_fen)} 元"


# ---------------------------------------------------------------- 000 C12 archive coverage

def archive_coverage(s: Session, start: date, end: date, units) -> Indicator:
    base = payments_in((Payment.id,), start, end, units)
    total = _count(s, base)
    outside = or_(Payment.household_id.is_(None), Household.archived_on.is_(None),
                  Household.archived_on > Payment.paid_on, Household.exited_on < Payment.paid_on)
    rows = s.execute(payments_in((Payment.id, Payment.request_id, Payment.household_id, Payment.name,
                                  Payment.amount_fen, Payment.paid_on, Household.archived_on, Household.exited_on),
                                 start, end, units).where(outside).order_by(Payment.paid_on, Payment.id)).all()
    lines = line_ids_of(s, [r.request_id for r in rows])
    out = []
    for r in rows:
        what = paid_text(r.name, r.paid_on, r.amount_fen)
        if r.household_id is None:
            why = "，受助人不在档案中（未建档）"
        elif r.archived_on is None or r.archived_on > r.paid_on:
            why = "，发放时尚未建档" + (f"（{r.archived_on.isoformat()} 才建档）" if r.archived_on else "")
        else:
            why = f"，发放时已退档（{r.exited_on.isoformat()} 退档）"
        out.append(IndicatorException("no_archive", what + why, r.household_id, r.request_id, lines.get(r.request_id)))
    return indicator("archive_coverage", "困难职工建档立卡覆盖率",
                     "发放时受助人已在档的发放笔数 ÷ 期内全部发放笔数（先建档、后帮扶，应为 100%）",
                     "报告000 C12；报告002 附件3", total - len(out), total, out)


# ---------------------------------------------------------------- 000 C13 / 004 standard compliance

def _ranges(rt, subcase: str | None) -> list[tuple[int | None, int | None]] | None:
    """The amount ranges a payment of this type may fall in; None when one is unbounded."""
    rules = [rt.amount_rule(subcase)] if subcase or not rt.subcases else [sc.amount or rt.amount for sc in rt.subcases]
    out = []
    for rule in rules:
        if rule.rule == "fixed":
            out.append((rule.fixed_fen, rule.fixed_fen))
        elif rule.rule == "range":
            out.append((rule.min_fen, rule.max_fen))
        else:
            return None
    return out


def _outside(amount: int, ranges) -> tuple[int | None, int | None] | None:
    """The nearest broken range (lo, hi) when ``amount`` is outside every range, else None."""
    if not ranges:
        return None
    if any((lo is None or amount >= lo) and (hi is None or amount <= hi) for lo, hi in ranges):
        return None
    los = [lo for lo, _ in ranges if lo is not None]
    his = [hi for _, hi in ranges if hi is not None]
    return (min(los) if los else None, max(his) if his else None)


def _range_text(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{yuan_text(lo)} 元" if lo == hi else f"{yuan_text(lo)}–{yuan_text(hi)} 元"
    return f"不低于 {yuan_text(lo)} 元" if lo is not None else f"不超过 {yuan_text(hi)} 元"


def standard_compliance(s: Session, start: date, end: date, units, names: TypeNames) -> Indicator:
    total = _count(s, payments_in((Payment.id,), start, end, units))
    cols = (Payment.id, Payment.request_id, Payment.household_id, Payment.name, Payment.amount_fen,
            Payment.paid_on, Payment.relief_type, Payment.subcase, Payment.period_year)
    # entered requests: the standard the rule engine fixed when the request was judged
    broke = or_(and_(ReliefRequest.standard_min_fen.is_not(None), Payment.amount_fen < ReliefRequest.standard_min_fen),
                and_(ReliefRequest.standard_max_fen.is_not(None), Payment.amount_fen > ReliefRequest.standard_max_fen))
    found = []
    for r in s.execute(payments_in(cols + (ReliefRequest.standard_min_fen, ReliefRequest.standard_max_fen),
                                   start, end, units).where(ReliefRequest.source == "entered", broke)):
        found.append((r, r.standard_min_fen, r.standard_max_fen))
    # ledger payments (no standard was recorded): the policy they were imported under
    ledger = payments_in(cols + (ReliefRequest.policy_version_id,), start, end, units).where(
        or_(ReliefRequest.id.is_(None), ReliefRequest.source != "entered"))
    for r in s.execute(ledger):
        rt = names.relief_type(r.policy_version_id, r.period_year, r.relief_type)
        if rt is None:
            continue
        bad = _outside(r.amount_fen, _ranges(rt, r.subcase))
        if bad is not None:
            found.append((r, bad[0], bad[1]))
    found.sort(key=lambda x: (x[0].paid_on, x[0].id))
    why = request_justifications(s, [r.request_id for r, _, _ in found if r.request_id is not None])
    lines = line_ids_of(s, [r.request_id for r, _, _ in found])
    out = []
    for r, lo, hi in found:
        over = hi is not None and r.amount_fen > hi
        type_name = names.name(r.period_year, r.relief_type)
        out.append(IndicatorException(
            "over_standard" if over else "below_standard",
            f"{paid_text(r.name, r.paid_on, r.amount_fen)}（{type_name}），{'高于' if over else '低于'}标准"
            f"（{_range_text(lo, hi)}）", r.household_id, r.request_id, lines.get(r.request_id),
            why.get(r.request_id, "")))
    return indicator("standard_compliance", "帮扶标准合规率",
                     "金额在救助标准之内的发放笔数 ÷ 期内全部发放笔数（有书面说明的超标准发放也列为例外）",
                     "报告000 C13；报告004 项目帮扶标准合规性", total - len(out), total, out)


# ---------------------------------------------------------------- paper trail of disbursements

def _disbursed_rows(s: Session, start: date, end: date, units, where=None):
    cols = (Payment.id.label("payment_row"), Payment.request_id, Payment.household_id, Payment.name,
            Payment.amount_fen, Payment.paid_on, DisbursementLine.id.label("line_id"), DisbursementLine.method,
            DisbursementLine.batch_id)
    q = _disbursed(cols, start, end, units)
    if where is not None:
        q = q.where(where)
    return s.execute(q.order_by(Payment.paid_on, Payment.id)).all()


def account_payout(s: Session, start: date, end: date, units) -> Indicator:
    total = _count(s, _disbursed((Payment.id,), start, end, units))
    rows = _disbursed_rows(s, start, end, units, DisbursementLine.method.not_in(ACCOUNT_METHODS))
    out = [IndicatorException("not_to_account", f"{paid_text(r.name, r.paid_on, r.amount_fen)}，"
                              f"{METHOD_LABELS.get(r.method, r.method)}，未发放到本人银行卡或社保卡",
                              r.household_id, r.request_id, r.line_id) for r in rows]
    return indicator("account_payout", "帮扶资金发放到卡率",
                     "发放到本人银行卡或社保卡的笔数 ÷ 期内发放批次的全部发放笔数（历史台账未记录发放方式，不计入）",
                     "报告000 C14；报告002 附件3", total - len(out), total, out)


def unsigned_cash(s: Session, start: date, end: date, units) -> list[IndicatorException]:
    """Cash lines paid without a 签领表 that carried them, or whose batch has no signed scan."""
    rows = _disbursed_rows(s, start, end, units, DisbursementLine.method == "cash")
    batch_ids = {r.batch_id for r in rows}
    printed: dict[int, set[int]] = defaultdict(set)
    scanned: set[int] = set()
    numbers: dict[int, str] = {}
    for part in _chunks(batch_ids):
        for batch_id, line_ids in s.execute(select(ReceiptPrint.batch_id, ReceiptPrint.line_ids)
                                            .where(ReceiptPrint.batch_id.in_(part))):
            printed[batch_id].update(int(x) for x in line_ids or ())
        scanned.update(s.execute(select(BatchAttachment.batch_id).where(
            BatchAttachment.batch_id.in_(part), BatchAttachment.kind.contains("签"))).scalars())
        numbers.update(s.execute(select(Disbursement.id, Disbursement.number).where(Disbursement.id.in_(part))).all())
    out = []
    for r in rows:
        if r.line_id not in printed[r.batch_id]:
            why = f"批次 {numbers[r.batch_id]} 的签领表没有打印过这一行"
        elif r.batch_id not in scanned:
            why = f"批次 {numbers[r.batch_id]} 未附签字的签领表扫描件"
        else:
            continue
        out.append(IndicatorException("cash_unsigned", f"{paid_text(r.name, r.paid_on, r.amount_fen)}，现金发放，{why}",
                                      r.household_id, r.request_id, r.line_id))
    return out


def cash_signed(s: Session, start: date, end: date, units, unsigned: list[IndicatorException]) -> Indicator:
    total = _count(s, _disbursed((Payment.id,), start, end, units).where(DisbursementLine.method == "cash"))
    return indicator("cash_signed", "现金发放签名率",
                     "打印了签领表并附有签字扫描件的现金发放笔数 ÷ 期内现金发放笔数",
                     "报告002 附件3（特殊情况下发放现金须在实名制表上签名）", total - len(unsigned), total, unsigned)


def real_name_payout(s: Session, start: date, end: date, units, unsigned: list[IndicatorException]) -> Indicator:
    total = _count(s, _disbursed((Payment.id,), start, end, units))
    rows = _disbursed_rows(s, start, end, units, DisbursementLine.method == "via_grassroots")
    out = [IndicatorException("not_real_name", f"{paid_text(r.name, r.paid_on, r.amount_fen)}，经基层工会代发，"
                              "未直接发放到本人", r.household_id, r.request_id, r.line_id) for r in rows]
    out = sorted(out + list(unsigned), key=lambda e: (e.payment_id or 0))
    return indicator("real_name_payout", "实名制发放率",
                     "发放到本人账户或凭本人签名的签领表领取的笔数 ÷ 期内发放批次的全部发放笔数",
                     "报告004 实名制发放率", total - len(out), total, out)


def notice_before_payout(s: Session, start: date, end: date, units) -> Indicator:
    ends = (select(NoticeEntry.request_id, func.max(Notice.end_date).label("notice_end"))
            .join(Notice, Notice.id == NoticeEntry.notice_id)
            .where(NoticeEntry.state == "listed", Notice.status.in_(("published", "closed")))
            .group_by(NoticeEntry.request_id).subquery())
    base = _disbursed((Payment.id,), start, end, units).outerjoin(ends, ends.c.request_id == Payment.request_id)
    total = _count(s, base)
    cols = (Payment.request_id, Payment.household_id, Payment.name, Payment.amount_fen, Payment.paid_on,
            DisbursementLine.id.label("line_id"), ends.c.notice_end, PayoutOverride.reason, PayoutOverride.by_name)
    q = (_disbursed(cols, start, end, units).outerjoin(ends, ends.c.request_id == Payment.request_id)
         .outerjoin(PayoutOverride, PayoutOverride.request_id == Payment.request_id)
         .where(or_(ends.c.notice_end.is_(None), Payment.paid_on <= ends.c.notice_end))
         .order_by(Payment.paid_on, Payment.id))
    out = []
    for r in s.execute(q):
        why = f"{r.by_name} 特批：{r.reason}" if r.reason else ""
        if r.notice_end is None:
            out.append(IndicatorException("paid_without_notice", f"{paid_text(r.name, r.paid_on, r.amount_fen)}，未经公示",
                                          r.household_id, r.request_id, r.line_id, why))
        else:
            out.append(IndicatorException(
                "paid_before_notice_end",
                f"{paid_text(r.name, r.paid_on, r.amount_fen)}，公示期 {r.notice_end.isoformat()} 才结束",
                r.household_id, r.request_id, r.line_id, why))
    return indicator("notice_before_payout", "公示后发放率",
                     "公示期满后才发放的笔数 ÷ 期内发放批次的全部发放笔数",
                     "报告002 附件3（帮扶资金发放前是否公示）；报告000 流程", total - len(out), total, out)


def payout_timeliness(s: Session, start: date, end: date, units, cal) -> Indicator:
    """Paid on or before the pay date of its batch (a reissue: of the batch it was first in)."""
    batch, first_line, first_batch = aliased(Disbursement), aliased(DisbursementLine), aliased(Disbursement)
    deadline = func.coalesce(first_batch.pay_date, batch.pay_date)

    def q(cols):
        return (_disbursed(cols, start, end, units).join(batch, batch.id == DisbursementLine.batch_id)
                .outerjoin(first_line, first_line.id == DisbursementLine.reissue_of)
                .outerjoin(first_batch, first_batch.id == first_line.batch_id))

    total = _count(s, q((Payment.id,)))
    late = q((Payment.request_id, Payment.household_id, Payment.name, Payment.amount_fen, Payment.paid_on,
              DisbursementLine.id.label("line_id"), deadline.label("deadline"), batch.number,
              first_batch.number.label("first_number"))).where(Payment.paid_on > deadline)
    out = []
    for r in s.execute(late.order_by(Payment.paid_on, Payment.id)):
        where = f"原批次 {r.first_number} 重新发放" if r.first_number else f"批次 {r.number}"
        out.append(IndicatorException(
            "late_payout", f"{paid_text(r.name, r.paid_on, r.amount_fen)}，{where}应于 {r.deadline.isoformat()} 发放，"
            f"{late_text(cal, r.deadline, r.paid_on)}", r.household_id, r.request_id, r.line_id))
    return indicator("payout_timeliness", "帮扶资金发放及时率",
                     "在批次发放日（退票重发的以原批次发放日为准）当日或之前发放的笔数 ÷ 期内发放批次的全部发放笔数",
                     "报告000 C16；报告002 附件3（到位时效）", total - len(out), total, out)
