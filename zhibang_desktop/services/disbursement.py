"""发放批次: paying noticed requests, and what happens after (seed 000, seed 002, seed 003).

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

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.cards import mask_account, normalize_account
from ..domain.idnumber import is_valid_id_number
from ..storage.models import (
    Disbursement, DisbursementLine, Household, OrgUnit, Payment, ReliefRequest, RequestPayoutClaim,
)
from . import payout_common as pc
from .context import AppContext
from .org import subtree_ids, visible_unit_ids
from .errors import Conflict, FieldProblem, NotFound, ServiceError, ValidationFailed
from .payout_types import (
    BATCH_KIND_LABELS, BATCH_STATUS_LABELS, LINE_STATE_LABELS, METHOD_LABELS, PAID_STATES, BatchInput,
    BatchSummary, BatchView, CandidateView, LineView, NoticeFilter, Payability,
)

MANAGE = "payout.manage"
READ = "relief.read"
METHODS = tuple(METHOD_LABELS)
ACCOUNT_METHODS = ("bank_transfer", "social_security_card")
KINDS = ("regular", "standing")


class LineStateError(ServiceError):
    """The line is not in a state that allows this (message says why)."""


@dataclass
class ReissuePlan:
    """One returned line to pay again; account/bank given = corrected here (and in the archive)."""

    line_id: int
    account: str | None = None
    bank_name: str | None = None
    method: str | None = None
    update_archive: bool = True


# ------------------------------------------------------------------ numbers

def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _number_for(session: Session, pay_date: date, kind: str) -> str:
    if kind == "standing":
        highest = 0
        for (number,) in session.execute(select(Disbursement.number).where(Disbursement.number.like("第%次"))):
            m = re.fullmatch(r"第(\d+)次", number)
            if m:
                highest = max(highest, int(m.group(1)))
        return f"第{highest + 1}次"
    prefix = f"{pay_date.year}-Q{_quarter(pay_date)}-"
    highest = 0
    for (number,) in session.execute(select(Disbursement.number).where(Disbursement.number.like(prefix + "%"))):
        tail = number[len(prefix):]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:02d}"


def next_batch_number(ctx: AppContext, pay_date: date, kind: str = "regular") -> str:
    """The number a new batch would get: 2026-Q1-01, 2026-Q1-02 … or 第N次 (standing subsidy)."""
    with ctx.tx(READ) as tx:
        return _number_for(tx.session, pay_date, kind)


# ------------------------------------------------------------------ candidates

def batch_candidates(ctx: AppContext, flt: NoticeFilter | None = None,
                     on: date | None = None) -> list[tuple[CandidateView, Payability]]:
    """Approved requests not yet in a batch, each with whether it may be paid now and why."""
    flt = flt or NoticeFilter()
    on = on or pc.today()
    with ctx.tx(READ) as tx:
        s = tx.session
        q = select(ReliefRequest).where(ReliefRequest.status == "approved", ReliefRequest.approved_fen.is_not(None),
                                        ReliefRequest.source != "ledger",
                                        ReliefRequest.id.not_in(select(RequestPayoutClaim.request_id)),
                                        ReliefRequest.id.not_in(select(Payment.request_id)
                                                                .where(Payment.request_id.is_not(None))))
        if flt.relief_types:
            q = q.where(ReliefRequest.relief_type.in_(list(flt.relief_types)))
        if flt.year is not None:
            q = q.where(ReliefRequest.period_year == flt.year)
        if flt.quarter is not None:
            q = q.where(ReliefRequest.period_quarter == flt.quarter)
        if flt.unit_id is not None:
            q = q.where(ReliefRequest.unit_id.in_(subtree_ids(s, flt.unit_id)))
        allowed = visible_unit_ids(s, ctx.actor)
        if allowed is not None:
            q = q.where(ReliefRequest.unit_id.in_(allowed))
        units = dict(s.execute(select(OrgUnit.id, OrgUnit.name)).all())
        labels = pc.Labels(s)
        out = []
        for r in s.execute(q.order_by(ReliefRequest.unit_id, ReliefRequest.id)).scalars():
            view = CandidateView(r.id, r.number, r.name, r.unit_id, units.get(r.unit_id, "") if r.unit_id else "",
                                 r.relief_type, labels.relief_type(r), r.period_year, r.period_quarter,
                                 int(r.approved_fen))
            out.append((view, pc.payability_of(s, r, on)))
        return out


# ------------------------------------------------------------------ creating batches

def _default_method(hh: Household | None) -> tuple[str, str | None, str | None]:
    """(method, account, bank) from the archive: the social-security card, the bank card, else cash."""
    if hh is not None and hh.bank_account:
        method = "social_security_card" if hh.account_kind == "social_security" else "bank_transfer"
        return method, normalize_account(hh.bank_account), hh.bank_name
    return "cash", None, None


def _allowed_funds(labels: pc.Labels, r: ReliefRequest) -> tuple[str, ...]:
    policy = labels.policy(r.policy_version_id)
    if policy is None:
        return ()
    rt = policy.relief_type(r.relief_type)
    if rt is not None and rt.fund_sources:
        return tuple(rt.fund_sources)
    return tuple(f.code for f in policy.fund_sources)


def create_batch(ctx: AppContext, inp: BatchInput) -> BatchView:
    """A batch of payable requests; every request must be payable now and not in another batch."""
    if inp.kind not in KINDS:
        raise ValidationFailed([FieldProblem("kind", "批次类型", "应为常规发放或定期补助")])
    if not isinstance(inp.pay_date, date):
        raise ValidationFailed([FieldProblem("pay_date", "发放日期", "请填写日期")])
    if not inp.lines:
        raise ValidationFailed([FieldProblem("lines", "发放名单", "至少选择一人")])
    if inp.default_method is not None and inp.default_method not in METHODS:
        raise ValidationFailed([FieldProblem("default_method", "发放方式", f"无效：{inp.default_method}")])
    ids = [p.request_id for p in inp.lines]
    if len(set(ids)) != len(ids):
        raise ValidationFailed([FieldProblem("lines", "发放名单", "同一申请在名单中出现了两次")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        number = (inp.number or "").strip() or _number_for(s, inp.pay_date, inp.kind)
        if s.execute(select(Disbursement.id).where(Disbursement.number == number)).first():
            raise ValidationFailed([FieldProblem("number", "批次号", f"批次号“{number}”已被使用")])
        today = pc.today()
        units = dict(s.execute(select(OrgUnit.id, OrgUnit.name)).all())
        labels = pc.Labels(s)
        problems: list[FieldProblem] = []
        planned = []
        for i, plan in enumerate(inp.lines):
            r = s.get(ReliefRequest, plan.request_id)
            if r is None:
                problems.append(FieldProblem(f"lines[{i}]", "发放名单", f"救助申请（编号 {plan.request_id}）不存在"))
                continue
            who = f"{r.name}（{r.number}）"
            claim = pc.claimed(s, r.id)
            if claim is not None:
                line = s.get(DisbursementLine, claim.line_id)
                batch = s.get(Disbursement, line.batch_id)
                problems.append(FieldProblem(f"lines[{i}]", "发放名单",
                                             f"{who} 已在批次 {batch.number} 中（{LINE_STATE_LABELS[line.state]}），"
                                             "不能重复发放"))
                continue
            if pc.has_payment(s, r.id):
                problems.append(FieldProblem(f"lines[{i}]", "发放名单", f"{who} 已有发放记录，不能重复发放"))
                continue
            pay = pc.payability_of(s, r, today)
            if not pay.payable:
                problems.append(FieldProblem(f"lines[{i}]", "发放名单", f"{who} 暂不能发放：{pay.reason}"))
                continue
            hh = s.get(Household, r.household_id) if r.household_id else None
            method, account, bank = _default_method(hh)
            chosen = plan.method or inp.default_method or method
            if chosen not in METHODS:
                problems.append(FieldProblem(f"lines[{i}]", "发放方式", f"{who}：无效的发放方式 {chosen}"))
                continue
            if chosen in ACCOUNT_METHODS and not account:
                problems.append(FieldProblem(f"lines[{i}]", "发放方式",
                                             f"{who} 档案中没有银行卡/社保卡号，请先补录或改为现金"))
                continue
            fund = plan.fund_source or r.fund_source or inp.default_fund_source
            allowed = _allowed_funds(labels, r)
            if fund and allowed and fund not in allowed:
                problems.append(FieldProblem(
                    f"lines[{i}]", "资金来源",
                    f"{who}：{labels.fund_source(fund, r.policy_version_id)}不能用于"
                    f"{labels.relief_type(r)}（可用：{'、'.join(labels.fund_source(f, r.policy_version_id) for f in allowed)}）"))
                continue
            planned.append((r, chosen, fund, account if chosen in ACCOUNT_METHODS else None,
                            bank if chosen in ACCOUNT_METHODS else None))
        if problems:
            raise ValidationFailed(problems)
        at = pc.now()
        batch = Disbursement(number=number, title=(inp.title or "").strip(), kind=inp.kind, pay_date=inp.pay_date,
                             status="open", remark=(inp.remark or "").strip(), created_at=at,
                             created_by=ctx.actor.username)
        s.add(batch)
        s.flush()
        for seq, (r, method, fund, account, bank) in enumerate(planned, start=1):
            line = DisbursementLine(
                batch_id=batch.id, seq=seq, request_id=r.id, household_id=r.household_id, name=r.name,
                id_number=r.id_number, unit_name=units.get(r.unit_id, "") if r.unit_id else "",
                relief_type=r.relief_type, relief_type_label=labels.relief_type(r), method=method, fund_source=fund,
                bank_name=bank, account=account, amount_fen=int(r.approved_fen), state="pending", updated_at=at,
            )
            s.add(line)
            s.flush()
            s.add(RequestPayoutClaim(request_id=r.id, line_id=line.id))
        _flush_claims(s)
        total = sum(int(r.approved_fen) for r, *_ in planned)
        tx.audit("create", "disbursement", batch.id,
                 summary=f"新建发放批次 {number}：{len(planned)} 人，合计 {total / 100:,.2f} 元，"
                         f"发放日期 {inp.pay_date.isoformat()}")
        return _view(s, batch)


def _flush_claims(s: Session) -> None:
    try:
        s.flush()
    except IntegrityError as exc:
        raise Conflict("有申请刚刚被列入其他发放批次（同一申请不能发放两次），请刷新后重试") from exc


# ------------------------------------------------------------------ line changes

def _line(s: Session, line_id: int) -> tuple[DisbursementLine, Disbursement]:
    line = pc.get_or_404(s, DisbursementLine, line_id, "发放明细")
    return line, s.get(Disbursement, line.batch_id)


def _holds_claim(s: Session, line: DisbursementLine) -> bool:
    claim = pc.claimed(s, line.request_id)
    return claim is not None and claim.line_id == line.id


def _require(line: DisbursementLine, batch: Disbursement, states: tuple[str, ...], action: str) -> None:
    if line.state not in states:
        raise LineStateError(f"{line.name} 的发放状态为“{LINE_STATE_LABELS[line.state]}”，不能{action}")
    if batch.status == "closed" and action not in ("登记退票", "登记放弃"):
        raise LineStateError(f"批次 {batch.number} 已完成，不能{action}")


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
        remark=remark, source="disbursement", batch=batch.number, created_at=pc.now(), created_by=actor.username,
    ))
    try:
        s.flush()
    except IntegrityError as exc:
        raise Conflict(f"{line.name} 的申请已有发放记录（同一申请不能发放两次）") from exc


def _remove_payment(s: Session, line: DisbursementLine) -> None:
    s.execute(delete(Payment).where(Payment.request_id == line.request_id, Payment.source == "disbursement"))


def _paid(s: Session, line: DisbursementLine, batch: Disbursement, paid_on: date, actor) -> None:
    _require(line, batch, ("pending",), "登记发放")
    _write_payment(s, line, batch, paid_on, actor, f"{METHOD_LABELS.get(line.method, line.method)}，批次 {batch.number}")
    line.state, line.paid_on, line.settled_by, line.updated_at = "paid", paid_on, actor.username, pc.now()


def mark_paid(ctx: AppContext, line_ids: list[int], paid_on: date | None = None) -> BatchView:
    """Pending lines of one batch → paid (cash signed for, or the bank confirmed)."""
    if not line_ids:
        raise ValidationFailed([FieldProblem("line_ids", "发放明细", "请选择要登记的明细")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        paid_on = paid_on or pc.today()
        batches = set()
        names = []
        for line_id in line_ids:
            line, batch = _line(s, line_id)
            batches.add(batch.id)
            if len(batches) > 1:
                raise ValidationFailed([FieldProblem("line_ids", "发放明细", "一次只能登记同一批次的明细")])
            _paid(s, line, batch, paid_on, ctx.actor)
            names.append(line.name)
        s.flush()
        tx.audit("update", "disbursement", batch.id,
                 summary=f"批次 {batch.number} 登记已发放 {len(names)} 人（{paid_on.isoformat()}）："
                         + "、".join(names[:20]) + ("等" if len(names) > 20 else ""))
        return _view(s, batch)


def mark_batch_paid(ctx: AppContext, batch_id: int, paid_on: date | None = None,
                    except_line_ids: tuple[int, ...] = ()) -> BatchView:
    """Every pending line of the batch → paid (e.g. the bank's processing report came back)."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        batch = pc.get_or_404(s, Disbursement, batch_id, "发放批次")
        paid_on = paid_on or pc.today()
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
                 summary=f"批次 {batch.number} 登记已发放 {count} 人，{total / 100:,.2f} 元（{paid_on.isoformat()}）")
        return _view(s, batch)


def return_line_in(s: Session, line: DisbursementLine, batch: Disbursement, reason: str, on: date, actor) -> None:
    """Session-level: the bank returned this line's money (used by the return-file import)."""
    _require(line, batch, ("pending", "paid"), "登记退票")
    if line.method not in ACCOUNT_METHODS:
        raise LineStateError(f"{line.name} 为{METHOD_LABELS[line.method]}，不是银行代发，不能登记银行退票")
    if line.state == "paid":
        _remove_payment(s, line)
    line.state, line.return_reason, line.returned_on = "returned", reason, on
    line.paid_on, line.settled_by, line.updated_at = None, actor.username, pc.now()
    if batch.status == "closed":
        batch.status, batch.closed_at = "open", None


def mark_returned(ctx: AppContext, line_id: int, reason: str, returned_on: date | None = None) -> LineView:
    """The bank returned the money (wrong account, closed card …); the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([FieldProblem("reason", "退票原因", "请填写银行退回的原因")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id)
        return_line_in(s, line, batch, reason, returned_on or pc.today(), ctx.actor)
        s.flush()
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：{line.name} 银行退票 {line.amount_fen / 100:,.2f} 元（{reason}）")
        return _line_view(s, line, batch)


def mark_renounced(ctx: AppContext, line_id: int, reason: str, on: date | None = None) -> LineView:
    """The recipient gave the aid up (seed 000: for fear of losing 低保); the money goes back to its source."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([FieldProblem("reason", "放弃原因", "请填写放弃原因（如本人书面声明）")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id)
        _require(line, batch, ("pending", "paid", "returned"), "登记放弃")
        if line.state == "paid":
            _remove_payment(s, line)
        line.state, line.renounce_reason, line.renounced_on = "renounced", reason, on or pc.today()
        line.paid_on, line.settled_by, line.updated_at = None, ctx.actor.username, pc.now()
        s.flush()
        labels = pc.Labels(s)
        r = s.get(ReliefRequest, line.request_id)
        fund = labels.fund_source(line.fund_source, r.policy_version_id if r else None) or "原资金渠道"
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：{line.name} 放弃领取 {line.amount_fen / 100:,.2f} 元，"
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
        line, batch = _line(s, line_id)
        _require(line, batch, ("pending",), "登记由亲属领取")
        paid_on = paid_on or pc.today()
        _write_payment(s, line, batch, paid_on, ctx.actor,
                       f"受助人已故，由{relation.strip()}{relative_name.strip()}领取，批次 {batch.number}")
        line.state, line.paid_on = "paid_to_relative", paid_on
        line.relative_name, line.relative_relation, line.relative_id_number = relative_name.strip(), relation.strip(), rid or None
        line.settled_by, line.updated_at = ctx.actor.username, pc.now()
        s.flush()
        tx.audit("update", "disbursement", batch.id, household_id=line.household_id,
                 summary=f"批次 {batch.number}：{line.name}（已故）的救助金由{relation.strip()}"
                         f"{relative_name.strip()}领取 {line.amount_fen / 100:,.2f} 元")
        return _line_view(s, line, batch)


def set_line_method(ctx: AppContext, line_id: int, method: str, fund_source: str | None = None) -> LineView:
    """Change how a pending line is paid (account methods take the archive's current account)."""
    if method not in METHODS:
        raise ValidationFailed([FieldProblem("method", "发放方式", f"无效：{method}")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        line, batch = _line(s, line_id)
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
        line.updated_at = pc.now()
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
        line, batch = _line(s, line_id)
        _require(line, batch, ("pending",), "登记代领人")
        line.proxy_name, line.proxy_phone = name or None, phone or None
        line.proxy_id_number, line.proxy_relation = id_number or None, (relation or "").strip() or None
        line.updated_at = pc.now()
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
        line, batch = _line(s, line_id)
        _require(line, batch, ("pending",), "移出批次")
        if line.reissue_of is not None:
            raise LineStateError("重新发放的明细不能移出；如不再发放请登记放弃")
        name = line.name
        s.execute(delete(RequestPayoutClaim).where(RequestPayoutClaim.line_id == line.id))
        s.delete(line)
        s.flush()
        tx.audit("update", "disbursement", batch.id, summary=f"批次 {batch.number}：移出 {name}（{reason}）")
        return _view(s, batch)


# ------------------------------------------------------------------ reissue

def reissue_candidates(ctx: AppContext) -> list[LineView]:
    """Returned lines not yet reissued, with the archive's current account (corrected or not)."""
    with ctx.tx(READ) as tx:
        s = tx.session
        labels = pc.Labels(s)
        out = []
        rows = s.execute(select(DisbursementLine, Disbursement.number)
                         .join(Disbursement, Disbursement.id == DisbursementLine.batch_id)
                         .where(DisbursementLine.state == "returned")
                         .order_by(DisbursementLine.batch_id, DisbursementLine.seq)).all()
        for line, number in rows:
            out.append(pc.line_view(line, number, labels))
        return out


def create_reissue_batch(ctx: AppContext, plans: list[ReissuePlan], pay_date: date, number: str = "",
                         title: str = "") -> BatchView:
    """A new batch paying returned lines again, after their accounts were corrected."""
    if not plans:
        raise ValidationFailed([FieldProblem("plans", "重新发放名单", "至少选择一条退票明细")])
    if len({p.line_id for p in plans}) != len(plans):
        raise ValidationFailed([FieldProblem("plans", "重新发放名单", "同一条退票明细选了两次")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        number = (number or "").strip() or _number_for(s, pay_date, "regular")
        if s.execute(select(Disbursement.id).where(Disbursement.number == number)).first():
            raise ValidationFailed([FieldProblem("number", "批次号", f"批次号“{number}”已被使用")])
        problems: list[FieldProblem] = []
        work = []
        for i, plan in enumerate(plans):
            old = s.get(DisbursementLine, plan.line_id)
            if old is None:
                problems.append(FieldProblem(f"plans[{i}]", "退票明细", f"发放明细（编号 {plan.line_id}）不存在"))
                continue
            if old.state != "returned":
                problems.append(FieldProblem(f"plans[{i}]", "退票明细",
                                             f"{old.name} 的明细状态为“{LINE_STATE_LABELS[old.state]}”，"
                                             "只有银行退回的明细可以重新发放"))
                continue
            if not _holds_claim(s, old):
                problems.append(FieldProblem(f"plans[{i}]", "退票明细", f"{old.name} 的申请已由其他明细处理"))
                continue
            hh = s.get(Household, old.household_id) if old.household_id else None
            method = plan.method or old.method
            if method not in METHODS:
                problems.append(FieldProblem(f"plans[{i}]", "发放方式", f"无效：{method}"))
                continue
            account = bank = None
            if method in ACCOUNT_METHODS:
                if plan.account:
                    account = normalize_account(plan.account)
                    bank = (plan.bank_name or "").strip() or (hh.bank_name if hh else None) or old.bank_name
                elif hh is not None and hh.bank_account:
                    account, bank = normalize_account(hh.bank_account), hh.bank_name
                if not account:
                    problems.append(FieldProblem(f"plans[{i}]", "账号", f"{old.name}：请填写更正后的账号"))
                    continue
                if not account.isdigit():
                    problems.append(FieldProblem(f"plans[{i}]", "账号", f"{old.name}：账号应为数字"))
                    continue
                if account == normalize_account(old.account or "") and method == old.method:
                    problems.append(FieldProblem(f"plans[{i}]", "账号",
                                                 f"{old.name} 的账号 {mask_account(account)} 与退票时相同，"
                                                 "请先更正账号（或改为其他发放方式）"))
                    continue
            work.append((old, plan, method, account, bank, hh))
        if problems:
            raise ValidationFailed(problems)
        at = pc.now()
        batch = Disbursement(number=number, title=(title or "").strip() or "退票重新发放", kind="reissue",
                             pay_date=pay_date, status="open", created_at=at, created_by=ctx.actor.username)
        s.add(batch)
        s.flush()
        for seq, (old, plan, method, account, bank, hh) in enumerate(work, start=1):
            new = DisbursementLine(
                batch_id=batch.id, seq=seq, request_id=old.request_id, household_id=old.household_id, name=old.name,
                id_number=old.id_number, unit_name=old.unit_name, relief_type=old.relief_type,
                relief_type_label=old.relief_type_label, method=method, fund_source=old.fund_source,
                bank_name=bank, account=account, amount_fen=old.amount_fen, state="pending", reissue_of=old.id,
                remark=f"原批次退票重发（{old.return_reason or ''}）"[:200], updated_at=at,
            )
            s.add(new)
            try:
                s.flush()
            except IntegrityError as exc:
                raise Conflict(f"{old.name} 的退票明细已重新发放过") from exc
            moved = s.execute(update(RequestPayoutClaim)
                              .where(RequestPayoutClaim.request_id == old.request_id,
                                     RequestPayoutClaim.line_id == old.id)
                              .values(line_id=new.id)).rowcount
            if moved != 1:
                raise Conflict(f"{old.name} 的申请已由其他明细处理（同一申请不能发放两次）")
            old.state, old.updated_at, old.settled_by = "reissued", at, ctx.actor.username
            if plan.account and plan.update_archive and hh is not None and account and \
                    normalize_account(hh.bank_account or "") != account:
                before = mask_account(hh.bank_account or "")
                hh.bank_account = account
                if plan.bank_name:
                    hh.bank_name = plan.bank_name.strip()
                hh.updated_at = at
                tx.audit("update", "household", hh.id, household_id=hh.id,
                         summary=f"退票后更正 {hh.name} 的银行账号",
                         changes=[["银行账号", before, mask_account(account)]])
        s.flush()
        total = sum(old.amount_fen for old, *_ in work)
        tx.audit("create", "disbursement", batch.id,
                 summary=f"新建退票重新发放批次 {number}：{len(work)} 人，合计 {total / 100:,.2f} 元")
        return _view(s, batch)


def close_batch(ctx: AppContext, batch_id: int) -> BatchView:
    """Mark a batch done: no line may still be pending."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        batch = pc.get_or_404(s, Disbursement, batch_id, "发放批次")
        pending = [line.name for line in batch.lines if line.state == "pending"]
        if pending:
            raise LineStateError(f"还有 {len(pending)} 人待发放（{'、'.join(pending[:5])}…），不能结束批次"
                                 if len(pending) > 5 else f"还有待发放的明细（{'、'.join(pending)}），不能结束批次")
        if batch.status == "closed":
            raise LineStateError(f"批次 {batch.number} 已完成")
        batch.status, batch.closed_at = "closed", pc.now()
        s.flush()
        tx.audit("update", "disbursement", batch.id, summary=f"批次 {batch.number} 发放完成")
        return _view(s, batch)


# ------------------------------------------------------------------ reading

def _line_view(s: Session, line: DisbursementLine, batch: Disbursement) -> LineView:
    reissued_by = s.execute(select(DisbursementLine.id).where(DisbursementLine.reissue_of == line.id)).scalar()
    r = s.get(ReliefRequest, line.request_id)
    return pc.line_view(line, batch.number, pc.Labels(s), reissued_by, r.policy_version_id if r else None)


def _summary(s: Session, batch: Disbursement) -> BatchSummary:
    rows = s.execute(select(DisbursementLine.state, func.count(), func.coalesce(func.sum(DisbursementLine.amount_fen), 0))
                     .where(DisbursementLine.batch_id == batch.id).group_by(DisbursementLine.state)).all()
    count = {state: int(n) for state, n, _ in rows}
    fen = {state: int(total) for state, _, total in rows}
    return BatchSummary(
        id=batch.id, number=batch.number, title=batch.title, kind=batch.kind,
        kind_label=BATCH_KIND_LABELS.get(batch.kind, batch.kind), pay_date=batch.pay_date, status=batch.status,
        status_label=BATCH_STATUS_LABELS.get(batch.status, batch.status), lines=sum(count.values()),
        total_fen=sum(fen.values()), paid_fen=sum(fen.get(st, 0) for st in PAID_STATES),
        pending=count.get("pending", 0), returned=count.get("returned", 0), renounced=count.get("renounced", 0),
        created_at=batch.created_at, created_by=batch.created_by,
    )


def _view(s: Session, batch: Disbursement) -> BatchView:
    lines = list(s.execute(select(DisbursementLine).where(DisbursementLine.batch_id == batch.id)
                           .order_by(DisbursementLine.seq)).scalars())
    ids = [line.id for line in lines]
    reissued = dict(s.execute(select(DisbursementLine.reissue_of, DisbursementLine.id)
                              .where(DisbursementLine.reissue_of.in_(ids))).all()) if ids else {}
    pv = dict(s.execute(select(ReliefRequest.id, ReliefRequest.policy_version_id)
                        .where(ReliefRequest.id.in_([line.request_id for line in lines]))).all()) if lines else {}
    labels = pc.Labels(s)
    views = tuple(pc.line_view(line, batch.number, labels, reissued.get(line.id), pv.get(line.request_id))
                  for line in lines)
    by_state: dict[str, int] = {}
    by_fund: dict[str, int] = {}
    renounced: dict[str, int] = {}
    for v in views:
        by_state[v.state] = by_state.get(v.state, 0) + v.amount_fen
        key = v.fund_source_label or "未指定"
        by_fund[key] = by_fund.get(key, 0) + v.amount_fen
        if v.state == "renounced":
            renounced[key] = renounced.get(key, 0) + v.amount_fen
    return BatchView(_summary(s, batch), views, batch.remark or "", by_state, by_fund, renounced)


def list_batches(ctx: AppContext, status: str | None = None, year: int | None = None) -> list[BatchSummary]:
    with ctx.tx(READ) as tx:
        s = tx.session
        q = select(Disbursement).order_by(Disbursement.pay_date.desc(), Disbursement.id.desc())
        if status:
            q = q.where(Disbursement.status == status)
        if year is not None:
            q = q.where(Disbursement.pay_date >= date(year, 1, 1), Disbursement.pay_date <= date(year, 12, 31))
        return [_summary(s, b) for b in s.execute(q).scalars()]


def find_batch(session: Session, key: int | str) -> Disbursement:
    """Session-level: a batch by id or by number (CLI accepts either)."""
    batch = None
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        batch = session.get(Disbursement, int(key))
    if batch is None and isinstance(key, str):
        batch = session.execute(select(Disbursement).where(Disbursement.number == key.strip())).scalar_one_or_none()
    if batch is None:
        raise NotFound(f"发放批次“{key}”不存在")
    return batch


def get_batch(ctx: AppContext, batch_id: int | str) -> BatchView:
    with ctx.tx(READ) as tx:
        return _view(tx.session, find_batch(tx.session, batch_id))
