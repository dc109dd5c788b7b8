"""Bank payment files per admin-defined templates, and the bank's return files.

* Templates: columns (account, name, amount in yuan with two decimals, ID number,
  bank, remark, a fixed text …) per bank, kept in ``bank_templates``; a generic
  default (通用格式) always exists.
* Export: the pending bank/social-security-card lines of a batch; account and ID
  numbers as text, every text cell neutralised; the file is read back and must
  hold the same count and total (documents.bank_file).  Audited as an export.
* Return import (.xlsx or .csv): rows are matched to the batch's lines by account,
  else by ID number; failed rows mark the line returned with the bank's reason,
  rows saying 成功 confirm pending lines as paid; rows that match nothing are
  listed.  Importing the same file twice changes nothing the second time.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...documents.bank_file import (
    DEFAULT_COLUMNS, BankColumn, BankFileMismatch, BankRow, ReturnFileError, read_return_file, validate_columns,
    write_bank_file,
)
from ...documents.output import DocumentWriteError
from ...domain import clock
from ...domain.cards import mask_account, normalize_account
from ...domain.idnumber import mask_id_number
from ...domain.money import format_yuan
from ...storage.models import BankTemplate, DisbursementLine
from . import common as pc
from . import scope
from ..context import AppContext
from .lines import _paid, return_line_in
from .rules import ACCOUNT_METHODS, MANAGE
from .views import find_batch
from ..errors import FieldProblem, NotFound, ServiceError, ValidationFailed
from .types import (
    METHOD_LABELS, BankColumnSpec, BankExportResult, BankTemplateView, ReturnImportResult, ReturnMatch,
    UnmatchedRow,
)

TEMPLATE_EDIT = "org.edit"
READ = "relief.read"
GENERIC_NAME = "通用格式"


# ------------------------------------------------------------------ templates

def _generic() -> BankTemplateView:
    return BankTemplateView(None, GENERIC_NAME, "",
                            tuple(BankColumnSpec(c.header, c.field, c.value, c.width) for c in DEFAULT_COLUMNS))


def _template_view(row: BankTemplate) -> BankTemplateView:
    cols = tuple(BankColumnSpec(c.get("header", ""), c.get("field", ""), c.get("value", "") or "", c.get("width"))
                 for c in row.columns or [])
    return BankTemplateView(row.id, row.name, row.bank or "", cols, bool(row.amount_as_text))


def _columns(view: BankTemplateView) -> list[BankColumn]:
    return [BankColumn(c.header.strip(), c.field, c.value or "", c.width) for c in view.columns]


def list_templates(ctx: AppContext) -> list[BankTemplateView]:
    """The generic default first, then the admin's templates by name."""
    with ctx.tx(READ, read_only=True) as tx:
        rows = tx.session.execute(select(BankTemplate).order_by(BankTemplate.name)).scalars()
        return [_generic()] + [_template_view(r) for r in rows]


def save_template(ctx: AppContext, template: BankTemplateView) -> BankTemplateView:
    """Create (id None) or replace a bank's column template."""
    name = (template.name or "").strip()
    problems = [FieldProblem("columns", "列设置", p) for p in validate_columns(_columns(template))]
    if not name:
        problems.append(FieldProblem("name", "模板名称", "不能为空"))
    elif name == GENERIC_NAME:
        problems.append(FieldProblem("name", "模板名称", f"“{GENERIC_NAME}”是内置模板的名称"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx(TEMPLATE_EDIT) as tx:
        s = tx.session
        clash = s.execute(select(BankTemplate).where(BankTemplate.name == name)).scalar_one_or_none()
        if clash is not None and clash.id != template.id:
            raise ValidationFailed([FieldProblem("name", "模板名称", f"已有名为“{name}”的模板")])
        if template.id is None:
            row = BankTemplate(name=name)
            s.add(row)
            action = "create"
        else:
            row = pc.get_or_404(s, BankTemplate, template.id, "银行模板")
            action = "update"
        row.name, row.bank = name, (template.bank or "").strip()
        row.columns = [{k: v for k, v in asdict(c).items() if v not in (None, "")} for c in template.columns]
        row.amount_as_text = bool(template.amount_as_text)
        row.updated_at, row.updated_by = clock.now(), ctx.actor.username
        s.flush()
        tx.audit(action, "bank_template", row.id,
                 summary=f"{'新建' if action == 'create' else '修改'}银行代发模板“{name}”："
                         + "｜".join(c.header for c in template.columns))
        return _template_view(row)


def delete_template(ctx: AppContext, template_id: int) -> None:
    with ctx.tx(TEMPLATE_EDIT) as tx:
        row = pc.get_or_404(tx.session, BankTemplate, template_id, "银行模板")
        name = row.name
        tx.session.delete(row)
        tx.session.flush()
        tx.audit("delete", "bank_template", template_id, summary=f"删除银行代发模板“{name}”")


def _find_template(session: Session, name: str | None) -> BankTemplateView:
    if not name or name == GENERIC_NAME:
        return _generic()
    row = session.execute(select(BankTemplate).where(BankTemplate.name == name)).scalar_one_or_none()
    if row is None and name.isdigit():
        row = session.get(BankTemplate, int(name))
    if row is None:
        raise NotFound(f"银行代发模板“{name}”不存在")
    return _template_view(row)


# ------------------------------------------------------------------ export

def export_bank_file(ctx: AppContext, batch_id: int | str, path: str | Path, template: str | None = None,
                     methods: tuple[str, ...] = ACCOUNT_METHODS) -> BankExportResult:
    """The batch's pending bank / social-security-card lines as the bank's .xlsx payment file."""
    ctx.require(MANAGE)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationFailed([FieldProblem("path", "导出文件", "请使用 .xlsx 文件名")])
    with ctx.tx(MANAGE, read_only=True) as tx:
        s = tx.session
        batch = find_batch(s, batch_id)
        scope.require_whole_batch(s, ctx.actor, batch, "导出银行代发文件")
        view = _find_template(s, template)
        rows, skipped = [], []
        L = DisbursementLine
        for line in s.execute(select(L.method, L.name, L.account, L.amount_fen, L.id_number, L.bank_name,
                                     L.relief_type_label)  # plain rows: no ORM object per line
                              .where(L.batch_id == batch.id, L.state == "pending").order_by(L.seq)):
            if line.method not in methods:
                skipped.append(f"{line.name}：{_method_label(line.method)}，不在代发文件中")
                continue
            if not line.account:
                skipped.append(f"{line.name}：没有账号")
                continue
            rows.append(BankRow(account=line.account, name=line.name, amount_fen=line.amount_fen,
                                id_number=line.id_number, bank=line.bank_name or "",
                                remark=f"{line.relief_type_label}（{batch.number}）"))
        number = batch.number
        batch_pk = batch.id
    if not rows:
        raise ServiceError(f"批次 {number} 没有待发放的银行代发明细")
    try:
        totals = write_bank_file(_columns(view), rows, path, amount_as_text=view.amount_as_text,
                                 summary_lines=[("发放批次", number), ("模板", view.name)])
    except BankFileMismatch as exc:
        raise ServiceError(str(exc)) from exc
    except (OSError, DocumentWriteError) as exc:
        raise ServiceError(f"无法写入“{path}”：{getattr(exc, 'strerror', None) or exc}") from exc
    with ctx.tx(MANAGE) as tx:
        tx.audit("export", "disbursement", batch_pk,
                 summary=f"导出批次 {number} 银行代发文件（{view.name}）：{totals.count} 笔，"
                         f"{format_yuan(totals.total_fen)} 元，{path.name}")
    return BankExportResult(path, view.name, totals.count, totals.total_fen, tuple(skipped))


def _method_label(method: str) -> str:
    return METHOD_LABELS.get(method, method)


# ------------------------------------------------------------------ returns

def import_returns(ctx: AppContext, batch_id: int | str, path: str | Path, returned_on: date | None = None,
                   apply: bool = True) -> ReturnImportResult:
    """Apply (or with ``apply=False`` only preview) the bank's return file for one batch."""
    ctx.require(MANAGE)
    with ctx.tx(MANAGE, read_only=True) as tx:  # scope before reading the file (a refusal names no file problem)
        scope.require_whole_batch(tx.session, ctx.actor, find_batch(tx.session, batch_id), "导入银行退票")
    try:
        parsed = read_return_file(path)
    except ReturnFileError as exc:
        raise ValidationFailed([FieldProblem("file", "退票文件", str(exc))]) from exc
    on = returned_on or clock.today()
    with ctx.tx(MANAGE) as tx:
        s = tx.session
        batch = find_batch(s, batch_id)
        scope.require_whole_batch(s, ctx.actor, batch, "导入银行退票")
        lines = list(s.execute(select(DisbursementLine).where(DisbursementLine.batch_id == batch.id)
                               .order_by(DisbursementLine.seq)).scalars())
        by_account: dict[str, list[DisbursementLine]] = {}
        by_id: dict[str, list[DisbursementLine]] = {}
        for line in lines:
            if line.account:
                by_account.setdefault(normalize_account(line.account), []).append(line)
            by_id.setdefault((line.id_number or "").upper(), []).append(line)
        taken: set[int] = set()
        returned, unchanged, unmatched = [], [], []
        for row in parsed.rows:
            line, how, why = _match(row, by_account, by_id, taken)
            if line is None:
                unmatched.append(UnmatchedRow(row.row_no, row.name, mask_account(row.account) if row.account else "",
                                              mask_id_number(row.id_number) if row.id_number else "",
                                              row.amount_fen, row.reason or row.status, why))
                continue
            taken.add(line.id)
            reason = row.reason or row.status or "银行退回"
            match = dict(row_no=row.row_no, line_id=line.id, name=line.name,
                         account_masked=mask_account(line.account or ""), amount_fen=line.amount_fen,
                         reason=reason, matched_by=how)
            if row.succeeded:
                if line.state == "pending":
                    if apply:
                        _paid(s, line, batch, on, ctx.actor)
                    returned.append(ReturnMatch(**match, action="confirmed_paid"))
                else:
                    unchanged.append(ReturnMatch(**match, action="unchanged"))
                continue
            if line.state in ("pending", "paid") and line.method in ACCOUNT_METHODS:
                if apply:
                    return_line_in(s, line, batch, reason, on, ctx.actor)
                returned.append(ReturnMatch(**match, action="returned"))
            elif line.state in ("returned", "reissued"):
                unchanged.append(ReturnMatch(**match, action="already_returned"))
            else:
                unchanged.append(ReturnMatch(**match, action="not_returnable"))
        returned_fen = sum(m.amount_fen for m in returned if m.action == "returned")
        if apply:
            s.flush()
            n_ret = sum(1 for m in returned if m.action == "returned")
            n_ok = sum(1 for m in returned if m.action == "confirmed_paid")
            tx.audit("import", "disbursement", batch.id,
                     summary=f"导入批次 {batch.number} 的银行回执“{Path(path).name}”：退票 {n_ret} 笔 "
                             f"{format_yuan(returned_fen)} 元，确认成功 {n_ok} 笔，未匹配 {len(unmatched)} 行")
        return ReturnImportResult(batch.id, batch.number, tuple(returned), tuple(unchanged), tuple(unmatched),
                                  returned_fen, apply)


def _match(row, by_account, by_id, taken) -> tuple[DisbursementLine | None, str, str]:
    for key, index, how in ((row.account, by_account, "account"), (row.id_number, by_id, "id_number")):
        if not key:
            continue
        found = [line for line in index.get(key, []) if line.id not in taken]
        if how == "id_number" and row.account:
            # the row names an account this batch does not pay to (e.g. the first batch's
            # return file imported into its reissue batch): not this line
            found = [line for line in found if not line.account or normalize_account(line.account) == row.account]
        if row.amount_fen is not None and len(found) > 1:
            same = [line for line in found if line.amount_fen == row.amount_fen]
            found = same or found
        # prefer a line the row can still act on
        live = [line for line in found if line.state in ("pending", "paid")]
        found = live or found
        if found:
            return found[0], how, ""
    if row.account and row.account in by_account:
        return None, "", "该账号的明细已被本文件的其他行匹配"
    if row.id_number and row.id_number in by_id:
        if row.account and not any(line.id not in taken for line in by_id[row.id_number]):
            return None, "", "该身份证号的明细已被本文件的其他行匹配"
        if row.account:
            return None, "", "身份证号在本批次中，但账号与本批次的发放账号不符（可能是其他批次的回执）"
        return None, "", "该身份证号的明细已被本文件的其他行匹配"
    return None, "", "本批次中没有该账号或身份证号"


__all__ = [
    "list_templates", "save_template", "delete_template", "export_bank_file", "import_returns",
    "GENERIC_NAME",
]
