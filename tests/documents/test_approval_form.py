"""The printed 救助申请审批表: embedded fonts, and the text an auditor looks for."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from zhibang_desktop.services import relief
from zhibang_desktop.services.relief import review
from zhibang_desktop.storage.models import AuditEntry

from ..services.relief_helpers import (
    Clock, add_household, emergency, office, person_id, quarterly, set_dibao, zengcheng,
)

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")


def pdftext(path) -> str:
    """The text with all whitespace removed (table layout and no-break spaces vary)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def pdffonts(path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def approved(ctx, monkeypatch):
    """Seed 001's knee operation: emergency 1,500 requested, lowered to 1,200 by the district."""
    o = office(ctx)
    clock = Clock(monkeypatch, datetime(2026, 3, 2, 2, tzinfo=timezone.utc))
    zengcheng(o["admin"], 2026)
    set_dibao(o, 2026)
    hh = add_household(ctx, "陈志强", 301, members=[("陈小明", person_id(302, born=date(2008, 3, 1)))])
    old = relief.create_request(o["clerk"], quarterly(hh, 500, quarter=1))
    relief.submit_request(o["clerk"], old.id)
    for key in ("g", "s", "d"):
        review.decide(o[key], old.id, "approve", "同意")
    clock.set(2026, 9, 28)
    v = relief.create_request(o["clerk"], emergency(hh, 1500, reason="膝关节受伤住院手术，自付手术费用高"))
    v = relief.submit_request(o["clerk"], v.id, justification="家庭非常困难，自付费用高，按实际困难申请")
    review.decide(o["g"], v.id, "approve", "情况属实，同意上报")
    clock.set(2026, 10, 12)
    review.decide(o["s"], v.id, "approve", "同意")
    clock.set(2026, 10, 13)
    review.decide(o["d"], v.id, "approve", "同意救助", amount_fen=120000, justification="按本级资金情况核减")
    return o, v.id


def test_fonts_are_embedded_and_the_text_is_there(approved, tmp_path, db):
    o, rid = approved
    out = relief.print_approval(o["clerk"], rid, tmp_path / "form.pdf")
    fonts = pdffonts(out)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # the 'emb' column
    text = pdftext(out)
    for expected in ("救助申请审批表", "增城区总工会", "JZ2026-00002", "陈志强", "男", "2人", "440183198005013017", "城镇广州市增城区", "13800138000",
                     "紧急救助", "膝关节受伤住院手术",
                     "¥1,500.00", "壹仟伍佰元整", "¥2,000.00", "贰仟元整", "¥1,200.00", "壹仟贰佰元整",
                     "2,000–5,000", "书面说明", "按实际困难申请",
                     "申请金额 1,500 元低于紧急救助",  # the rule finding itself, not only the standard
                     "情况属实，同意上报", "rev_g", "2026年9月28日", "rev_s", "2026年10月12日",
                     "同意救助", "2026年10月13日", "按本级资金情况核减",
                     "负责人", "盖章", "以往救助情况", "季度救助", "500.00", "本年度已救助", "1 次",
                     "公示结果", "附件清单", "超期"):
        assert "".join(expected.split()) in text, expected
    with db.session() as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.action == "print")).scalars().all()
        assert len(rows) == 1 and "JZ2026-00002" in rows[0].summary


def test_pending_levels_print_empty_signing_boxes(ctx, monkeypatch, tmp_path):
    o = office(ctx)
    Clock(monkeypatch, datetime(2026, 3, 2, 2, tzinfo=timezone.utc))
    zengcheng(o["admin"], 2026)
    set_dibao(o, 2026)
    hh = add_household(ctx, "林美华", 303)
    v = relief.create_request(o["clerk"], quarterly(hh, 450))
    relief.submit_request(o["clerk"], v.id)
    out = relief.print_approval(o["clerk"], v.number, tmp_path / "pending.pdf")
    text = pdftext(out)
    assert text.count("年月日") >= 5  # three blank signing dates and the 公示 period
    for level in ("基层工会意见", "增城区总工会意见"):
        assert level in text
    assert "审批后填写" in text and "肆佰伍拾元整" in text


def test_the_notice_result_is_printed_when_known(tmp_path):
    from zhibang_desktop.documents.approval_form import ApprovalFormData, write_approval_form

    data = ApprovalFormData(
        office_name="增城区总工会", number="JZ2026-00009", request_date=date(2026, 3, 2), status_label="已审批",
        name="曾小明", sex="男", household_size=3, archive_no="ZC202600001", hukou="城镇", id_number="",
        address="", phone="", unit_name="荔城街某某电子厂工会", relief_type_name="季度救助", subcase_name="",
        period="2026年第一季度", conditions=(), reason="因病致困", requested_fen=50000, suggested_fen=50000,
        approved_fen=50000, standard_text="400–600 元", notice_result="已公示（2026年3月2日至2026年3月9日），无异议")
    write_approval_form(data, tmp_path / "f.pdf")
    assert "公示结果：已公示（2026年3月2日至2026年3月9日），无异议" in pdftext(tmp_path / "f.pdf")


def test_an_early_payout_is_printed_with_who_approved_it_when_and_why(tmp_path):
    """Issue 8: a 特批发放 said only "公示期内，暂无异议" on the form."""
    from zhibang_desktop.documents.approval_form import ApprovalFormData, EarlyPayout, write_approval_form

    data = ApprovalFormData(
        office_name="增城区总工会", number="JZ2026-00007", request_date=date(2026, 11, 2), status_label="已审批",
        name="陈志强", sex="男", household_size=3, archive_no="ZC2026-0001", hukou="城镇", id_number="",
        address="", phone="", unit_name="荔城街某某电子厂工会", relief_type_name="季度救助", subcase_name="",
        period="2026年第四季度", conditions=(), reason="因病致困", requested_fen=50000, suggested_fen=50000,
        approved_fen=50000, standard_text="400–600 元",
        notice_result="已公示（2026年11月18日至2026年11月25日），公示期内，暂无异议",
        early_payout=EarlyPayout("管理员王五", date(2026, 11, 20), "住院急需用钱", date(2026, 11, 25)))
    out = tmp_path / "form.pdf"
    write_approval_form(data, out)
    text = pdftext(out)
    assert ("特批发放：公示期至2026年11月25日，未满即发放；经管理员王五于2026年11月20日批准，理由：住院急需用钱"
            in text), text
    no_override = tmp_path / "plain.pdf"
    write_approval_form(dataclasses.replace(data, early_payout=None), no_override)
    assert "特批" not in pdftext(no_override)
