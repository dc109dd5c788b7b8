"""Relief requests: live evaluation, create / update / submit, history, list, scope, attachments.

Figures from seed 001 (增城) and seed 000 (上海 medical: 90 % below 10,000 self-paid, 70 % above).
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from zhibang_desktop.services.relief import policies
from zhibang_desktop.services import relief
from zhibang_desktop.services.errors import NotFound, PermissionDenied, ValidationFailed
from zhibang_desktop.services.relief.store import InvalidTransition
from zhibang_desktop.services.relief.types import RequestFilter, RequestInput

from ..admin_helpers import user_context
from .relief_helpers import (
    Clock, add_household, emergency, office, person_id, quarterly, set_dibao, submit_and_approve, unit_id, yuan,
    zengcheng,
)


@pytest.fixture
def o(ctx, monkeypatch):
    o = office(ctx)
    o["clock"] = Clock(monkeypatch, datetime(2026, 3, 2, 2, tzinfo=timezone.utc))
    zengcheng(o["admin"], 2026)
    set_dibao(o, 2026)
    o["hh"] = add_household(ctx)
    return o


def codes(ev):
    return {f.code for f in ev.findings}


@pytest.mark.parametrize("amount, errors, warnings, suggested", [
    (500, set(), set(), 500),
    (700, set(), {"amount_above_standard"}, 600),  # 400–600 (001): needs a justification
    (300, set(), {"amount_below_standard"}, 400),
    (0, {"amount_not_positive"}, set(), 400),
])
def test_quarterly_evaluation(o, amount, errors, warnings, suggested):
    ev = relief.evaluate_draft(o["clerk"], quarterly(o["hh"], amount))
    assert {f.code for f in ev.errors} == errors and {f.code for f in ev.warnings} == warnings
    assert ev.suggested_amount_fen == yuan(suggested) and ev.standard_text == "400–600 元"


@pytest.mark.parametrize("amount, subcase, warnings, suggested", [
    (1000, "illness_surgery", {"amount_below_standard"}, 2000),  # 001's knee operation
    (3000, "illness_surgery", set(), 3000),
    (2500, "house_destroyed", {"amount_above_standard"}, 2000),  # fixed 2,000
    (1500, "house_damaged", set(), 1500),  # 1,000–2,000
])
def test_emergency_evaluation(o, amount, subcase, warnings, suggested):
    ev = relief.evaluate_draft(o["clerk"], emergency(o["hh"], amount, subcase))
    assert not ev.errors and {f.code for f in ev.warnings} == warnings
    assert ev.suggested_amount_fen == yuan(suggested)


def test_history_counts_quarters_and_pending_requests(o):
    submit_and_approve(o, quarterly(o["hh"], 500, quarter=1))
    assert "consecutive_quarter" in codes(relief.evaluate_draft(o["clerk"], quarterly(o["hh"], 500, quarter=2)))
    ev = relief.evaluate_draft(o["clerk"], quarterly(o["hh"], 500, quarter=3))
    assert not ev.errors and ev.history_count_year == 1 and ev.history_total_year_fen == yuan(500)
    v = relief.create_request(o["clerk"], quarterly(o["hh"], 500, quarter=3))
    relief.submit_request(o["clerk"], v.id)  # still under review: already counts
    ev = relief.evaluate_draft(o["clerk"], quarterly(o["hh"], 500, quarter=3))
    assert "duplicate_period" in codes(ev)
    assert "count_limit" in codes(relief.evaluate_draft(o["clerk"], quarterly(o["hh"], 500, quarter=4)))
    # re-evaluating the request itself does not count it twice
    ev = relief.evaluate_draft(o["clerk"], quarterly(o["hh"], 500, quarter=3), request_id=v.id)
    assert not ev.errors


def test_household_cap_and_remaining_allowance(o):
    """Guangzhou 送温暖: per household per year ≤ 10 months of 低保 (1,330 → 13,300)."""
    submit_and_approve(o, emergency(o["hh"], 5000, "disaster_severe"))
    submit_and_approve(o, emergency(o["hh"], 5000, "bravery", request_date=date(2026, 6, 1)))
    ev = relief.evaluate_draft(o["clerk"], emergency(o["hh"], 5000, "disaster_severe", request_date=date(2026, 9, 1)))
    assert ev.remaining_year_allowance_fen == yuan(3300) and "cap_dibao_months" in {f.code for f in ev.errors}
    assert ev.max_allowed_fen == yuan(3300) and ev.suggested_amount_fen == yuan(3300)


def test_members_aid_counts_for_the_household(o, ctx):
    child = person_id(402, "F", date(2005, 1, 1))
    hh = add_household(ctx, "黄大明", 401, members=[("黄小红", child)])
    submit_and_approve(o, quarterly(hh, 500, quarter=1, person_id_number=child))
    ev = relief.evaluate_draft(o["clerk"], quarterly(hh, 500, quarter=3))
    assert ev.history_count_year == 1
    with pytest.raises(ValidationFailed, match="受助人"):
        relief.create_request(o["clerk"], quarterly(hh, 500, quarter=3, person_id_number=person_id(999)))


def test_evaluation_never_raises_for_incomplete_input(o):
    ev = relief.evaluate_draft(o["clerk"], quarterly(None, 500, household_id=None, year=2031))
    assert ev.blocking and ev.policy_id is None and "2031 年没有生效的救助政策" in ev.errors[0].message
    ev = relief.evaluate_draft(o["clerk"], quarterly(None, 500, household_id=None, worker_id_number="12345"))
    assert ev.blocking and any(f.rule == "worker_id_number" for f in ev.errors)
    ev = relief.evaluate_draft(o["clerk"], quarterly(99999, 500))
    assert ev.blocking and "不存在" in ev.errors[0].message


def test_create_stores_findings_and_submit_needs_justification_and_reason(o):
    v = relief.create_request(o["clerk"], emergency(o["hh"], 1000, reason=""))
    assert v.status == "draft" and v.number == "JZ2026-00001" and v.suggested_amount_fen == yuan(2000)
    assert [f.code for f in v.findings] == ["amount_below_standard"] and v.standard_text == "2,000–5,000 元"
    with pytest.raises(ValidationFailed) as exc:
        relief.submit_request(o["clerk"], v.id)
    assert {p.field for p in exc.value.problems} == {"justification", "reason"}
    v = relief.update_request(o["clerk"], v.id, emergency(o["hh"], 1000, justification="自付手术费用高"))
    v = relief.submit_request(o["clerk"], v.id)
    assert v.status == "submitted" and v.justification == "自付手术费用高"
    with pytest.raises(InvalidTransition):
        relief.update_request(o["clerk"], v.id, emergency(o["hh"], 2000))


def test_errors_block_submission(o):
    submit_and_approve(o, quarterly(o["hh"], 500, quarter=1))
    v = relief.create_request(o["clerk"], quarterly(o["hh"], 500, quarter=2))  # a draft may hold errors
    with pytest.raises(ValidationFailed, match="隔一季度") as exc:
        relief.submit_request(o["clerk"], v.id, justification="确有困难")
    assert exc.value.problems[0].field == "quarterly.min_quarter_gap"
    assert relief.get_request(o["clerk"], v.id).status == "draft"


def test_input_problems(o):
    with pytest.raises(ValidationFailed) as exc:
        relief.create_request(o["clerk"], RequestInput(relief_type="weekly", year=2026, requested_amount_fen=-1))
    assert {p.field for p in exc.value.problems} == {"relief_type", "requested_amount_fen", "worker_name",
                                                    "worker_id_number", "unit_id"}
    with pytest.raises(ValidationFailed, match="没有生效的救助政策"):
        relief.create_request(o["clerk"], quarterly(o["hh"], 500, year=2030))


def test_worker_not_in_the_archive(o, ctx):
    """Zengcheng types need an archive (先建档后帮扶); Kunming's standing subsidy does not."""
    outsider = dict(household_id=None, worker_name="外来务工人员", worker_id_number=person_id(888),
                    unit_id=unit_id(ctx, "新塘镇牛仔服装公司工会"))
    v = relief.create_request(o["clerk"], emergency(None, 3000, **outsider))
    assert not v.archived and v.household_id is None and "no_archive" in {f.code for f in v.findings}
    with pytest.raises(ValidationFailed, match="先建档"):
        relief.submit_request(o["clerk"], v.id)

    policies.use_preset(o["admin"], "昆明", 2026)
    kunming = policies.policy_options(o["clerk"], 2026).relief_types[0]
    assert not kunming.requires_archive and kunming.needs_months
    v = relief.create_request(o["clerk"], RequestInput(
        relief_type=kunming.code, year=2026, requested_amount_fen=yuan(390), months=3, batch_no=30,
        reason="企业困难职工生活补助", **outsider))
    v = relief.submit_request(o["clerk"], v.id, justification="会员身份由企业工会核实")
    assert v.status == "submitted" and not v.archived
    row = relief.list_requests(o["clerk"], RequestFilter(status="open")).rows[0]
    assert not row.archived and row.unit_name == "新塘镇牛仔服装公司工会"


def test_an_archived_worker_typed_by_id_number_is_linked(o):
    v = relief.create_request(o["clerk"], quarterly(None, 500, household_id=None, worker_name="张三",
                                                    worker_id_number=person_id(101)))
    assert v.household_id == o["hh"] and v.archived and v.archive_no == "ZC202600101"


def test_shanghai_medical_copay_through_the_service(o):
    """Seed 000: 15,000 self-paid → 9,000 + 3,500 = 12,500."""
    policies.use_preset(o["admin"], "上海", 2026)
    opts = policies.policy_options(o["clerk"], 2026)
    medical = next(t for t in opts.relief_types if t.needs_self_paid)
    ev = relief.evaluate_draft(o["clerk"], RequestInput(
        relief_type=medical.code, year=2026, requested_amount_fen=yuan(12500), household_id=o["hh"],
        self_paid_medical_fen=yuan(15000), reason="住院"))
    assert ev.suggested_amount_fen == yuan(12500)


def test_list_filters_and_scope(o, ctx):
    submit_and_approve(o, quarterly(o["hh"], 500, quarter=1))
    other = add_household(ctx, "新塘职工", 501, unit="新塘镇牛仔服装公司工会")
    relief.create_request(o["clerk"], emergency(other, 3000))
    page = relief.list_requests(o["clerk"], RequestFilter())
    assert page.total == 2 and page.rows[0].relief_type == "emergency"  # newest first
    assert relief.list_requests(o["clerk"], RequestFilter(status="approved")).total == 1
    assert relief.list_requests(o["clerk"], RequestFilter(relief_type="emergency", year=2026)).total == 1
    assert relief.list_requests(o["clerk"], RequestFilter(quarter=1)).total == 1
    # the emergency request (no quarterly period) falls in the quarter of its date, 2026-09-28
    assert [r.relief_type for r in relief.list_requests(o["clerk"], RequestFilter(quarter=3)).rows] == ["emergency"]
    assert relief.list_requests(o["clerk"], RequestFilter(quarter=4)).total == 0
    assert relief.list_requests(o["clerk"], RequestFilter(unit_id=unit_id(ctx, "新塘镇总工会"))).total == 1
    assert relief.list_requests(o["clerk"], RequestFilter(text="新塘")).total == 1
    assert relief.list_requests(o["clerk"], RequestFilter(text="JZ2026-00001")).total == 1
    assert relief.list_requests(o["clerk"], RequestFilter(limit=1)).rows[0].number == "JZ2026-00002"

    scoped = user_context(o["admin"], "licheng", ["clerk"], scope_unit_id=unit_id(ctx, "荔城街总工会"))
    assert [r.name for r in relief.list_requests(scoped, RequestFilter()).rows] == ["张三"]
    with pytest.raises(PermissionDenied):
        relief.get_request(scoped, "JZ2026-00002")
    with pytest.raises(PermissionDenied):
        relief.create_request(scoped, emergency(other, 3000))
    with pytest.raises(NotFound):
        relief.get_request(o["clerk"], "JZ2099-00009")


def test_request_view_carries_history_and_timeline(o):
    submit_and_approve(o, quarterly(o["hh"], 500, quarter=1))
    o["clock"].set(2026, 7, 1)
    v = relief.create_request(o["clerk"], quarterly(o["hh"], 600, quarter=3))
    assert [(a.on, a.amount_fen) for a in v.previous_aid] == [(date(2026, 3, 2), yuan(500))]
    assert (v.year_count, v.year_total_fen) == (1, yuan(500))
    assert v.can_edit and v.can_submit and v.can_withdraw and not v.can_review
    assert [c.code for c in v.chain] == ["grassroots", "street", "district"]


def test_attachments(o):
    v = relief.create_request(o["clerk"], quarterly(o["hh"], 500, attachment_kinds=("家庭收入证明",)))
    a = relief.add_request_attachment(o["clerk"], v.id, "收入证明.jpg", b"\xff\xd8jpeg", kind="家庭收入证明")
    assert relief.request_attachment_content(o["clerk"], a.id) == ("收入证明.jpg", b"\xff\xd8jpeg")
    assert [x.filename for x in relief.get_request(o["clerk"], v.id).attachments] == ["收入证明.jpg"]
    with pytest.raises(ValidationFailed):
        relief.add_request_attachment(o["clerk"], v.id, "empty.pdf", b"")
    relief.remove_request_attachment(o["clerk"], a.id)
    assert relief.get_request(o["clerk"], v.id).attachments == ()


def test_missing_required_attachment_kind_blocks(o):
    ev = relief.evaluate_draft(o["clerk"], quarterly(o["hh"], 500, attachment_kinds=()))
    assert "attachment_missing" in {f.code for f in ev.errors}


def test_a_draft_household_cannot_get_a_request(o, ctx):
    draft = add_household(ctx, "草稿户", 601, status="draft")
    assert "archive_draft" in codes(relief.evaluate_draft(o["clerk"], quarterly(draft, 500)))
    with pytest.raises(ValidationFailed, match="草稿"):
        relief.create_request(o["clerk"], quarterly(draft, 500))


def test_a_scan_shared_by_household_and_request_survives_removing_either(o):
    from zhibang_desktop.services import archive

    scan = b"%PDF-1.4 shared scan"
    v = relief.create_request(o["clerk"], quarterly(o["hh"], 500, attachment_kinds=("家庭收入证明",)))
    on_request = relief.add_request_attachment(o["clerk"], v.id, "证明.pdf", scan, kind="家庭收入证明")
    on_household = archive.add_attachment(o["clerk"], o["hh"], "证明.pdf", scan)
    archive.remove_attachment(o["clerk"], on_household.id)
    assert relief.request_attachment_content(o["clerk"], on_request.id) == ("证明.pdf", scan)
    again = archive.add_attachment(o["clerk"], o["hh"], "证明.pdf", scan)
    relief.remove_request_attachment(o["clerk"], on_request.id)
    assert archive.attachment_content(o["clerk"], again.id) == ("证明.pdf", scan)


def test_a_preview_of_the_approval_form_records_no_print(o, tmp_path):
    from sqlalchemy import func, select

    from zhibang_desktop.storage.models import AuditEntry

    v = relief.create_request(o["clerk"], quarterly(o["hh"], 500))

    def prints():
        with o["clerk"].db.session() as s:
            return s.execute(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "print", AuditEntry.entity == "relief_request")).scalar_one()

    relief.build_approval(o["clerk"], v.id, tmp_path / "preview.pdf")
    assert (tmp_path / "preview.pdf").stat().st_size > 1000 and prints() == 0
    relief.print_approval(o["clerk"], v.id, tmp_path / "printed.pdf")
    assert prints() == 1
