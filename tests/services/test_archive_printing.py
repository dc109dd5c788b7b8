"""Printing the 困难职工家庭档案表 and the 入户走访表: real PDFs read back, fonts embedded, the
actor's scope and permissions, the audit row, cancel."""
from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.another_thread import on_another_thread
from tests.archive_helpers import FACTORY, JEANS, archived, household, id_no, member, scoped, snapshot, with_roles
from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from zhibang_desktop.domain.idnumber import mask_id_number
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive import printing
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.errors import Cancelled, NotFound, PermissionDenied, ServiceError
from zhibang_desktop.storage.models import AuditEntry

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

CARD = "6222020200112233445"
FORM = dict(political_status="cpc_member", marital_status="widowed", housing_type="public_rental",
            housing_area_x100=4578, disability_category="physical", disability_grade="2",
            employer_nature="state_owned", enterprise_status="halted", medical_insurance="employee",
            zero_employment=True, archived_by="陈晓", reviewed_by="黄志坚",
            grassroots_opinion="情况属实，同意列为深度困难", grassroots_opinion_on=date(2025, 2, 22),
            upper_opinion="同意建档", upper_opinion_on=date(2025, 2, 26))


def flat(path) -> str:
    return "".join("".join(pdftotext(path)).split())


@pytest.fixture
def office(ctx):
    """Three archived households: two in the factory union (one due a visit long ago), one in
    the jeans union; and a draft."""
    zeng = archived(ctx, household(ctx, name="曾志明", seq=1, bank_account=CARD, phone="13800138000",
                                   members=[member("曾小红", 7, monthly_income_fen=50_000, health="哮喘")],
                                   head_income_fen=100_000, **FORM))
    shan = archived(ctx, household(ctx, name="单丽", seq=2, category="relative"), visit_on=date(2025, 1, 5))
    qin = archived(ctx, household(ctx, name="覃国强", seq=3, unit=JEANS, category="relative"))
    draft = archive.create_household(ctx, household(ctx, name="区小凤", seq=4))
    return {"zeng": zeng, "shan": shan, "qin": qin, "draft": draft}


def test_one_households_form_reads_back_with_every_field(ctx, office, tmp_path):
    out = tmp_path / "档案表.pdf"
    hid = printing.find_household(ctx, office["zeng"].archive_no)
    assert printing.find_household(ctx, id_no(1)) == hid  # or by the head's ID number
    res = printing.print_archive_forms(ctx, out, household_ids=[hid])
    assert (res.households, res.file) == (1, str(out)) and res.pages >= 1
    assert_all_fonts_embedded(out)
    text = flat(out)
    for words in ("困难职工家庭档案表", office["zeng"].archive_no, "曾志明", id_no(1), CARD, "中共党员", "丧偶",
                  "公租房/廉租房", "45.78平方米", "肢体残疾", "二级", "国有企业", "停产半停产", "职工基本医疗保险",
                  "零就业家庭是", "建档人陈晓", "审核人黄志坚", "情况属实，同意列为深度困难", "2025年2月22日",
                  "同意建档", "2025年2月26日", "曾小红", id_no(7, "F", date(2008, 3, 1)), "哮喘", "500.00", "陈志强", "入户核查属实",
                  "录入人系统", "内部存档，不得公开"):
        assert words in text, words
    with ctx.db.session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "print")).scalars().one()
        assert entry.household_id == hid and "档案表：1 户" in entry.summary


def test_a_selection_prints_each_household_from_a_new_page(ctx, office, tmp_path):
    out = tmp_path / "sel.pdf"
    res = printing.print_archive_forms(ctx, out, filt=HouseholdFilter(unit_id=None, statuses=frozenset({"active"})))
    assert res.households == 3
    pages = pdftotext(out)
    starts = [i for i, p in enumerate(pages) if "档案编号：" in "".join(p.split())]
    assert len(starts) == 3 and starts[0] == 0
    names = ["".join(pages[i].split()) for i in starts]
    assert "曾志明" in names[0] and "单丽" in names[1] and "覃国强" in names[2]  # by archive number


def test_scope_and_permissions(ctx, office, tmp_path):
    jeans = scoped(ctx, JEANS)
    res = printing.print_archive_forms(jeans, tmp_path / "a.pdf", filt=HouseholdFilter())
    assert res.households == 1 and "覃国强" in flat(tmp_path / "a.pdf")
    with pytest.raises(PermissionDenied):
        printing.print_archive_forms(jeans, tmp_path / "b.pdf", household_ids=[office["zeng"].id])
    with pytest.raises((PermissionDenied, NotFound)):
        printing.find_household(jeans, office["zeng"].archive_no)
    reviewer = with_roles(ctx, "reviewer")  # may read, may not take full ID and card numbers out
    with pytest.raises(PermissionDenied):
        printing.print_archive_forms(reviewer, tmp_path / "c.pdf", household_ids=[office["zeng"].id])
    assert printing.print_visit_forms(reviewer, tmp_path / "d.pdf").households >= 1
    assert not (tmp_path / "b.pdf").exists() and not (tmp_path / "c.pdf").exists()


def test_unknown_household_and_empty_selection_say_so(ctx, office, tmp_path):
    with pytest.raises(NotFound, match="ZC-NONE"):
        printing.find_household(ctx, "ZC-NONE")
    with pytest.raises(ServiceError, match="没有符合条件的档案"):
        printing.print_archive_forms(ctx, tmp_path / "x.pdf", filt=HouseholdFilter(text="nobody"))
    assert not (tmp_path / "x.pdf").exists()


def test_visit_forms_for_the_households_due(ctx, office, tmp_path):
    due = archive.search_households(ctx, printing.due_filter(), sort="next_visit_due").rows
    assert [r.name for r in due][:1] == ["单丽"]  # visited longest ago: due first
    out = tmp_path / "走访.pdf"
    res = printing.print_visit_forms(ctx, out)
    assert res.households == len(due) == res.pages
    assert_all_fonts_embedded(out)
    pages = ["".join(p.split()) for p in pdftotext(out)]
    assert [next(r.name for r in due if r.name in p) for p in pages] == [r.name for r in due]
    first = pages[0]
    for words in ("困难职工家庭入户走访表", "单丽", mask_id_number(id_no(2)), "（已逾期）", "上次走访",
                  "2025年1月5日", "走访人签名", "被走访人签名", "□无变化"):
        assert words in first, words
    assert id_no(2) not in first  # the sheet leaves the office: masked
    zeng_page = next(p for p in pages if "曾志明" in p)
    assert "曾小红" in zeng_page and "1,500.00" in zeng_page and CARD not in zeng_page


def test_blank_visit_forms_leave_the_situation_to_be_written(ctx, office, tmp_path):
    out = tmp_path / "blank.pdf"
    printing.print_visit_forms(ctx, out, household_ids=[office["zeng"].id], prefilled=False)
    text = flat(out)
    assert "曾志明" in text and mask_id_number(id_no(1)) in text
    assert "曾小红" not in text and "1,500.00" not in text and "入户核查属实" not in text
    with ctx.db.session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "print")).scalars().one()
        assert "空白" in entry.summary


def test_progress_and_cancel(ctx, office, tmp_path):
    seen = []
    printing.print_archive_forms(ctx, io.BytesIO(), filt=HouseholdFilter(), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    before = snapshot(ctx.db)
    out = tmp_path / "cancelled.pdf"
    calls = []
    with pytest.raises(Cancelled):
        printing.print_archive_forms(ctx, out, filt=HouseholdFilter(), cancelled=lambda: calls.append(1) or len(calls) > 3)
    assert not out.exists() and snapshot(ctx.db) == before


def save_elsewhere(ctx, view, **changes) -> None:
    """Another clerk (another thread, another connection) saves `changes` to the household."""
    def save() -> None:
        stored = archive.get_household(ctx, view.id)
        archive.update_household(ctx, view.id, stored.version, replace(stored.data, **changes))

    on_another_thread(save)


@pytest.mark.parametrize("kind", ["档案表", "走访表"])
def test_a_save_during_a_print_shows_on_none_of_its_forms(ctx, office, kind, monkeypatch, tmp_path):
    """The forms are read a household at a time here; another clerk's save after the first one is
    read shows on none of them, and on the next print."""
    monkeypatch.setattr(printing, "BATCH", 1)
    print_forms = printing.print_archive_forms if kind == "档案表" else printing.print_visit_forms
    ids = [office[k].id for k in ("zeng", "shan", "qin")]
    saved = []

    def save_after_the_first(done: int, _total: int) -> None:
        if done == 1 and not saved:
            save_elsewhere(ctx, office["qin"], address="荔城街新址 8 号")
            saved.append(True)

    during, after = tmp_path / "during.pdf", tmp_path / "after.pdf"
    print_forms(ctx, during, household_ids=ids, progress=save_after_the_first)
    print_forms(ctx, after, household_ids=ids)

    assert saved
    assert "荔城街新址8号" not in flat(during) and "覃国强" in flat(during)
    assert "荔城街新址8号" in flat(after)


@pytest.mark.parametrize("kind", ["档案表", "走访表"])
def test_the_forms_waiting_for_their_pages_are_kept_packed(ctx, office, kind, monkeypatch, tmp_path):
    """Read in one snapshot before the layout, a 5,000-form print kept 15 KB of objects a household
    until the end; packed, the same forms come back to the layout whole, under 3 KB each."""
    print_forms = printing.print_archive_forms if kind == "档案表" else printing.print_visit_forms
    real_write = printing._write
    waiting = {}

    def write(ctx_, permission, forms, *args, **kwargs):
        waiting["bytes"], waiting["forms"] = forms.items.packed_bytes(), list(forms.items)
        return real_write(ctx_, permission, forms, *args, **kwargs)

    monkeypatch.setattr(printing, "_write", write)
    out = tmp_path / "forms.pdf"
    print_forms(ctx, out, household_ids=[office[k].id for k in ("zeng", "shan", "qin")])

    assert len(waiting["forms"]) == 3 and waiting["bytes"] < 3 * 3000
    names = sorted(f.head[0][1] if kind == "档案表" else f.name for f in waiting["forms"])
    assert names == sorted(["曾志明", "单丽", "覃国强"])
    assert "曾志明" in flat(out) and "覃国强" in flat(out)
