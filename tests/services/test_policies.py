"""Policies in the database: presets, versions, import/export, and requests keeping their version."""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from zhibang_desktop.domain.policy import AmountRule
from zhibang_desktop.services.relief import calendar, holidays, policies, review
from zhibang_desktop.services import relief
from zhibang_desktop.services.errors import NotFound, PermissionDenied, ValidationFailed
from zhibang_desktop.services.relief.types import HolidayView
from zhibang_desktop.storage.models import AuditEntry, PolicyVersion

from ..admin_helpers import admin_context
from .relief_helpers import Clock, add_household, office, quarterly, set_dibao, yuan, zengcheng


@pytest.mark.parametrize("preset, office_name", [
    ("增城", "增城区总工会"), ("zengcheng", "增城区总工会"), ("上海", "上海市总工会"),
    ("海口", "海口市总工会"), ("kunming", "昆明市总工会"),
])
def test_presets_by_name_or_stem(ctx, preset, office_name):
    admin = admin_context(ctx)
    v = policies.use_preset(admin, preset, 2026)
    assert (v.year, v.version, v.in_force, v.office) == (2026, 1, True, office_name)
    assert v.relief_types


def test_versions_and_in_force(ctx):
    admin = admin_context(ctx)
    a = policies.use_preset(admin, "增城", 2026)
    b = policies.use_preset(admin, "上海", 2026)
    c = policies.use_preset(admin, "增城", 2027)
    assert (b.version, c.version) == (2, 1)
    rows = policies.list_policies(admin)
    assert [(r.year, r.version, r.in_force) for r in rows] == [(2027, 1, True), (2026, 2, True), (2026, 1, False)]
    assert policies.show_policy(admin, 2026).id == b.id
    assert policies.activate_policy(admin, a.id).in_force
    assert policies.show_policy(admin, 2026).id == a.id
    opts = policies.policy_options(admin, 2026)
    assert [t.code for t in opts.relief_types] == ["quarterly", "emergency", "seasonal"]
    q = opts.relief_types[0]
    assert q.needs_quarter and q.standard_text == "400–600 元" and q.conditions and q.attachments
    assert [lv.note for lv in q.review_levels] == ["5", "5", "5"]
    assert policies.policy_options(admin, 2031).policy_id is None
    with pytest.raises(NotFound):
        policies.show_policy(admin, 2031)


def test_import_export_round_trip_and_validation(ctx, tmp_path):
    admin = admin_context(ctx)
    policies.use_preset(admin, "增城", 2026)
    out = tmp_path / "p.json"
    text = policies.export_policy(admin, 2026, path=out)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(text)
    v = policies.import_policy(admin, out, year=2027)
    assert (v.year, v.version) == (2027, 1)
    assert json.loads(policies.export_policy(admin, 2027))["relief_types"] == json.loads(text)["relief_types"]
    body = json.loads(text)
    body["relief_types"][0]["kind"] = "weekly"
    body["review_chain"][0]["days_allowed"] = -1
    with pytest.raises(ValidationFailed) as exc:
        policies.import_policy(admin, json.dumps(body, ensure_ascii=False))
    fields = {p.field for p in exc.value.problems}
    assert "relief_types[0].kind" in fields and any(f.startswith("review_chain[0]") for f in fields)
    with pytest.raises(ValidationFailed, match="JSON 格式错误"):
        policies.import_policy(admin, "{not json")
    with pytest.raises(ValidationFailed, match="无法读取"):
        policies.import_policy(admin, tmp_path / "missing.json")
    with admin.db.session() as s:
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "export")).scalars().first() is not None


def test_only_policy_editors(ctx):
    o = office(ctx)
    with pytest.raises(PermissionDenied):
        policies.use_preset(o["clerk"], "增城", 2026)
    policies.use_preset(o["admin"], "增城", 2026)
    assert policies.show_policy(o["clerk"], 2026).year == 2026  # reading is fine


def test_a_request_keeps_its_policy_version_after_the_policy_changes(ctx, monkeypatch, tmp_path):
    o = office(ctx)
    Clock(monkeypatch, datetime(2026, 3, 2, 2, tzinfo=timezone.utc))
    v1 = zengcheng(o["admin"], 2026)
    set_dibao(o, 2026)
    hh = add_household(ctx)
    r = relief.create_request(o["clerk"], quarterly(hh, 600))
    r = relief.submit_request(o["clerk"], r.id)
    assert (r.policy_id, r.policy_version) == (v1.id, 1)
    with o["admin"].db.session() as s:
        body_before = s.get(PolicyVersion, v1.id).body

    # next version: quarterly relief now 400–500 and only two review levels
    p = policies.in_force_policy(o["admin"], 2026)
    q = dataclasses.replace(p.relief_type("quarterly"), amount=AmountRule("range", min_fen=yuan(400), max_fen=yuan(500)))
    p2 = dataclasses.replace(p, relief_types=tuple(q if t.code == "quarterly" else t for t in p.relief_types),
                             review_chain=p.review_chain[1:])
    v2 = policies.save_policy(o["admin"], p2)
    assert (v2.version, v2.in_force) == (2, True)

    for key in ("g", "s", "d"):  # still the three levels it was submitted under
        r = review.decide(o[key], r.id, "approve", "同意")
    assert r.status == "approved" and r.policy_id == v1.id and r.standard_text == "400–600 元"
    assert not r.findings  # 600 was within the standard of its version
    with o["admin"].db.session() as s:
        assert s.get(PolicyVersion, v1.id).body == body_before  # never mutated
    assert policies.show_policy(o["admin"], policy_id=v1.id).used_by_requests == 1
    relief.print_approval(o["clerk"], r.id, tmp_path / "f.pdf")  # prints under version 1 too

    # a new request is judged under version 2
    ev = relief.evaluate_draft(o["clerk"], quarterly(hh, 600, quarter=3))
    assert ev.policy_id == v2.id and "amount_above_standard" in {f.code for f in ev.warnings}


def test_holiday_table(ctx):
    admin = admin_context(ctx)
    assert [y.source for y in holidays.calendar_years(admin, [2026, 2027])] == ["package", "none"]
    holidays.add_day(admin, date(2027, 10, 1), False, "国庆节")
    holidays.add_day(admin, date(2027, 9, 26), True, "国庆调休")
    holidays.add_day(admin, date(2027, 10, 1), False, "国庆节（改）")  # replaces
    assert [(d.day, d.is_workday, d.name) for d in holidays.list_days(admin, 2027)] == [
        (date(2027, 9, 26), True, "国庆调休"), (date(2027, 10, 1), False, "国庆节（改）")]
    with admin.db.session() as s:
        cal = calendar.work_calendar(s)
    assert not cal.is_workday(date(2027, 10, 1)) and cal.is_workday(date(2027, 9, 26))  # a Sunday at work
    assert not cal.is_year_known(2027)
    assert holidays.mark_year_complete(admin, 2027).source == "admin"
    holidays.remove_day(admin, date(2027, 9, 26))
    with pytest.raises(NotFound):
        holidays.remove_day(admin, date(2027, 9, 26))
    assert holidays.mark_year_complete(admin, 2027, complete=False).source == "none"
    with pytest.raises(ValidationFailed):
        holidays.add_days(admin, [HolidayView("2027-10-01", False)])  # type: ignore[arg-type]


def test_an_export_that_cannot_be_recorded_leaves_no_file(ctx, tmp_path, monkeypatch):
    from zhibang_desktop.services.context import Tx

    admin = admin_context(ctx)
    policies.use_preset(admin, "增城", 2026)
    out = tmp_path / "p.json"

    def refused(*_args, **_kwargs):
        raise RuntimeError("审计日志写入失败（测试）")

    monkeypatch.setattr(Tx, "audit", refused)
    with pytest.raises(RuntimeError):
        policies.export_policy(admin, 2026, path=out)
    assert not out.exists()
