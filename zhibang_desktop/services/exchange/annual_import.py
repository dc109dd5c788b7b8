"""City mode: a county's annual exchange file imported into the city union's database.

Each county becomes a union subtree under the city union, its rows marked with the county's
union code (``archive_scope``), so archive numbers, ID numbers and request numbers stay unique
per county while the same person may be archived in two counties (the cross-county check
lists them).  One file is one transaction: checked whole first (documents.exchange_reader),
then its unions, households with their members, requests and payments written; a file that
fails anything changes nothing.  Importing the same county and year again replaces that
year (its payments, the requests of the file, the households' details, its budget lines and
allocations — county_budgets.py) — it never doubles — and the new import record points back
from the old one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from ...documents.exchange_layout import HOUSEHOLDS, LAYOUT_VERSION, MEMBERS, PAYMENTS, REQUESTS, UNIONS
from ...documents.exchange_reader import ExchangeFile
from ...domain import clock
from ...domain.search_grams import short_grams
from ...storage.models import ExchangeImport, FamilyMember, Household, OrgUnit, Payment, ReliefRequest
from .. import row_seals
from ..admin.org import LEVELS, district_unit, require_whole_office
from ..admin.settings import is_city, is_city_of
from ..archive.store import search_text
from ..context import AppContext
from ..errors import Cancelled
from .annual_check import ExchangeFileRefused, read_checked
from .permissions import IMPORT
from .county_budgets import import_budgets
from .county_rows import (
    ACCOUNT_KINDS, ASSISTANCE_CODES, CATEGORY_CODES, SCHOOLING_CODES, SEX_CODES, STATUS_CODES, BadCells, Row,
    rows_of,
)

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
NOT_A_CITY = ("本数据库是区县单位的数据库，不能导入其他单位的年度上报文件。只有设为市总工会的数据库"
              "（zhibang init --office 某某市总工会 --city）汇总各区县的上报文件。")
STEPS = 6


@dataclass(frozen=True)
class ImportedFile:
    import_id: int
    name: str
    sha256: str
    county: str
    county_code: str
    unit_id: int  # the county's union in the city's tree
    year: int
    counts: dict[str, int]
    replaced_import_id: int | None  # the earlier import of the same county and year, now replaced


class NotACityDatabase(ExchangeFileRefused):
    """Importing into a county's own database."""


def _refuse(f: ExchangeFile, message: str) -> ExchangeFileRefused:
    return ExchangeFileRefused(f"“{f.name}”：{message}")


def _county_unit(s: Session, tx, city: OrgUnit, f: ExchangeFile) -> OrgUnit:
    """The county's union under the city: found by its union code, or a union the city made for
    it beforehand (same name, e.g. to allocate money to it), or new."""
    code = f.union_code
    if f.office == city.name:
        raise _refuse(f, "这是本单位自己的上报文件，不是区县的文件。")
    unit = s.execute(select(OrgUnit).where(OrgUnit.archive_scope == code, OrgUnit.parent_id == city.id)
                     ).scalar_one_or_none()
    if unit is not None:
        if unit.name != f.office:
            raise _refuse(f, f"单位代码“{code}”在本库中属于“{unit.name}”，而文件来自“{f.office}”；"
                             "请核实报送单位（两个区县不能使用同一个单位代码）。")
        return unit
    unit = s.execute(select(OrgUnit).where(OrgUnit.parent_id == city.id, OrgUnit.name == f.office)
                     ).scalars().first()
    if unit is not None:
        if unit.archive_scope not in ("", code):
            raise _refuse(f, f"“{f.office}”在本库中的单位代码是“{unit.archive_scope}”，文件写的是“{code}”。")
        if unit.level != "district":
            raise _refuse(f, f"本库中的“{f.office}”是{LEVELS[unit.level]}，不是区县总工会。")
        unit.archive_scope = code
        return unit
    order = s.execute(select(func.coalesce(func.max(OrgUnit.sort_order), 0)).where(OrgUnit.parent_id == city.id)
                      ).scalar_one()
    unit = OrgUnit(name=f.office, level="district", parent_id=city.id, active=True, sort_order=order + 1,
                   archive_scope=code)
    s.add(unit)
    s.flush()
    tx.audit("create", "org_unit", unit.id, summary=f"新增区县总工会：{unit.name}（单位代码 {code}，由年度上报文件导入）")
    return unit


def _unions(s: Session, county: OrgUnit, f: ExchangeFile, bad: BadCells) -> dict[int, int]:
    """The county's union tree under ``county``; returns the county's union number -> city's id."""
    rows = rows_of(UNIONS, f.sheets["unions"], bad)
    spec = {}
    for r in rows:
        uid, name, level = r.integer("工会编号", True), r.text("名称", True), r.text("级别", True)
        if level is not None and level not in LEVELS:
            bad.add(f"工作表“工会”第 {r.index + 2} 行“级别”", f"“{level}”不是工会层级")
        if uid is not None:
            spec[uid] = (name, level, r.integer("上级编号"), r.integer("排序") or 0)
    roots = [uid for uid, (_, _, parent, _) in spec.items() if parent is None]
    if bad.problems:
        raise _refuse(f, bad.text())
    if len(roots) != 1:
        raise _refuse(f, f"工作表“工会”应有且只有一个没有上级的区县总工会，实有 {len(roots)} 个。")
    existing = {u.source_unit_id: u for u in s.execute(
        select(OrgUnit).where(OrgUnit.archive_scope == county.archive_scope, OrgUnit.id != county.id)).scalars()}
    county.source_unit_id = roots[0]
    mapped = {roots[0]: county.id}
    todo = [uid for uid in spec if uid != roots[0]]
    while todo:
        ready = [uid for uid in todo if spec[uid][2] in mapped]
        if not ready:
            raise _refuse(f, "工作表“工会”中有工会的上级不在表中（编号 "
                             + "、".join(str(u) for u in sorted(todo)[:10]) + "）。")
        for uid in ready:
            name, level, parent, order = spec[uid]
            unit = existing.pop(uid, None)
            if unit is None:
                unit = OrgUnit(archive_scope=county.archive_scope, source_unit_id=uid)
                s.add(unit)
            unit.name, unit.level, unit.parent_id, unit.sort_order, unit.active = name, level, mapped[parent], order, True
            s.flush()
            mapped[uid] = unit.id
        todo = [uid for uid in todo if uid not in mapped]
    for gone in existing.values():  # no longer in the county's tree; kept for the years it held records
        gone.active = False
    return mapped


def _household_values(r: Row, scope: str, units: dict[int, int], now: datetime) -> dict:
    archive_no, name, id_number = r.text("档案编号", True), r.text("户主姓名", True), r.text("身份证号", True)
    unit = r.integer("工会编号", True)
    if unit is not None and unit not in units:
        r.bad.add(f"工作表“家庭”第 {r.index + 2} 行“工会编号”", f"{unit} 不在工作表“工会”中")
    causes = r.text("致困原因")
    keys = search_text(name or "", id_number or "", archive_no or "", None)
    return {
        "archive_scope": scope, "archive_no": archive_no, "unit_id": units.get(unit), "name": name,
        "id_number": id_number, "sex": r.code("性别", SEX_CODES), "birth_date": r.day("出生日期"),
        "status": r.code("状态", STATUS_CODES, "active"), "category": r.code("困难类别", CATEGORY_CODES, "relative"),
        "causes": causes.split("、") if causes else [], "household_size": r.integer("家庭人口") or 1,
        "total_income_fen": r.integer("家庭月收入（分）") or 0, "union_member": r.yes("是否会员"),
        "member_no": r.text("会员证号"), "employer": r.text("工作单位"),
        "assistance_status": r.code("帮扶状态", ASSISTANCE_CODES, "none"), "archived_on": r.day("建档日期"),
        "phase_out_until": r.day("渐退期截止"), "exited_on": r.day("退档日期"), "exit_reason": r.text("退档原因"),
        "last_visit_on": r.day("最近走访日期"), "next_visit_due": r.day("下次走访日期"),
        "account_kind": r.code("账户类型", ACCOUNT_KINDS), "bank_name": r.text("开户银行"),
        "bank_account": r.text("卡号（脱敏）"),
        "search_text": keys, "search_grams": short_grams(keys), "updated_at": now,
    }


def _households(s: Session, scope: str, f: ExchangeFile, units: dict[int, int], now: datetime,
                bad: BadCells) -> dict[str, int]:
    """Households upserted by archive number; their members replaced.  Returns archive_no -> id."""
    values = [_household_values(r, scope, units, now) for r in rows_of(HOUSEHOLDS, f.sheets["households"], bad)]
    members = rows_of(MEMBERS, f.sheets["members"], bad)
    if bad.problems:
        raise _refuse(f, bad.text())
    conn = s.connection()
    ids = dict(s.execute(select(Household.archive_no, Household.id).where(Household.archive_scope == scope)).all())
    old = [{f"v_{k}": x for k, x in v.items()} | {"hid": ids[v["archive_no"]]} for v in values if v["archive_no"] in ids]
    new = [v | {"created_at": now} for v in values if v["archive_no"] not in ids]
    if old:
        t = Household.__table__
        conn.execute(update(t).where(t.c.id == bindparam("hid")).values(
            {k: bindparam(f"v_{k}") for k in values[0]} | {"version": t.c.version + 1}), old)
        conn.execute(delete(FamilyMember.__table__).where(FamilyMember.household_id.in_([v["hid"] for v in old])))
    if new:
        made = conn.execute(insert(Household.__table__).returning(Household.__table__.c.id,
                                                                  sort_by_parameter_order=True), new).scalars().all()
        ids.update(zip((v["archive_no"] for v in new), made))
    row_seals.touch(s, "households", [ids[v["archive_no"]] for v in values])
    member_rows = []
    for r in members:
        archive_no = r.text("档案编号", True)
        if archive_no not in ids:
            bad.add(f"工作表“家庭成员”第 {r.index + 2} 行“档案编号”", "不在工作表“家庭”中")
            continue
        member_rows.append({
            "household_id": ids[archive_no], "name": r.text("姓名", True), "id_number": r.text("身份证号"),
            "relation": r.text("与户主关系") or "", "sex": r.code("性别", SEX_CODES), "birth_date": r.day("出生日期"),
            "schooling": r.code("就学阶段", SCHOOLING_CODES, "none"),
            "monthly_income_fen": r.integer("月收入（分）") or 0})
    if bad.problems:
        raise _refuse(f, bad.text())
    if member_rows:
        conn.execute(insert(FamilyMember.__table__), member_rows)
    return ids


def _decided_at(day: date | None) -> datetime | None:
    """The county sends the day a request was decided; kept as noon local time of that day."""
    if day is None:
        return None
    return datetime.combine(day, time(12)).astimezone().astimezone(timezone.utc)


def _requests(s: Session, tx, scope: str, f: ExchangeFile, units: dict[int, int], households: dict[str, int],
              now: datetime, bad: BadCells) -> dict[str, int]:
    """Requests upserted by number; returns number -> id."""
    existing = {r.number: r for r in s.execute(
        select(ReliefRequest).where(ReliefRequest.archive_scope == scope)).scalars()}
    out = {}
    for r in rows_of(REQUESTS, f.sheets["requests"], bad):
        number, unit = r.text("申请编号", True), r.integer("工会编号")
        archive_no = r.text("档案编号")
        requested, approved = r.integer("申请金额（分）", True), r.integer("核定金额（分）")
        values = dict(
            source=r.text("来源") or "entered", household_id=households.get(archive_no) if archive_no else None,
            name=r.text("姓名", True), id_number=r.text("身份证号", True), unit_id=units.get(unit),
            person_id_number=r.text("受助人身份证号"), relief_type=r.text("救助类型", True), subcase=r.text("细项"),
            period_year=r.integer("所属年度", True), period_quarter=r.integer("季度"),
            request_date=r.day("申请日期", True), requested_fen=requested, approved_fen=approved,
            current_fen=approved if approved is not None else requested,
            standard_min_fen=r.integer("标准下限（分）"), standard_max_fen=r.integer("标准上限（分）"),
            status=r.text("状态", True), fund_source=r.text("资金来源"), justification=r.text("书面说明") or "",
            decided_at=_decided_at(r.day("审结时间")), updated_at=now)
        if bad.problems:
            continue
        row = existing.get(number)
        if row is None:
            row = ReliefRequest(archive_scope=scope, number=number, policy_version_id=None,
                                creator_username=tx.actor.username, creator_name=tx.actor.display_name or "",
                                created_at=now, remark=f"由{f.office}{f.year}年度上报文件导入")
            s.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        out[number] = row
    if bad.problems:
        raise _refuse(f, bad.text())
    s.flush()
    return {number: row.id for number, row in out.items()}


def _payments(s: Session, tx, scope: str, f: ExchangeFile, households: dict[str, int], requests: dict[str, int],
              now: datetime, bad: BadCells) -> int:
    """The year's payments of the county, replaced whole."""
    start, end = date(f.year, 1, 1), date(f.year, 12, 31)
    gone = s.execute(select(Payment.id).where(Payment.archive_scope == scope, Payment.paid_on >= start,
                                              Payment.paid_on <= end)).scalars().all()
    rows = []
    for r in rows_of(PAYMENTS, f.sheets["payments"], bad):
        number, archive_no = r.text("申请编号"), r.text("档案编号")
        paid_on = r.day("发放日期", True)
        if paid_on is not None and not start <= paid_on <= end:
            bad.add(f"工作表“发放”第 {r.index + 2} 行“发放日期”", f"{paid_on.isoformat()} 不在 {f.year} 年内")
        rows.append({
            "archive_scope": scope, "request_id": requests.get(number) if number else None,
            "household_id": households.get(archive_no) if archive_no else None, "id_number": r.text("身份证号", True),
            "name": r.text("姓名", True), "relief_type": r.text("救助类型", True), "subcase": r.text("细项"),
            "amount_fen": r.integer("金额（分）", True), "paid_on": paid_on, "period_year": r.integer("所属年度", True),
            "period_quarter": r.integer("季度"), "fund_source": r.text("资金来源"),
            "source": r.text("方式") or "ledger", "batch": r.text("批次"), "remark": "",
            "created_at": now, "created_by": tx.actor.username})
    if bad.problems:
        raise _refuse(f, bad.text())
    conn = s.connection()
    if gone:
        conn.execute(delete(Payment.__table__).where(Payment.id.in_(gone)))
        row_seals.touch(s, "payments", gone)
    if rows:
        made = conn.execute(insert(Payment.__table__).returning(Payment.__table__.c.id,
                                                                sort_by_parameter_order=True), rows).scalars().all()
        row_seals.touch(s, "payments", made)
    return len(gone)


def _drop_leftovers(s: Session, scope: str, f: ExchangeFile, requests: dict[str, int],
                    households: dict[str, int], other_years: bool) -> None:
    """What an earlier import of this county and year brought and the new file no longer has:
    the year's requests without payments, and (when no other year of the county is held)
    households nothing refers to."""
    paid = select(Payment.request_id).where(Payment.request_id.is_not(None))
    stale = s.execute(select(ReliefRequest.id).where(
        ReliefRequest.archive_scope == scope, ReliefRequest.period_year == f.year,
        ReliefRequest.id.not_in(list(requests.values()) or [0]), ReliefRequest.id.not_in(paid))).scalars().all()
    if stale:
        s.execute(delete(ReliefRequest.__table__).where(ReliefRequest.id.in_(stale)))
        row_seals.touch(s, "relief_requests", stale)
    if other_years:
        return
    used = (select(ReliefRequest.household_id).where(ReliefRequest.household_id.is_not(None))
            .union(select(Payment.household_id).where(Payment.household_id.is_not(None))))
    orphans = s.execute(select(Household.id).where(
        Household.archive_scope == scope, Household.id.not_in(list(households.values()) or [0]),
        Household.id.not_in(used))).scalars().all()
    if orphans:
        s.execute(delete(FamilyMember.__table__).where(FamilyMember.household_id.in_(orphans)))
        s.execute(delete(Household.__table__).where(Household.id.in_(orphans)))
        row_seals.touch(s, "households", orphans)


def import_annual_workbook(ctx: AppContext, path, password: str | None = None, progress: ProgressFn | None = None,
                           cancelled: CancelledFn | None = None) -> ImportedFile:
    """Import one county's file into the city's database (one transaction); ExchangeFileRefused
    with the reason when it is not sound or does not fit, and then nothing is changed."""
    ctx.require(IMPORT)
    require_whole_office(ctx.actor, "导入区县年度上报文件")
    if not is_city_of(ctx):
        raise NotACityDatabase(NOT_A_CITY)

    def step(n: int) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress:
            progress(n, STEPS)

    step(0)
    f = read_checked(path, password)
    step(1)
    with ctx.tx(IMPORT) as tx:
        s = tx.session
        if not is_city(s):
            raise NotACityDatabase(NOT_A_CITY)
        now = clock.now()
        bad = BadCells()
        county = _county_unit(s, tx, district_unit(s), f)
        scope = county.archive_scope
        units = _unions(s, county, f, bad)
        step(2)
        households = _households(s, scope, f, units, now, bad)
        step(3)
        requests = _requests(s, tx, scope, f, units, households, now, bad)
        step(4)
        replaced_payments = _payments(s, tx, scope, f, households, requests, now, bad)
        import_budgets(s, tx, scope, f, units, now, bad, lambda text: _refuse(f, text))
        previous = s.execute(select(ExchangeImport).where(
            ExchangeImport.county_code == scope, ExchangeImport.year == f.year,
            ExchangeImport.replaced_by.is_(None))).scalar_one_or_none()
        other_years = s.execute(select(func.count()).select_from(ExchangeImport).where(
            ExchangeImport.county_code == scope, ExchangeImport.year != f.year)).scalar_one() > 0
        _drop_leftovers(s, scope, f, requests, households, other_years)
        step(5)
        record = ExchangeImport(
            county_code=scope, county_name=f.office, unit_id=county.id, year=f.year, file_name=f.name,
            file_sha256=f.sha256, layout_version=LAYOUT_VERSION, exported_at=f.exported_at,
            exported_by=f.exported_by, counts=dict(f.counts), indicators=[list(r) for r in f.sheets["indicators"]],
            budgets=[list(r) for r in f.sheets["budgets"]], allocations=[list(r) for r in f.sheets["allocations"]],
            imported_at=now, imported_by=tx.actor.username, imported_by_name=tx.actor.display_name or "")
        s.add(record)
        s.flush()
        again = ""
        if previous is not None:
            previous.replaced_by = record.id
            again = (f"，替换 {clock.local_date(previous.imported_at).isoformat()} 导入的“{previous.file_name}”"
                     f"（原 {replaced_payments} 笔发放）")
        tx.audit("import", "annual_exchange", record.id,
                 summary=f"导入{f.office}（{scope}）{f.year}年度上报文件“{f.name}”：{f.counts['households']} 户、"
                         f"{f.counts['requests']} 件申请、{f.counts['payments']} 笔发放、{f.counts['budgets']} 条预算、"
                         f"{f.counts['allocations']} 笔下拨{again}")
        step(STEPS)
        return ImportedFile(record.id, f.name, f.sha256, f.office, scope, county.id, f.year, dict(f.counts),
                            previous.id if previous is not None else None)
