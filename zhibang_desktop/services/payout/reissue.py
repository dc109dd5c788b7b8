"""发放批次, reissue: returned lines paid again in a new batch, after their accounts were corrected."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ...domain import clock
from ...domain.cards import mask_account, normalize_account
from ...domain.money import format_yuan
from ...storage.models import Disbursement, DisbursementLine, Household, RequestPayoutClaim
from . import common as pc
from . import scope
from ..context import AppContext
from ..errors import Conflict, FieldProblem, ValidationFailed
from .types import LINE_STATE_LABELS, BatchView, LineView
from .rules import ACCOUNT_METHODS, MANAGE, METHODS, READ, _holds_claim, _number_for
from .views import _view
from ..funds.draws import draw_reissue_in


@dataclass
class ReissuePlan:
    """One returned line to pay again; account/bank given = corrected here (and in the archive)."""

    line_id: int
    account: str | None = None
    bank_name: str | None = None
    method: str | None = None
    update_archive: bool = True


def reissue_candidates(ctx: AppContext) -> list[LineView]:
    """Returned lines not yet reissued, with the archive's current account (corrected or not)."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        labels = pc.Labels(s)
        out = []
        rows = s.execute(select(DisbursementLine, Disbursement.number)
                         .join(Disbursement, Disbursement.id == DisbursementLine.batch_id)
                         .where(DisbursementLine.state == "returned")
                         .order_by(DisbursementLine.batch_id, DisbursementLine.seq)).all()
        visible = scope.visible_request_ids(s, ctx.actor, [line.request_id for line, _ in rows])
        for line, number in rows:
            if visible is None or line.request_id in visible:
                out.append(pc.line_view(line, number, labels, full=ctx.actor.can(MANAGE)))
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
            scope.require_line(s, ctx.actor, old)
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
        at = clock.now()
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
            name = old.name  # a failed flush expires the rows: read before it
            try:
                s.flush()
            except IntegrityError as exc:
                raise Conflict(f"{name} 的退票明细已重新发放过") from exc
            draw_reissue_in(s, ctx.actor, new, old)
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
                 summary=f"新建退票重新发放批次 {number}：{len(work)} 人，合计 {format_yuan(total)} 元")
        return _view(s, batch, ctx.actor)
