"""`check`'s tamper evidence: row seals, their digests, office-key signatures and the recorded head.

What each finds (issue 10, attacks done with raw SQL):
* an amount, account or user edited, a row inserted or deleted outside the app → the row
  no longer matches its newest seal (named: table and row id);
* a seal edited to match → the audit entry's seal digest no longer matches (entry named);
* an entry edited and the chain recomputed after it → the entries' office-key signatures fail;
* the last entries deleted and the head moved back → the head recorded beside the key is
  past the database's head.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...storage.models import AuditEntry
from .. import audit_chain, office_key, row_seals
from .check_types import CheckItem

MAX_LISTED = 200


def _item(name: str, ok: bool, detail: str, examples=()):
    return CheckItem(name, ok, detail, tuple(examples)[:MAX_LISTED])


def seal_items(session: Session) -> list:
    problems = row_seals.verify_rows(session)
    items = [_item("业务数据校验值（发放、明细、审批、账户、用户）", not problems,
                   "与审计日志记录的校验值一致" if not problems
                   else f"{len(problems)} 行数据与本程序写入时不符（在本程序之外被改动）",
                   [str(p) for p in problems])]
    bad = row_seals.verify_digests(session)
    items.append(_item("校验值记录", not bad, "与审计日志一致" if not bad
                       else f"{len(bad)} 条审计记录的校验值摘要与所存校验值不符（校验值被改动）",
                       [f"审计日志第 {seq} 条" for seq in bad]))
    return items


def signature_items(session: Session) -> list:
    path = office_key.key_path()
    key = office_key.load_key(path)
    name = "办公室密钥签名"
    if key is None:
        why = "未配置办公室密钥（ZHIBANG_KEY_FILE）" if path is None else f"读不到办公室密钥文件 {path}"
        return [_item(name, True, why + "：无法发现整条审计链被重算或末尾记录被删除")]
    failed, unsigned, signed_seen, last = [], [], False, None
    for seq, entry_hash, mac in session.execute(select(AuditEntry.seq, AuditEntry.hash, AuditEntry.mac)
                                                .order_by(AuditEntry.seq)):
        last = (seq, entry_hash)
        if mac is None:
            if signed_seen:
                unsigned.append(seq)
            continue
        signed_seen = True
        if not office_key.matches(key, entry_hash, mac):
            failed.append(seq)
    items = []
    bad = failed + unsigned
    detail = "全部审计记录签名正确" if not bad else "；".join(x for x in (
        f"{len(failed)} 条记录的签名不符（从第 {failed[0]} 条起被改写或重算）" if failed else "",
        f"{len(unsigned)} 条记录没有签名" if unsigned else "") if x)
    items.append(_item(name, not bad, detail, [f"审计日志第 {s} 条" for s in sorted(bad)]))
    items.append(_head_item(session, last))
    return items


def _head_item(session: Session, last: tuple[int, str] | None):
    name = "链头记录（密钥旁）"
    first = session.get(AuditEntry, 1)
    chain_id = first.hash if first is not None else audit_chain.GENESIS
    recorded = office_key.recorded_head(chain_id)
    if recorded is None:
        return _item(name, True, "密钥旁尚无本数据库的链头记录")
    if isinstance(recorded, str):
        return _item(name, False, recorded)
    seq, head_hash = recorded
    last_seq = last[0] if last else 0
    if seq > last_seq:
        return _item(name, False, f"审计日志末尾 {seq - last_seq} 条记录被删除：密钥旁记录的链头为第 {seq} 条，"
                                  f"数据库只到第 {last_seq} 条",
                     [f"审计日志第 {s} 条（已缺失）" for s in range(last_seq + 1, seq + 1)])
    row = session.get(AuditEntry, seq)
    if row is None or row.hash != head_hash:
        return _item(name, False, f"密钥旁记录的第 {seq} 条链头与数据库不符（此前的记录被改写）",
                     [f"审计日志第 {seq} 条"])
    return _item(name, True, f"与密钥旁记录一致（第 {seq} 条，{head_hash[:16]}…）")
