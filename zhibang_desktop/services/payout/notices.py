"""公示 (public notice) of approved requests, objections, and when a request may be paid.

Seed 000: 审核 → 公示 5 个工作日 → 发放; seed 002: 帮扶资金发放前是否公示.

* A notice is built from approved requests filtered by relief type, period and
  union (subtree); while it is a draft its entries can be refreshed or removed.
* Publishing freezes the entries (name, unit, relief type label, amount, masked
  ID) and fixes the period: ``end = start + N working days`` on the Chinese
  calendar with 调休 (the start day itself does not count, as for every period in
  this app), with the warning carried when a year has no holiday data (2027).
* An objection is recorded against an entry; handling it ``upheld`` removes the
  entry and sends the request back (status ``returned``) so it cannot be paid;
  ``dismissed`` leaves it payable.
* A request is payable only after its notice ended (the day after the end date)
  with no open objection, or with an admin's written, audited override.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...documents.public_text import phone_problems, public_text_problems
from ...domain import clock
from ...domain.idnumber import mask_id_number
from ...domain.money import format_yuan
from ...domain.notice_titles import numbered_title
from ...storage.models import Notice, NoticeEntry, OrgUnit, Payment, ReliefRequest, RequestPayoutClaim
from . import common as pc
from . import scope
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed
from ..relief.calendar import work_calendar
from ..relief.policies import policy_in_force
from ..admin.org import subtree_ids, visible_unit_ids
from .types import CandidateView, NoticeFilter, NoticeInput, NoticeView
from ..admin.settings import read_settings
from .notice_views import _filter_of, _next_number, _open_count, _view, get_notice, list_notices
from .objections import handle_objection, override_payability, payability, record_objection
from .notice_rules import CHANNELS, MANAGE, MAX_WORKING_DAYS, OVERRIDE, READ, NoticeStateError


# ------------------------------------------------------------------ candidates

def _candidate_query(session: Session, actor, flt: NoticeFilter):
    q = select(ReliefRequest).where(ReliefRequest.status == "approved", ReliefRequest.approved_fen.is_not(None),
                                    ReliefRequest.source != "ledger")
    if flt.relief_types:
        q = q.where(ReliefRequest.relief_type.in_(list(flt.relief_types)))
    if flt.year is not None:
        q = q.where(ReliefRequest.period_year == flt.year)
    if flt.quarter is not None:
        q = q.where(ReliefRequest.period_quarter == flt.quarter)
    if flt.unit_id is not None:
        q = q.where(ReliefRequest.unit_id.in_(subtree_ids(session, flt.unit_id)))
    allowed = visible_unit_ids(session, actor)
    if allowed is not None:
        q = q.where(ReliefRequest.unit_id.in_(allowed))
    listed = select(NoticeEntry.request_id).where(NoticeEntry.state == "listed")
    paid = select(Payment.request_id).where(Payment.request_id.is_not(None))
    claimed = select(RequestPayoutClaim.request_id)
    q = q.where(ReliefRequest.id.not_in(listed), ReliefRequest.id.not_in(paid), ReliefRequest.id.not_in(claimed))
    return q.order_by(ReliefRequest.unit_id, ReliefRequest.id)


def _candidates(session: Session, actor, flt: NoticeFilter) -> list[ReliefRequest]:
    return list(session.execute(_candidate_query(session, actor, flt)).scalars())


def _candidate_view(r: ReliefRequest, units: dict[int, str], labels: pc.Labels) -> CandidateView:
    return CandidateView(r.id, r.number, r.name, r.unit_id, units.get(r.unit_id, "") if r.unit_id else "",
                         r.relief_type, labels.relief_type(r), r.period_year, r.period_quarter, int(r.approved_fen))


def _units(session: Session) -> dict[int, str]:
    return {uid: name for uid, name in session.execute(select(OrgUnit.id, OrgUnit.name))}


def notice_candidates(ctx: AppContext, flt: NoticeFilter) -> list[CandidateView]:
    """Approved requests not yet on a notice nor paid, matching the filter."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        units, labels = _units(s), pc.Labels(s)
        return [_candidate_view(r, units, labels) for r in _candidates(s, ctx.actor, flt)]


# ------------------------------------------------------------------ building

def _default_title(session: Session, office: str, flt: NoticeFilter) -> str:
    period = pc.period_label(flt.year, flt.quarter)
    kind = ""
    if len(flt.relief_types) == 1 and not flt.quarter:
        kind = _type_name(session, flt.relief_types[0], flt.year)
        if kind and not kind.endswith("救助"):
            kind += "救助"
    body = f"{period}困难职工{kind or '救助'}对象名单的公示"
    return f"{office}关于{body}"


def _titles(session: Session, but: int | None = None) -> set[str]:
    """Titles of the other notices: a new one with the same title gets numbered (第二批 …)."""
    q = select(Notice.title)
    if but is not None:
        q = q.where(Notice.id != but)
    return set(session.execute(q).scalars())


def _type_name(session: Session, code: str, year: int | None) -> str:
    found = policy_in_force(session, year) if year else None
    if found is not None:
        rt = found[1].relief_type(code)
        if rt is not None:
            return rt.name
    return ""


def _validate_input(inp: NoticeInput) -> list[FieldProblem]:
    problems = []
    if not isinstance(inp.start, date):
        problems.append(FieldProblem("start", "公示开始日期", "请填写日期"))
    if not isinstance(inp.working_days, int) or not 1 <= inp.working_days <= MAX_WORKING_DAYS:
        problems.append(FieldProblem("working_days", "公示期（工作日）", f"应为 1 至 {MAX_WORKING_DAYS} 个工作日"))
    if inp.filter.quarter is not None and inp.filter.quarter not in (1, 2, 3, 4):
        problems.append(FieldProblem("quarter", "季度", "应为 1 至 4"))
    if inp.filter.quarter is not None and inp.filter.year is None:
        problems.append(FieldProblem("year", "年度", "按季度筛选时须填写年度"))
    problems += _public_text_problems(inp, ())
    if len(inp.title or "") > 200:
        problems.append(FieldProblem("title", "标题", "不超过 200 个字"))
    return problems


def _public_text_problems(inp: NoticeInput, private) -> list[FieldProblem]:
    """The notice's free texts go on the public page: no ID/card numbers, illnesses or incomes
    (the households' own ones included, however spaced or punctuated); the phone is a phone."""
    problems = []
    for name, label, value in (("title", "标题", inp.title), ("place", "公示地点", inp.place),
                               ("object_to", "异议受理", inp.object_to), ("intro", "导语", inp.intro),
                               ("phone", "联系电话", inp.phone)):
        found = public_text_problems(value or "", private)
        if found:
            problems.append(FieldProblem(name, label, f"公示内容不能含有{'、'.join(found)}"))
    for p in phone_problems(inp.phone or ""):
        problems.append(FieldProblem("phone", "联系电话", p))
    return problems


def _check_against_households(session: Session, inp: NoticeInput, household_ids: set[int]) -> None:
    problems = _public_text_problems(inp, pc.household_private_values(session, household_ids))
    if problems:
        raise ValidationFailed(problems)


def _fill_entries(session: Session, notice: Notice, requests: list[ReliefRequest]) -> None:
    units, labels = _units(session), pc.Labels(session)
    for entry in list(notice.entries):
        notice.entries.remove(entry)
    session.flush()
    for seq, r in enumerate(requests, start=1):
        notice.entries.append(NoticeEntry(
            request_id=r.id, seq=seq, name=r.name, unit_name=units.get(r.unit_id, "") if r.unit_id else "",
            relief_type_label=labels.relief_type(r), amount_fen=int(r.approved_fen),
            masked_id=mask_id_number(r.id_number) if notice.show_masked_id and r.id_number else None,
            remark="", state="listed",
        ))


def _period(session: Session, start: date, n: int) -> tuple[date, str | None]:
    due = work_calendar(session).add_working_days(start, n)
    return due.date, due.warning


def notice_period(ctx: AppContext, start: date, working_days: int) -> tuple[date, str | None]:
    """Last day of a notice starting on `start` (N working days, the start day not counted),
    and the warning when a year in between has no holiday data. Writes nothing."""
    with ctx.tx("notice.manage", read_only=True) as tx:
        return _period(tx.session, start, working_days)


def create_notice(ctx: AppContext, inp: NoticeInput) -> NoticeView:
    """A draft notice with every candidate matching the filter (at least one)."""
    problems = _validate_input(inp)
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        settings = read_settings(s)
        requests = _candidates(s, ctx.actor, inp.filter)
        if not requests:
            raise ValidationFailed([FieldProblem("filter", "筛选条件", "没有符合条件、尚未公示的已审批申请")])
        _check_against_households(s, inp, {r.household_id for r in requests if r.household_id})
        end, warning = _period(s, inp.start, inp.working_days)
        at = clock.now()
        notice = Notice(
            number=_next_number(s, inp.filter.year or inp.start.year),
            title=numbered_title((inp.title or "").strip() or _default_title(s, settings.office_name, inp.filter),
                                 _titles(s)),
            relief_types=list(inp.filter.relief_types), period_year=inp.filter.year,
            period_quarter=inp.filter.quarter, unit_id=inp.filter.unit_id, start_date=inp.start,
            working_days=inp.working_days, end_date=end, end_warning=warning,
            object_to=(inp.object_to or "").strip() or settings.office_name,
            phone=(inp.phone or "").strip() or settings.phone, place=(inp.place or "").strip(),
            intro=(inp.intro or "").strip(), show_masked_id=bool(inp.show_masked_id),
            issued_on=inp.issued_on, status="draft", created_at=at, created_by=ctx.actor.username,
        )
        s.add(notice)
        s.flush()
        _fill_entries(s, notice, requests)
        s.flush()
        tx.audit("create", "notice", notice.id,
                 summary=f"新建公示“{notice.title}”，{len(requests)} 人，"
                         f"{notice.start_date.isoformat()} 至 {notice.end_date.isoformat()}")
        return _view(s, notice, ctx.actor)


def _draft(session: Session, notice_id: int) -> Notice:
    notice = pc.get_or_404(session, Notice, notice_id, "公示")
    if notice.status != "draft":
        raise NoticeStateError(f"公示“{notice.title}”已发布，名单已固定，不能再修改")
    return notice


def update_notice(ctx: AppContext, notice_id: int, inp: NoticeInput) -> NoticeView:
    """Change a draft's texts and period (the entries stay; use refresh_notice for them)."""
    problems = _validate_input(inp)
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        notice = _draft(s, notice_id)
        scope.require_whole_notice(s, ctx.actor, notice, "修改、刷新、删除或发布")
        _check_against_households(s, inp, _notice_households(s, notice))
        settings = read_settings(s)
        end, warning = _period(s, inp.start, inp.working_days)
        old = (notice.title, notice.start_date, notice.end_date)
        title = (inp.title or "").strip()
        if title and title != notice.title:
            notice.title = numbered_title(title, _titles(s, notice.id))
        notice.start_date, notice.working_days, notice.end_date, notice.end_warning = (
            inp.start, inp.working_days, end, warning)
        notice.object_to = (inp.object_to or "").strip() or settings.office_name
        notice.phone = (inp.phone or "").strip() or settings.phone
        notice.place, notice.intro = (inp.place or "").strip(), (inp.intro or "").strip()
        notice.issued_on = inp.issued_on
        if notice.show_masked_id != bool(inp.show_masked_id):
            notice.show_masked_id = bool(inp.show_masked_id)
            for entry in notice.entries:
                r = s.get(ReliefRequest, entry.request_id)
                entry.masked_id = mask_id_number(r.id_number) if notice.show_masked_id and r and r.id_number else None
        s.flush()
        tx.audit("update", "notice", notice.id, summary=f"修改公示“{notice.title}”",
                 changes=[["标题", old[0], notice.title], ["公示期", f"{old[1]}～{old[2]}",
                                                          f"{notice.start_date}～{notice.end_date}"]])
        return _view(s, notice, ctx.actor)


def _notice_households(session: Session, notice: Notice) -> set[int]:
    request_ids = [e.request_id for e in notice.entries]
    if not request_ids:
        return set()
    return set(session.execute(select(ReliefRequest.household_id).where(
        ReliefRequest.id.in_(request_ids), ReliefRequest.household_id.is_not(None))).scalars())


def refresh_notice(ctx: AppContext, notice_id: int) -> NoticeView:
    """Rebuild a draft's entries from its filter (requests approved since, amounts changed)."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        notice = _draft(s, notice_id)
        scope.require_whole_notice(s, ctx.actor, notice, "修改、刷新、删除或发布")
        flt = _filter_of(notice)
        # own entries are excluded by the candidate query (they are listed): release them first
        for entry in notice.entries:
            entry.state = "removed"
        s.flush()
        requests = _candidates(s, ctx.actor, flt)
        requests.sort(key=lambda r: (r.unit_id or 0, r.id))
        _fill_entries(s, notice, requests)
        s.flush()
        tx.audit("update", "notice", notice.id, summary=f"按筛选条件刷新公示名单：{len(requests)} 人")
        return _view(s, notice, ctx.actor)


def remove_notice_entry(ctx: AppContext, entry_id: int, reason: str = "") -> NoticeView:
    """Take a person off a draft notice (they can go on another notice later)."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        entry = pc.get_or_404(s, NoticeEntry, entry_id, "公示名单条目")
        scope.require_entry(s, ctx.actor, entry)
        notice = _draft(s, entry.notice_id)
        name = entry.name
        notice.entries.remove(entry)
        s.flush()
        for seq, e in enumerate(notice.entries, start=1):
            e.seq = seq
        tx.audit("update", "notice", notice.id, summary=f"从公示草稿中移除 {name}" + (f"：{reason}" if reason else ""))
        return _view(s, notice, ctx.actor)


def set_entry_remark(ctx: AppContext, entry_id: int, remark: str) -> NoticeView:
    """备注 of a draft entry; never an ID/card number, illness, cause or income (checked)."""
    remark = (remark or "").strip()
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        entry = pc.get_or_404(s, NoticeEntry, entry_id, "公示名单条目")
        scope.require_entry(s, ctx.actor, entry)
        notice = _draft(s, entry.notice_id)
        r = s.get(ReliefRequest, entry.request_id)
        words = pc.household_private_values(s, {r.household_id} if r and r.household_id else set())
        problems = public_text_problems(remark, words)
        if len(remark) > 200:
            problems.append("不超过 200 个字")
        if problems:
            raise ValidationFailed([FieldProblem("remark", "备注", f"不能公开：含有{'、'.join(problems)}")])
        old, entry.remark = entry.remark, remark
        tx.audit("update", "notice", notice.id, summary=f"修改公示名单备注（{entry.name}）",
                 changes=[["备注", old, remark]])
        return _view(s, notice, ctx.actor)


def delete_notice(ctx: AppContext, notice_id: int) -> None:
    """Delete a draft (a published notice is a record and stays)."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        notice = _draft(s, notice_id)
        scope.require_whole_notice(s, ctx.actor, notice, "修改、刷新、删除或发布")
        title = notice.title
        s.delete(notice)
        s.flush()
        tx.audit("delete", "notice", notice_id, summary=f"删除公示草稿“{title}”")


def publish_notice(ctx: AppContext, notice_id: int, start: date | None = None) -> NoticeView:
    """Freeze the entries (current names, units, amounts) and fix the period."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        notice = _draft(s, notice_id)
        scope.require_whole_notice(s, ctx.actor, notice, "修改、刷新、删除或发布")
        if start is not None:
            notice.start_date = start
        notice.end_date, notice.end_warning = _period(s, notice.start_date, notice.working_days)
        units, labels = _units(s), pc.Labels(s)
        stale = []
        for entry in notice.entries:
            r = s.get(ReliefRequest, entry.request_id)
            if r is None or r.status != "approved" or r.approved_fen is None or pc.has_payment(s, r.id):
                stale.append(entry.name)
                continue
            entry.name = r.name
            entry.unit_name = units.get(r.unit_id, "") if r.unit_id else ""
            entry.relief_type_label = labels.relief_type(r)
            entry.amount_fen = int(r.approved_fen)
            entry.masked_id = mask_id_number(r.id_number) if notice.show_masked_id and r.id_number else None
        if stale:
            raise ValidationFailed([FieldProblem("entries", "公示名单",
                                                 f"以下人员的申请已不是“已审批”或已发放，请先刷新名单：{'、'.join(stale)}")])
        if not notice.entries:
            raise ValidationFailed([FieldProblem("entries", "公示名单", "名单为空，不能发布")])
        notice.status, notice.published_at, notice.published_by = "published", clock.now(), ctx.actor.username
        if notice.issued_on is None:
            notice.issued_on = notice.start_date
        s.flush()
        total = sum(e.amount_fen for e in notice.entries)
        tx.audit("update", "notice", notice.id,
                 summary=f"发布公示“{notice.title}”：{len(notice.entries)} 人，合计 {format_yuan(total)} 元，"
                         f"公示期 {notice.start_date.isoformat()} 至 {notice.end_date.isoformat()}"
                         + (f"（{notice.end_warning}）" if notice.end_warning else ""))
        return _view(s, notice, ctx.actor)


def close_notice(ctx: AppContext, notice_id: int) -> NoticeView:
    """Mark a published notice as ended (only after its end date, and with no open objection)."""
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        notice = pc.get_or_404(s, Notice, notice_id, "公示")
        scope.require_whole_notice(s, ctx.actor, notice, "结束公示")
        if notice.status != "published":
            raise NoticeStateError("只有公示中的公示可以结束")
        if clock.today() <= notice.end_date:
            raise NoticeStateError(f"公示期至 {notice.end_date.isoformat()}，期满后才能结束")
        open_count = _open_count(s, notice.id)
        if open_count:
            raise NoticeStateError(f"还有 {open_count} 条异议未处理，处理后才能结束公示")
        notice.status, notice.closed_at = "closed", clock.now()
        s.flush()
        tx.audit("update", "notice", notice.id, summary=f"公示“{notice.title}”期满结束")
        return _view(s, notice, ctx.actor)


# the notice API is this module: reading and objections are re-exported
__all__ = [
    "CHANNELS", "MANAGE", "MAX_WORKING_DAYS", "OVERRIDE", "READ", "NoticeStateError", "close_notice", "create_notice",
    "delete_notice", "get_notice", "handle_objection", "list_notices", "notice_candidates", "notice_period",
    "override_payability", "payability", "publish_notice", "record_objection", "refresh_notice",
    "remove_notice_entry", "set_entry_remark", "update_notice",
]
