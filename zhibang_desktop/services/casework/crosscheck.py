"""数据比对: import another agency's list and compare it with the archive by ID number, heads and
members alike (seed 002: 与公安、民政、银行、住建等部门数据比对; seed 000: 与民政部门数据比对).

A list is kept with its source, date and SHA-256; the same source and date (or the same file)
imported again replaces it: its rows and its undecided findings, while decided findings stay
(and are not raised again). The whole file is checked first — any bad row and nothing is
imported. Lists cover the whole office, so importing one is an office-wide user's work; the
findings are read and decided within each user's unions. A decision never edits the archive:
it is recorded on the finding and as a data-check visit (走访记录, 数据比对) of the household.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...documents.crosscheck_list import ListRow, read_agency_list
from ...domain import clock
from ...domain.archive_form import DISABILITY_GRADES as ARCHIVE_FORM_GRADES
from ...domain.casework import CROSSCHECK_SOURCES, FINDING_DECISIONS, FINDING_KINDS, source_code
from ...domain.crosscheck_rules import Finding, Person, Says, dibao_finding, person_findings
from ...storage.models import (
    CrossCheckEntry, CrossCheckFinding, CrossCheckList, FamilyMember, Household, Visit,
)
from ..admin.org import require_whole_office, visible_unit_ids
from ..archive.store import load_household
from ..archive.visits import refresh_last_visit
from ..context import AppContext
from ..errors import Cancelled, FieldProblem, ValidationFailed
from ..payout.common import get_or_404
from .types import CrossCheckListView, CrossCheckProblem, CrossCheckResult, FindingView

IMPORT = "crosscheck.import"
DECIDE = "crosscheck.decide"
READ = "archive.read"
COMPARED_STATUSES = ("active", "phasing_out")  # households in the archive


def _source(text: str) -> str:
    code = source_code(text)
    if code is None:
        raise ValidationFailed([FieldProblem("source", "名单来源", "应为：" + "、".join(CROSSCHECK_SOURCES.values()))])
    return code


def import_crosscheck(ctx: AppContext, path: str | os.PathLike, source: str, list_date: date | None = None, *,
                      progress: Callable[[int, int], None] | None = None,
                      cancel: Callable[[], bool] | None = None) -> CrossCheckResult:
    """Check the list, then keep it and compare it with the archive in one transaction.
    ``ok=False`` with the problems (row, column, value, reason) when anything is wrong."""
    ctx.require(IMPORT)
    require_whole_office(ctx.actor, "部门比对名单")
    code = _source(source)
    list_date = list_date or clock.today()
    if list_date > clock.today():
        raise ValidationFailed([FieldProblem("list_date", "名单日期", "不能晚于今天")])
    path = Path(path)
    agency = read_agency_list(path, dibao_list=code == "civil_affairs")
    label = CROSSCHECK_SOURCES[code]
    if agency.problems:
        return CrossCheckResult(False, label, list_date, agency.sha256, len(agency.rows), False, 0,
                                problems=tuple(CrossCheckProblem(p.row, p.column, p.value, p.reason)
                                               for p in agency.problems))
    with ctx.tx(IMPORT) as tx:
        s = tx.session
        old = s.execute(select(CrossCheckList).where(
            CrossCheckList.source == code,
            (CrossCheckList.list_date == list_date) | (CrossCheckList.sha256 == agency.sha256))
            .order_by(CrossCheckList.id)).scalars().all()
        replaced = bool(old)
        kept = old[0] if old else None
        for extra in old[1:]:  # the same file was kept under another date: one list now
            s.execute(delete(CrossCheckFinding).where(CrossCheckFinding.list_id == extra.id,
                                                      CrossCheckFinding.decision.is_(None)))
            s.execute(delete(CrossCheckEntry).where(CrossCheckEntry.list_id == extra.id))
            s.execute(CrossCheckFinding.__table__.update().where(CrossCheckFinding.list_id == extra.id)
                      .values(list_id=kept.id))
            s.delete(extra)
        s.flush()
        if kept is None:
            kept = CrossCheckList(source=code)
            s.add(kept)
        else:
            s.execute(delete(CrossCheckFinding).where(CrossCheckFinding.list_id == kept.id,
                                                      CrossCheckFinding.decision.is_(None)))
            s.execute(delete(CrossCheckEntry).where(CrossCheckEntry.list_id == kept.id))
        kept.list_date, kept.filename, kept.sha256, kept.rows = list_date, path.name, agency.sha256, len(agency.rows)
        kept.imported_at, kept.imported_by = clock.now(), (ctx.actor.display_name or ctx.actor.username)[:50]
        s.flush()
        for n, row in enumerate(agency.rows, 1):
            if cancel is not None and n % 200 == 0 and cancel():
                raise Cancelled()
            s.add(CrossCheckEntry(list_id=kept.id, row_number=row.row, id_number=row.id_number, name=row.name,
                                  dibao=row.dibao, vehicles=row.vehicles, properties=row.properties,
                                  deceased=row.deceased, deceased_on=row.deceased_on, employer=row.employer,
                                  monthly_income_fen=row.monthly_income_fen, disability_grade=row.disability_grade))
            if progress is not None and n % 200 == 0:
                progress(n, len(agency.rows) * 2)
        matched, added = _compare(s, kept, agency.rows, code)
        s.flush()
        tx.audit("import", "crosscheck_list", kept.id,
                 summary=f"导入{label}比对名单“{path.name}”（{list_date.isoformat()}）：{len(agency.rows)} 行，"
                         f"匹配档案人员 {matched} 人，发现 {len(added)} 条" + ("，替换此前导入的同一名单" if replaced else ""),
                 changes=[["文件", "", path.name], ["SHA-256", "", agency.sha256], ["行数", "", str(len(agency.rows))]])
        views = [_finding_view(s, f) for f in added]
        return CrossCheckResult(True, label, list_date, agency.sha256, len(agency.rows), replaced, matched,
                                tuple(views))


class _Held(NamedTuple):
    """A household as the comparison needs it (not an ORM object: a list may name thousands)."""

    id: int
    archive_scope: str | None


_HEAD_COLUMNS = (Household.id, Household.archive_scope, Household.id_number, Household.name,
                 Household.assistance_status, Household.exclusions, Household.disability_grade, Household.health,
                 Household.head_income_fen)
IN_CHUNK = 500


def _facts(assistance_status, exclusions) -> tuple[bool, bool | None, bool | None]:
    ex = exclusions or {}
    return assistance_status == "dibao", ex.get("vehicle"), ex.get("multiple_homes")


def _head(row) -> tuple[_Held, Person]:
    hid, scope, id_number, name, assistance, exclusions, grade, health, income = row
    disability = " ".join(x for x in (ARCHIVE_FORM_GRADES.get(grade or ""), health) if x)
    return _Held(hid, scope), Person(id_number, name, True, income or 0, disability, *_facts(assistance, exclusions))


def _people(s: Session, id_numbers: list[str]) -> dict[str, list[tuple[_Held, Person]]]:
    """The heads and members of the households in the archive holding these ID numbers, by ID
    number — in a city's database one number may be on file in several counties, each household
    is compared. Read 500 numbers at a time: only the list's people, not the whole archive
    (100,000 households as ORM objects took over a gigabyte)."""
    people: dict[str, list[tuple[_Held, Person]]] = {}
    wanted = sorted(set(id_numbers))
    compared = Household.status.in_(COMPARED_STATUSES)
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start:start + IN_CHUNK]
        for row in s.execute(select(*_HEAD_COLUMNS).where(compared, Household.id_number.in_(chunk))
                             .order_by(Household.id)):
            held, person = _head(row)
            people.setdefault(person.id_number, []).append((held, person))
        members = (select(FamilyMember.id_number, FamilyMember.name, FamilyMember.monthly_income_fen,
                          FamilyMember.disability, Household.id, Household.archive_scope,
                          Household.assistance_status, Household.exclusions)
                   .join(Household, Household.id == FamilyMember.household_id)
                   .where(compared, FamilyMember.id_number.in_(chunk)).order_by(FamilyMember.id))
        for id_number, name, income, disability, hid, scope, assistance, exclusions in s.execute(members):
            entries = people.setdefault(id_number, [])
            if not any(other.archive_scope == scope for other, _ in entries):  # a head's entry first
                entries.append((_Held(hid, scope), Person(id_number, name, False, income or 0, disability or "",
                                                          *_facts(assistance, exclusions))))
    return people


def _dibao_households(s: Session) -> Iterator[tuple[_Held, Person, list[str]]]:
    """Each household of the archive registered as a 低保户: its head and its people's ID numbers
    (500 households at a time)."""
    ids = list(s.execute(select(Household.id).where(Household.status.in_(COMPARED_STATUSES),
                                                    Household.assistance_status == "dibao")
                         .order_by(Household.id)).scalars())
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start:start + IN_CHUNK]
        numbers: dict[int, list[str]] = {}
        for hid, number in s.execute(select(FamilyMember.household_id, FamilyMember.id_number)
                                     .where(FamilyMember.household_id.in_(chunk),
                                            FamilyMember.id_number.is_not(None)).order_by(FamilyMember.id)):
            numbers.setdefault(hid, []).append(number)
        for row in s.execute(select(*_HEAD_COLUMNS).where(Household.id.in_(chunk)).order_by(Household.id)):
            held, head = _head(row)
            yield held, head, [head.id_number, *numbers.get(held.id, ())]


def _says(row: ListRow) -> Says:
    return Says(row.dibao, row.vehicles, row.properties, row.deceased, row.deceased_on, row.employer,
                row.monthly_income_fen, row.disability_grade)


def _compare(s: Session, lst: CrossCheckList, rows: list[ListRow], code: str) -> tuple[int, list[CrossCheckFinding]]:
    people = _people(s, [row.id_number for row in rows])
    decided = set(s.execute(select(CrossCheckFinding.household_id, CrossCheckFinding.id_number,
                                   CrossCheckFinding.kind, CrossCheckFinding.list_says)
                            .where(CrossCheckFinding.decision.is_not(None))).all())
    found: list[tuple[_Held, str, str, Finding]] = []
    matched = 0
    for row in rows:
        hits = people.get(row.id_number)
        if not hits:
            continue
        matched += 1
        for hh, person in hits:
            found += [(hh, person.id_number, person.name, f) for f in person_findings(person, _says(row))]
    if code == "civil_affairs" and any(r.dibao is not None for r in rows):
        on_list = {r.id_number: r.dibao for r in rows}
        for hh, head, ids in _dibao_households(s):
            f = dibao_finding(on_list, ids)
            if f is not None:
                found.append((hh, head.id_number, head.name, f))
    added = []
    now = clock.now()
    for hh, id_number, name, f in found:
        if (hh.id, id_number, f.kind, f.list_says) in decided:
            continue
        row = CrossCheckFinding(list_id=lst.id, household_id=hh.id, id_number=id_number, name=name, kind=f.kind,
                                list_says=f.list_says, archive_says=f.archive_says, created_at=now)
        s.add(row)
        added.append(row)
    s.flush()
    return matched, added


def _finding_view(s: Session, f: CrossCheckFinding) -> FindingView:
    lst = s.get(CrossCheckList, f.list_id)
    hh = s.get(Household, f.household_id)
    return FindingView(f.id, f.list_id, CROSSCHECK_SOURCES.get(lst.source, lst.source), lst.list_date, hh.id,
                       hh.archive_no, hh.name, hh.unit_id, f.id_number, f.name, f.kind,
                       FINDING_KINDS.get(f.kind, f.kind), f.list_says, f.archive_says, f.decision, f.decision_note,
                       f.decided_on, f.decided_by)


def list_findings(ctx: AppContext, *, household_id: int | None = None, open_only: bool = False,
                  list_id: int | None = None) -> list[FindingView]:
    """The findings of the user's unions (one household's, one list's), open ones first."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        q = (select(CrossCheckFinding).join(Household, Household.id == CrossCheckFinding.household_id)
             .order_by(CrossCheckFinding.decision.is_not(None), Household.archive_no, CrossCheckFinding.id))
        allowed = visible_unit_ids(s, ctx.actor)
        if allowed is not None:
            q = q.where(Household.unit_id.in_(allowed))
        if household_id is not None:
            load_household(s, ctx.actor, household_id)
            q = q.where(CrossCheckFinding.household_id == household_id)
        if open_only:
            q = q.where(CrossCheckFinding.decision.is_(None))
        if list_id is not None:
            q = q.where(CrossCheckFinding.list_id == list_id)
        return [_finding_view(s, f) for f in s.execute(q).scalars()]


def list_crosscheck_lists(ctx: AppContext) -> list[CrossCheckListView]:
    """The lists kept, newest first, with their open findings within the user's unions."""
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        allowed = visible_unit_ids(s, ctx.actor)
        out = []
        for lst in s.execute(select(CrossCheckList).order_by(CrossCheckList.list_date.desc(),
                                                             CrossCheckList.id.desc())).scalars():
            q = (select(CrossCheckFinding.id).join(Household, Household.id == CrossCheckFinding.household_id)
                 .where(CrossCheckFinding.list_id == lst.id, CrossCheckFinding.decision.is_(None)))
            if allowed is not None:
                q = q.where(Household.unit_id.in_(allowed))
            out.append(CrossCheckListView(lst.id, CROSSCHECK_SOURCES.get(lst.source, lst.source), lst.list_date,
                                          lst.filename, lst.sha256, lst.rows,
                                          clock.local_date(lst.imported_at).isoformat(), lst.imported_by,
                                          len(s.execute(q).all())))
        return out


def decide_finding(ctx: AppContext, finding_id: int, decision: str, note: str,
                   decided_on: date | None = None) -> FindingView:
    """The clerk's decision on a finding (属实 / 不属实), with a note; recorded on the finding and
    as a data-check visit of the household. The archive itself is edited by hand, if at all."""
    note = (note or "").strip()
    decided_on = decided_on or clock.today()
    problems = []
    if decision not in FINDING_DECISIONS:
        problems.append(FieldProblem("decision", "处理结论", "请选择：" + "、".join(FINDING_DECISIONS.values())))
    if not note:
        problems.append(FieldProblem("note", "核实情况", "请写明如何核实、如何处理"))
    if decided_on > clock.today():
        problems.append(FieldProblem("decided_on", "核实日期", "不能晚于今天"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(DECIDE) as tx:
        s = tx.session
        f = get_or_404(s, CrossCheckFinding, finding_id, "比对结果")
        hh = load_household(s, ctx.actor, f.household_id)
        if f.decision is not None:
            raise ValidationFailed([FieldProblem("decision", "处理结论",
                                                 f"这条比对结果已于 {f.decided_on.isoformat()} 处理（{f.decided_by}）")])
        lst = s.get(CrossCheckList, f.list_id)
        source = CROSSCHECK_SOURCES.get(lst.source, lst.source)
        who = ctx.actor.display_name or ctx.actor.username
        visit = Visit(household_id=hh.id, visit_date=decided_on, method="data_check", visitor=who[:50],
                      findings=f"{source}名单（{lst.list_date.isoformat()}）：{f.name} {FINDING_KINDS.get(f.kind, f.kind)}；"
                               f"名单：{f.list_says}；档案：{f.archive_says}",
                      outcome=f"{FINDING_DECISIONS[decision]}：{note}", created_at=clock.now())
        hh.visits.append(visit)
        refresh_last_visit(s, hh)
        s.flush()
        f.decision, f.decision_note, f.decided_on, f.decided_by, f.visit_id = decision, note, decided_on, who, visit.id
        s.flush()
        tx.audit("update", "crosscheck_finding", f.id, household_id=hh.id,
                 summary=f"处理{source}比对结果：{f.name} {FINDING_KINDS.get(f.kind, f.kind)} — {FINDING_DECISIONS[decision]}",
                 changes=[["处理结论", "", FINDING_DECISIONS[decision]], ["核实情况", "", note]])
        return _finding_view(s, f)
