"""发放批次, reading: batch summaries and views, listing and finding batches."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from ...storage.models import Disbursement, DisbursementLine, ReliefRequest
from . import common as pc
from . import scope
from ..context import AppContext
from ..admin.org import narrowed, units_within
from ..errors import NotFound
from .types import BATCH_KIND_LABELS, BATCH_STATUS_LABELS, PAID_STATES, BatchSummary, BatchView, LineView
from .rules import MANAGE as MANAGE_NUMBERS
from .rules import READ
from ..people import name_of


def _line_view(s: Session, line: DisbursementLine, batch: Disbursement) -> LineView:
    reissued_by = s.execute(select(DisbursementLine.id).where(DisbursementLine.reissue_of == line.id)).scalar()
    r = s.get(ReliefRequest, line.request_id)
    return pc.line_view(line, batch.number, pc.Labels(s), reissued_by, r.policy_version_id if r else None)


def _summary(s: Session, batch: Disbursement, visible: set[int] | None = None) -> BatchSummary:
    """Counts and totals over the lines the user may see (``visible`` request ids; None: all)."""
    q = (select(DisbursementLine.state, func.count(), func.coalesce(func.sum(DisbursementLine.amount_fen), 0))
         .where(DisbursementLine.batch_id == batch.id))
    if visible is not None:
        q = q.where(DisbursementLine.request_id.in_(visible))
    rows = s.execute(q.group_by(DisbursementLine.state)).all()
    count = {state: int(n) for state, n, _ in rows}
    fen = {state: int(total) for state, _, total in rows}
    return BatchSummary(
        id=batch.id, number=batch.number, title=batch.title, kind=batch.kind,
        kind_label=BATCH_KIND_LABELS.get(batch.kind, batch.kind), pay_date=batch.pay_date, status=batch.status,
        status_label=BATCH_STATUS_LABELS.get(batch.status, batch.status), lines=sum(count.values()),
        total_fen=sum(fen.values()), paid_fen=sum(fen.get(st, 0) for st in PAID_STATES),
        pending=count.get("pending", 0), returned=count.get("returned", 0), renounced=count.get("renounced", 0),
        created_at=batch.created_at, created_by=name_of(s)(batch.created_by),
    )


def _view(s: Session, batch: Disbursement, actor) -> BatchView:
    """The batch as ``actor`` may see it: a scoped user sees only its own unions' lines."""
    visible = scope.require_some_of_batch(s, actor, batch)
    lines = [line for line in s.execute(select(DisbursementLine).where(DisbursementLine.batch_id == batch.id)
                                        .order_by(DisbursementLine.seq)).scalars()
             if visible is None or line.request_id in visible]
    ids = [line.id for line in lines]
    reissued = dict(s.execute(select(DisbursementLine.reissue_of, DisbursementLine.id)
                              .where(DisbursementLine.reissue_of.in_(ids))).all()) if ids else {}
    pv = dict(s.execute(select(ReliefRequest.id, ReliefRequest.policy_version_id)
                        .where(ReliefRequest.id.in_([line.request_id for line in lines]))).all()) if lines else {}
    labels = pc.Labels(s)
    full = actor.can(MANAGE_NUMBERS)
    views = tuple(pc.line_view(line, batch.number, labels, reissued.get(line.id), pv.get(line.request_id), full)
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
    return BatchView(_summary(s, batch, visible), views, batch.remark or "", by_state, by_fund, renounced)


def list_batches(ctx: AppContext, status: str | None = None, year: int | None = None,
                 month: int | None = None, unit_id: int | None = None) -> list[BatchSummary]:
    """Batches, newest first. With `year` and `month`: the batches of that month — paid out on a
    day of it, or with a line paid in it (a cash line paid later, a reissue). With `unit_id`: the
    batches holding a line of that union's subtree (in a city's database: one county), counted
    over those lines as for a user bound to it."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        units_within(s, ctx.actor, unit_id)  # NotFound / PermissionDenied outside the user's scope
        actor = narrowed(ctx.actor, unit_id)
        q = select(Disbursement).order_by(Disbursement.pay_date.desc(), Disbursement.id.desc())
        if status:
            q = q.where(Disbursement.status == status)
        if year is not None and month is not None:
            first = date(year, month, 1)
            last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            paid_in = exists().where(DisbursementLine.batch_id == Disbursement.id,
                                     DisbursementLine.paid_on.between(first, last))
            q = q.where(or_(Disbursement.pay_date.between(first, last), paid_in))
        elif year is not None:
            q = q.where(Disbursement.pay_date >= date(year, 1, 1), Disbursement.pay_date <= date(year, 12, 31))
        out = []
        for b in s.execute(q).scalars():
            visible = scope.visible_batch_requests(s, actor, b.id)
            if visible is None or visible:
                out.append(_summary(s, b, visible))
        return out


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
    with ctx.tx(READ, read_only=True) as tx:
        return _view(tx.session, find_batch(tx.session, batch_id), ctx.actor)
