"""Demo data: a 增城-like office with a union tree, households, members and visits.

Everything here is invented (names, ID numbers, cards, phones); ID numbers are valid
GB 11643 numbers with Guangdong (4401xx) region codes so that every check passes.
Built for 100,000 households: rows go in with bulk INSERTs per chunk, one audit row per
chunk. Demo users share the password "demo1234" — demo databases only.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable

from sqlalchemy import func, insert, select

from ..domain import clock
from ..domain.search_grams import short_grams
from ..domain.household import CATEGORIES, EXCLUSIONS, next_visit_due, phase_out_end
from ..storage.database import Database
from ..storage.models import Counter, FamilyMember, Household, OrgUnit, Setting, User, Visit, YearStandard
from ..services import row_seals
from ..services.admin import org
from ..services.session import setup
from ..services.archive.store import counter_name, format_archive_no
from ..services.context import SYSTEM, AppContext
from .account import DEMO_PASSWORD
from .archive_form import form_fields
from .people import Person, PersonMaker
from ..services.admin.settings import DEMO_MARKER, read_settings  # DEMO_MARKER: this office was made by the demo
from ..services.admin.visit_intervals import visit_intervals

DEMO_OFFICE = "增城区总工会"
# Login names and the people behind them: lists and paper show the person (经办人 陈晓).
# One reviewer per level below the head: a person decides one level of a request.
DEMO_USERS = (("admin", "王建国", ["admin"]), ("clerk", "陈晓", ["clerk"]),
              ("reviewer", "黄伟", ["reviewer"]), ("reviewer2", "林小红", ["reviewer"]),
              ("head", "钟国强", ["head"]), ("auditor", "刘芳", ["auditor"]))
CHUNK = 2000

STREETS = ("荔城街", "增江街", "朱村街", "永宁街", "新塘镇", "石滩镇", "中新镇", "派潭镇", "仙村镇",
           "小楼镇", "正果镇", "宁西街")
COMPANIES = ("华美服装有限公司", "宏达电子厂", "骏业牛仔制衣厂", "联发五金制品有限公司", "环卫站",
             "市场管理服务中心", "永兴建材有限公司", "新城物业管理有限公司", "丰达汽车配件有限公司",
             "卫生院", "荔枝专业合作社", "恒昌纸品厂", "顺通物流有限公司", "金晖酒店", "中心小学")
SECTOR = ("区教育系统工会", ("荔城中学", "增城中学", "新塘中学", "实验小学"))

# Guangzhou 低保 per person per month (demo figures), low-income line = 1.5 × 低保.
DEMO_STANDARDS = {2023: 112_000, 2024: 116_600, 2025: 120_000, 2026: 124_000}


def is_demo_database(db: Database) -> bool:
    """True when the demo made this database's office (a real 增城区总工会 has the same name)."""
    with db.session() as s:
        row = s.get(Setting, DEMO_MARKER)
        return bool(row is not None and row.value)


@dataclass(frozen=True)
class DemoSummary:
    households: int
    members: int
    visits: int
    units: int
    users: list[str]
    year: object = None  # year_summary.YearSummary: requests, reviews, notices, batches (first run only)


def _tree(db: Database, rnd: random.Random) -> list[tuple[int, str]]:
    """Make sure the union tree exists; return the (unit id, unit name) households go to."""
    ctx = AppContext(db, SYSTEM)
    with ctx.tx(None) as tx:
        s = tx.session
        district = org.district_unit(s)
        existing = {(u.parent_id, u.name): u.id for u in s.execute(select(OrgUnit)).scalars()}

        def ensure(name: str, level: str, parent_id: int) -> int:
            if (parent_id, name) not in existing:
                existing[(parent_id, name)] = org.add_unit_in(s, tx, name, level, parent_id).id
            return existing[(parent_id, name)]

        targets = []
        for street in STREETS:
            sid = ensure(f"{street}总工会", "street", district.id)
            place = street[:-1]
            for company in rnd.sample(COMPANIES, 5):
                name = f"{place}{company}工会"
                targets.append((ensure(name, "grassroots", sid), name))
        sector_id = ensure(SECTOR[0], "street", district.id)
        for school in SECTOR[1]:
            name = f"增城区{school}工会"
            targets.append((ensure(name, "grassroots", sector_id), name))
        for year, dibao in DEMO_STANDARDS.items():
            if s.get(YearStandard, year) is None:
                s.add(YearStandard(year=year, dibao_fen=dibao, low_income_fen=dibao * 3 // 2))
        return targets


def _users(db: Database) -> list[str]:
    from ..services.admin import users

    if not hasattr(users, "new_user"):
        return []
    ctx = AppContext(db, SYSTEM)
    made = []
    with ctx.tx(None) as tx:
        if tx.session.execute(select(func.count()).select_from(User)).scalar_one():
            return []
        for username, display, roles in DEMO_USERS:
            users.new_user(tx.session, username, display, DEMO_PASSWORD, roles)
            made.append(username)
        tx.audit("create", "user", summary=f"创建演示用户：{'、'.join(made)}（演示密码，仅供体验）")
    return made


def _status(rnd: random.Random) -> str:
    x = rnd.random()
    return "draft" if x < 0.03 else "phasing_out" if x < 0.11 else "exited" if x < 0.18 else "active"


def _household_rows(rnd: random.Random, maker: PersonMaker, n: int, targets, settings, taken: set[str],
                    counters: dict[int, int], today: date, intervals: dict[str, int]):
    """Rows for one chunk: (household dicts, members per household, visits per household)."""
    categories = list(CATEGORIES)
    causes_pool = [c for c in settings.hardship_causes if c != "其他"] or ["因病"]
    households, members, visits = [], [], []
    now = clock.now()
    for _ in range(n):
        head = maker.adult(today)
        category = rnd.choices(categories, weights=(34, 50, 16))[0]
        status = _status(rnd)
        archived = today - timedelta(days=rnd.randint(40, 7 * 365))
        year = archived.year if status != "draft" else today.year
        archive_no = _next_no(settings, year, counters, taken)
        family = maker.family(head, today)
        size = 1 + len(family) + (1 if rnd.random() < 0.05 else 0)
        head_income = rnd.choice((0, 0, rnd.randint(800, 3200))) * 100
        dibao = DEMO_STANDARDS.get(today.year, 124_000)
        other_income = rnd.randint(0, dibao // 100) * 100 if rnd.random() < 0.3 else 0
        member_income = sum(p.income_fen for p in family)
        visit_dates = [] if status == "draft" and rnd.random() < 0.7 else _visit_dates(rnd, archived, category, today)
        last_visit = max(visit_dates) if visit_dates else None
        row = dict(
            archive_no=archive_no, status=status, category=category, unit_id=None, name=head.name,
            id_number=head.id_number, sex=head.sex, birth_date=head.birth_date, ethnicity="汉族",
            phone=maker.phone(), address=maker.address(), hukou_type=rnd.choice(("城镇", "农村")),
            hukou_region="广东省广州市增城区", employer=None, health=head.health, union_member=rnd.random() < 0.93,
            member_no=None, model_worker=rnd.random() < 0.02, single_parent=rnd.random() < 0.08,
            causes=rnd.sample(causes_pool, rnd.choice((1, 1, 2))), household_size=size,
            head_income_fen=head_income, other_income_fen=other_income,
            total_income_fen=head_income + other_income + member_income,
            assistance_status=rnd.choices(("none", "dibao", "low_income", "tekun"), weights=(55, 20, 22, 3))[0],
            bank_name=maker.bank_name(), account_kind=rnd.choice(("bank", "bank", "social_security")),
            bank_account=maker.card(), exclusions={} if status == "draft" else {c: False for c in EXCLUSIONS},
            exclusion_override=None, remarks=None, archived_on=None if status == "draft" else archived,
            exit_decided_on=None, phase_out_until=None, exited_on=None, exit_reason=None,
            last_visit_on=last_visit, next_visit_due=None, created_at=now, updated_at=now, version=1,
        )
        row.update(form_fields(head.id_number, category, status, row["single_parent"], row["archived_on"],
                               clerk=DEMO_USERS[1][1], reviewer=DEMO_USERS[2][1]))
        unit_id, unit_name = rnd.choice(targets)
        row["unit_id"], row["employer"] = unit_id, unit_name.removesuffix("工会")
        if status in ("phasing_out", "exited"):
            decided = today - timedelta(days=rnd.randint(10, 170 if status == "phasing_out" else 900))
            decided = max(decided, archived + timedelta(days=30))
            row.update(exit_decided_on=decided, phase_out_until=phase_out_end(decided),
                       exit_reason=rnd.choice(("家庭收入已超过低收入标准", "子女已就业，家庭收入好转", "困难情形已消除")))
            if status == "exited":
                if row["phase_out_until"] > today:
                    row.update(exit_decided_on=None, phase_out_until=None,
                               exit_reason=rnd.choice(("死亡", "迁出本区")))
                    row["exited_on"] = decided
                else:
                    row["exited_on"] = row["phase_out_until"]
        if status != "exited":
            row["next_visit_due"] = next_visit_due(category, last_visit, row["archived_on"] or today, intervals)
        row["search_text"] = maker.search_text(head.name, head.id_number, archive_no, row["phone"])
        row["search_grams"] = short_grams(row["search_text"])  # Core inserts: no ORM event sets it
        households.append(row)
        members.append(family)
        visits.append(visit_dates)
    return households, members, visits


def _next_no(settings, year: int, counters: dict[int, int], taken: set[str]) -> str:
    while True:
        counters[year] = counters.get(year, 0) + 1
        candidate = format_archive_no(settings, year, counters[year])
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _visit_dates(rnd: random.Random, archived: date, category: str, today: date) -> list[date]:
    first = archived - timedelta(days=rnd.randint(3, 25))  # 先家访、后建档
    dates, d = [first], first
    step = 365 if category == "deep" else 182
    while True:
        d = d + timedelta(days=step + rnd.randint(-20, 40))
        if d > today or rnd.random() < 0.04:
            break
        dates.append(d)
    return dates


def create_demo(db: Database, households: int = 300, seed: int = 1,
                progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Add `households` demo households (initialising the office and demo users if needed)."""
    rnd = random.Random(seed)
    if not setup.is_initialised(db):
        setup.initialise_office(db, DEMO_OFFICE, region="广州市增城区", archive_prefix="ZC", phone="020-82712345")
        with db.session() as s:
            s.add(Setting(key=DEMO_MARKER, value=True))
    targets = _tree(db, rnd)
    made_users = _users(db)
    today = clock.today()
    ctx = AppContext(db, SYSTEM)
    with ctx.tx(None) as tx:
        s = tx.session
        settings = read_settings(s)
        taken = set(s.execute(select(Household.archive_no)).scalars())
        used_ids = set(s.execute(select(Household.id_number)).scalars())
        used_ids |= set(n for n in s.execute(select(FamilyMember.id_number)).scalars() if n)
    maker = PersonMaker(rnd, used_ids)
    counters: dict[int, int] = {}
    done = n_members = n_visits = 0
    if progress:
        progress(0, households)
    while done < households:
        n = min(CHUNK, households - done)
        with ctx.tx(None) as tx:
            s = tx.session
            if not counters:
                counters = _load_counters(s, settings)
            rows, families, visit_lists = _household_rows(rnd, maker, n, targets, settings, taken, counters, today,
                                                          visit_intervals(s))
            conn = s.connection()  # Core executemany: no ORM bookkeeping for 100,000 rows
            ids = _insert_households(conn, rows)
            row_seals.touch(s, "households", ids)  # Core inserts: seal them explicitly
            member_rows = [_member_dict(hid, p) for hid, family in zip(ids, families) for p in family]
            visit_rows = [_visit_dict(rnd, hid, d, i) for hid, dates in zip(ids, visit_lists) for i, d in enumerate(dates)]
            if member_rows:
                conn.execute(insert(FamilyMember.__table__), member_rows)
            if visit_rows:
                conn.execute(insert(Visit.__table__), visit_rows)
            _save_counters(s, settings, counters)
            done += n
            n_members += len(member_rows)
            n_visits += len(visit_rows)
            tx.audit("create", "household", summary=f"生成演示数据：{n} 户（累计 {done}/{households}），"
                                                      f"家庭成员 {len(member_rows)} 人，走访 {len(visit_rows)} 次")
        if progress:
            progress(done, households)
    from .year import create_year  # a year of requests, reviews, notices and batches

    return DemoSummary(done, n_members, n_visits, len(targets), made_users, create_year(db, seed, today))


def _insert_households(conn, rows: list[dict]) -> list[int]:
    """Insert the rows with one plain executemany and return their ids in the rows' order, read
    back by archive number. INSERT … RETURNING in parameter order ran one statement per row on
    SQLite (a fifth of the household phase's CPU at 100,000)."""
    table = Household.__table__
    before = conn.execute(select(func.max(table.c.id))).scalar() or 0
    conn.execute(insert(table), rows)
    numbers = [row["archive_no"] for row in rows]
    found: dict[str, int] = {}
    for start in range(0, len(numbers), 500):
        found.update(conn.execute(select(table.c.archive_no, table.c.id).where(
            table.c.id > before, table.c.archive_no.in_(numbers[start:start + 500]))).all())
    return [found[n] for n in numbers]


def _load_counters(s, settings) -> dict[int, int]:
    out = {}
    for year in range(2000, clock.today().year + 1):
        row = s.get(Counter, counter_name(settings.archive_no_pattern, year))
        if row is not None:
            out[year] = row.value
    return out


def _save_counters(s, settings, counters: dict[int, int]) -> None:
    for year, value in counters.items():
        name = counter_name(settings.archive_no_pattern, year)
        row = s.get(Counter, name)
        if row is None:
            s.add(Counter(name=name, value=value))
        elif row.value < value:
            row.value = value


def _member_dict(household_id: int, p: Person) -> dict:
    return dict(household_id=household_id, name=p.name, id_number=p.id_number, relation=p.relation, sex=p.sex,
                birth_date=p.birth_date, health=p.health, disability=p.disability, schooling=p.schooling,
                job_or_school=p.job_or_school, monthly_income_fen=p.income_fen)


def _visit_dict(rnd: random.Random, household_id: int, d: date, index: int) -> dict:
    method = "home" if index == 0 else rnd.choice(("home", "home", "phone", "data_check"))
    findings = {"home": "入户查看住房及家庭收支情况，与申报一致", "phone": "电话了解近况，家庭情况无明显变化",
                "data_check": "经省居民家庭经济状况核对系统比对，未发现车辆、房产异常"}[method]
    return dict(household_id=household_id, visit_date=d, method=method,
                visitor=rnd.choice(("陈志强", "黄丽芳", "钟伟明", "梁秀英", "刘建华")), findings=findings,
                outcome="继续在档帮扶", created_at=_entered_at(household_id, d, index))


def _entered_at(household_id: int, visit_day: date, index: int) -> datetime:
    """When the visit was typed in: within a few days, now and then after more than 30 (seed 002:
    changes entered within 30 days — the reports list the late ones).  No draw on the demo's
    random stream, so the rest of the demo stays as it was."""
    delay = 40 if (household_id + index) % 37 == 0 else (household_id * 7 + index * 3) % 6
    return min(clock.now(), datetime.combine(visit_day + timedelta(days=delay), time(2), tzinfo=timezone.utc))

