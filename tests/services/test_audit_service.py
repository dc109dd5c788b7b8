"""The audit trail as read by the 审计日志 page and the CLI: query, export, verify, what gets audited."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select, update

from tests.admin_helpers import PASSWORD, admin_context, user_context
from zhibang_desktop.domain import clock
from zhibang_desktop.services.admin import audit, org, users
from zhibang_desktop.services.admin.audit import AuditFilter
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed
from zhibang_desktop.storage.models import AuditEntry


@pytest.fixture
def admin(ctx):
    return admin_context(ctx)


def test_logins_are_audited(admin):
    with pytest.raises(users.LoginFailed):
        users.authenticate(admin.db, "admin", "wrong-password")
    with pytest.raises(users.LoginFailed):
        users.authenticate(admin.db, "ghost", "whatever1")
    users.authenticate(admin.db, "admin", PASSWORD)
    rows = audit.query_audit(admin, entity="user", limit=5).rows
    assert [r.action for r in rows[:3]] == ["login", "login_failed", "login_failed"]
    assert rows[0].action_label == "登录" and rows[1].action_label == "登录失败"
    assert rows[1].username == "未知用户（g…，5 个字符）" and rows[1].user_id is None
    assert rows[1].summary == "用户名不存在"  # the audit keeps the real reason; the user sees only WRONG_LOGIN
    assert rows[2].username == "admin" and rows[2].user_id == admin.actor.user_id


def test_a_password_typed_as_the_user_name_is_not_kept(admin):
    with pytest.raises(users.LoginFailed):
        users.authenticate(admin.db, "Secret-Pass-123", "x")
    with admin.db.session() as s:
        texts = [" ".join(str(v) for v in (r.username, r.summary, r.changes)) for r in
                 s.execute(select(AuditEntry)).scalars()]
    assert not any("Secret-Pass-123" in t for t in texts)


def test_query_filters_and_paging(admin):
    clerk = user_context(admin, "lina", ["clerk"])
    for i in range(7):
        org.add_unit(admin, f"测试工会{i}", "grassroots", _district(admin))
    page = audit.query_audit(admin, limit=3)
    assert page.total >= 10 and len(page.rows) == 3
    assert [r.seq for r in page.rows] == sorted((r.seq for r in page.rows), reverse=True)  # newest first
    second = audit.query_audit(admin, offset=3, limit=3)
    assert second.rows[0].seq == page.rows[-1].seq - 1

    by_user = audit.query_audit(admin, user="lina")
    assert by_user.total == 1 and by_user.rows[0].action == "login"
    created = audit.query_audit(admin, action="create", entity="org_unit", user="admin")
    assert created.total == 7 and all(r.entity_label == "工会组织" for r in created.rows)

    today = clock.today()
    assert audit.query_audit(admin, date_from=today, date_to=today).total == page.total
    assert audit.query_audit(admin, date_to=today - timedelta(days=1)).total == 0
    assert audit.query_audit(admin, date_from=today + timedelta(days=1)).total == 0
    with pytest.raises(ValidationFailed, match="结束日期"):
        audit.query_audit(admin, date_from=today, date_to=today - timedelta(days=1))

    with pytest.raises(PermissionDenied, match="查看审计日志"):
        audit.query_audit(clerk)
    opts = audit.filter_options(admin)
    assert {"admin", "lina", "system"} <= set(opts.users)
    assert {"create", "login"} <= set(opts.actions) and "org_unit" in opts.entities


def _district(ctx) -> int:
    return next(u.id for u in org.list_units(ctx) if u.level == "district")


def test_date_filter_uses_local_days(admin):
    """A row written just after local midnight belongs to that local day, whatever UTC says."""
    local_midnight = datetime.combine(date(2026, 3, 2), datetime.min.time()).astimezone()
    with admin.db.session() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(at=local_midnight + timedelta(minutes=1)))
    assert [r.seq for r in audit.query_audit(admin, date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)).rows] == [1]
    assert audit.query_audit(admin, date_from=date(2026, 3, 1), date_to=date(2026, 3, 1)).total == 0


def test_verify_and_head(admin):
    report = audit.verify_chain(admin)
    head = audit.chain_head(admin)
    assert report.ok and report.rows == head.seq and report.head_hash == head.hash
    assert len(head.short) == 16
    auditor = user_context(admin, "shen", ["auditor"])
    assert audit.verify_chain(auditor).ok
    clerk = user_context(admin, "lina", ["clerk"])
    with pytest.raises(PermissionDenied):
        audit.verify_chain(clerk)
    assert audit.chain_head(clerk).seq > head.seq  # the head is for everyone to see (printed on lists)


def test_export_xlsx(admin, tmp_path):
    # A unit name that a spreadsheet would run as a formula must arrive as text.
    org.add_unit(admin, "=HYPERLINK(\"http://x\",\"点我\")", "grassroots", _district(admin))
    out = tmp_path / "审计日志.xlsx"
    seen = []
    result = audit.export_audit(admin, out, AuditFilter(user="admin"), progress=lambda d, t: seen.append((d, t)))
    expected = audit.query_audit(admin, user="admin").total - 1  # minus the export row itself
    assert result.rows == expected and out.exists()
    assert seen[-1] == (expected, expected)
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == audit.EXPORT_HEADERS
    assert len(rows) == expected + 1
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])  # oldest first
    formula_row = next(r for r in rows if r[3] == "新增" and r[4] == "工会组织" and "HYPERLINK" in (r[7] or ""))
    assert all(not str(c).startswith("=") for c in formula_row if c is not None)
    last = audit.query_audit(admin, limit=1).rows[0]
    assert last.action == "export" and last.entity == "audit_log" and "审计日志.xlsx" in last.summary
    assert last.changes == (("筛选条件", "", "用户=admin"),)


def test_export_needs_permission_and_xlsx_name(admin, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    clerk = user_context(admin, "lina", ["clerk"])
    with pytest.raises(PermissionDenied):
        audit.export_audit(clerk, tmp_path / "a.xlsx")
    with pytest.raises(ValidationFailed, match="xlsx"):
        audit.export_audit(admin, tmp_path / "a.csv")
    assert not list(tmp_path.iterdir())


def test_export_cancel_leaves_no_file(admin, tmp_path):
    from zhibang_desktop.services.errors import Cancelled

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    before = audit.chain_head(admin).seq
    with pytest.raises(Cancelled):
        audit.export_audit(admin, tmp_path / "a.xlsx", cancelled=lambda: True)
    assert not list(tmp_path.iterdir())
    assert audit.chain_head(admin).seq == before


def test_record_print_event(admin):
    audit.record_event(admin, "print", "household", 12, summary="打印档案表", household_id=12)
    row = audit.query_audit(admin, limit=1).rows[0]
    assert (row.action, row.entity, row.entity_id, row.household_id) == ("print", "household", "12", 12)
    with pytest.raises(ValueError):
        audit.record_event(admin, "delete", "household", 12)


def test_rows_are_plain_data(admin):
    row = audit.query_audit(admin, limit=1).rows[0]
    assert row.at.tzinfo is not None and row.at.utcoffset() == timedelta(0)
    assert row.at <= clock.now()
    assert isinstance(row.changes, tuple)


def _audited_entities() -> dict[str, str]:
    """Every entity code the program writes to the audit trail (a literal second argument of
    ``tx.audit`` or third of ``record_event``), with the file that writes it."""
    import ast
    from pathlib import Path

    import zhibang_desktop

    found: dict[str, str] = {}
    for path in Path(zhibang_desktop.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            at = {"audit": 1, "record_event": 2}.get(name)
            if at is not None and len(node.args) > at and isinstance(node.args[at], ast.Constant):
                found.setdefault(node.args[at].value, path.name)
    return found


def test_every_audited_entity_has_a_chinese_name():
    """The audit page's 对象 column and filter show these names; a code without one showed as
    an internal word (crosscheck_list) once the demo year had casework."""
    entities = _audited_entities()
    assert {"household", "complaint", "crosscheck_list"} <= set(entities)
    assert {code: where for code, where in entities.items() if code not in audit.ENTITY_LABELS} == {}
