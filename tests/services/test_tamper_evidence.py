"""Issue 10, tamper evidence: each attack of the adversarial pass, done with raw SQL on the demo
year, is found by `check`, which names the rows.

Before: all 6 attacks passed `audit verify` and `check` (0 of 6 found). Now 6 of 6:
amounts ×100 in payments, lines and approvals; a pending line's account changed; the last
20 audit entries deleted with the head moved back; an entry edited, another deleted and
the chain recomputed; an admin user inserted (who could then log in).
"""
from __future__ import annotations

import pytest
from sqlalchemy import text

from zhibang_desktop.services import audit_chain, office_key
from zhibang_desktop.services.admin import audit, users
from zhibang_desktop.services.admin.checks import run_checks
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.admin.users import LoginFailed
from zhibang_desktop.storage.database import open_database


@pytest.fixture
def key(tmp_path, monkeypatch):
    path = office_key.create_key(tmp_path / "keys" / "office.key")
    monkeypatch.setenv(office_key.ENV, str(path))
    return path


@pytest.fixture
def demo(demo_copy):
    db = open_database(demo_copy)
    yield db
    db.close()


def _failed(db) -> dict[str, tuple[str, tuple[str, ...]]]:
    report = run_checks(db)
    return {i.name: (i.detail, i.examples) for i in report.items if not i.ok}


def _sql(db, statement: str, **params):
    with db.engine.begin() as conn:
        return conn.execute(text(statement), params)


def _signed_writes(db, n: int) -> None:
    ctx = AppContext(db, SYSTEM)
    for i in range(n):
        audit.record_event(ctx, "print", "notice", i, summary=f"打印测试 {i}")


def test_the_clean_demo_year_passes_check(demo, key):
    _signed_writes(demo, 3)
    assert _failed(demo) == {}


def test_amounts_times_100_in_payments_lines_and_approvals_are_named(demo):
    pay = _sql(demo, "SELECT id FROM payments ORDER BY id LIMIT 1").scalar_one()
    line = _sql(demo, "SELECT id FROM disbursement_lines ORDER BY id LIMIT 1").scalar_one()
    review = _sql(demo, "SELECT id FROM reviews WHERE amount_fen IS NOT NULL ORDER BY id LIMIT 1").scalar_one()
    request = _sql(demo, "SELECT id FROM relief_requests WHERE approved_fen IS NOT NULL ORDER BY id LIMIT 1"
                   ).scalar_one()
    _sql(demo, "UPDATE payments SET amount_fen = amount_fen * 100 WHERE id = :i", i=pay)
    _sql(demo, "UPDATE disbursement_lines SET amount_fen = amount_fen * 100 WHERE id = :i", i=line)
    _sql(demo, "UPDATE reviews SET amount_fen = amount_fen * 100 WHERE id = :i", i=review)
    _sql(demo, "UPDATE relief_requests SET approved_fen = approved_fen * 100 WHERE id = :i", i=request)
    detail, rows = _failed(demo)["业务数据校验值（发放、明细、审批、账户、用户）"]
    assert "4 行" in detail
    assert set(rows) == {f"发放记录 第 {pay} 行在本程序之外被修改", f"发放明细 第 {line} 行在本程序之外被修改",
                         f"审核/审批意见 第 {review} 行在本程序之外被修改", f"救助申请 第 {request} 行在本程序之外被修改"}


def _pending_line(db) -> int:
    from datetime import date

    from zhibang_desktop.services import payout as disbursement
    from zhibang_desktop.services.payout.types import BatchInput, LinePlan

    ctx = AppContext(db, SYSTEM)
    from zhibang_desktop.services.payout import notices

    request_id = disbursement.batch_candidates(ctx)[0][0].request_id
    notices.override_payability(ctx, request_id, "测试：特批先行发放")
    batch = disbursement.create_batch(ctx, BatchInput(date(2026, 11, 30), [LinePlan(request_id,
                                                                                    method="bank_transfer")]))
    return batch.lines[0].id


def test_pending_line_account_changed_is_named(demo):
    line = _pending_line(demo)
    assert _failed(demo) == {}
    _sql(demo, "UPDATE disbursement_lines SET account = '6222020000000000001' WHERE id = :i", i=line)
    _, rows = _failed(demo)["业务数据校验值（发放、明细、审批、账户、用户）"]
    assert rows == (f"发放明细 第 {line} 行在本程序之外被修改",)


def test_a_seal_edited_to_match_is_named_by_its_audit_entry(demo):
    line = _pending_line(demo)
    _sql(demo, "UPDATE disbursement_lines SET account = '6222020000000000001' WHERE id = :i", i=line)
    from zhibang_desktop.services import row_seals

    with demo.session() as s:
        new_hash = dict(row_seals.current_hashes(s, "disbursement_lines", [line]))[str(line)]
        seal_id, seq = s.execute(text("SELECT id, audit_seq FROM row_seals WHERE table_name = 'disbursement_lines' "
                                      "AND row_id = :r ORDER BY id DESC LIMIT 1"), {"r": str(line)}).one()
    _sql(demo, "UPDATE row_seals SET hash = :h WHERE id = :i", h=new_hash, i=seal_id)
    failed = _failed(demo)
    assert "业务数据校验值（发放、明细、审批、账户、用户）" not in failed
    assert failed["校验值记录"][1] == (f"审计日志第 {seq} 条",)


def test_inserted_admin_user_is_named(demo):
    hash_ = _sql(demo, "SELECT password_hash FROM users WHERE username = 'admin'").scalar_one()
    _sql(demo, "INSERT INTO users (username, display_name, password_hash, roles, active, failed_attempts, "
               "created_at) VALUES ('mallory', '入侵者', :h, '[\"admin\"]', TRUE, 0, '2026-11-23 01:00:00.000000')",
         h=hash_)
    uid = _sql(demo, "SELECT id FROM users WHERE username = 'mallory'").scalar_one()
    _, rows = _failed(demo)["业务数据校验值（发放、明细、审批、账户、用户）"]
    assert rows == (f"用户 第 {uid} 行不是由本程序写入（无校验记录）",)
    with pytest.raises(LoginFailed, match="不是由本程序写入"):
        users.authenticate(demo, "mallory", "demo1234")
    users.authenticate(demo, "admin", "demo1234")


def test_a_user_promoted_to_admin_with_sql_cannot_log_in(demo):
    _sql(demo, "UPDATE users SET roles = '[\"admin\", \"clerk\"]' WHERE username = 'clerk'")
    uid = _sql(demo, "SELECT id FROM users WHERE username = 'clerk'").scalar_one()
    _, rows = _failed(demo)["业务数据校验值（发放、明细、审批、账户、用户）"]
    assert rows == (f"用户 第 {uid} 行在本程序之外被修改",)
    with pytest.raises(LoginFailed, match="已被改动"):
        users.authenticate(demo, "clerk", "demo1234")


def test_last_20_entries_deleted_with_the_head_moved_back(demo, key):
    _signed_writes(demo, 25)
    last = _sql(demo, "SELECT seq FROM audit_head").scalar_one()
    keep = last - 20
    new_head = _sql(demo, "SELECT hash FROM audit_log WHERE seq = :s", s=keep).scalar_one()
    _sql(demo, "DELETE FROM audit_log WHERE seq > :s", s=keep)
    _sql(demo, "UPDATE audit_head SET seq = :s, hash = :h", s=keep, h=new_head)
    failed = _failed(demo)
    assert "审计日志哈希链" not in failed  # the chain alone cannot see it
    detail, rows = failed["链头记录（密钥旁）"]
    assert "末尾 20 条记录被删除" in detail
    assert rows == tuple(f"审计日志第 {s} 条（已缺失）" for s in range(keep + 1, last + 1))


def test_entry_edited_another_deleted_and_chain_recomputed(demo, key):
    _signed_writes(demo, 10)
    last = _sql(demo, "SELECT seq FROM audit_head").scalar_one()
    edited, deleted = last - 6, last - 3
    _sql(demo, "UPDATE audit_log SET summary = '打印（已改）' WHERE seq = :s", s=edited)
    _sql(demo, "DELETE FROM audit_log WHERE seq = :s", s=deleted)
    # Two steps, so no row lands on a number another still holds: PostgreSQL checks the key row by row.
    _sql(demo, "UPDATE audit_log SET seq = -seq WHERE seq > :s", s=deleted)
    _sql(demo, "UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0")
    _recompute_chain(demo)
    failed = _failed(demo)
    assert "审计日志哈希链" not in failed  # a consistent chain, recomputed without the key
    detail, rows = failed["办公室密钥签名"]
    assert f"从第 {edited} 条起" in detail
    assert rows == tuple(f"审计日志第 {s} 条" for s in range(edited, last))


def _recompute_chain(db) -> None:
    """What an attacker with the database but without the office key can do."""
    with db.session() as s:
        from zhibang_desktop.storage.models import AuditEntry, AuditHead

        prev = audit_chain.GENESIS
        for e in s.query(AuditEntry).order_by(AuditEntry.seq):
            e.prev_hash = prev
            e.hash = audit_chain.entry_hash(prev, e)
            prev = e.hash
        head = s.get(AuditHead, 1)
        head.seq = s.query(AuditEntry).count()
        head.hash = prev


def test_seals_digest_is_the_hash_of_the_sorted_lines():
    """The digest recorded in every audit entry since seals began: fed a line at a time, the same
    bytes as the sorted lines joined (databases sealed before must still check)."""
    import hashlib

    from zhibang_desktop.services.row_seals import seals_digest

    seals = [("payments", "10", "b" * 64), ("payments", "9", None), ("households", "1", "a" * 64)]
    joined = "\n".join(["households:1:" + "a" * 64, "payments:10:" + "b" * 64, "payments:9:-"])
    assert seals_digest(seals) == hashlib.sha256(joined.encode("utf-8")).hexdigest()
    assert seals_digest([]) == hashlib.sha256(b"").hexdigest()


def test_the_database_sorts_seal_lines_as_the_digest_defines(demo):
    """Issue 15: the commit and `check` digest the stored seals as the database sorts them (an
    import's 50,000 lines are not held at once); the bytes must stay those of `seals_digest`
    (Python's sorted str, code-point order), or seals recorded before would no longer check.
    The mix puts ":" against digits ("12:" after "123"), a deleted row ("-"), and text beyond
    ASCII whose UTF-16 order differs from its code-point order (U+FF5E against U+1F600)."""
    from sqlalchemy import delete, insert

    from zhibang_desktop.services.row_seals import _stored_digests, seals_digest
    from zhibang_desktop.storage.models import RowSeal

    seals = [("payments", "12", "a" * 64), ("payments", "123", "b" * 64), ("payments", "1", None),
             ("payments", "12", "0" * 64), ("households", "9", "f" * 64), ("households", "10", None),
             ("reviews", "7", "é"), ("reviews", "7", "\uff5e"), ("reviews", "7", "\U0001F600"),
             ("reviewer_scopes", "3", "中文"), ("reviews", "7", "Z"), ("reviews", "7", "~")]
    with demo.session() as s:
        s.execute(insert(RowSeal.__table__), [dict(table_name=t, row_id=r, hash=h, audit_seq=-5) for t, r, h in seals])
        s.execute(insert(RowSeal.__table__), [dict(table_name="payments", row_id="1", hash=None, audit_seq=-4)])
        stored = dict(_stored_digests(s))
        assert stored[-5] == seals_digest(seals) and stored[-4] == seals_digest([("payments", "1", None)])
        assert dict(_stored_digests(s, -5)) == {-5: seals_digest(seals)}
        s.execute(delete(RowSeal.__table__).where(RowSeal.audit_seq < 0))
        for seq, digest in _stored_digests(s):  # the demo's own seals, as recorded at their commits
            rows = s.execute(text("SELECT table_name, row_id, hash FROM row_seals WHERE audit_seq = :q"),
                             {"q": seq}).all()
            assert digest == seals_digest(rows)


def test_an_import_is_sealed_with_its_ids_kept_as_runs(demo, tmp_path):
    """The ids a transaction touched are kept as runs of consecutive ids (a bulk insert is one run),
    not a set of texts; every one is sealed once, and the entry's digest is the old definition's."""
    from array import array

    from sqlalchemy import select

    from zhibang_desktop.services import row_seals
    from zhibang_desktop.storage.models import AuditEntry, RowSeal

    ids = row_seals.TouchedIds()
    ids.add(range(1000, 51000))
    ids.add([51000, 51001, 7, 1500, 7, 3, 4, 5])
    ids.add(["6", 2])
    assert ids.runs == array("q", [1000, 51002, 7, 8, 1500, 1501, 7, 8, 3, 7, 2, 3])  # 16 bytes a run
    assert list(ids) == list(range(2, 8)) + list(range(1000, 51002))

    with demo.session() as s:
        seq = s.execute(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        rows = s.execute(select(RowSeal.table_name, RowSeal.row_id, RowSeal.hash)
                         .where(RowSeal.audit_seq == seq)).all()
        head = s.get(AuditEntry, seq)
        assert head.seal_digest is None or head.seal_digest == row_seals.seals_digest(rows)
        touched = [int(i) for i in s.execute(text("SELECT id FROM households ORDER BY id LIMIT 200")).scalars()]
        s.execute(text("UPDATE households SET name = name || '改' WHERE id IN (%s)" % ",".join(map(str, touched))))
        row_seals.touch(s, "households", touched)
        row_seals.touch(s, "households", touched[:10])  # twice: sealed once
        assert len(s.info[row_seals.TOUCHED]["households"].runs) <= 2 * 4  # consecutive ids: a few runs
        audit_chain.set_actor(s, None, "system")
    with demo.session() as s:
        entry = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        rows = s.execute(select(RowSeal.table_name, RowSeal.row_id, RowSeal.hash)
                         .where(RowSeal.audit_seq == entry.seq)).all()
        assert sorted(int(r) for _, r, _ in rows) == sorted(touched)
        assert entry.summary == f"记录 {len(touched)} 行数据的校验值"
        assert entry.seal_digest == row_seals.seals_digest(rows)
        assert entry.hash == audit_chain.entry_hash(entry.prev_hash, entry)
    assert _failed(demo) == {}
