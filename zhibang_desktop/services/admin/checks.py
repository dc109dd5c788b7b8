"""`zhibang check`: database integrity, foreign keys, the audit chain and archive consistency."""
from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import func, select, union_all

from ...domain.household import next_visit_due
from ...domain.idnumber import InvalidIdNumber, parse_id_number
from ...domain.money import format_yuan
from ...storage import engine_checks
from ...storage.database import Database
from ...storage.models import Attachment, AttachmentBlob, FamilyMember, Household, Visit
from .. import audit_chain
from . import tamper_checks
from .check_types import CheckItem, CheckReport
from .visit_intervals import visit_intervals

MAX_EXAMPLES = 10
BATCH = 5000


def _item(name: str, bad: list[str], ok_text: str, bad_text: str) -> CheckItem:
    if not bad:
        return CheckItem(name, True, ok_text)
    return CheckItem(name, False, bad_text.format(n=len(bad)), tuple(bad[:MAX_EXAMPLES]))


def _sqlite_checks(s) -> list[CheckItem]:
    rows, fk = engine_checks.sqlite_integrity(s)
    items = [CheckItem("数据库完整性（integrity_check）", rows == ["ok"],
                       "正常" if rows == ["ok"] else "；".join(rows[:MAX_EXAMPLES]))]
    items.append(CheckItem("外键（foreign_key_check）", not fk,
                           "正常" if not fk else f"{len(fk)} 处引用了不存在的记录",
                           tuple(f"表 {r[0]} 第 {r[1]} 行 → {r[2]}" for r in fk[:MAX_EXAMPLES])))
    return items


def _server_checks(s) -> list[CheckItem]:
    """PostgreSQL keeps its own pages whole and always enforces foreign keys, unless someone
    switched them off (a constraint marked NOT VALID, or its triggers disabled)."""
    items = [CheckItem("数据库服务器（PostgreSQL）", True, f"版本 {engine_checks.server_version(s)}，连接正常")]
    off = engine_checks.server_foreign_keys_off(s)
    items.append(CheckItem("外键（服务器约束）", not off, "正常" if not off else f"{len(off)} 个外键约束被停用或未验证",
                           tuple(f"表 {table}：{name}" for table, name in off[:MAX_EXAMPLES])))
    return items


def _households(s):
    """Stream the fields the consistency checks need, in batches."""
    last = 0
    while True:
        rows = s.execute(
            select(Household.id, Household.archive_no, Household.name, Household.status, Household.category,
                   Household.id_number, Household.archived_on, Household.phase_out_until, Household.exited_on,
                   Household.last_visit_on, Household.next_visit_due, Household.total_income_fen,
                   Household.head_income_fen, Household.other_income_fen, Household.archive_scope)
            .where(Household.id > last).order_by(Household.id).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _archive_checks(s) -> list[CheckItem]:
    last_visits = dict(s.execute(select(Visit.household_id, func.max(Visit.visit_date)).group_by(Visit.household_id)).all())
    member_income = dict(s.execute(select(FamilyMember.household_id, func.sum(FamilyMember.monthly_income_fen))
                                   .group_by(FamilyMember.household_id)).all())
    no_archived, no_phase_end, no_exit_date, bad_id, bad_due, bad_income = [], [], [], [], [], []
    intervals = visit_intervals(s)
    for h in _households(s):
        who = f"{h.archive_no}（{h.name}）"
        if h.status in ("active", "phasing_out", "exited") and h.archived_on is None:
            no_archived.append(who)
        if h.status == "phasing_out" and h.phase_out_until is None:
            no_phase_end.append(who)
        if h.status == "exited" and h.exited_on is None:
            no_exit_date.append(who)
        try:
            parse_id_number(h.id_number)
        except InvalidIdNumber as exc:
            bad_id.append(f"{who}：{exc.reason}")
        if h.archive_scope:
            continue  # a county's household in a city's database: its visits and incomes stay at home
        last = last_visits.get(h.id)
        if last != h.last_visit_on:
            bad_due.append(f"{who}：最近走访日期应为 {last or '无'}，记录为 {h.last_visit_on or '无'}")
        elif h.status == "exited":
            if h.next_visit_due is not None:
                bad_due.append(f"{who}：已退档却仍有下次走访日期")
        elif last is not None or h.archived_on is not None:
            want = next_visit_due(h.category, last, h.archived_on, intervals)
            if want != h.next_visit_due:
                bad_due.append(f"{who}：下次走访日期应为 {want}，记录为 {h.next_visit_due or '无'}")
        want_income = h.head_income_fen + h.other_income_fen + int(member_income.get(h.id) or 0)
        if want_income != h.total_income_fen:
            bad_income.append(f"{who}：家庭月收入合计应为 {format_yuan(want_income, thousands=False)} 元")
    bad_member_ids = []
    for mid, number, archive_no, name in s.execute(
            select(FamilyMember.id, FamilyMember.id_number, Household.archive_no, Household.name)
            .join(Household, Household.id == FamilyMember.household_id).where(FamilyMember.id_number.is_not(None))):
        try:
            parse_id_number(number)
        except InvalidIdNumber as exc:
            bad_member_ids.append(f"{archive_no}（{name}）的家庭成员：{exc.reason}")
    return [
        _item("在档档案的建档日期", no_archived, "正常", "{n} 户在档/渐退/退档的档案缺少建档日期"),
        _item("渐退期截止日期", no_phase_end, "正常", "{n} 户渐退期档案缺少渐退期截止日期"),
        _item("退档日期", no_exit_date, "正常", "{n} 户已退档档案缺少退档日期"),
        _item("户主身份证号", bad_id, "全部有效", "{n} 户户主身份证号无效"),
        _item("家庭成员身份证号", bad_member_ids, "全部有效", "{n} 名家庭成员身份证号无效"),
        _duplicates(s),
        _item("走访日期", bad_due, "最近/下次走访日期与走访记录一致", "{n} 户走访日期与走访记录不一致"),
        _item("家庭月收入合计", bad_income, "正常", "{n} 户家庭月收入合计与明细不符"),
    ]


def _duplicates(s) -> CheckItem:
    """Within one archive (a city's counties are checked across by the cross-county report)."""
    heads = select(Household.id_number.label("number"), Household.archive_scope.label("scope"))
    members = (select(FamilyMember.id_number.label("number"), Household.archive_scope.label("scope"))
               .join(Household, Household.id == FamilyMember.household_id).where(FamilyMember.id_number.is_not(None)))
    both = union_all(heads, members).subquery()
    dup_numbers = list(dict.fromkeys(s.execute(select(both.c.number).group_by(both.c.scope, both.c.number)
                                               .having(func.count() > 1)).scalars()))
    owners: dict[str, list[str]] = defaultdict(list)
    if dup_numbers:
        chunk = dup_numbers[:200]
        for number, archive_no in s.execute(select(Household.id_number, Household.archive_no)
                                            .where(Household.id_number.in_(chunk))):
            owners[number].append(f"{archive_no}（户主）")
        for number, archive_no in s.execute(select(FamilyMember.id_number, Household.archive_no)
                                            .join(Household, Household.id == FamilyMember.household_id)
                                            .where(FamilyMember.id_number.in_(chunk))):
            owners[number].append(f"{archive_no}（成员）")
    bad = [f"{n[:6]}********{n[-4:]}：{'、'.join(owners.get(n, []))}" for n in dup_numbers]
    return _item("身份证号重复", bad, "无重复", "{n} 个身份证号出现在多处（户主或家庭成员）")


def _attachment_check(s) -> CheckItem:
    bad = []
    rows = s.execute(select(Attachment.id, Attachment.filename, Attachment.sha256, Attachment.size,
                            Household.archive_no).join(Household, Household.id == Attachment.household_id)).all()
    for aid, filename, sha, size, archive_no in rows:
        data = s.execute(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == sha)).scalar_one_or_none()
        if data is None:
            bad.append(f"{archive_no} 附件“{filename}”：内容缺失")
        elif hashlib.sha256(bytes(data)).hexdigest() != sha or len(data) != size:
            bad.append(f"{archive_no} 附件“{filename}”：内容与 sha256 不符")
    return _item("附件内容", bad, f"{len(rows)} 个附件校验通过", "{n} 个附件内容损坏或缺失")


def run_checks(db: Database) -> CheckReport:
    """Every check, each with a Chinese name and detail; `ok` only if all pass."""
    items: list[CheckItem] = []
    with db.session(read_only=True) as s:
        items.extend(_sqlite_checks(s) if db.is_sqlite else _server_checks(s))
        chain = audit_chain.verify(s)
        items.append(CheckItem("审计日志哈希链", chain.ok,
                               f"{chain.rows} 条记录，链头 {chain.head_hash[:16]}…" if chain.ok else chain.reason,
                               () if chain.ok else (f"审计日志第 {chain.first_broken_seq} 条",)))
        items.extend(tamper_checks.signature_items(s))
        items.extend(tamper_checks.seal_items(s))
    with db.session(read_only=True) as s:
        items.extend(_archive_checks(s))
        items.append(_attachment_check(s))
    return CheckReport(all(i.ok for i in items), items)
