"""Printing the 困难职工家庭档案表 (one household or a selection) and the 入户走访表 for the
households whose visit is due; both scoped to the actor's unions and audited as 'print'.

The selection, the forms and the header are read as one snapshot of the database
(AppContext.snapshot), BATCH households at a time: every form of a print shows the archive as
of one moment, and a clerk can keep saving meanwhile (the reads do not take the write lock).
``progress``/``cancelled`` follow the reading and the layout, and a cancelled print leaves no
file and no audit row.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...documents.approval_form import date_cn
from ...documents.archive_sheet import ArchiveSheet, SheetMember, SheetVisit, write_archive_sheets
from ...documents.output import Cancelled as DocCancelled
from ...documents.output import Target, is_file_object
from ...documents.visit_sheet import VisitSheet, VisitSheetMember, write_visit_sheets
from ...domain import clock
from ...domain.archive_form import area_text, label_of
from ...domain.household import (
    ASSISTANCE_STATUSES, CATEGORIES, SCHOOLING_STAGES, STATUSES, VISIT_METHODS, per_capita_income_fen,
)
from ...domain.idnumber import mask_id_number, mask_numbers_in_text
from ...domain.money import format_yuan
from ...storage.models import AuditEntry, Household, OrgUnit
from ..admin.settings import demo_banner, read_settings
from ..context import AppContext
from ..errors import Cancelled, NotFound, ServiceError
from ..packed_list import PackedList
from ..people import name_of
from .fields import ACCOUNT_KINDS, exclusions_text
from .household_export import describe_filter
from .search import filtered_ids_query
from .store import load_household, one_household
from .types import HouseholdFilter

PRINT_ARCHIVE = "archive.export"  # full ID and account numbers leave the database on paper
PRINT_VISITS = "archive.read"  # the visit sheet masks the ID number
BATCH = 200
DUE_SOON_DAYS = 30  # as the 走访核查 page: overdue and due within 30 days
MAX_FORMS = 5000  # one PDF; more is a mistake in the filter, not a print job

ProgressFn = Callable[[int, int], None] | None
CancelFn = Callable[[], bool] | None
_SEX = {"M": "男", "F": "女"}


@dataclass(frozen=True)
class FormPrintResult:
    households: int
    pages: int
    file: str


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _iso(d: date | None) -> str:
    """Dates inside a table's narrow column: 2026-03-02."""
    return d.isoformat() if d else ""


def _yuan(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)


# --- which households --------------------------------------------------------------------

def find_household(ctx: AppContext, text: str) -> int:
    """The household with this archive number or head's ID number (in scope), else NotFound; in a
    city's database a number on file in two counties is refused naming them (Ambiguous)."""
    key = (text or "").strip()
    with ctx.tx("archive.read", read_only=True) as tx:
        s = tx.session
        hh = one_household(s, ctx.actor, (Household.archive_no == key) | (Household.id_number == key.upper()),
                           f"“{mask_numbers_in_text(key)}”")
        if hh is None:
            raise NotFound(f"找不到档案编号或户主身份证号为“{mask_numbers_in_text(key)}”的档案")
        return load_household(s, ctx.actor, hh.id).id


def _ids(ctx: AppContext, permission: str, household_ids, filt: HouseholdFilter | None, order) -> list[int]:
    with ctx.tx(permission, read_only=True) as tx:
        s = tx.session
        if household_ids is not None:
            for hid in household_ids:
                load_household(s, ctx.actor, hid)  # NotFound / PermissionDenied outside the scope
            return list(dict.fromkeys(household_ids))
        query = filtered_ids_query(s, ctx.actor, filt or HouseholdFilter())
        if query is None:
            return []
        return list(s.execute(query.order_by(None).order_by(*order)).scalars())


def _batches(ids: list[int]):
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


def _load(s: Session, ids: list[int]) -> list[Household]:
    rows = s.execute(select(Household).where(Household.id.in_(ids))
                     .options(selectinload(Household.members), selectinload(Household.visits))).scalars().all()
    by_id = {h.id: h for h in rows}
    return [by_id[i] for i in ids if i in by_id]


# --- the 档案表 ----------------------------------------------------------------------------

def _entered_by(s: Session, ids: list[int]) -> dict[int, str]:
    rows = s.execute(select(AuditEntry.household_id, AuditEntry.username)
                     .where(AuditEntry.household_id.in_(ids), AuditEntry.entity == "household",
                            AuditEntry.action == "create")).all()
    person = name_of(s)
    return {hid: person(username) for hid, username in rows}


def _head(h: Household, unit: str) -> tuple[tuple[str, str, int], ...]:
    per_capita = per_capita_income_fen(h.total_income_fen, h.household_size)
    grade = label_of("disability_grade", h.disability_grade)
    area = area_text(h.housing_area_x100)
    return (
        ("姓名", h.name, 1), ("性别", _SEX.get(h.sex or "", ""), 1), ("民族", h.ethnicity or "", 1),
        ("身份证号", h.id_number, 2), ("出生日期", date_cn(h.birth_date), 1),
        ("政治面貌", label_of("political_status", h.political_status), 1),
        ("婚姻状况", label_of("marital_status", h.marital_status), 1), ("健康状况", h.health or "", 1),
        ("残疾类别", label_of("disability_category", h.disability_category), 1), ("残疾等级", grade, 1),
        ("劳模", _yes(h.model_worker), 1),
        ("困难类别", CATEGORIES.get(h.category, h.category), 1), ("档案状态", STATUSES.get(h.status, h.status), 1),
        ("工会会员", _yes(h.union_member) + (f"（{h.member_no}）" if h.member_no else ""), 1),
        ("联系电话", h.phone or "", 1), ("户口类型", h.hukou_type or "", 1), ("户口所在地", h.hukou_region or "", 1),
        ("家庭住址", h.address or "", 3),
        ("工作单位", h.employer or "", 2), ("所属工会", unit, 1),
        ("单位性质", label_of("employer_nature", h.employer_nature), 1),
        ("企业状况", label_of("enterprise_status", h.enterprise_status), 1),
        ("医保状况", label_of("medical_insurance", h.medical_insurance), 1),
        ("住房类型", label_of("housing_type", h.housing_type), 1),
        ("建筑面积", f"{area} 平方米" if area else "", 1), ("零就业家庭", _yes(h.zero_employment), 1),
        ("单亲家庭", _yes(h.single_parent), 1),
        ("低保情况", ASSISTANCE_STATUSES.get(h.assistance_status, h.assistance_status), 1),
        ("家庭人口", f"{h.household_size} 人", 1),
        ("本人月收入", f"{_yuan(h.head_income_fen)} 元", 1), ("家庭其他月收入", f"{_yuan(h.other_income_fen)} 元", 1),
        ("家庭月总收入", f"{_yuan(h.total_income_fen)} 元", 1),
        ("家庭月人均收入", f"{_yuan(per_capita)} 元" if per_capita is not None else "", 1),
        ("家庭年总收入", f"{_yuan(h.total_income_fen * 12)} 元", 2),
    )


def _status_note(h: Household) -> str:
    if h.status == "phasing_out" and h.phase_out_until:
        return f"渐退期至 {date_cn(h.phase_out_until)}"
    if h.status == "exited":
        return f"已于 {date_cn(h.exited_on)} 退档" + (f"（{h.exit_reason}）" if h.exit_reason else "")
    return ""


def archive_sheet(h: Household, unit: str, entered_by: str) -> ArchiveSheet:
    members = tuple(SheetMember(
        m.name, m.relation, _SEX.get(m.sex or "", ""), _iso(m.birth_date), m.id_number or "",
        "；".join(t for t in (m.health, m.disability) if t), SCHOOLING_STAGES.get(m.schooling, m.schooling)
        if m.schooling != "none" else "", m.job_or_school or "", _yuan(m.monthly_income_fen)) for m in h.members)
    visits = tuple(SheetVisit(_iso(v.visit_date), VISIT_METHODS.get(v.method, v.method), v.visitor, v.findings,
                              v.outcome) for v in sorted(h.visits, key=lambda v: (v.visit_date, v.id)))
    bank = (("开户银行", h.bank_name or "", 2), ("账户类型", ACCOUNT_KINDS.get(h.account_kind or "", ""), 1),
            ("卡号/账号", h.bank_account or "", 3))
    return ArchiveSheet(
        archive_no=h.archive_no, archived_on=date_cn(h.archived_on) if h.archived_on else "未建档（草稿）",
        unit_name=unit, head=_head(h, unit), causes="、".join(h.causes or []), exclusions=exclusions_text(h.exclusions)
        + (f"；书面说明：{h.exclusion_override}" if h.exclusion_override else ""),
        bank=bank, members=members, visits=visits, archived_by=h.archived_by or "", reviewed_by=h.reviewed_by or "",
        entered_by=entered_by, grassroots_opinion=h.grassroots_opinion or "",
        grassroots_opinion_on=date_cn(h.grassroots_opinion_on) or None, upper_opinion=h.upper_opinion or "",
        upper_opinion_on=date_cn(h.upper_opinion_on) or None, remarks=h.remarks or "", status_note=_status_note(h),
    )


# --- the 入户走访表 ------------------------------------------------------------------------

def _due_text(due: date | None, today: date) -> str:
    if due is None:
        return ""
    return date_cn(due) + ("（已逾期）" if due < today else "")


def visit_sheet(h: Household, unit: str, prefilled: bool, today: date) -> VisitSheet:
    last = max(h.visits, key=lambda v: (v.visit_date, v.id), default=None)
    last_text = ""
    if last is not None:
        last_text = f"{date_cn(last.visit_date)} {VISIT_METHODS.get(last.method, last.method)}（{last.visitor}）"
        if last.findings:
            last_text += f"：{last.findings}"
    per_capita = per_capita_income_fen(h.total_income_fen, h.household_size)
    income = f"家庭月收入 {_yuan(h.total_income_fen)} 元，人均 {_yuan(per_capita)} 元"
    members = tuple(VisitSheetMember(m.name, m.relation, "；".join(t for t in (m.health, m.disability) if t),
                                     m.job_or_school or "", _yuan(m.monthly_income_fen)) for m in h.members)
    return VisitSheet(
        archive_no=h.archive_no, due_on=_due_text(h.next_visit_due, today), unit_name=unit, name=h.name,
        sex=_SEX.get(h.sex or "", ""), id_number_masked=mask_id_number(h.id_number), phone=h.phone or "",
        address=h.address or "", category=CATEGORIES.get(h.category, h.category),
        household_size=f"{h.household_size} 人", income=income, causes="、".join(h.causes or []),
        last_visit=last_text or "尚无走访记录", members=members, prefilled=prefilled,
    )


def due_filter(unit_id: int | None = None, within_days: int = DUE_SOON_DAYS) -> HouseholdFilter:
    """Households in the archive (在档, 渐退期) whose visit is overdue or due within ``within_days``."""
    return HouseholdFilter(unit_id=unit_id, visit_due_within_days=within_days)


# --- printing ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Forms:
    ids: list[int]
    items: PackedList  # made into forms and packed as they are read: laid out one at a time later
    office: str
    banner: str | None


def _read(ctx: AppContext, permission: str, ids: list[int], make, progress: ProgressFn,
          cancelled: CancelFn) -> _Forms:
    """The forms of `ids` and the page header; called inside the print's snapshot."""
    if not ids:
        raise ServiceError("没有符合条件的档案，未生成文件")
    if len(ids) > MAX_FORMS:
        raise ServiceError(f"共 {len(ids)} 户，一次最多打印 {MAX_FORMS} 户，请按工会或类别分批打印")
    with ctx.tx(permission, read_only=True) as tx:
        s = tx.session
        office, banner = read_settings(s).office_name, demo_banner(s)
        units = dict(s.execute(select(OrgUnit.id, OrgUnit.name)).all())
    items: PackedList = PackedList()
    for chunk in _batches(ids):
        if cancelled is not None and cancelled():
            raise Cancelled()
        with ctx.tx(permission, read_only=True) as tx:
            s = tx.session
            households = _load(s, chunk)
            items.extend(make(s, h, units.get(h.unit_id, "")) for h in households)
            for h in households:  # made into forms: the snapshot's session need not keep them
                s.expunge(h)
        if progress:
            progress(len(items), len(ids) * 3)
    return _Forms(ids, items, office, banner)


def _write(ctx: AppContext, permission: str, forms: _Forms, writer, target: Target, summary: str,
           filt_text: str, progress: ProgressFn, cancelled: CancelFn, record: bool) -> FormPrintResult:
    ids, items = forms.ids, forms.items
    total = len(ids) * 3  # a third for the reading, two for the layout (the longer part)

    def write_progress(done: int, steps: int) -> None:
        if progress:
            progress(len(ids) + done * 2 * len(ids) // max(steps, 1), total)

    try:
        pages = writer(items, target, office=forms.office, banner=forms.banner, progress=write_progress,
                       cancelled=cancelled)
    except DocCancelled:
        raise Cancelled() from None
    except OSError as exc:
        raise ServiceError(f"无法写入文件：{getattr(exc, 'strerror', None) or exc}") from exc
    shown = "" if is_file_object(target) else str(target)
    if not record:  # a preview: what is then printed or saved from it is recorded by the caller
        return FormPrintResult(len(items), pages, shown)
    try:
        with ctx.tx(permission) as tx:
            tx.audit("print", "household", ids[0] if len(ids) == 1 else None,
                     household_id=ids[0] if len(ids) == 1 else None,
                     summary=f"{summary}：{len(ids)} 户，{pages} 页" + (f"（{Path(shown).name}）" if shown else ""),
                     changes=[["范围", "", filt_text]])
    except BaseException:
        if shown:
            Path(shown).unlink(missing_ok=True)  # no paper without its audit row
        raise
    return FormPrintResult(len(items), pages, shown)


def print_archive_forms(ctx: AppContext, target: Target, *, household_ids: list[int] | None = None,
                        filt: HouseholdFilter | None = None, progress: ProgressFn = None,
                        cancelled: CancelFn = None, record: bool = True) -> FormPrintResult:
    """The 档案表 of the given households, or of those ``filt`` selects (the archive list's filters).
    ``record`` False builds a preview: nothing is written to the audit trail."""
    ctx.require(PRINT_ARCHIVE)
    entered: dict[int, str] = {}

    def make(s: Session, h: Household, unit: str) -> ArchiveSheet:
        if h.id not in entered:
            entered.update(_entered_by(s, [h.id]))
        return archive_sheet(h, unit, entered.get(h.id, ""))

    with ctx.snapshot():
        ids = _ids(ctx, PRINT_ARCHIVE, household_ids, filt, (Household.archive_no,))
        forms = _read(ctx, PRINT_ARCHIVE, ids, make, progress, cancelled)
    scope = (f"档案 {len(ids)} 户（选定）" if household_ids is not None else describe_filter(filt or HouseholdFilter()))
    return _write(ctx, PRINT_ARCHIVE, forms, write_archive_sheets, target, "打印困难职工家庭档案表", scope,
                  progress, cancelled, record)


def print_visit_forms(ctx: AppContext, target: Target, *, filt: HouseholdFilter | None = None,
                      household_ids: list[int] | None = None, prefilled: bool = True,
                      progress: ProgressFn = None, cancelled: CancelFn = None, record: bool = True) -> FormPrintResult:
    """入户走访表 for the households due a visit (default: overdue or due within 30 days), in the
    order they are due; ``prefilled`` False leaves the household's situation blank."""
    ctx.require(PRINT_VISITS)
    today = clock.today()

    def make(_s: Session, h: Household, unit: str) -> VisitSheet:
        return visit_sheet(h, unit, prefilled, today)

    with ctx.snapshot():
        ids = _ids(ctx, PRINT_VISITS, household_ids, filt or due_filter(),
                   (Household.next_visit_due, Household.archive_no))
        forms = _read(ctx, PRINT_VISITS, ids, make, progress, cancelled)
    scope = describe_filter(filt or due_filter()) if household_ids is None else f"档案 {len(ids)} 户（选定）"
    kind = "预填" if prefilled else "空白"
    return _write(ctx, PRINT_VISITS, forms, write_visit_sheets, target, f"打印入户走访表（{kind}）", scope,
                  progress, cancelled, record)


def record_form_print(ctx: AppContext, what: str, result: FormPrintResult, how: str, where: str, pages: int) -> None:
    """The GUI sent a previewed 档案表 / 走访表 (``what``) to a printer (``how='printer'``) or saved it."""
    permission = PRINT_ARCHIVE if what == "档案表" else PRINT_VISITS
    with ctx.tx(permission) as tx:
        if how == "printer":
            tx.audit("print", "household", summary=f"打印{what}：{result.households} 户，送打印机 {where}，{pages} 页")
        else:
            tx.audit("export", "household", summary=f"{what}另存为 PDF：{where}（{result.households} 户）")
