"""发放批次, line state changes: paid, returned, renounced, paid to a relative, proxy, method, removal.

Line states::

    pending ──mark_paid──▶ paid ──mark_returned (bank)──▶ returned ──reissue──▶ reissued
       │  └──mark_paid_to_relative (deceased)──▶ paid_to_relative        │          (a new pending
       │                                                                 │           line in a later
       └──mark_renounced──▶ renounced ◀──────────────────────────────────┘           batch)

* Money paid (``paid``, ``paid_to_relative``) writes the :class:`Payment` row (source
  ``disbursement``) that the relief limits and reports count; a bank return or a
  renunciation after payment removes it again.
* A request is never paid twice: its ``request_payout_claims`` row names the one line
  that stands for it; a new batch cannot take a claimed request, a reissue moves the
  claim from the returned line (``UPDATE … WHERE line_id = old``) and a returned line is
  reissued at most once (unique ``reissue_of``); the payments table allows one
  disbursement payment per request.  The services check first and say why in Chinese;
  the database refuses whatever slips through.
* A renounced line keeps its claim (the request is closed) and its money goes back to
  its fund source (seed 000: 14 households renounced, 8.94 万元 returned).
* Batch numbers: ``2026-Q1-01`` (year, quarter of the pay date, sequence) or ``第31次``
  for a standing subsidy paid in numbered batches (seed 003).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.cards import normalize_account
from ...domain.idnumber import is_valid_id_number
from ...domain.money import format_yuan
from ...storage.models import BudgetDraw, Disbursement, DisbursementLine, Household, Payment, ReliefRequest, RequestPayoutClaim
from . import common as pc
from . import scope
from ..context import AppContext
from ..errors import Conflict, FieldProblem, ValidationFailed
from .types import METHOD_LABELS, BatchView, LineView
from .rules import (
    ACCOUNT_METHODS, MANAGE, METHODS, LineStateError, _allowed_funds, _holds_claim, _line, _require,
)
from .views import _line_view, _view
from .receipt_prints import require_signed_list


def _write_payment(s: Session, line: DisbursementLine, batch: Disbursement, paid_on: date, actor, remark: str) -> None:
    if not _holds_claim(s, line):
        raise LineStateError(f"{line.name} 的申请已由其他发放明细处理，不能重复发放")
    if pc.has_payment(s, line.request_id):
        raise LineStateError(f"{line.name} 的申请已有发放记录，不能重复发放")
    r = s.get(ReliefRequest, line.request_id)
    s.add(Payment(
        request_id=r.id, household_id=r.household_id, id_number=r.id_number, name=r.name,
        relief_type=r.relief_type, subcase=r.subcase, amount_fen=line.amount_fen, paid_on=paid_on,
        period_year=r.period_year, period_quarter=r.period_quarter, fund_source=line.fund_source,
        remark=remark, source="disbursement", batch=batch.number, created_at=clock.now(), created_by=actor.username,
    ))
    name = line.name  # a failed flush expires the rows: read before it
    try:
        s.flush()
    except IntegrityError as exc:  # another clerk paid it in the same instant (the unique index)
        raise Conflict(f"{name} 的申请已有发放记录（同一申请不能发放两次）") from exc


def _remove_payment(s: Session, line: DisbursementLine) -> None:
    # ORM deletes, so the row seals record the deletion (a Core delete would look like tampering)
    for payment in s.execute(select(Payment).where(Payment.request_id == line.request_id,
                                                   Payment.source == "disbursement")).scalars():
        s.delete(payment)


def _paid(s: Session, line: DisbursementLine, batch: Disbursement, paid_on: date, actor) -> None:
    _require(line, batch, ("pending",), "登记发放")
    require_signed_list(s, line, batch)
    _write_payment(s, line, batch, paid_on, actor, f"{METHOD_LABELS.get(line.method, line.method)}，批次 {batch.number}")
    line.state, line.paid_on, line.settled_by, line.updated_at = "paid", paid_on, actor.username, clock.now()


def mark_paid(ctx: AppContext, line_ids: list[int], paid_on: date | None = None) -> BatchView:
    """Pending lines of one batch → paid (cash signed for, or the bank confirmed)."""
    if not line_ids:
        raise ValidationFailed([FieldProblem("line_ids", "发放明细", "请选择要登记的明细")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        paid_on = paid_on or clock.today()
        batches = set()
        names = []
        for line_id in line_ids:
            line, batch = _line(s, line_id, ctx.actor)
            batches.add(batch.id)
            if len(batches) > 1:
                raise ValidationFailed([FieldProblem("line_ids", "发放明细", "一次只能登记同一批次的明细")])
            _paid(s, line, batch, paid_on, ctx.actor)
            names.append(line.name)
        s.flush()
        tx.audit("update", "disbursement", batch.id,
                 summary=f"批次 {batch.number} 登记已发放 {len(names)} 人（{paid_on.isoformat()}）："
                         + "、".join(names[:20]) + ("等" if len(names) > 20 else ""))
        return _view(s, batch, ctx.actor)


def mark_batch_paid(ctx: AppContext, batch_id: int, paid_on: date | None = None,
                    except_line_ids: tuple[int, ...] = ()) -> BatchView:
    """Every pending line of the batch → paid (e.g. the bank's processing report came back)."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        batch = pc.get_or_404(s, Disbursement, batch_id, "发放批次")
        scope.require_whole_batch(s, ctx.actor, batch, "整批登记发放")
        paid_on = paid_on or clock.today()
        count = total = 0
        for line in list(batch.lines):
            if line.state == "pending" and line.id not in except_line_ids:
                _paid(s, line, batch, paid_on, ctx.actor)
                count += 1
                total += line.amount_fen
        if not count:
            raise LineStateError(f"批次 {batch.number} 没有待发放的明细")
        s.flush()
        tx.audit("update", "disbursement", batch.id,
                 summary=f"批次 {batch.number} 登记已发放 {count} 人，{format_yuan(total)} 元（{paid_on.isoformat()}）")
        return _view(s, batch, ctx.actor)


def return_line_in(s: Session, line: DisbursementLine, batch: Disbursement, reason: str, on: date, actor) -> None:
    """Session-level: the bank returned this line's money (used by the return-file import)."""
    _require(line, batch, ("pending", "paid"), "登记退票")
    if line.method not in ACCOUNT_METHODS:
        raise LineStateError(f"{line.name} 为{METHOD_LABELS[line.method]}，不是银行代发，不能登记银行退票")
    if line.state == "paid":
        _remove_payment(s, line)
    line.state, line.return_reason, line.returned_on = "returned", reason, on
    line.paid_on, line.settled_by, line.updated_at = None, actor.username, clock.now()
    if batch.status == "closed":
        batch.status, batch.closed_at = "open", None


def mark_returned(ctx: AppContext, line_id: int, reason: str, returned_on: date | None = None) -> LineView:
    """The bank returned the money (wrong account, closed card …); the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([FieldProblem("reason", "退票原因", "请填写银行退回的原因")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id, ctx.actor)
        return_line_in(s, line, batch, reason, returned_on or clock.today(), ctx.actor)
        s.flush()
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：{line.name} 银行退票 {format_yuan(line.amount_fen)} 元（{reason}）")
        return _line_view(s, line, batch)


def mark_renounced(ctx: AppContext, line_id: int, reason: str, on: date | None = None) -> LineView:
    """The recipient gave the aid up (seed 000: for fear of losing 低保); the money goes back to its source."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([FieldProblem("reason", "放弃原因", "请填写放弃原因（如本人书面声明）")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id, ctx.actor)
        _require(line, batch, ("pending", "paid", "returned"), "登记放弃")
        if line.state == "paid":
            _remove_payment(s, line)
        line.state, line.renounce_reason, line.renounced_on = "renounced", reason, on or clock.today()
        line.paid_on, line.settled_by, line.updated_at = None, ctx.actor.username, clock.now()
        s.flush()
        labels = pc.Labels(s)
        r = s.get(ReliefRequest, line.request_id)
        fund = labels.fund_source(line.fund_source, r.policy_version_id if r else None) or "原资金渠道"
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：{line.name} 放弃领取 {format_yuan(line.amount_fen)} 元，"
                         f"资金退回{fund}（{reason}）")
        return _line_view(s, line, batch)


def mark_paid_to_relative(ctx: AppContext, line_id: int, relative_name: str, relation: str,
                          paid_on: date | None = None, relative_id_number: str = "") -> LineView:
    """The recipient died: the money is paid to a relative (name and relation recorded)."""
    problems = []
    if not (relative_name or "").strip():
        problems.append(FieldProblem("relative_name", "领取亲属姓名", "不能为空"))
    if not (relation or "").strip():
        problems.append(FieldProblem("relation", "与受助人关系", "不能为空"))
    rid = (relative_id_number or "").strip().upper()
    if rid and not is_valid_id_number(rid):
        problems.append(FieldProblem("relative_id_number", "亲属身份证号", "不是有效的身份证号"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id, ctx.actor)
        _require(line, batch, ("pending",), "登记由亲属领取")
        require_signed_list(s, line, batch)
        paid_on = paid_on or clock.today()
        _write_payment(s, line, batch, paid_on, ctx.actor,
                       f"受助人已故，由{relation.strip()}{relative_name.strip()}领取，批次 {batch.number}")
        line.state, line.paid_on = "paid_to_relative", paid_on
        line.relative_name, line.relative_relation, line.relative_id_number = relative_name.strip(), relation.strip(), rid or None
        line.settled_by, line.updated_at = ctx.actor.username, clock.now()
        s.flush()
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：{line.name}（已故）的救助金由{relation.strip()}"
                         f"{relative_name.strip()}领取 {format_yuan(line.amount_fen)} 元")
        return _line_view(s, line, batch)


def set_line_method(ctx: AppContext, line_id: int, method: str, fund_source: str | None = None) -> LineView:
    """Change how a pending line is paid (account methods take the archive's current account)."""
    if method not in METHODS:
        raise ValidationFailed([FieldProblem("method", "发放方式", f"无效：{method}")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id, ctx.actor)
        _require(line, batch, ("pending",), "修改发放方式")
        old = (line.method, line.fund_source)
        if method in ACCOUNT_METHODS:
            hh = s.get(Household, line.household_id) if line.household_id else None
            if hh is None or not hh.bank_account:
                raise ValidationFailed([FieldProblem("method", "发放方式", f"{line.name} 档案中没有银行卡/社保卡号")])
            line.account, line.bank_name = normalize_account(hh.bank_account), hh.bank_name
        else:
            line.account, line.bank_name = None, None
        line.method = method
        if fund_source is not None:
            r = s.get(ReliefRequest, line.request_id)
            labels = pc.Labels(s)
            allowed = _allowed_funds(labels, r)
            if fund_source and allowed and fund_source not in allowed:
                raise ValidationFailed([FieldProblem("fund_source", "资金来源",
                                                     f"{labels.fund_source(fund_source, r.policy_version_id)}不能用于"
                                                     f"{labels.relief_type(r)}")])
            line.fund_source = fund_source or None
        line.updated_at = clock.now()
        s.flush()
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：修改 {line.name} 的发放方式",
                 changes=[["发放方式", METHOD_LABELS[old[0]], METHOD_LABELS[method]],
                          ["资金来源", old[1] or "", line.fund_source or ""]])
        return _line_view(s, line, batch)


def set_line_proxy(ctx: AppContext, line_id: int, name: str, phone: str = "", id_number: str = "",
                   relation: str = "") -> LineView:
    """代领: who collects the cash instead of the recipient (name, phone and ID are printed)."""
    name, phone, id_number = (name or "").strip(), (phone or "").strip(), (id_number or "").strip().upper()
    problems = []
    if name:
        if not phone:
            problems.append(FieldProblem("phone", "代领人电话", "代领须登记代领人电话"))
        if not id_number:
            problems.append(FieldProblem("id_number", "代领人身份证号", "代领须登记代领人身份证号"))
        elif not is_valid_id_number(id_number):
            problems.append(FieldProblem("id_number", "代领人身份证号", "不是有效的身份证号"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id, ctx.actor)
        _require(line, batch, ("pending",), "登记代领人")
        line.proxy_name, line.proxy_phone = name or None, phone or None
        line.proxy_id_number, line.proxy_relation = id_number or None, (relation or "").strip() or None
        line.updated_at = clock.now()
        s.flush()
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：{line.name} " + (f"由{name}代领" if name else "取消代领"))
        return _line_view(s, line, batch)


def remove_line(ctx: AppContext, line_id: int, reason: str) -> BatchView:
    """Take a pending line out of its batch (the request can go into another batch)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([FieldProblem("reason", "移出原因", "请填写原因")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id, ctx.actor)
        _require(line, batch, ("pending",), "移出批次")
        if line.reissue_of is not None:
            raise LineStateError("重新发放的明细不能移出；如不再发放请登记放弃")
        name = line.name
        s.execute(delete(RequestPayoutClaim).where(RequestPayoutClaim.line_id == line.id))
        s.execute(delete(BudgetDraw).where(BudgetDraw.line_id == line.id))
        s.delete(line)
        s.flush()
        tx.audit("update", "disbursement", batch.id, summary=f"批次 {batch.number}：移出 {name}（{reason}）")
        return _view(s, batch, ctx.actor)
