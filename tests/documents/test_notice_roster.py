"""公示 roster PDF: names, totals, 大写, notice period, embedded fonts, and privacy.

DESIGN.md §6: public rosters never show a full ID number, bank/card number, illness or
income (PIPL art. 28; 社会救助暂行办法 art. 61).  Checked over 1,000 generated households.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from tests.services.payout_helpers import Clock, approve_existing
from zhibang_desktop.documents.notice_roster import (
    NoticeRoster, PrivacyError, RosterEntry, chinese_count, write_notice_roster,
)
from zhibang_desktop.documents.public_text import public_text_problems
from zhibang_desktop.domain.money import amount_in_words, format_yuan
from zhibang_desktop.services.payout import notices, printing as payout_print
from zhibang_desktop.demo.office import create_demo
from zhibang_desktop.services.payout.types import NoticeFilter, NoticeInput
from zhibang_desktop.storage.models import FamilyMember, Household, OrgUnit

ID18 = re.compile(r"(?<![\d*])\d{17}[\dXx](?![\d*])")
CARD = re.compile(r"(?<![\d*])\d{16,19}(?![\d*])")


def _roster(n: int, **kw) -> NoticeRoster:
    entries = [RosterEntry(f"陈{'伟强志明建国'[i % 6]}{i}", "荔城街华美服装有限公司工会", "季度救助", 50000 + i * 100,
                           id_number="440183199001011234") for i in range(n)]
    data = dict(title="增城区总工会关于2026年第一季度困难职工救助对象名单的公示", office_name="增城区总工会",
                start=date(2026, 3, 2), end=date(2026, 3, 9), working_days=5, object_to="增城区总工会权益保障部",
                phone="020-82712345", place="区总工会一楼公示栏", issued_on=date(2026, 3, 2), entries=entries)
    data.update(kw)
    return NoticeRoster(**data)


def test_roster_text_totals_words_and_fonts(tmp_path):
    doc = _roster(45)
    out = tmp_path / "r.pdf"
    pages = write_notice_roster(doc, out)
    assert pages == 3
    text = "".join(pdftotext(out))
    flat = re.sub(r"\s+", "", text)
    for e in doc.entries:
        assert e.name in flat
    total = sum(e.amount_fen for e in doc.entries)
    assert f"¥{format_yuan(total)}" in flat and amount_in_words(total) in flat
    assert "公示时间为2026年3月2日至2026年3月9日（公示期为五个工作日）" in flat
    assert "请以电话、信函等方式向增城区总工会权益保障部反映" in flat
    assert "联系电话：020-82712345" in flat and "公示地点：区总工会一楼公示栏" in flat
    assert "增城区总工会（盖章）" in flat and "第3页共3页" in flat
    assert_all_fonts_embedded(out)
    assert not ID18.search(text)


def test_masked_ids_only_and_refusal_of_full_numbers(tmp_path):
    out = tmp_path / "m.pdf"
    write_notice_roster(_roster(3, show_masked_id=True), out)
    text = "".join(pdftotext(out))
    assert "440183********1234" in text and not ID18.search(text)
    bad = _roster(1)
    bad = NoticeRoster(**{**bad.__dict__, "entries": (RosterEntry("张三", "某工会", "季度救助", 50000,
                                                                  remark="卡号 6222 0212 3456 7890 123"),)})
    with pytest.raises(PrivacyError):
        write_notice_roster(bad, tmp_path / "bad.pdf")
    assert not (tmp_path / "bad.pdf").exists()
    ill = NoticeRoster(**{**_roster(1).__dict__, "entries": (RosterEntry("张三", "某工会", "季度救助", 50000,
                                                                          remark="尿毒症透析"),),
                          "forbidden_words": ("尿毒症",)})
    with pytest.raises(PrivacyError):
        write_notice_roster(ill, tmp_path / "ill.pdf")
    assert public_text_problems("联系电话 020-82712345") == []
    assert public_text_problems("440183199001011234")
    assert chinese_count(5) == "五" and chinese_count(10) == "十" and chinese_count(15) == "十五"


@pytest.mark.slow
def test_no_public_roster_of_1000_households_leaks_ids_cards_or_illness(ctx, monkeypatch, tmp_path):
    clock = Clock(monkeypatch, 2026, 3, 1)
    create_demo(ctx.db, households=1000, seed=11)
    with ctx.db.session() as s:
        hh_ids = list(s.execute(select(Household.id).where(Household.status.in_(("active", "phasing_out"))))
                      .scalars())
        ids = set(s.execute(select(Household.id_number)).scalars())
        cards = {c for c in s.execute(select(Household.bank_account)).scalars() if c}
        illness = {w for w in s.execute(select(Household.health)).scalars() if w and w != "健康"}
        illness |= {w for w in s.execute(select(FamilyMember.health)).scalars() if w and w != "健康"}
        illness |= {w for w in s.execute(select(FamilyMember.disability)).scalars() if w}
        streets = list(s.execute(select(OrgUnit.id).where(OrgUnit.level == "street")).scalars())
    assert len(hh_ids) > 700 and illness
    approve_existing(ctx, hh_ids)
    texts = []
    for i, street in enumerate(streets):
        flt = NoticeFilter(("quarterly",), 2026, 1, street)
        if not notices.notice_candidates(ctx, flt):
            continue
        v = notices.create_notice(ctx, NoticeInput(flt, start=date(2026, 3, 2), place="各镇街工会公示栏",
                                                   show_masked_id=i % 2 == 0))
        v = notices.publish_notice(ctx, v.summary.id)
        out = tmp_path / f"roster_{v.summary.id}.pdf"
        payout_print.print_roster(ctx, v.summary.id, out)
        texts.append("\n".join(pdftotext(out)))
    assert notices.notice_candidates(ctx, NoticeFilter(("quarterly",), 2026, 1)) == []  # all went on a roster
    whole = "\n".join(texts)
    flat = re.sub(r"\s+", "", whole)
    assert not ID18.search(whole) and not ID18.search(flat)
    assert not CARD.search(whole)
    assert not any(c in flat for c in cards)
    assert not any(i in flat for i in ids)
    leaked = sorted(w for w in illness if w in flat)
    assert not leaked, leaked
    assert "*" in whole  # the masked IDs are there on half of the rosters
    clock.set(2026, 3, 10)
