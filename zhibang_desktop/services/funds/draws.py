"""Payment lines drawing on budget lines: called by the payout services inside their transaction.

Rules (issue 12): every payment line draws on one budget line of its pay year; a source
that does not allow the line's relief type is an error; drawing past what is left is a
warning that needs a written reason, stored on each draw and printed on the batch (its
remark).  A year with no budget lines at all is not budgeted: its lines draw on nothing
(the execution report shows them as 未纳入预算).
"""
from __future__ import annotations

from collections import defaultdict
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...storage.models import BudgetDraw, BudgetLine, Disbursement, DisbursementLine, FundSource
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed
from .common import READ, available_fen, candidate_lines, line_label, yuan
from .types import BudgetChoice

OVERDRAW_PREFIX = "超预算说明："


class OverdrawNeedsReason(ValidationFailed):
    """The batch would draw past a budget line's balance: ask for a written reason and retry."""


def budget_choices(ctx: AppContext, year: int, relief_type: str, fund_code: str | None = None) -> list[BudgetChoice]:
    """Budget lines a payment of `relief_type` in `year` may draw on, with what is left on each."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        return [BudgetChoice(line.id, line_label(line, src), src.code, available_fen(s, line))
                for line, src in candidate_lines(s, year, relief_type, fund_code)]


def _type_name(pl: DisbursementLine) -> str:
    return pl.relief_type_label or pl.relief_type


def draw_lines_in(s: Session, actor, batch: Disbursement, lines: list[DisbursementLine],
                  chosen: dict[int, int | None] | None = None, overdraw_reason: str = "") -> None:
    """Make each new payment line of `batch` draw on a budget line (see the module docstring).

    `chosen` maps a payment line's request id to the budget line the clerk picked (None: automatic).
    Raises ValidationFailed naming the person and the reason; OverdrawNeedsReason when only a
    reason is missing.
    """
    year = batch.pay_date.year
    if not s.execute(select(BudgetLine.id).where(BudgetLine.year == year)).first():
        return
    chosen = chosen or {}
    overdraw_reason = (overdraw_reason or "").strip()
    problems: list[FieldProblem] = []
    picks: list[tuple[DisbursementLine, BudgetLine, FundSource]] = []
    left: dict[int, int] = {}
    for i, pl in enumerate(lines):
        who = f"{pl.name}（{_type_name(pl)}）"
        if pl.fund_source:
            src = s.execute(select(FundSource).where(FundSource.code == pl.fund_source)).scalars().first()
            if src is None:
                problems.append(FieldProblem(f"lines[{i}]", "资金来源",
                                             f"{who}：资金来源“{pl.fund_source}”没有 {year} 年预算指标"))
                continue
            if src.allowed_relief_types and pl.relief_type not in src.allowed_relief_types:
                problems.append(FieldProblem(f"lines[{i}]", "资金来源",
                                             f"{who}：{src.name}不能用于{_type_name(pl)}，请改用其他资金来源"))
                continue
        options = candidate_lines(s, year, pl.relief_type, pl.fund_source)
        want = chosen.get(pl.request_id)
        if want is not None:
            options = [(line, src) for line, src in options if line.id == want]
            if not options:
                line = s.get(BudgetLine, want)
                src = s.get(FundSource, line.source_id) if line else None
                reason = ("不存在" if line is None else f"不是 {year} 年的预算" if line.year != year
                          else f"{src.name}不能用于{_type_name(pl)}")
                problems.append(FieldProblem(f"lines[{i}]", "预算指标", f"{who}：所选预算指标{reason}"))
                continue
        if not options:
            problems.append(FieldProblem(f"lines[{i}]", "预算指标",
                                         f"{who}：{year} 年没有可用于{_type_name(pl)}的预算指标"
                                         + (f"（资金来源 {pl.fund_source}）" if pl.fund_source else "")))
            continue
        for line, _src in options:
            if line.id not in left:
                left[line.id] = available_fen(s, line)
        line, src = next(((ln, sr) for ln, sr in options if left[ln.id] >= pl.amount_fen), options[0])
        left[line.id] -= pl.amount_fen
        picks.append((pl, line, src))
    if problems:
        raise ValidationFailed(problems)
    over = {line.id: (line, src) for pl, line, src in picks if left[line.id] < 0}
    if over and not overdraw_reason:
        need = defaultdict(int)
        for pl, line, _src in picks:
            need[line.id] += pl.amount_fen
        raise OverdrawNeedsReason([
            FieldProblem("overdraw_reason", "超预算说明",
                         f"{line_label(line, src)} 可用余额 {yuan(left[line.id] + need[line.id])} 元，"
                         f"本批次需 {yuan(need[line.id])} 元，超出 {yuan(-left[line.id])} 元；请填写超预算的书面说明")
            for line, src in over.values()])
    today = clock.today()
    for pl, line, src in picks:
        if not pl.fund_source:
            pl.fund_source = src.code
        s.add(BudgetDraw(line_id=pl.id, budget_line_id=line.id,
                         overdraw_reason=overdraw_reason if line.id in over else None,
                         drawn_on=today, drawn_by=actor.username))
    if over:
        labels = "、".join(line_label(line, src) for line, src in over.values())
        text = f"{OVERDRAW_PREFIX}{labels}超出预算余额，{overdraw_reason}"
        batch.remark = (batch.remark + "；" if batch.remark else "") + text
    s.flush()


def draw_reissue_in(s: Session, actor, new_line: DisbursementLine, old_line: DisbursementLine) -> None:
    """A reissued line draws on the same budget line as the returned one (its money came back there)."""
    old = s.get(BudgetDraw, old_line.id)
    if old is None:
        return
    s.add(BudgetDraw(line_id=new_line.id, budget_line_id=old.budget_line_id, overdraw_reason=None,
                     drawn_on=clock.today(), drawn_by=actor.username))
    s.flush()


def overdraw_note(s: Session, batch_id: int) -> str:
    """The batch's written overdraw reasons as printed under the receipt list's title ('' if none)."""
    rows = s.execute(
        select(BudgetLine, FundSource, BudgetDraw.overdraw_reason)
        .join(BudgetDraw, BudgetDraw.budget_line_id == BudgetLine.id)
        .join(FundSource, FundSource.id == BudgetLine.source_id)
        .join(DisbursementLine, DisbursementLine.id == BudgetDraw.line_id)
        .where(DisbursementLine.batch_id == batch_id, BudgetDraw.overdraw_reason.is_not(None))
        .order_by(BudgetLine.id, BudgetDraw.line_id)).all()
    # Deduplicated here, not with DISTINCT: PostgreSQL cannot compare the JSON columns.
    seen: dict[tuple[int, str], str] = {}
    for line, src, reason in rows:
        seen.setdefault((line.id, reason), f"{OVERDRAW_PREFIX}{line_label(line, src)}超出预算余额，{reason}")
    return "；".join(seen.values())
