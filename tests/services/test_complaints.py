"""信访/投诉: registered with a working-day deadline (holiday calendar, 调休 included), handled,
concluded with a result and the office's fault; overdue listing, scope, audit."""
from __future__ import annotations

from datetime import date

import pytest

from tests.admin_helpers import snapshot
from tests.archive_helpers import scoped, with_roles
from zhibang_desktop.services import casework
from zhibang_desktop.services.admin.settings import update_settings
from zhibang_desktop.services.casework import ComplaintInput
from zhibang_desktop.services.errors import Conflict, PermissionDenied, ValidationFailed

from .casework_helpers import paid_lines


def letter(**kw) -> ComplaintInput:
    values = dict(received_on=date(2026, 9, 28), channel="letter", complainant="匿名",
                  content="反映某户家中有车仍领取救助金")
    values.update(kw)
    return ComplaintInput(**values)


def test_lifecycle_from_letter_to_closed_with_fault(ctx, monkeypatch):
    clock, made, lines = paid_lines(ctx, monkeypatch, 2)
    clock.day(date(2026, 10, 9))
    c = casework.add_complaint(ctx, letter(request_number=f"JZ2026-T{0:05d}"))
    # 15 working days after Mon 28 Sep 2026: 1–7 Oct (National Day) are off, Sat 10 Oct is a 调休 workday
    assert (c.number, c.due_date, c.status) == ("TS2026-001", date(2026, 10, 23), "open")
    assert c.household_id == made.household_ids[0] and c.request_number == "JZ2026-T00000"
    assert c.due_warning is None
    c = casework.handle_complaint(ctx, c.id, c.version, "已转荔城街总工会入户核实")
    assert c.status == "open" and c.handling == "已转荔城街总工会入户核实"
    with pytest.raises(Conflict):
        casework.handle_complaint(ctx, c.id, c.version - 1, "再次核实", "属实", True, close=True)
    clock.day(date(2026, 10, 28))
    assert [x.number for x in casework.list_complaints(ctx, overdue_only=True)] == ["TS2026-001"]
    c = casework.handle_complaint(ctx, c.id, c.version, "入户核实：名下确有轿车一辆", "停发，追回本年救助金",
                                  at_fault=True, close=True)
    assert (c.status, c.at_fault, c.closed_on, c.overdue_days(date(2026, 11, 1))) == ("closed", True, date(2026, 10, 28), 5)
    assert casework.list_complaints(ctx, overdue_only=True) == []
    with pytest.raises(ValidationFailed, match="已于 2026-10-28 办结"):
        casework.handle_complaint(ctx, c.id, c.version, "补充", "补充", False, close=True)
    second = casework.add_complaint(ctx, letter(channel="phone", household_id=made.household_ids[1],
                                                received_on=date(2026, 10, 27)))
    assert second.number == "TS2026-002" and second.unit_name == "新塘镇牛仔服装公司工会"
    assert [x.number for x in casework.list_complaints(ctx, status="open")] == ["TS2026-002"]


@pytest.mark.parametrize("change, label, message", [
    (dict(channel="fax"), "来源方式", "来信、来访、电话"),
    (dict(complainant=""), "投诉人", "匿名"),
    (dict(content="  "), "投诉内容", "请填写"),
    (dict(received_on=date(2026, 11, 24)), "收到日期", "不能晚于今天"),
    (dict(request_number="JZ2099-00001"), "涉及申请", "没有编号为 JZ2099-00001"),
])
def test_bad_input_changes_nothing(ctx, change, label, message):
    before = snapshot(ctx.db)
    with pytest.raises(ValidationFailed) as err:
        casework.add_complaint(ctx, letter(**change))
    assert any(p.label == label and message in p.message for p in err.value.problems)
    assert snapshot(ctx.db) == before


def test_closing_needs_result_and_fault(ctx):
    c = casework.add_complaint(ctx, letter())
    with pytest.raises(ValidationFailed) as err:
        casework.handle_complaint(ctx, c.id, c.version, "已核实", close=True)
    assert {p.label for p in err.value.problems} == {"办理结果", "是否有责"}


def test_deadline_follows_the_setting_and_warns_without_holiday_data(ctx, monkeypatch):
    from .payout_helpers import Clock

    update_settings(ctx, complaint_working_days=5)
    clock = Clock(monkeypatch, 2027, 12, 29)
    c = casework.add_complaint(ctx, letter(received_on=date(2027, 12, 28)))
    assert c.due_date == date(2028, 1, 4) and "2028" in c.due_warning


def test_scope_and_permission(ctx, monkeypatch):
    clock, made, _ = paid_lines(ctx, monkeypatch, 2)
    clock.day(date(2026, 10, 9))
    licheng = scoped(ctx, "荔城街总工会")
    mine = casework.add_complaint(licheng, letter(household_id=made.household_ids[0]))
    theirs = casework.add_complaint(ctx, letter(household_id=made.household_ids[1]))
    assert [c.id for c in casework.list_complaints(licheng)] == [mine.id]
    with pytest.raises(PermissionDenied, match="管辖范围"):
        casework.add_complaint(licheng, letter(household_id=made.household_ids[1]))
    with pytest.raises(PermissionDenied, match="管辖范围"):
        casework.handle_complaint(licheng, theirs.id, theirs.version, "看看")
    with pytest.raises(PermissionDenied):
        casework.add_complaint(with_roles(ctx, "reviewer"), letter())
    unitless = casework.add_complaint(licheng, letter())
    assert unitless.unit_name == "荔城街总工会"  # a scoped user's complaint without a household: its own union
