"""Scope of payout documents for a user bound to a union subtree (DESIGN.md §6).

A batch line or a notice entry belongs to the union of its relief request. Batches and
notices may hold several unions' people; a scoped user:

* lists only the batches and notices holding at least one of its own lines or entries, and
  sees only those lines, entries and objections (counts and totals over them);
* acts on its own lines and entries (mark paid, returned, renounced, paid to a relative,
  method, proxy, remove; remark, remove, objections) and on its own requests' payability;
* is refused every whole-document action — publish, refresh, edit, close or delete a
  notice, print its roster; close a batch, mark the whole batch paid, print the receipt
  list, export the bank file, import bank returns — unless every line or entry of the
  document is in its subtree, because each of them shows or changes the others' people.

Users without a scope (the district office) see and do everything, as before.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...storage.models import DisbursementLine, NoticeEntry, ReliefRequest
from ..admin.org import visible_unit_ids
from ..errors import PermissionDenied

OUT_OF_SCOPE = "不在当前用户的管辖范围内"


def allowed_units(session: Session, actor) -> set[int] | None:
    return visible_unit_ids(session, actor)


def _request_units(session: Session, request_ids) -> dict[int, int | None]:
    ids = list(set(request_ids))
    out: dict[int, int | None] = {}
    for start in range(0, len(ids), 500):
        out.update(session.execute(select(ReliefRequest.id, ReliefRequest.unit_id)
                                   .where(ReliefRequest.id.in_(ids[start:start + 500]))).all())
    return out


def visible_request_ids(session: Session, actor, request_ids) -> set[int] | None:
    """Which of these requests the actor may see (None: all of them, no scope)."""
    allowed = allowed_units(session, actor)
    if allowed is None:
        return None
    return {rid for rid, unit in _request_units(session, request_ids).items() if unit in allowed}


def require_request(session: Session, actor, request_id: int) -> None:
    visible = visible_request_ids(session, actor, [request_id])
    if visible is not None and request_id not in visible:
        raise PermissionDenied(f"该救助申请{OUT_OF_SCOPE}")


def require_line(session: Session, actor, line: DisbursementLine) -> None:
    visible = visible_request_ids(session, actor, [line.request_id])
    if visible is not None and line.request_id not in visible:
        raise PermissionDenied(f"{line.name} 的发放明细{OUT_OF_SCOPE}")


def require_entry(session: Session, actor, entry: NoticeEntry) -> None:
    visible = visible_request_ids(session, actor, [entry.request_id])
    if visible is not None and entry.request_id not in visible:
        raise PermissionDenied(f"{entry.name} 的公示条目{OUT_OF_SCOPE}")


def _batch_request_ids(session: Session, batch_id: int) -> list[int]:
    return list(session.execute(select(DisbursementLine.request_id)
                                .where(DisbursementLine.batch_id == batch_id)).scalars())


def _notice_request_ids(session: Session, notice_id: int) -> list[int]:
    return list(session.execute(select(NoticeEntry.request_id).where(NoticeEntry.notice_id == notice_id)).scalars())


def visible_batch_requests(session: Session, actor, batch_id: int) -> set[int] | None:
    return visible_request_ids(session, actor, _batch_request_ids(session, batch_id))


def visible_notice_requests(session: Session, actor, notice_id: int) -> set[int] | None:
    return visible_request_ids(session, actor, _notice_request_ids(session, notice_id))


def require_some_of_batch(session: Session, actor, batch) -> set[int] | None:
    """Reading a batch: at least one line must be the actor's; returns the visible request ids."""
    visible = visible_batch_requests(session, actor, batch.id)
    if visible is not None and not visible:
        raise PermissionDenied(f"发放批次 {batch.number}{OUT_OF_SCOPE}")
    return visible


def require_whole_batch(session: Session, actor, batch, action: str) -> None:
    ids = _batch_request_ids(session, batch.id)
    visible = visible_request_ids(session, actor, ids)
    if visible is not None and set(ids) - visible:
        if not visible:
            raise PermissionDenied(f"发放批次 {batch.number}{OUT_OF_SCOPE}")
        raise PermissionDenied(f"发放批次 {batch.number} 含有其他工会的人员（{OUT_OF_SCOPE}），不能{action}；"
                               "请由管辖全部人员的用户办理，或逐条办理本工会的明细")


def require_some_of_notice(session: Session, actor, notice) -> set[int] | None:
    visible = visible_notice_requests(session, actor, notice.id)
    if visible is not None and not visible:
        raise PermissionDenied(f"公示“{notice.title}”{OUT_OF_SCOPE}")
    return visible


def require_whole_notice(session: Session, actor, notice, action: str) -> None:
    ids = _notice_request_ids(session, notice.id)
    visible = visible_request_ids(session, actor, ids)
    if visible is not None and (set(ids) - visible or not ids and notice.unit_id is None):
        raise PermissionDenied(f"公示“{notice.title}”含有其他工会的人员（{OUT_OF_SCOPE}），不能{action}；"
                               "请由管辖全部人员的用户办理")
