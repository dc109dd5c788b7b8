"""Import households from a clerk's .xlsx ledger: validate the whole file, then all or nothing.

Imported households are archived as they stand in the office's ledger (status active,
archived on 建档日期 when given). What the import cannot verify — no visit on record,
the exclusion checklist not filled — is listed as follow-up work, not a reason to refuse.
Union names not in the tree become grassroots unions under the district union.
"""
from __future__ import annotations

import itertools
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...documents.error_report import Problem, write_error_report
from ...documents.household_ledger import (
    FORM_COLUMNS, HOUSEHOLD_HEADERS, MEMBER_HEADERS, LedgerHousehold, LedgerMember, LedgerStream,
)
from ...domain.household import OTHER_CAUSE_PREFIX
from ...domain.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from ...domain.search_grams import short_grams
from ...storage.models import FamilyMember, Household, OrgUnit
from .. import row_seals
from ..admin import org
from .fields import HOUSEHOLD_LABELS
from .store import ArchiveNumbers, apply_input, member_row
from .types import HouseholdInput, MemberInput
from .validation import clean_input, field_problems, id_owners, owner_message, padded
from ..context import AppContext
from ..errors import Cancelled, ServiceError
from ..admin.settings import read_settings
from ..admin.visit_intervals import visit_intervals

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
CHUNK = 1000  # households checked (and written) at a time
FOLLOW_UP_EXAMPLES = 50  # follow-up items kept as text; the rest are only counted

# HouseholdInput / MemberInput field -> ledger field (for placing a problem in its column)
_HOUSEHOLD_COLUMN = {"name": "name", "id_number": "id_number", "unit_id": "union", "category": "category",
                     "phone": "phone", "address": "address", "employer": "employer", "causes": "causes",
                     "household_size": "household_size", "other_income_fen": "monthly_income",
                     "head_income_fen": "monthly_income", "assistance_status": "assistance_status",
                     "bank_name": "bank_name", "bank_account": "bank_account", "remarks": "remarks",
                     **{f: f for f in FORM_COLUMNS}}
_MEMBER_COLUMN = {"monthly_income_fen": "monthly_income"}


class ImportRejected(ServiceError):
    """The file has problems; nothing was imported. `problems` lists each one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"文件中有 {len(problems)} 处问题，未导入任何数据")


class UnknownUnits(ServiceError):
    """The file names unions the database does not have; nothing was imported.  They are
    created (grassroots unions under the district union) only when the user confirms."""

    def __init__(self, units: list[str]):
        self.units = list(units)
        super().__init__(f"台账中有 {len(units)} 个系统中没有的工会：{'、'.join(units)}。"
                         "确认要新建为区总工会下的基层工会后再导入（未导入任何数据）")


@dataclass
class FollowUpSummary:
    """The work to do after the import, one item a household: how many, and the first
    FOLLOW_UP_EXAMPLES of them as text (a list of every item grew by ≈180 bytes a household)."""
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, who: str, data: HouseholdInput) -> None:
        self.count += 1
        if len(self.examples) < FOLLOW_UP_EXAMPLES:
            self.examples.append(_follow_up(who, data))

    @property
    def more(self) -> int:
        """How many items are counted but not among the examples."""
        return self.count - len(self.examples)


@dataclass(frozen=True)
class ImportCheck:
    problems: list[Problem]
    households: int
    members: int
    new_units: list[str]
    follow_up: FollowUpSummary
    warnings: list[str] = field(default_factory=list)  # sheets read under another name, or not read

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportResult:
    households: int
    members: int
    new_units: list[str]
    follow_up: FollowUpSummary
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Row:
    source: LedgerHousehold
    data: HouseholdInput
    members: list[LedgerMember] = field(default_factory=list)


@dataclass
class _Plan:
    problems: list[Problem]
    new_units: list[str]
    skipped_examples: int = 0
    households: int = 0
    members: int = 0
    follow_up: FollowUpSummary = field(default_factory=FollowUpSummary)  # what `check_import` lists when the file is fine


class _Ticker:
    def __init__(self, progress: ProgressFn | None, cancelled: CancelFn | None):
        self.progress, self.cancelled, self.done, self.total = progress, cancelled, 0, 0

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()

    def step(self) -> None:
        self.done += 1
        if self.done % 50 == 0:
            self.check()
            if self.progress:
                self.progress(min(self.done, self.total), self.total)


def _col(item, ledger_field: str) -> str:
    """The column's header in the file, or the template's header when the file lacks it."""
    headers = MEMBER_HEADERS if isinstance(item, LedgerMember) else HOUSEHOLD_HEADERS
    return item.columns.get(ledger_field) or headers.get(ledger_field, ("",))[0] or ledger_field


def _problem(item, ledger_field: str, reason: str) -> Problem:
    return Problem(item.sheet, item.row, _col(item, ledger_field), item.raw.get(ledger_field), reason)


class _Units:
    """Union name -> unit id, as the rows name them (None: to be created as a grassroots union
    under the district union, listed in `new_units`); a name the user may not use is a problem
    of each row naming it."""

    def __init__(self, s: Session, actor):
        self.by_name: dict[str, list[OrgUnit]] = {}
        for unit in s.execute(select(OrgUnit)).scalars():
            self.by_name.setdefault(unit.name, []).append(unit)
        self.allowed = org.visible_unit_ids(s, actor)
        self.resolved: dict[str, int | None] = {}
        self.reasons: dict[str, str | None] = {}
        self.new_units: list[str] = []

    def check(self, item: LedgerHousehold, problems: list[Problem]) -> None:
        name = item.union
        if not name:
            return
        if name not in self.reasons:
            self.reasons[name] = _unit_reason(name, self.by_name, self.allowed)
            if self.reasons[name] is None:
                if name in self.by_name:
                    self.resolved[name] = self.by_name[name][0].id
                else:
                    self.resolved[name] = None
                    self.new_units.append(name)
        if self.reasons[name]:
            problems.append(_problem(item, "union", self.reasons[name]))


def _unit_reason(name: str, by_name: dict, allowed) -> str | None:
    units = by_name.get(name, [])
    if len(units) > 1:
        return f"有 {len(units)} 个名为“{name}”的工会，无法确定是哪一个，请在工会设置中改名区分"
    if units:
        unit = units[0]
        if unit.level == "district":
            return "档案应归属基层工会或镇街/系统工会，不能直接归属区总工会"
        if not unit.active:
            return f"“{name}”已停用"
        if allowed is not None and unit.id not in allowed:
            return f"“{name}”不在当前用户的管辖范围内"
        return None
    if allowed is not None:
        return f"系统中没有“{name}”，当前用户只能管理本级工会，不能新建工会"
    return None


def _causes(raw: list[str], office: tuple[str, ...]) -> list[str]:
    out = []
    for cause in raw:
        if cause in office or cause.startswith(OTHER_CAUSE_PREFIX) or cause.startswith("其他:"):
            out.append(cause)
        else:
            out.append(f"{OTHER_CAUSE_PREFIX}{cause}")
    return out


def _member_input(m: LedgerMember) -> MemberInput:
    return MemberInput(name=m.name or "", relation=m.relation or "", id_number=m.id_number, health=m.health,
                       disability=m.disability, schooling=m.schooling or "none", job_or_school=m.job_or_school,
                       monthly_income_fen=m.monthly_income_fen or 0)


def _household_input(item: LedgerHousehold, members: list[LedgerMember], unit_id, office_causes) -> HouseholdInput:
    listed = [_member_input(m) for m in members]
    member_income = sum(m.monthly_income_fen for m in listed)
    total = item.monthly_income_fen
    return HouseholdInput(
        name=item.name or "", id_number=item.id_number or "", unit_id=unit_id,
        category=item.category or "", phone=item.phone, address=item.address, employer=item.employer,
        union_member=True if item.union_member is None else item.union_member,
        causes=_causes(item.causes, office_causes),
        household_size=item.household_size if item.household_size is not None else 1 + len(listed),
        # 家庭月收入 is the household's total; what the listed members earn is inside it.
        head_income_fen=0, other_income_fen=max(0, (total or 0) - member_income),
        assistance_status=item.assistance_status or "none", bank_name=item.bank_name,
        bank_account=item.bank_account, account_kind=_account_kind(item),
        remarks=item.remarks, members=listed,
        **{f: getattr(item, f) for f in FORM_COLUMNS if f != "zero_employment"},
        zero_employment=bool(item.zero_employment),
    )


def _account_kind(item: LedgerHousehold) -> str | None:
    if not item.bank_account:
        return None
    return "social_security" if "社保" in (item.columns.get("bank_account") or "") else "bank"


def _row_problems(row: _Row, office_causes, today: date) -> list[Problem]:
    item, data = row.source, row.data
    out: list[Problem] = []
    for p in field_problems(data, office_causes):
        if p.field.startswith("members["):
            index = int(p.field[len("members["):p.field.index("]")])
            member = row.members[index]
            fld = p.field.split(".", 1)[1] if "." in p.field else "name"
            out.append(_problem(member, _MEMBER_COLUMN.get(fld, fld), p.message))
        elif p.field == "unit_id":
            continue  # reported by _resolve_units
        else:
            label = _HOUSEHOLD_COLUMN.get(p.field)
            out.append(_problem(item, label or p.field, p.message) if label else
                       Problem(item.sheet, item.row, HOUSEHOLD_LABELS.get(p.field, p.field), None, p.message))
    if not item.union:
        out.append(_problem(item, "union", "不能为空"))
    if item.sex and data.id_number:
        try:
            info = parse_id_number(data.id_number)
        except InvalidIdNumber:
            pass
        else:
            if info.sex != item.sex:
                shown = "男" if info.sex == "M" else "女"
                out.append(_problem(item, "sex", f"与身份证号不符（按身份证号第17位应为“{shown}”）"))
    if item.monthly_income_fen is not None and item.monthly_income_fen < sum(m.monthly_income_fen for m in row.members):
        out.append(_problem(item, "monthly_income", "小于家庭成员表中成员月收入之和（家庭月收入应为全家合计）"))
    if item.archived_on and item.archived_on > today:
        out.append(_problem(item, "archived_on", "不能晚于今天"))
    return out


def _duplicates(rows: list[_Row], scratch: "_Scratch") -> list[Problem]:
    """The same ID number twice in the file (as head or member); `scratch` keeps where each number
    was first seen (sheet, row, role: the file is checked a chunk at a time)."""
    entries = []
    for row in rows:
        entries.append((row.source, "id_number", row.data.id_number, "户主"))
        entries += [(m, "id_number", m.id_number, "家庭成员") for m in row.members if m.id_number]
    seen = scratch.first_seen({number for _, _, number, _ in entries if number})
    out, new = [], []
    for item, fld, number, role in entries:
        if not number:
            continue
        if number in seen:
            sheet, row_number, other_role = seen[number]
            out.append(_problem(item, fld, f"与“{sheet}”第 {row_number} 行（{other_role}）的身份证号重复"))
        else:
            seen[number] = (item.sheet, item.row, role)
            new.append((number, item.sheet, item.row, role))
    scratch.seen(new)
    return out


class _Sink:
    """Where the checked rows go, a chunk at a time, while the file shows no problem: nowhere
    for `check_import`; the database (in the import's one transaction) for `import_households`."""

    create_units = False

    def begin(self) -> bool:
        """Whether to go on to `take` the rows (False: nothing will be written)."""
        return False

    def take(self, rows: list[_Row]) -> None:
        pass


def _prepare(s: Session, actor, path, stream: LedgerStream, ticker: _Ticker, sink: _Sink | None = None) -> _Plan:
    """Check the whole file as it streams, CHUNK households at a time; each chunk goes to `sink`
    as long as no problem has been found (once one is, the rest is only checked, and the caller
    writes nothing: `import_households` raises inside its transaction, which rolls back what the
    sink wrote). Members are read first and wait, by their head's ID number, for their household
    (on disk, `_Scratch`)."""
    sink = sink or _Sink()
    office_causes = read_settings(s).hardship_causes
    today = clock.today()
    with _Scratch() as scratch:
        scratch.add_members(stream.members())
        return _check_households(s, actor, path, stream, ticker, sink, scratch, office_causes, today)


def _check_households(s: Session, actor, path, stream: LedgerStream, ticker: _Ticker, sink: _Sink,
                      scratch: "_Scratch", office_causes, today: date) -> _Plan:
    problems: list[Problem] = []
    units = _Units(s, actor)
    ticker.total = stream.estimated_households()
    writing = sink.begin()
    plan = _Plan([], [], 0)
    households = stream.households()
    while True:
        rows: list[_Row] = []
        items = list(itertools.islice(households, CHUNK))
        families = scratch.take({item.id_number for item in items if item.id_number})
        for item in items:
            ticker.step()
            units.check(item, problems)
            # a second household of that head is a duplicate: its head's members went to the first
            members = families.pop(item.id_number, []) if item.id_number else []
            row = _Row(item, clean_input(_household_input(item, members, units.resolved.get(item.union or ""),
                                                          office_causes)), members)
            rows.append(row)
            problems.extend(_row_problems(row, office_causes, today))
        if not rows:
            break
        problems.extend(_duplicates(rows, scratch))
        numbers = [r.data.id_number for r in rows] + [m.id_number for r in rows for m in r.data.members]
        owners = id_owners(s, numbers)
        for number in scratch.written(owners):  # on file because this import wrote it
            del owners[number]
        for row in rows:
            if row.data.id_number in owners:
                problems.append(_problem(row.source, "id_number", owner_message(owners[row.data.id_number])))
            for source, m in zip(row.members, row.data.members):
                if m.id_number in owners:
                    problems.append(_problem(source, "id_number", owner_message(owners[m.id_number])))
        plan.households += len(rows)
        plan.members += sum(len(r.data.members) for r in rows)
        writing = writing and not problems and not stream.problems and (sink.create_units or not units.new_units)
        if writing:
            sink.take(rows)
            scratch.wrote(n for n in numbers if n)
        elif not problems and not stream.problems:
            for r in rows:
                plan.follow_up.add(f"{r.data.name}（{r.source.sheet} 第 {r.source.row} 行）", r.data)
    for m in scratch.left():  # members whose head is not in the file
        head_id = m.head_id_number
        reason = "不能为空" if not head_id else f"档案表中没有身份证号为 {mask_id_number(head_id)} 的户主"
        problems.append(_problem(m, "head_id_number", reason))
    if not plan.households and not problems and not stream.problems:
        problems.append(Problem(Path(path).name, None, None, None, "文件中没有可导入的家庭（档案表是空的）"))
    plan.new_units, plan.skipped_examples = units.new_units, stream.skipped_examples
    plan.problems = _without_echoes(problems, stream.problems)
    plan.problems.sort(key=lambda p: (p.sheet, p.row or 0))
    if plan.problems:
        plan.follow_up = FollowUpSummary()
    return plan


class _Scratch:
    """What the import keeps for the whole file, in a private temporary SQLite file (deleted when
    closed) rather than in memory, so that memory holds one chunk whatever the file's size: the
    member rows waiting for their household (a file's members are not bounded by the chunk; at
    50,000 households about 120,000 parsed rows, ≈130 MB) and every ID number seen and written
    (≈170,000, ≈40 MB). `take` hands each head's members (in file order) to the first household
    naming that head, once; `left` gives those no household took."""

    _FIELDS = tuple(f.name for f in fields(LedgerMember) if f.name not in ("sheet", "columns"))

    def __enter__(self) -> "_Scratch":
        self.con = sqlite3.connect("")  # "": a temporary file of this connection's own
        self.con.executescript("""
            PRAGMA cache_size = -2048;
            PRAGMA journal_mode = OFF;
            CREATE TABLE waiting (seq INTEGER PRIMARY KEY, head TEXT NOT NULL, sheet INTEGER, row BLOB);
            CREATE TABLE seen (number TEXT PRIMARY KEY, sheet TEXT, row INTEGER, role TEXT) WITHOUT ROWID;
            CREATE TABLE written (number TEXT PRIMARY KEY) WITHOUT ROWID;
        """)
        self.sheets: list[tuple[str, dict[str, str]]] = []  # (sheet, its columns) as the rows name them
        return self

    def __exit__(self, *_exc) -> None:
        self.con.close()

    def add_members(self, members: Iterable[LedgerMember]) -> None:
        fields_of = self._FIELDS
        while batch := list(itertools.islice(members, CHUNK)):
            self.con.executemany("INSERT INTO waiting (head, sheet, row) VALUES (?, ?, ?)", [
                (m.head_id_number or "", self._sheet(m),
                 pickle.dumps(tuple(getattr(m, f) for f in fields_of), pickle.HIGHEST_PROTOCOL)) for m in batch])
        self.con.execute("CREATE INDEX waiting_head ON waiting (head, seq)")

    def _sheet(self, m: LedgerMember) -> int:
        for index, (sheet, columns) in enumerate(self.sheets):
            if sheet == m.sheet and columns is m.columns:
                return index
        self.sheets.append((m.sheet, m.columns))
        return len(self.sheets) - 1

    def _member(self, sheet: int, row: bytes) -> LedgerMember:
        name, columns = self.sheets[sheet]
        return LedgerMember(name, columns=columns, **dict(zip(self._FIELDS, pickle.loads(row))))

    def take(self, heads: set[str]) -> dict[str, list[LedgerMember]]:
        out: dict[str, list[LedgerMember]] = {}
        taken = []
        for seq, head, sheet, row in self._select(
                "SELECT seq, head, sheet, row FROM waiting WHERE head IN ({marks}) ORDER BY seq", heads):
            out.setdefault(head, []).append(self._member(sheet, row))
            taken.append((seq,))
        self.con.executemany("DELETE FROM waiting WHERE seq = ?", taken)
        return out

    def left(self) -> Iterator[LedgerMember]:
        for sheet, row in self.con.execute("SELECT sheet, row FROM waiting ORDER BY seq"):
            yield self._member(sheet, row)

    def _select(self, sql: str, keys) -> Iterator[tuple]:
        keys = sorted(keys)
        for start in range(0, len(keys), 500):
            some = padded(keys[start:start + 500], 500)
            yield from self.con.execute(sql.format(marks=",".join("?" * len(some))), some)

    def first_seen(self, numbers) -> dict[str, tuple[str, int, str]]:
        """Where these numbers were first seen: (sheet, row, role)."""
        return {number: (sheet, row, role) for number, sheet, row, role in
                self._select("SELECT number, sheet, row, role FROM seen WHERE number IN ({marks})", numbers)}

    def seen(self, entries: list[tuple[str, str, int, str]]) -> None:
        self.con.executemany("INSERT INTO seen VALUES (?, ?, ?, ?)", entries)

    def wrote(self, numbers: Iterable[str]) -> None:
        self.con.executemany("INSERT OR IGNORE INTO written VALUES (?)", ((n,) for n in numbers))

    def written(self, numbers) -> list[str]:
        return [number for number, in self._select("SELECT number FROM written WHERE number IN ({marks})", numbers)]


def _without_echoes(problems: list[Problem], unreadable: list[Problem]) -> list[Problem]:
    """A cell whose value could not be read is also "empty" to the later checks; report
    only why it could not be read."""
    cells = {(p.sheet, p.row, p.column) for p in unreadable if p.row is not None}
    return list(unreadable) + [p for p in problems if (p.sheet, p.row, p.column) not in cells]


def _follow_up(who: str, data: HouseholdInput) -> str:
    return f"{who}：尚无走访记录（先家访、后建档，请尽快走访核查）；排除条件核查表未填写"


def check_import(ctx: AppContext, path, progress: ProgressFn | None = None,
                 cancelled: CancelFn | None = None) -> ImportCheck:
    """Validate the whole file without importing anything."""
    ctx.require("archive.import")
    ticker = _Ticker(progress, cancelled)
    with LedgerStream(path, on_row=ticker.check) as stream, ctx.tx("archive.import", read_only=True) as tx:
        plan = _prepare(tx.session, ctx.actor, path, stream, ticker)
    return ImportCheck(plan.problems, plan.households, plan.members, plan.new_units, plan.follow_up,
                       list(stream.warnings))


def import_households(ctx: AppContext, path, progress: ProgressFn | None = None,
                      cancelled: CancelFn | None = None, *, create_units: bool = False) -> ImportResult:
    """Import every household of the file in one transaction, or nothing (ImportRejected).

    Unions the database does not have are created only with ``create_units`` (the user
    confirmed the list that check_import gave); otherwise UnknownUnits names them."""
    ctx.require("archive.import")
    ticker = _Ticker(progress, cancelled)
    with LedgerStream(path, on_row=ticker.check) as stream, ctx.tx("archive.import") as tx:
        s = tx.session
        sink = _Writer(s, tx, create_units, ticker)
        with s.no_autoflush:
            plan = _prepare(s, ctx.actor, path, stream, ticker, sink)
        if plan.problems:
            raise ImportRejected(plan.problems)  # rolls back whatever the sink wrote
        if plan.new_units and not create_units:
            raise UnknownUnits(plan.new_units)
        summary = f"从“{Path(path).name}”导入 {plan.households} 户档案、{plan.members} 名家庭成员"
        if plan.new_units:
            summary += f"，新建基层工会 {len(plan.new_units)} 个"
        tx.audit("import", "household", summary=summary, changes=[
            ["文件", "", Path(path).name], ["家庭数", "", str(plan.households)], ["家庭成员数", "", str(plan.members)],
            ["新建工会", "", "、".join(plan.new_units)]])
        ticker.check()
        if progress:
            progress(ticker.total, ticker.total)
        return ImportResult(plan.households, plan.members, plan.new_units, sink.follow_up, list(stream.warnings))


class _Writer(_Sink):
    """Inserts each checked chunk with two Core statements (households with their search keys,
    then their members): no ORM object per row, so memory holds one chunk whatever the file's
    size. The search index (FTS5) follows the inserted rows by its triggers; the household rows
    are sealed at commit like any other write."""

    def __init__(self, s: Session, tx, create_units: bool, ticker: _Ticker):
        self.s, self.tx, self.create_units, self.ticker = s, tx, create_units, ticker
        self.follow_up = FollowUpSummary()

    def begin(self) -> bool:
        s = self.s
        self.created: dict[str, int] = {}
        self.settings = read_settings(s)
        self.numbers_for = ArchiveNumbers(s, self.settings, set(s.execute(select(Household.archive_no)).scalars()))
        self.intervals = visit_intervals(s)
        self.today, self.now = clock.today(), clock.now()
        self.ticker.total *= 2  # checking, then writing
        return True

    def take(self, rows: list[_Row]) -> None:
        heads, families = [], []
        for row in rows:
            self.ticker.step()
            data = row.data
            if data.unit_id is None:  # a union the file names first (the user confirmed creating it)
                name = row.source.union
                if name not in self.created:
                    district = org.district_unit(self.s)
                    self.created[name] = org.add_unit_in(self.s, self.tx, name, "grassroots", district.id).id
                data.unit_id = self.created[name]
            on = row.source.archived_on or self.today
            hh = SimpleNamespace(status="active", archived_on=on, created_at=self.now, updated_at=self.now,
                                 version=1, last_visit_on=None,
                                 archive_no=self.numbers_for.next(on.year))
            apply_input(hh, data, self.intervals)
            hh.search_grams = short_grams(hh.search_text)  # what the ORM's before_insert event sets
            heads.append(vars(hh))
            families.append([vars(member_row(m, SimpleNamespace())) for m in data.members])
            self.follow_up.add(f"{hh.archive_no}（{hh.name}）", data)
        conn = self.s.connection()
        table = Household.__table__
        ids = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), heads).scalars().all()
        row_seals.touch(self.s, "households", ids)  # Core inserts: sealed explicitly
        members = [dict(m, household_id=hid) for hid, family in zip(ids, families) for m in family]
        if members:
            conn.execute(insert(FamilyMember.__table__), members)


def write_import_report(path, problems: list[Problem]) -> None:
    """The .xlsx error report: 工作表｜行号｜列｜原值｜问题."""
    write_error_report(path, problems)
