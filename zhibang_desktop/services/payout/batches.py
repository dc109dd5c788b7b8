"""发放批次, the batches themselves: numbers, candidates, creating a batch, adding to it, closing it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.cards import normalize_account
from ...domain.money import format_yuan
from ...storage.models import (
    Disbursement, DisbursementLine, Household, OrgUnit, Payment, ReliefRequest, RequestPayoutClaim,
)
from . import common as pc
from . import scope
from ..context import AppContext
from ..admin.org import subtree_ids, visible_unit_ids
from ..errors import Conflict, FieldProblem, ValidationFailed
from .types import LINE_STATE_LABELS, BatchInput, BatchView, CandidateView, NoticeFilter, Payability
from .rules import (
    ACCOUNT_METHODS, KINDS, MANAGE, METHODS, READ, LineStateError, _allowed_funds, _number_for,
)
from .views import _view
from ..funds.draws import draw_lines_in

# ------------------------------------------------------------------ numbers

def next_batch_number(ctx: AppContext, pay_date: date, kind: str = "regular") -> str:
    """The number a new batch would get: 2026-Q1-01, 2026-Q1-02 … or 第N次 (standing subsidy)."""
    with ctx.tx(READ, read_only=True) as tx:
        return _number_for(tx.session, pay_date, kind)


# ------------------------------------------------------------------ candidates

def batch_candidates(ctx: AppContext, flt: NoticeFilter | None = None,
                     on: date | None = None) -> list[tuple[CandidateView, Payability]]:
    """Approved requests not yet in a batch, each with whether it may be paid now and why."""
    flt = flt or NoticeFilter()
    on = on or clock.today()
    with ctx.tx(READ, read_only=True) as tx:
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
        today = clock.today()
        units = dict(s.execute(select(OrgUnit.id, OrgUnit.name)).all())
        labels = pc.Labels(s)
        for plan in inp.lines:  # a scoped user pays only its own unions' requests
            if s.get(ReliefRequest, plan.request_id) is not None:
                scope.require_request(s, ctx.actor, plan.request_id)
        planned, problems = _plan_lines(s, inp, today, labels)
        if problems:
            raise ValidationFailed(problems)
        at = clock.now()
        batch = Disbursement(number=number, title=(inp.title or "").strip(), kind=inp.kind, pay_date=inp.pay_date,
                             status="open", remark=(inp.remark or "").strip(), created_at=at,
                             created_by=ctx.actor.username)
        s.add(batch)
        s.flush()
        lines = _insert_lines(s, batch, planned, units, labels, at, first_seq=1)
        draw_lines_in(s, ctx.actor, batch, lines, {p.request_id: p.budget_line_id for p in inp.lines},
                      inp.overdraw_reason)
        total = sum(int(r.approved_fen) for r, *_ in planned)
        tx.audit("create", "disbursement", batch.id,
                 summary=f"新建发放批次 {number}：{len(planned)} 人，合计 {format_yuan(total)} 元，"
                         f"发放日期 {inp.pay_date.isoformat()}")
        return _view(s, batch, ctx.actor)


def _plan_lines(s: Session, inp: BatchInput, today: date, labels: "pc.Labels") -> tuple[list, list[FieldProblem]]:
    """Each planned request checked (payable now, not claimed, a usable method and fund):
    (request, method, fund, account, bank) rows, and the problems found."""
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
    return planned, problems


def _insert_lines(s: Session, batch: Disbursement, planned: list, units: dict, labels: "pc.Labels", at,
                  first_seq: int) -> list[DisbursementLine]:
    made = []
    for seq, (r, method, fund, account, bank) in enumerate(planned, start=first_seq):
        line = DisbursementLine(
            batch_id=batch.id, seq=seq, request_id=r.id, household_id=r.household_id, name=r.name,
            id_number=r.id_number, unit_name=units.get(r.unit_id, "") if r.unit_id else "",
            relief_type=r.relief_type, relief_type_label=labels.relief_type(r), method=method, fund_source=fund,
            bank_name=bank, account=account, amount_fen=int(r.approved_fen), state="pending", updated_at=at,
        )
        s.add(line)
        s.flush()
        made.append(line)
        s.add(RequestPayoutClaim(request_id=r.id, line_id=line.id))
    _flush_claims(s)
    return made


def add_lines(ctx: AppContext, batch_id: int, lines: list) -> BatchView:
    """More payable requests into a batch still being paid (same checks as a new batch)."""
    if not lines:
        raise ValidationFailed([FieldProblem("lines", "发放名单", "至少选择一人")])
    ids = [p.request_id for p in lines]
    if len(set(ids)) != len(ids):
        raise ValidationFailed([FieldProblem("lines", "发放名单", "同一申请在名单中出现了两次")])
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        batch = pc.get_or_404(s, Disbursement, batch_id, "发放批次")
        if batch.status != "open" or batch.kind == "reissue":
            raise LineStateError(f"批次 {batch.number} 已完成或是重新发放批次，不能再加入明细")
        scope.require_whole_batch(s, ctx.actor, batch, "加入明细")
        for plan in lines:
            if s.get(ReliefRequest, plan.request_id) is not None:
                scope.require_request(s, ctx.actor, plan.request_id)
        labels = pc.Labels(s)
        planned, problems = _plan_lines(s, BatchInput(batch.pay_date, list(lines)), clock.today(), labels)
        if problems:
            raise ValidationFailed(problems)
        units = dict(s.execute(select(OrgUnit.id, OrgUnit.name)).all())
        first = max((line.seq for line in batch.lines), default=0) + 1
        added = _insert_lines(s, batch, planned, units, labels, clock.now(), first_seq=first)
        draw_lines_in(s, ctx.actor, batch, added, {p.request_id: p.budget_line_id for p in lines})
        total = sum(int(r.approved_fen) for r, *_ in planned)
        tx.audit("update", "disbursement", batch.id,
                 summary=f"批次 {batch.number} 加入 {len(planned)} 人，{format_yuan(total)} 元："
                         + "、".join(r.name for r, *_ in planned[:20]))
        s.expire(batch)
        return _view(s, batch, ctx.actor)

def _flush_claims(s: Session) -> None:
    try:
        s.flush()
    except IntegrityError as exc:
        raise Conflict("有申请刚刚被列入其他发放批次（同一申请不能发放两次），请刷新后重试") from exc


# ------------------------------------------------------------------ closing

def close_batch(ctx: AppContext, batch_id: int) -> BatchView:
    """Mark a batch done: no line may still be pending."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        batch = pc.get_or_404(s, Disbursement, batch_id, "发放批次")
        scope.require_whole_batch(s, ctx.actor, batch, "结束批次")
        pending = [line.name for line in batch.lines if line.state == "pending"]
        if pending:
            raise LineStateError(f"还有 {len(pending)} 人待发放（{'、'.join(pending[:5])}…），不能结束批次"
                                 if len(pending) > 5 else f"还有待发放的明细（{'、'.join(pending)}），不能结束批次")
        if batch.status == "closed":
            raise LineStateError(f"批次 {batch.number} 已完成")
        batch.status, batch.closed_at = "closed", clock.now()
        s.flush()
        tx.audit("update", "disbursement", batch.id, summary=f"批次 {batch.number} 发放完成")
        return _view(s, batch, ctx.actor)
