"""Export the archive (or a filtered list) to .xlsx, and the blank import template.

The export uses the ledger's column names, so an exported file can be imported into
another office's database; ID, phone and card numbers are written as text and every
cell that could start a formula is neutralised (documents.xlsx_safe).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from ...documents import household_ledger as ledger
from ...documents.xlsx_safe import XlsxWriter
from ...domain.archive_form import CODED_FIELDS, area_text
from ...domain.household import ASSISTANCE_STATUSES, CATEGORIES, SCHOOLING_STAGES, STATUSES
from ...storage.models import FamilyMember, Household, OrgUnit
from .search import filtered_ids_query
from .types import HouseholdFilter
from ..context import AppContext
from ..errors import Cancelled, ServiceError
from ..admin.settings import read_settings

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
TICK = 1000  # households between progress reports (and cancel checks)
STREAM_ROWS = 2000  # rows fetched from the cursor at a time

EXTRA_BEFORE = ["档案编号", "状态"]
EXTRA_AFTER = ["出生日期", "家庭人均月收入", "最近走访日期", "下次走访日期", "渐退期截止", "退档日期", "退档原因"]
HOUSEHOLD_COLUMNS = EXTRA_BEFORE + ledger.HOUSEHOLD_COLUMNS + EXTRA_AFTER
WIDTHS = [14, 8] + ledger.HOUSEHOLD_WIDTHS + [12, 14, 12, 12, 12, 12, 24]
MONEY = ["家庭月收入", "家庭人均月收入"]
DATES = ["建档日期", "基层工会意见日期", "上级工会意见日期", "出生日期", "最近走访日期", "下次走访日期", "渐退期截止",
         "退档日期"]
MEMBER_COLUMNS = ["档案编号"] + ledger.MEMBER_COLUMNS + ["性别", "出生日期"]

_H_HEAD = (Household.id, Household.archive_no, Household.status, Household.name, Household.id_number, Household.sex,
           Household.phone, Household.employer, OrgUnit.name, Household.category, Household.causes,
           Household.household_size, Household.total_income_fen, Household.bank_name, Household.bank_account,
           Household.address, Household.archived_on, Household.union_member, Household.assistance_status,
           Household.remarks)
_H = (*_H_HEAD, *(getattr(Household, f) for f in ledger.FORM_COLUMNS), Household.birth_date,
      Household.last_visit_on, Household.next_visit_due, Household.phase_out_until, Household.exited_on, Household.exit_reason)


_SEX = {"M": "男", "F": "女"}


def _form_value(fld: str) -> Callable:
    """What a 档案表 field's stored value becomes in its cell."""
    if fld in CODED_FIELDS:
        labels = CODED_FIELDS[fld]
        return lambda value: None if value is None else labels.get(value, value) or None
    if fld == "housing_area_x100":
        return lambda value: area_text(value) or None
    if fld == "zero_employment":
        return lambda value: "是" if value else "否"
    return lambda value: value


_FORM_VALUES = {fld: _form_value(fld) for fld in ledger.FORM_COLUMNS}
_FORM_AT = len(_H_HEAD)  # where the 档案表 fields start in a row of _H
_FORM_END = _FORM_AT + len(ledger.FORM_COLUMNS)
_FORM_CONVERTERS = tuple(enumerate((_FORM_VALUES[f] for f in ledger.FORM_COLUMNS), _FORM_AT))


def _form_cell(r, fld: str):
    return _FORM_VALUES[fld](getattr(r, fld))


def _household_row(r) -> list:
    """The household's cells from a row of _H (read by position: a Core row, not an ORM object)."""
    (_, archive_no, status, name, id_number, sex, phone, employer, unit, category, causes, size, income,
     bank_name, bank_account, address, archived_on, union_member, assistance, remarks) = r[:_FORM_AT]
    birth_date, last_visit_on, next_visit_due, phase_out_until, exited_on, exit_reason = r[_FORM_END:_MEMBER_AT]
    return [
        archive_no, STATUSES.get(status, status), name, id_number, _SEX.get(sex or ""), phone, employer, unit,
        CATEGORIES.get(category, category), "、".join(causes or []), size, income, bank_name, bank_account,
        address, archived_on, "是" if union_member else "否", ASSISTANCE_STATUSES.get(assistance, assistance),
        remarks, *[convert(r[i]) for i, convert in _FORM_CONVERTERS], birth_date,
        income // size if size else None, last_visit_on, next_visit_due, phase_out_until, exited_on, exit_reason,
    ]


_M = (FamilyMember.id, FamilyMember.name, FamilyMember.relation, FamilyMember.id_number, FamilyMember.health,
      FamilyMember.disability, FamilyMember.schooling, FamilyMember.job_or_school, FamilyMember.monthly_income_fen,
      FamilyMember.sex, FamilyMember.birth_date)
_MEMBER_AT = len(_H)


def _member_row(r) -> list:
    (_, name, relation, id_number, health, disability, schooling, job_or_school, income, sex,
     birth_date) = r[_MEMBER_AT:]
    return [r[1], r[4], name, relation, id_number, health, disability, SCHOOLING_STAGES.get(schooling, schooling),
            job_or_school, income, _SEX.get(sex or ""), birth_date]


def export_households(ctx: AppContext, path, filt: HouseholdFilter | None = None,
                      progress: ProgressFn | None = None, cancelled: CancelFn | None = None,
                      members: bool = True) -> int:
    """Write the households matching `filt` (all visible ones by default); returns how many.

    `members`: also write the 家庭成员 sheet (keyed by the head's ID number, as the import
    reads it). Households and their members come in one pass of one query, streamed from the
    database cursor straight into both write-only sheets: memory stays flat whatever the size.
    The query is one read-only transaction that holds no write lock, so a clerk keeps saving while
    100,000 households are written.
    Cancelling raises Cancelled and leaves `path` untouched (the file is written atomically).
    """
    filt = filt or HouseholdFilter()
    xw = XlsxWriter()
    households = n_members = 0
    try:
        with ctx.tx("archive.export", read_only=True) as tx:
            ids = filtered_ids_query(tx.session, ctx.actor, filt)
            total = 0 if ids is None else tx.session.execute(
                select(func.count()).select_from(ids.order_by(None).subquery())).scalar_one()
            ticker = _Ticker(total, progress, cancelled)
            sheet = xw.add_sheet(ledger.HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, WIDTHS,
                                 text_columns=["档案编号", *ledger.HOUSEHOLD_TEXT_COLUMNS], money_columns=MONEY,
                                 date_columns=DATES)
            member_sheet = xw.add_sheet(ledger.MEMBER_SHEET, MEMBER_COLUMNS, [14] + ledger.MEMBER_WIDTHS + [6, 12],
                                        text_columns=["档案编号", *ledger.MEMBER_TEXT_COLUMNS],
                                        money_columns=["月收入"], date_columns=["出生日期"]) if members else None
            # Core rows (tuples), not the ORM's result processing: the columns are plain values
            rows = () if ids is None else tx.session.connection().execute(
                _rows_query(ids, members), execution_options={"yield_per": STREAM_ROWS})
            last = None
            for r in rows:
                if r[0] != last:
                    last = r[0]
                    xw.append_to(sheet, _household_row(r))
                    households += 1
                    ticker.tick(households)
                if member_sheet is not None and r[_MEMBER_AT] is not None:
                    xw.append_to(member_sheet, _member_row(r))
                    n_members += 1
        ticker.tick(households, final=True)
        try:
            xw.save(path)
        except OSError as exc:  # DocumentWriteError too: a missing folder, a full or read-only disk
            raise ServiceError(f"无法写入文件：{getattr(exc, 'strerror', None) or exc}") from exc
    except BaseException:
        xw.discard()
        raise
    summary = f"导出档案 {households} 户（家庭成员 {n_members} 人）"
    if not hasattr(path, "write"):
        summary += f"到“{Path(path).name}”"
    try:
        with ctx.tx("archive.export") as tx:
            tx.audit("export", "household", summary=summary, changes=[["筛选条件", "", describe_filter(filt)]])
    except BaseException:
        if not hasattr(path, "write"):
            Path(path).unlink(missing_ok=True)  # no file without its audit row
        raise
    return households


def _rows_query(ids, members: bool):
    """Each household (in archive-number order) followed by its members, one row per member
    (a household without members: one row whose member columns are empty)."""
    query = select(*_H).join(OrgUnit, OrgUnit.id == Household.unit_id).where(Household.id.in_(ids.order_by(None)))
    if not members:
        return query.order_by(Household.archive_no)
    return (query.add_columns(*_M).outerjoin(FamilyMember, FamilyMember.household_id == Household.id)
            .order_by(Household.archive_no, FamilyMember.id))


class _Ticker:
    """Progress every TICK households, and the cancel check with it."""

    def __init__(self, total: int, progress: ProgressFn | None, cancelled: CancelFn | None):
        self.total, self.progress, self.cancelled = total or 1, progress, cancelled
        self.tick(0, final=True)

    def tick(self, done: int, final: bool = False) -> None:
        if done % TICK and not final:
            return
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()
        if self.progress:
            self.progress(min(done, self.total), self.total)


def describe_filter(filt: HouseholdFilter) -> str:
    parts = []
    if filt.text:
        parts.append(f"关键字“{filt.text}”")
    if filt.categories:
        parts.append("类别：" + "、".join(CATEGORIES.get(c, c) for c in sorted(filt.categories)))
    if filt.statuses:
        parts.append("状态：" + "、".join(STATUSES.get(c, c) for c in sorted(filt.statuses)))
    if filt.unit_id is not None:
        parts.append(f"工会编号 {filt.unit_id} 及下级")
    if filt.visit_overdue:
        parts.append("走访逾期")
    if filt.visit_due_within_days is not None:
        parts.append(f"{filt.visit_due_within_days} 天内应走访")
    return "；".join(parts) or "全部"


def write_template(path, ctx: AppContext | None = None) -> None:
    """The blank import template (with the office's own cause list when `ctx` is given)."""
    if ctx is None:
        ledger.write_template(path)
        return
    with ctx.tx("archive.read", read_only=True) as tx:
        causes = read_settings(tx.session).hardship_causes
    ledger.write_template(path, causes)
