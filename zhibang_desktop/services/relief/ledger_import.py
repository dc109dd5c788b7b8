"""Import a historical payment ledger (.xlsx) as approved and paid records.

Columns (the usual header variants are accepted): 姓名, 身份证号, 救助类型 (a
relief type's name or code in the policy in force for the payout year), 救助事由
(a sub-case name or code, optional), 救助金额 / 发放金额, 发放日期, 资金来源, 备注.

Each row becomes an approved :class:`ReliefRequest` (``source='ledger'``) plus a
:class:`Payment`; the period (year, quarter) is that of the payout date, so the
limits and reports count them.  People not in the archive are allowed and
flagged.  The whole file is validated first: any bad row and nothing is
imported, with a row-by-row error report.
"""
from __future__ import annotations

import os
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from ..admin.org import require_whole_office
from ...domain import clock
from ...documents.clerk_values import ValueProblem, parse_date, parse_text
from ...documents.error_report import Problem, write_error_report
from ...documents.xlsx_reader import WorkbookError, find_header, iter_records, open_workbook
from ...domain.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from ...domain.money import AmountError, format_yuan, parse_yuan
from ...domain.policy import KNOWN_FUND_SOURCES, Policy
from ...storage.models import Payment, ReliefRequest
from . import store as st
from ..context import AppContext
from ..errors import Ambiguous, Cancelled
from ..admin.org import district_unit
from .policies import no_policy_message, policy_in_force
from .types import LedgerImportResult, LedgerProblem

PERMISSION = "relief.create"
ALIASES = {
    "name": ("姓名", "职工姓名", "受助人", "受助人姓名", "受助职工", "救助对象", "户主姓名", "领取人"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码"),
    "relief_type": ("救助类型", "帮扶类型", "救助项目", "帮扶项目", "类型", "项目", "救助种类"),
    "subcase": ("救助事由", "事由", "具体情形", "救助情形", "救助原因", "致困事由"),
    "amount": ("救助金额", "发放金额", "金额", "救助金额（元）", "发放金额（元）", "金额（元）", "慰问金额",
               "帮扶金额", "实发金额"),
    "paid_on": ("发放日期", "发放时间", "支付日期", "日期", "发放年月日"),
    "fund_source": ("资金来源", "经费来源", "资金渠道"),
    "remark": ("备注", "说明"),
}
REQUIRED = ("name", "id_number", "relief_type", "amount", "paid_on")
LABELS = {"name": "姓名", "id_number": "身份证号", "relief_type": "救助类型", "subcase": "救助事由",
          "amount": "救助金额", "paid_on": "发放日期", "fund_source": "资金来源", "remark": "备注"}


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _match(value: str, options: list[tuple[str, str]]) -> str | None:
    """The code whose code or label equals ``value``; then a unique containment match."""
    k = _key(value)
    for code, label in options:
        if k in (_key(code), _key(label)):
            return code
    hits = {code for code, label in options if k and (k in _key(label) or _key(label) in k)}
    return hits.pop() if len(hits) == 1 else None


class _Row:
    __slots__ = ("row", "name", "id_number", "relief_type", "subcase", "amount", "paid_on", "fund", "remark",
                 "policy_id", "household")

    def __init__(self, row: int):
        self.row = row
        self.household = None


def _fund_options(policy: Policy) -> list[tuple[str, str]]:
    opts = [(f.code, f.label) for f in policy.fund_sources]
    known = {c for c, _ in opts}
    opts += [(c, label) for c, label in KNOWN_FUND_SOURCES.items() if c not in known]
    return opts


def import_ledger(ctx: AppContext, path: str | os.PathLike, report_path: str | os.PathLike | None = None, *,
                  progress: Callable[[int, int], None] | None = None,
                  cancel: Callable[[], bool] | None = None) -> LedgerImportResult:
    """Validate the whole ledger, then import every row in one transaction, or nothing.

    Returns a result with ``ok=False`` and the problems (also written to
    ``report_path`` as .xlsx when given) if any row is invalid.  ``progress(done,
    total)`` and ``cancel()`` let the GUI run it off the GUI thread.
    """
    ctx.require(PERMISSION)
    require_whole_office(ctx.actor, "历史发放台账导入")
    path = Path(path)
    problems: list[LedgerProblem] = []

    def fail(sheet: str = "", rows: int = 0) -> LedgerImportResult:
        report = None
        if report_path is not None:
            write_error_report(report_path, [Problem(sheet, p.row or None, p.column or None, p.value, p.reason)
                                             for p in problems])
            report = str(report_path)
        return LedgerImportResult(False, rows, 0, 0, problems=tuple(problems), report_path=report, sheet=sheet)

    try:
        wb = open_workbook(path)
    except WorkbookError as exc:
        problems.append(LedgerProblem(0, "", path.name, str(exc)))
        return fail()
    with wb:
        sheet = next((s for s in wb.sheets if not s.hidden), wb.sheets[0])
        try:
            header = find_header(sheet.head(), ALIASES, REQUIRED)
            if not header.ok:
                missing = "、".join(LABELS[f] for f in REQUIRED if f in header.missing_required)
                problems.append(LedgerProblem(header.row_number, "", "",
                                              f"找不到必需的列：{missing}（表头应含 姓名、身份证号、救助类型、救助金额、发放日期）"))
                return fail(sheet.name)
            records = list(iter_records(sheet, sheet.rows(), header))
        except WorkbookError as exc:  # found while streaming the sheet
            problems.append(LedgerProblem(0, "", path.name, str(exc)))
            return fail(sheet.name)

    col = header.header_of
    rows: list[_Row] = []
    seen: dict[tuple, int] = {}
    with ctx.tx(PERMISSION) as tx:
        s = tx.session
        policies: dict[int, tuple[int, Policy] | None] = {}
        total = len(records)
        for n, rec in enumerate(records, 1):
            if cancel is not None and cancel():
                raise Cancelled()
            if progress is not None and (n % 50 == 0 or n == total):
                progress(n, total * 2)
            v = rec.values
            r = _Row(rec.row_number)
            bad = len(problems)

            def problem(fld: str, reason: str, value=None, _v=v, _row=rec.row_number) -> None:
                raw = _v.get(fld) if value is None else value
                problems.append(LedgerProblem(_row, col(fld), "" if raw is None else str(raw), reason))

            try:
                r.name = parse_text(v.get("name")) or ""
            except ValueProblem as exc:
                r.name = ""
                problem("name", exc.message)
            if not r.name and len(problems) == bad:
                problem("name", "姓名不能为空")
            try:
                idt = parse_text(v.get("id_number")) or ""
                r.id_number = parse_id_number(idt).number if idt else ""
                if not idt:
                    problem("id_number", "身份证号不能为空")
            except ValueProblem as exc:
                r.id_number = ""
                problem("id_number", exc.message + "（请把身份证号列设为文本格式后重新录入）")
            except InvalidIdNumber as exc:
                r.id_number = ""
                problem("id_number", str(exc))
            try:
                r.paid_on = parse_date(v.get("paid_on"))
                if r.paid_on is None:
                    problem("paid_on", "发放日期不能为空")
                elif r.paid_on > clock.today():
                    problem("paid_on", "发放日期晚于今天")
                    r.paid_on = None
            except ValueProblem as exc:
                r.paid_on = None
                problem("paid_on", exc.message)
            try:
                r.amount = parse_yuan(v.get("amount"))
                if r.amount <= 0:
                    problem("amount", "金额应大于零")
            except AmountError as exc:
                r.amount = 0
                problem("amount", str(exc))
            try:
                r.remark = parse_text(v.get("remark")) or ""
            except ValueProblem:
                r.remark = str(v.get("remark") or "")

            r.relief_type = r.subcase = r.fund = None
            policy = None
            if r.paid_on is not None:
                year = r.paid_on.year
                if year not in policies:
                    found = policy_in_force(s, year)
                    policies[year] = None if found is None else (found[0].id, found[1])
                if policies[year] is None:
                    problem("paid_on", no_policy_message(year) + "（请先执行 policy use 或导入该年度政策）")
                else:
                    r.policy_id, policy = policies[year]
            type_text = _text(v.get("relief_type"))
            if not type_text:
                problem("relief_type", "救助类型不能为空")
            elif policy is not None:
                r.relief_type = _match(type_text, [(t.code, t.name) for t in policy.relief_types])
                if r.relief_type is None:
                    problem("relief_type", f"{policy.year} 年政策中没有这一救助类型，可选："
                                           + "、".join(t.name for t in policy.relief_types))
            sub_text = _text(v.get("subcase"))
            if sub_text and r.relief_type is not None:
                rt = policy.relief_type(r.relief_type)
                if rt.subcases:
                    r.subcase = _match(sub_text, [(sc.code, sc.name) for sc in rt.subcases])
                    if r.subcase is None:
                        problem("subcase", f"{rt.name}没有这一具体情形，可选：" + "；".join(sc.name for sc in rt.subcases)
                                + "（不清楚时请留空）")
                else:
                    r.remark = "；".join(x for x in (r.remark, f"救助事由：{sub_text}") if x)
            fund_text = _text(v.get("fund_source"))
            if fund_text and policy is not None:
                r.fund = _match(fund_text, _fund_options(policy))
                if r.fund is None:
                    problem("fund_source", "资金来源无法识别，可选："
                            + "、".join(label for _, label in _fund_options(policy)))
            if len(problems) == bad:
                k = (r.id_number, r.relief_type, r.paid_on, r.amount)
                if k in seen:
                    problem("id_number", f"与第 {seen[k]} 行重复（同一人、同一类型、同一日期、同一金额）", r.id_number)
                else:
                    seen[k] = rec.row_number
                    dup = s.execute(select(Payment.id).where(  # the office's own payments, not a county's
                        Payment.archive_scope == "", Payment.id_number == r.id_number,
                        Payment.relief_type == r.relief_type,
                        Payment.paid_on == r.paid_on, Payment.amount_fen == r.amount).limit(1)).first()
                    if dup is not None:
                        problem("id_number", "这笔发放记录已导入过（同一人、同一类型、同一日期、同一金额）", r.id_number)
            if len(problems) == bad:
                try:
                    r.household, _ = st.find_household_by_id(s, ctx.actor, r.id_number)
                except Ambiguous as exc:  # on file in two counties of a city's database
                    problem("id_number", str(exc), r.id_number)
                else:
                    rows.append(r)
        if not records:
            problems.append(LedgerProblem(header.row_number, "", "", "表头下面没有数据行"))
        if problems:
            return fail(sheet.name, total)

        batch = f"ledger-{uuid.uuid4().hex[:12]}"
        at = clock.now()
        district = district_unit(s)
        flagged = []
        total_fen = 0
        who = ctx.actor.display_name or ctx.actor.username
        for n, r in enumerate(rows, 1):
            if cancel is not None and cancel():
                raise Cancelled()
            if progress is not None and (n % 50 == 0 or n == len(rows)):
                progress(total + n, total * 2)
            hh = r.household
            quarter = (r.paid_on.month - 1) // 3 + 1
            person = r.id_number if hh is not None and r.id_number != st.clean_id(hh.id_number) else None
            req = ReliefRequest(
                number=st.next_number(s, r.paid_on.year, prefix="TZ"), source="ledger", status="approved",
                household_id=hh.id if hh else None, name=hh.name if hh else r.name,
                id_number=st.clean_id(hh.id_number) if hh else r.id_number,
                unit_id=hh.unit_id if hh else (district.id if district else None), person_id_number=person,
                policy_version_id=r.policy_id, relief_type=r.relief_type, subcase=r.subcase,
                period_year=r.paid_on.year, period_quarter=quarter, request_date=r.paid_on, conditions=[],
                reason="历史台账导入" + (f"（受助人：{r.name}）" if person else ""), justification="", students=[],
                goods=False, fund_source=r.fund, attachment_kinds=None, requested_fen=r.amount,
                suggested_fen=r.amount, approved_fen=r.amount, current_fen=r.amount, findings=[],
                standard_text="", chain=[], events=[], creator_id=ctx.actor.user_id,
                creator_username=ctx.actor.username, creator_name=who, created_at=at, updated_at=at,
                decided_at=at, remark=r.remark,
            )
            s.add(req)
            s.flush()
            s.add(Payment(request_id=req.id, household_id=hh.id if hh else None, id_number=r.id_number,
                          name=r.name, relief_type=r.relief_type, subcase=r.subcase, amount_fen=r.amount,
                          paid_on=r.paid_on, period_year=r.paid_on.year, period_quarter=quarter,
                          fund_source=r.fund, remark=r.remark, source="ledger", batch=batch, created_at=at,
                          created_by=ctx.actor.username))
            total_fen += r.amount
            if hh is None:
                flagged.append((r.row, r.name, mask_id_number(r.id_number)))
        s.flush()
        tx.audit("import", "ledger", batch,
                 summary=f"导入历史发放台账“{path.name}”：{len(rows)} 笔，合计 {format_yuan(total_fen)} 元"
                         + (f"，其中 {len(flagged)} 人不在档案中" if flagged else ""),
                 changes=[["文件", "", path.name], ["笔数", "", str(len(rows))],
                          ["金额合计（元）", "", format_yuan(total_fen)],
                          ["未建档人员", "", "、".join(f"第{row}行 {name}" for row, name, _ in flagged[:50])]])
        return LedgerImportResult(True, total, len(rows), total_fen, not_in_archive=tuple(flagged), sheet=sheet.name)


def _text(value) -> str:
    try:
        return parse_text(value) or ""
    except ValueProblem:
        return str(value or "").strip()
