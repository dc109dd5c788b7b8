"""Shared pieces of the archive services: loading with scope checks, archive numbers,
derived fields (sex, birth date, incomes, search keys, visit due date) and views."""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from ...domain import clock
from ...domain.cards import check_account
from ...domain.household import (
    ArchiveFacts, EXCLUSIONS, INCOME_BAND_LABELS, archive_blockers, income_band, next_visit_due,
    per_capita_income_fen,
)
from ...domain.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from ...domain.pinyin_search import search_keys
from ...storage.write_lock import serialize_writes
from ...storage.models import Attachment, Counter, FamilyMember, Household, OrgUnit
from .fields import FORM_FIELDS
from .types import (
    AttachmentView, HouseholdInput, HouseholdView, MemberInput, MemberView, VisitView,
)
from ..errors import NotFound, PermissionDenied
from ..admin.org import one_in_scope, visible_unit_ids
from ..admin.settings import OfficeSettings, standard_for
from ..people import name_of
from ...domain.policy import DEFAULT_VISIT_INTERVALS
from ..admin.visit_intervals import visit_intervals

VISIT_STATUSES = ("active", "phasing_out")  # households that are visited / can be overdue
_NON_DIGIT = re.compile(r"\D+")


def load_household(session: Session, actor, household_id: int) -> Household:
    """The household, or NotFound; PermissionDenied outside the actor's unit scope."""
    hh = session.get(Household, household_id)
    if hh is None:
        raise NotFound(f"档案（编号 {household_id}）不存在或已删除")
    allowed = visible_unit_ids(session, actor)
    if allowed is not None and hh.unit_id not in allowed:
        raise PermissionDenied("该档案不在当前用户的管辖范围内")
    return hh


# --- finding a household by a number ---------------------------------------------------

def one_household(session: Session, actor, condition, what: str) -> Household | None:
    """The household matching `condition` (e.g. a head's ID number), `what` naming the number in
    messages; None when none matches. In a city's database see :func:`one_in_scope`."""
    found = list(session.execute(select(Household).where(condition).order_by(Household.id).limit(20))
                 .scalars().unique())
    return one_in_scope(session, actor, found, what, lambda hh: f"档案 {hh.archive_no}")


def household_by_id_number(session: Session, actor, id_number: str, *,
                           members: bool = False) -> tuple[Household | None, bool]:
    """(household, is_head): the household whose head has this ID number, else (with `members`)
    the one listing it for a family member — see :func:`one_household`."""
    number = (id_number or "").strip().upper()
    if not number:
        return None, False
    what = f"身份证号 {mask_id_number(number)} "
    hh = one_household(session, actor, Household.id_number == number, what)
    if hh is not None or not members:
        return hh, hh is not None
    member_of = select(FamilyMember.household_id).where(FamilyMember.id_number == number)
    return one_household(session, actor, Household.id.in_(member_of), what + "（家庭成员）"), False


# --- archive numbers -------------------------------------------------------------------

def counter_name(pattern: str, year: int) -> str:
    return f"archive_no:{year}" if "{year" in pattern else "archive_no"


def format_archive_no(settings: OfficeSettings, year: int, seq: int) -> str:
    return settings.archive_no_pattern.format(prefix=settings.archive_prefix, year=year, seq=seq)


def _locked_counter(session: Session, name: str) -> Counter:
    serialize_writes(session)  # two clerks creating at once get different numbers
    counter = session.execute(select(Counter).where(Counter.name == name).with_for_update()).scalar_one_or_none()
    if counter is None:
        counter = Counter(name=name, value=0)
        session.add(counter)
        session.flush()  # visible to the next call even under no_autoflush (bulk imports)
    return counter


def next_archive_no(session: Session, settings: OfficeSettings, year: int, taken: set[str] | None = None) -> str:
    """The next free number; the per-year Counter row is incremented in this transaction."""
    counter = _locked_counter(session, counter_name(settings.archive_no_pattern, year))
    while True:
        counter.value += 1
        candidate = format_archive_no(settings, year, counter.value)
        if taken is not None:
            if candidate in taken:
                continue
            taken.add(candidate)
            return candidate
        session.flush()
        exists = session.execute(select(Household.id).where(Household.archive_no == candidate)).first()
        if exists is None:
            return candidate


class ArchiveNumbers:
    """`next_archive_no` for a bulk write: each year's counter is locked and read once, then
    counted on in memory past the numbers in `taken` (every number on file). The numbers it
    gives are not added to `taken`: a counter only goes up, so none comes twice."""

    def __init__(self, session: Session, settings: OfficeSettings, taken: set[str]):
        self.session, self.settings, self.taken = session, settings, taken
        self.counters: dict[str, Counter] = {}

    def next(self, year: int) -> str:
        name = counter_name(self.settings.archive_no_pattern, year)
        counter = self.counters.get(name)
        if counter is None:
            counter = self.counters[name] = _locked_counter(self.session, name)
        while True:
            counter.value += 1
            candidate = format_archive_no(self.settings, year, counter.value)
            if candidate not in self.taken:
                return candidate


# --- derived fields --------------------------------------------------------------------

def phone_keys(phone: str | None) -> str:
    if not phone:
        return ""
    raw = "".join(phone.split()).lower()
    digits = [g for g in _NON_DIGIT.split(phone) if g]
    joined = "".join(digits) if len(digits) <= 2 and len("".join(digits)) <= 12 else ""
    keys = dict.fromkeys([raw, *digits, joined])
    return " ".join(k for k in keys if k)


def search_text(name: str, id_number: str, archive_no: str, phone: str | None, name_keys: str | None = None) -> str:
    """What the list's text search matches: name (characters, pinyin, initials), ID, archive no, phone.

    `name_keys` may pass a cached `search_keys(name)` (bulk inserts)."""
    parts = [search_keys(name) if name_keys is None else name_keys, (id_number or "").lower(), (archive_no or "").lower(), phone_keys(phone)]
    return " ".join(p for p in parts if p)


def id_facts(id_number: str | None) -> tuple[str | None, date | None]:
    try:
        info = parse_id_number(id_number or "")
    except InvalidIdNumber:
        return None, None
    return info.sex, info.birth_date


def total_income(data: HouseholdInput) -> int:
    """The household's monthly income: head + other + every member's income."""
    return (data.head_income_fen or 0) + (data.other_income_fen or 0) + sum(
        m.monthly_income_fen or 0 for m in data.members)


def refresh_visit_due(hh: Household, intervals: Mapping[str, int] | None = None) -> None:
    """Recompute the next 走访 date under the policy's intervals (looked up when not given)."""
    if intervals is None:
        session = object_session(hh)
        intervals = visit_intervals(session) if session is not None else dict(DEFAULT_VISIT_INTERVALS)
    hh.next_visit_due = None if hh.status == "exited" else next_visit_due(hh.category, hh.last_visit_on,
                                                                          hh.archived_on, intervals)


_COPIED = (
    "name", "id_number", "unit_id", "category", "phone", "address", "hukou_type", "hukou_region",
    "employer", "ethnicity", "health", "union_member", "member_no", "model_worker", "single_parent",
    "household_size", "head_income_fen", "other_income_fen", "assistance_status", "bank_name",
    "bank_account", "account_kind", "exclusion_override", "remarks",
    *FORM_FIELDS,
)


def apply_input(hh: Household, data: HouseholdInput, intervals: Mapping[str, int] | None = None) -> None:
    """Copy a cleaned, valid input onto the row and recompute the derived fields (not members)."""
    for field in _COPIED:
        setattr(hh, field, getattr(data, field))
    hh.causes = list(data.causes)
    hh.exclusions = dict(data.exclusions)
    hh.sex, hh.birth_date = id_facts(data.id_number)
    hh.total_income_fen = total_income(data)
    hh.search_text = search_text(hh.name, hh.id_number, hh.archive_no, hh.phone)
    hh.updated_at = clock.now()
    refresh_visit_due(hh, intervals)


def member_row(m: MemberInput, member: FamilyMember | None = None) -> FamilyMember:
    member = member or FamilyMember()
    for field in ("name", "relation", "id_number", "health", "disability", "schooling", "job_or_school",
                  "monthly_income_fen"):
        setattr(member, field, getattr(m, field))
    member.sex, member.birth_date = id_facts(m.id_number)
    return member


# --- views -----------------------------------------------------------------------------

def member_input(m: FamilyMember) -> MemberInput:
    return MemberInput(name=m.name, relation=m.relation, id_number=m.id_number, health=m.health,
                       disability=m.disability, schooling=m.schooling, job_or_school=m.job_or_school,
                       monthly_income_fen=m.monthly_income_fen, id=m.id)


def to_input(hh: Household) -> HouseholdInput:
    values = {field: getattr(hh, field) for field in _COPIED}
    return HouseholdInput(**values, causes=list(hh.causes or []), exclusions=dict(hh.exclusions or {}),
                          members=[member_input(m) for m in hh.members])


def archive_facts(hh: Household) -> ArchiveFacts:
    exclusions = hh.exclusions or {}
    return ArchiveFacts(
        id_number_valid=id_facts(hh.id_number)[0] is not None,
        exclusions_checked=all(code in exclusions for code in EXCLUSIONS),
        exclusions_failed=tuple(c for c in EXCLUSIONS if exclusions.get(c)),
        override_reason=hh.exclusion_override,
        visit_count=len(hh.visits),
    )


def is_overdue(status: str, due: date | None, today: date) -> bool:
    return status in VISIT_STATUSES and due is not None and due < today


def _warnings(hh: Household, band: str, year: int, today: date) -> list[str]:
    warnings = []
    if hh.bank_account:
        warnings.extend(f"银行账号/社保卡号：{w}" for w in check_account(hh.bank_account))
    elif hh.status != "exited":
        warnings.append("未填写银行账号/社保卡号，救助金无法转账发放")
    if band == "unknown":
        warnings.append(f"{year}年低保标准未设置，无法比较家庭人均收入")
    elif band == "above" and hh.category == "deep":
        warnings.append("家庭人均月收入高于低收入标准，与“深度困难”类别不符，请核实")
    if is_overdue(hh.status, hh.next_visit_due, today):
        warnings.append(f"走访已逾期（应于 {hh.next_visit_due.isoformat()} 前走访）")
    if hh.status == "phasing_out" and hh.phase_out_until:
        warnings.append(f"渐退期至 {hh.phase_out_until.isoformat()}")
    return warnings


def build_view(session: Session, hh: Household, today: date | None = None) -> HouseholdView:
    today = today or clock.today()
    unit = session.get(OrgUnit, hh.unit_id)
    standard = standard_for(session, today.year)
    per_capita = per_capita_income_fen(hh.total_income_fen, hh.household_size)
    band = income_band(per_capita, standard.dibao_fen if standard else None,
                       standard.low_income_fen if standard else None)
    attachments = session.execute(
        select(Attachment).where(Attachment.household_id == hh.id).order_by(Attachment.id)).scalars()
    visits = sorted(hh.visits, key=lambda v: (v.visit_date, v.id), reverse=True)
    return HouseholdView(
        id=hh.id, version=hh.version, archive_no=hh.archive_no, status=hh.status, data=to_input(hh),
        unit_name=unit.name if unit else "", sex=hh.sex, birth_date=hh.birth_date,
        archived_on=hh.archived_on, exit_decided_on=hh.exit_decided_on, phase_out_until=hh.phase_out_until,
        exited_on=hh.exited_on, exit_reason=hh.exit_reason, last_visit_on=hh.last_visit_on,
        next_visit_due=hh.next_visit_due, total_monthly_income_fen=hh.total_income_fen,
        per_capita_income_fen=per_capita, income_band=band,
        members=tuple(MemberView(m.id, m.name, m.relation, m.id_number, m.sex, m.birth_date, m.health,
                                 m.disability, m.schooling, m.job_or_school, m.monthly_income_fen)
                      for m in hh.members),
        visits=tuple(VisitView(v.id, v.visit_date, v.method, v.visitor, v.findings, v.outcome) for v in visits),
        attachments=tuple(attachment_view(a) for a in attachments),
        warnings=tuple(_warnings(hh, band, today.year, today)),
        archive_blockers=tuple(archive_blockers(archive_facts(hh))) if hh.status == "draft" else (),
    )


def attachment_view(a: Attachment) -> AttachmentView:
    added_by = name_of(object_session(a))(a.added_by) if object_session(a) is not None else a.added_by
    return AttachmentView(a.id, a.filename, a.kind, a.size, a.sha256, a.note, a.added_at, added_by)


def income_band_label(band: str) -> str:
    return INCOME_BAND_LABELS.get(band, band)


def unit_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(OrgUnit.id, OrgUnit.name)).all())
