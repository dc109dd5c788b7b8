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
from ...domain.archive_form import CODED_FIELDS, area_text, label_of
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

_H = (Household.id, Household.archive_no, Household.status, Household.name, Household.id_number, Household.sex,
      Household.phone, Household.employer, OrgUnit.name, Household.category, Household.causes,
      Household.household_size, Household.total_income_fen, Household.bank_name, Household.bank_account,
      Household.address, Household.archived_on, Household.union_member, Household.assistance_status,
      Household.remarks, *(getattr(Household, f) for f in ledger.FORM_COLUMNS), Household.birth_date,
      Household.last_visit_on, Household.next_visit_due, Household.phase_out_until, Household.exited_on, Household.exit_reason)


def _sex(code: str | None) -> str | None:
    return {"M": "男", "F": "女"}.get(code or "")


def _form_cell(r, fld: str):
    value = getattr(r, fld)
    if fld in CODED_FIELDS:
        return label_of(fld, value) or None
    if fld == "housing_area_x100":
        return area_text(value) or None
    if fld == "zero_employment":
        return "是" if value else "否"
    return value


def _household_row(r) -> list:
    per_capita = r.total_income_fen // r.household_size if r.household_size else None
    return [
        r.archive_no, STATUSES.get(r.status, r.status), r.name, r.id_number, _sex(r.sex), r.phone, r.employer,
        r[8], CATEGORIES.get(r.category, r.category), "、".join(r.causes or []), r.household_size,
        r.total_income_fen, r.bank_name, r.bank_account, r.address, r.archived_on,
        "是" if r.union_member else "否", ASSISTANCE_STATUSES.get(r.assistance_status, r.assistance_status),
        r.remarks, *(_form_cell(r, f) for f in ledger.FORM_COLUMNS), r.birth_date, per_capita, r.last_visit_on,
        r.next_visit_due, r.phase_out_until, r.exited_on, r.exit_reason,
    ]


_M = (FamilyMember.id, FamilyMember.name, FamilyMember.relation, FamilyMember.id_number, FamilyMember.health,
      FamilyMember.disability, FamilyMember.schooling, FamilyMember.job_or_school, FamilyMember.monthly_income_fen,
      FamilyMember.sex, FamilyMember.birth_date)
_MEMBER_AT = len(_H)


def _member_row(r) -> list:
    m = _MEMBER_AT
    return [r.archive_no, r.id_number, r[m + 1], r[m + 2], r[m + 3], r[m + 4], r[m + 5],
            SCHOOLING_STAGES.get(r[m + 6], r[m + 6]), r[m + 7], r[m + 8], _sex(r[m + 9]), r[m + 10]]


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
            rows = () if ids is None else tx.session.execute(_rows_query(ids, members)
                                                             .execution_options(yield_per=STREAM_ROWS))
            last = None
            for r in rows:
                if r.id != last:
                    last = r.id
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
    with ctx.tx("archive.read") as tx:
        causes = read_settings(tx.session).hardship_causes
    ledger.write_template(path, causes)
