"""The audit trail as the 审计日志 page and `zhibang audit` see it: query, export, verify.

Rows are written by every service through `Tx.audit` (services/context.py) and chained
by services/audit_chain.py; this module only reads them (and records the export itself).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select

from ...storage.models import AuditEntry
from .. import audit_chain
from ..audit_chain import ChainReport
from ..context import AppContext
from ..errors import Cancelled, FieldProblem, ServiceError, ValidationFailed

# Labels for the action codes the services write. Unknown codes are shown as they are.
ACTION_LABELS: dict[str, str] = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "password": "修改密码",
    "password_reset": "重置密码",
    "unlock": "解除锁定",
    "enable": "启用",
    "disable": "停用",
    "import": "导入",
    "export": "导出",
    "print": "打印",
    "backup": "备份",
    "restore": "恢复",
    "archive": "建档",
    "begin_exit": "进入渐退期",
    "complete_exit": "退档",
    "reactivate": "重新在档",
    "submit": "提交",
    "withdraw": "撤回",
    "approve": "审核同意",
    "reject": "审核不同意",
    "return": "退回修改",
    "view_sensitive": "查看敏感信息",
}

ENTITY_LABELS: dict[str, str] = {
    "user": "用户",
    "reviewer_scope": "审核范围",
    "settings": "单位设置",
    "year_standard": "年度标准",
    "org_unit": "工会组织",
    "household": "困难职工档案",
    "member": "家庭成员",
    "visit": "走访记录",
    "attachment": "附件",
    "audit_log": "审计日志",
    "database": "数据库",
    "policy": "救助政策",
    "calendar": "节假日",
    "notice": "公示",
    "objection": "公示异议",
    "disbursement": "发放批次",
    "bank_template": "银行代发模板",
    "policy_version": "救助政策",
    "relief_request": "救助申请",
    "request_attachment": "申请附件",
    "ledger": "历史台账",
    "fund_source": "资金来源",
    "budget_line": "预算指标",
    "budget_allocation": "预算下拨",
    "budget_carry_over": "预算结转",
    "budget_plan": "预算测算",
    "annual_report": "年度报表",
    "self_evaluation": "绩效自评表",
    "annual_exchange": "年度上报文件",
    "office_key": "办公室密钥",
    "followup": "回访记录",
    "complaint": "投诉",
    "crosscheck_list": "部门比对名单",
    "crosscheck_finding": "数据比对结果",
}

MAX_PAGE = 1000
EXPORT_HEADERS = ["序号", "时间", "用户", "操作", "对象", "对象编号", "档案", "摘要", "变更内容", "哈希"]


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def entity_label(code: str) -> str:
    return ENTITY_LABELS.get(code, code)


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime  # UTC, timezone-aware; show with .astimezone()
    user_id: int | None
    username: str
    action: str
    entity: str
    entity_id: str | None
    household_id: int | None
    summary: str
    changes: tuple[tuple[str, str, str], ...]  # (field, old, new), sensitive values masked by the writer
    hash: str

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def entity_label(self) -> str:
        return entity_label(self.entity)

    @property
    def change_lines(self) -> list[str]:
        """One line per changed field: ``字段：原值 → 新值`` (an empty value reads （空）)."""
        return [f"{f}：{o or '（空）'} → {n or '（空）'}" for f, o, n in self.changes]

    @property
    def changes_text(self) -> str:
        return "；".join(self.change_lines)


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None  # user name, exact
    action: str | None = None  # action code
    entity: str | None = None  # entity code
    date_from: date | None = None  # local dates, inclusive
    date_to: date | None = None
    entity_id: str | None = None
    household_id: int | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]  # newest first
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str

    @property
    def short(self) -> str:
        return self.hash[:16]


@dataclass(frozen=True)
class FilterOptions:
    users: tuple[str, ...]
    actions: tuple[str, ...]
    entities: tuple[str, ...]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _local_midnight_utc(day: date) -> datetime:
    """The UTC instant of local midnight at the start of `day` (the office's clock)."""
    return datetime.combine(day, time.min).astimezone().astimezone(timezone.utc)


def _conditions(f: AuditFilter) -> list:
    conds = []
    if f.user:
        conds.append(AuditEntry.username == f.user.strip())
    if f.action:
        conds.append(AuditEntry.action == f.action)
    if f.entity:
        conds.append(AuditEntry.entity == f.entity)
    if f.entity_id is not None:
        conds.append(AuditEntry.entity_id == str(f.entity_id))
    if f.household_id is not None:
        conds.append(AuditEntry.household_id == f.household_id)
    if f.date_from is not None:
        conds.append(AuditEntry.at >= _local_midnight_utc(f.date_from))
    if f.date_to is not None:
        conds.append(AuditEntry.at < _local_midnight_utc(f.date_to + timedelta(days=1)))
    return conds


def _scope_conditions(session, actor) -> list:
    """A user bound to a union subtree reads only the rows about its own households
    (rows without a household — settings, users, batches as a whole — are not shown)."""
    from ...storage.models import Household
    from .org import visible_unit_ids

    allowed = visible_unit_ids(session, actor)
    if allowed is None:
        return []
    return [AuditEntry.household_id.in_(select(Household.id).where(Household.unit_id.in_(allowed)))]


def _check_filter(f: AuditFilter) -> None:
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise ValidationFailed([FieldProblem("date_to", "结束日期", "不能早于开始日期")])


def _row(e: AuditEntry) -> AuditRow:
    changes = tuple(tuple("" if v is None else str(v) for v in (list(c) + ["", "", ""])[:3]) for c in (e.changes or []))
    return AuditRow(e.seq, e.at, e.user_id, e.username, e.action, e.entity, e.entity_id, e.household_id,
                    e.summary or "", changes, e.hash)


def query_audit(ctx: AppContext, user: str | None = None, action: str | None = None,
                entity: str | None = None, date_from: date | None = None, date_to: date | None = None,
                offset: int = 0, limit: int = 200, *, filters: AuditFilter | None = None) -> AuditPage:
    """One page of audit rows, newest first (admin, auditor)."""
    ctx.require("audit.read")
    f = filters or AuditFilter(user, action, entity, date_from, date_to)
    _check_filter(f)
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    with ctx.db.session(read_only=True) as session:
        conds = _conditions(f) + _scope_conditions(session, ctx.actor)
        total = session.execute(select(func.count()).select_from(AuditEntry).where(*conds)).scalar_one()
        entries = session.execute(
            select(AuditEntry).where(*conds).order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
        ).scalars().all()
        return AuditPage(tuple(_row(e) for e in entries), total, offset, limit)


def filter_options(ctx: AppContext) -> FilterOptions:
    """The user names, actions and entities present, for the page's drop-downs."""
    ctx.require("audit.read")
    with ctx.db.session(read_only=True) as session:
        scoped = _scope_conditions(session, ctx.actor)

        def values(col):
            return tuple(sorted(v for v in session.execute(select(col).where(*scoped).distinct()).scalars() if v))
        return FilterOptions(values(AuditEntry.username), values(AuditEntry.action), values(AuditEntry.entity))


def verify_chain(ctx: AppContext) -> ChainReport:
    """Recompute the whole hash chain: OK, or the first row that was edited or removed."""
    ctx.require("audit.read")
    with ctx.db.session(read_only=True) as session:
        return audit_chain.verify(session)


def chain_head(ctx: AppContext) -> ChainHead:
    """The current chain head, for display (and printed on disbursement lists)."""
    with ctx.db.session(read_only=True) as session:
        seq, digest = audit_chain.chain_head(session)
        return ChainHead(seq, digest)


def export_audit(ctx: AppContext, path: str | Path, filters: AuditFilter | None = None, *,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the filtered rows (oldest first) to an .xlsx file; the export itself is audited."""
    ctx.require("audit.read")
    f = filters or AuditFilter()
    _check_filter(f)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationFailed([FieldProblem("path", "导出文件", "请使用 .xlsx 文件名")])
    from ...documents.xlsx_safe import XlsxWriter

    conds = _conditions(f)
    writer = XlsxWriter()
    writer.add_sheet("审计日志", EXPORT_HEADERS, [8, 19, 12, 10, 12, 10, 8, 40, 60, 20],
                     text_columns=["对象编号", "哈希"])
    written = 0
    try:
        with ctx.db.session(read_only=True) as session:
            conds = conds + _scope_conditions(session, ctx.actor)
            total = session.execute(select(func.count()).select_from(AuditEntry).where(*conds)).scalar_one()
            if progress:
                progress(0, total)
            last = 0
            while True:
                batch = session.execute(
                    select(AuditEntry).where(AuditEntry.seq > last, *conds).order_by(AuditEntry.seq).limit(2000)
                ).scalars().all()
                if not batch:
                    break
                for e in batch:
                    r = _row(e)
                    writer.append([
                        r.seq, r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), r.username, r.action_label,
                        r.entity_label, r.entity_id, r.household_id, r.summary, r.changes_text, r.hash,
                    ])
                    last = e.seq
                written += len(batch)
                session.expunge_all()
                if cancelled and cancelled():
                    raise Cancelled("导出已取消，未生成文件")
                if progress:
                    progress(written, total)
        writer.save(str(path))
    except OSError as exc:
        writer.discard()
        raise ServiceError(f"无法写入“{path}”：{exc.strerror or exc}") from exc
    except BaseException:
        writer.discard()
        raise
    with ctx.tx(None) as tx:
        tx.audit("export", "audit_log", summary=f"导出审计日志 {written} 条到 {path.name}",
                 changes=[["筛选条件", "", describe_filter(f)]])
    return ExportResult(path, written)


def describe_filter(f: AuditFilter) -> str:
    parts = []
    if f.user:
        parts.append(f"用户={f.user}")
    if f.action:
        parts.append(f"操作={action_label(f.action)}")
    if f.entity:
        parts.append(f"对象={entity_label(f.entity)}")
    if f.date_from:
        parts.append(f"自 {f.date_from.isoformat()}")
    if f.date_to:
        parts.append(f"至 {f.date_to.isoformat()}")
    return "，".join(parts) or "全部"


PRINTABLE_ACTIONS = {"print", "export", "view_sensitive"}


def record_event(ctx: AppContext, action: str, entity: str, entity_id: object = None, *,
                 summary: str = "", household_id: int | None = None) -> None:
    """Record a print / export / view that did not change data (the GUI calls it after printing)."""
    if action not in PRINTABLE_ACTIONS:
        raise ValueError(f"record_event is for {sorted(PRINTABLE_ACTIONS)}, not {action!r}")
    with ctx.tx(None) as tx:
        tx.audit(action, entity, entity_id, summary=summary, household_id=household_id)


def create_office_key(ctx: AppContext, path: str | Path) -> Path:
    """Admin: write a new office key (readable by its owner only) for signing the audit chain.

    Keep it outside the database's folder (e.g. on a USB stick) and point `ZHIBANG_KEY_FILE`
    or `--key` at it; every later audit entry is signed with it and its head recorded beside it."""
    from .. import office_key

    with ctx.tx("users.manage") as tx:
        try:
            written = office_key.create_key(Path(path))
        except office_key.OfficeKeyError as exc:
            raise ServiceError(str(exc)) from exc
        except OSError as exc:
            raise ServiceError(f"无法写入密钥文件：{exc.strerror or exc}") from exc
        tx.audit("create", "office_key", summary=f"创建办公室密钥（{written.name}）")
        return written
