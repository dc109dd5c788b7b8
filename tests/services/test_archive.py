"""Creating, validating and editing household archives."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.archive_helpers import FACTORY, JEANS, household, id_no, member, scoped, unit_id, with_roles
from zhibang_desktop.domain import clock
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import MemberInput
from zhibang_desktop.services.errors import Conflict, PermissionDenied, ValidationFailed
from zhibang_desktop.storage.models import AuditEntry, Counter, Household


def fields(problems):
    return {p.field for p in problems}


def test_create_derives_number_sex_birth_and_search_keys(ctx):
    view = archive.create_household(ctx, household(ctx, phone="138 0013 8000", members=[member("曾小红", 7)]))
    year = clock.today().year
    assert view.archive_no == f"ZC{year}00001"
    assert view.status == "draft"
    assert (view.sex, view.birth_date) == ("M", date(1980, 5, 6))
    assert view.members[0].sex == "F" and view.members[0].birth_date == date(2008, 3, 1)
    assert view.next_visit_due is not None  # 先家访: due at once
    second = archive.create_household(ctx, household(ctx, name="单丽", seq=102))
    assert second.archive_no == f"ZC{year}00002"
    with ctx.db.session() as s:
        assert s.get(Counter, f"archive_no:{year}").value == 2
        text = s.execute(select(Household.search_text).where(Household.id == view.id)).scalar_one()
    for key in ("曾小明", "zengxiaoming", "zxm", id_no(101).lower(), view.archive_no.lower(), "13800138000"):
        assert key in text


def test_a_mobile_with_digits_missing_is_refused_and_named(ctx):
    problems = archive.validate_household(ctx, household(ctx, phone="13800138000、1381234"))
    assert [(p.field, p.label) for p in problems] == [("phone", "联系电话")]
    assert "“1381234”不像电话号码" in problems[0].message


def test_validation_names_every_field_in_chinese(ctx):
    bad = household(ctx, name=" ", id_number="440183198005061234", category="", causes=["胡说"],
                    household_size=1, phone="abc", head_income_fen=-5, bank_account="6222-abc",
                    members=[MemberInput(name="", relation="", id_number="123")])
    problems = archive.validate_household(ctx, bad)
    assert {"name", "id_number", "category", "causes", "household_size", "phone", "head_income_fen",
            "bank_account", "members[0].name", "members[0].relation", "members[0].id_number"} <= fields(problems)
    by_field = {p.field: p for p in problems}
    assert by_field["id_number"].label == "身份证号" and "校验位" in by_field["id_number"].message
    assert "家庭人口" in by_field["household_size"].label and "2 人" in by_field["household_size"].message
    assert "其他：胡说" in by_field["causes"].message
    assert by_field["members[0].id_number"].label.startswith("家庭成员第1人")
    with pytest.raises(ValidationFailed) as exc:
        archive.create_household(ctx, bad)
    assert "姓名：不能为空" in str(exc.value)


def test_other_cause_with_text_is_accepted_and_normalised(ctx):
    view = archive.create_household(ctx, household(ctx, causes=["因病", "其他:车祸致残", "因病"]))
    assert view.data.causes == ["因病", "其他：车祸致残"]
    problems = archive.validate_household(ctx, household(ctx, seq=5, causes=["其他："]))
    assert any("写明" in p.message for p in problems)


def test_same_id_number_may_not_be_in_two_households(ctx):
    first = archive.create_household(ctx, household(ctx, members=[member("曾小红", 7)]))
    # the member of the first household as head of a second one
    problems = archive.validate_household(ctx, household(ctx, name="曾小红", id_number=id_no(7, "F", date(2008, 3, 1))))
    assert [p.field for p in problems] == ["id_number"]
    assert first.archive_no in problems[0].message and "曾小明" in problems[0].message
    assert "家庭成员" in problems[0].message
    # the first head as a member elsewhere
    problems = archive.validate_household(ctx, household(ctx, name="李四", seq=300, members=[
        MemberInput("曾小明", "父母", id_number=id_no(101))]))
    assert [p.field for p in problems] == ["members[0].id_number"]
    assert "户主" in problems[0].message
    # the same number twice inside one household, and the head's own number as a member
    problems = archive.validate_household(ctx, household(ctx, name="王五", seq=400, members=[
        member("甲", 8), member("乙", 8), MemberInput("丙", "其他", id_number=id_no(400))]))
    assert {"members[1].id_number", "members[2].id_number"} <= fields(problems)
    # editing the first household does not clash with itself
    assert archive.validate_household(ctx, first.data, household_id=first.id) == []


def test_update_records_field_changes_masked(ctx):
    view = archive.create_household(ctx, household(ctx, bank_account="6222020200112233445",
                                                   members=[member("曾小红", 7)]))
    data = replace(view.data, phone="13900000000", bank_account="6228480402564890018", members=[
        replace(view.data.members[0], monthly_income_fen=80_000), member("曾小华", 9, sex="M")],
        household_size=3)
    updated = archive.update_household(ctx, view.id, view.version, data)
    assert updated.version == view.version + 1
    assert updated.total_monthly_income_fen == 80_000
    assert len(updated.members) == 2
    history = archive.household_history(ctx, view.id)
    fields_changed = {(c.summary.split("：")[0], c.field) for c in history}
    assert ("修改档案 " + view.archive_no + "（曾小明）", "联系电话") in {(c.summary, c.field) for c in history}
    assert ("修改家庭成员", "月收入") in fields_changed
    assert ("新增家庭成员", "姓名") in fields_changed
    bank = next(c for c in history if c.field == "银行账号/社保卡号" and c.action == "update")
    assert bank.old == "6222***********3445" and bank.new == "6228***********0018"
    with ctx.db.session() as s:
        texts = " ".join(repr(r.changes) + r.summary for r in s.execute(select(AuditEntry)).scalars())
    assert id_no(101) not in texts and "6228480402564890018" not in texts and id_no(9, "M", date(2008, 3, 1)) not in texts


def test_member_removed_on_update(ctx):
    view = archive.create_household(ctx, household(ctx, members=[member("曾小红", 7), member("曾小华", 9)]))
    updated = archive.update_household(ctx, view.id, view.version, replace(view.data, members=view.data.members[:1]))
    assert [m.name for m in updated.members] == ["曾小红"]
    assert any(c.action == "delete" and c.summary == "删除家庭成员：曾小华" for c in archive.household_history(ctx, view.id))
    # the removed member's ID number is free again
    assert archive.validate_household(ctx, household(ctx, name="曾小华", id_number=id_no(9, "F", date(2008, 3, 1)))) == []


def test_stale_version_is_a_conflict(ctx):
    view = archive.create_household(ctx, household(ctx))
    archive.update_household(ctx, view.id, view.version, replace(view.data, phone="13800000000"))
    with pytest.raises(Conflict, match="该档案在您打开后已被他人修改") as raised:
        archive.update_household(ctx, view.id, view.version, replace(view.data, phone="13900000000"))
    # who saved, and which field: the second clerk is told, not silently overwritten
    assert "系统" in str(raised.value) and "联系电话" in str(raised.value) and "请重新打开" in str(raised.value)
    assert archive.get_household(ctx, view.id).data.phone == "13800000000"


def test_unchanged_save_keeps_the_version(ctx):
    view = archive.create_household(ctx, household(ctx))
    assert archive.update_household(ctx, view.id, view.version, view.data).version == view.version


def test_permissions_and_scope(ctx):
    view = archive.create_household(ctx, household(ctx))  # in 荔城街
    reviewer = with_roles(ctx, "reviewer")
    assert archive.get_household(reviewer, view.id).id == view.id
    with pytest.raises(PermissionDenied):
        archive.create_household(reviewer, household(ctx, seq=5))
    xintang = scoped(ctx, "新塘镇总工会")
    with pytest.raises(PermissionDenied):
        archive.get_household(xintang, view.id)
    with pytest.raises(PermissionDenied):
        archive.update_household(xintang, view.id, view.version, view.data)
    problems = archive.validate_household(xintang, household(ctx, seq=6, unit=FACTORY))
    assert any(p.field == "unit_id" and "管辖范围" in p.message for p in problems)
    own = archive.create_household(xintang, household(ctx, seq=7, unit=JEANS))
    assert own.unit_name == JEANS


def test_household_must_belong_to_street_or_grassroots_union(ctx):
    problems = archive.validate_household(ctx, household(ctx, unit="增城区总工会"))
    assert any(p.field == "unit_id" for p in problems)


def test_warnings_for_luhn_and_missing_standard(ctx):
    view = archive.create_household(ctx, household(ctx, bank_account="6222020200112233445"))
    assert any("Luhn" in w for w in view.warnings)
    assert any("低保标准未设置" in w for w in view.warnings)
    assert view.income_band == "unknown"


def test_per_capita_income_band(ctx):
    from zhibang_desktop.services.admin.settings import set_year_standard

    set_year_standard(ctx, clock.today().year, 124_000, 186_000)
    view = archive.create_household(ctx, household(ctx, head_income_fen=300_000, household_size=2,
                                                   members=[member("曾小红", 7, monthly_income_fen=100_000)]))
    assert view.total_monthly_income_fen == 400_000
    assert view.per_capita_income_fen == 200_000
    assert view.income_band == "above"
    assert any("深度困难" in w for w in view.warnings)


def test_delete_draft_only(ctx):
    view = archive.create_household(ctx, household(ctx))
    archive.add_attachment(ctx, view.id, "a.pdf", b"%PDF-1.4")
    archive.delete_draft(ctx, view.id, view.version)
    with ctx.db.session() as s:
        assert s.get(Household, view.id) is None


def test_unit_id_helper(ctx):
    assert unit_id(ctx, FACTORY) != unit_id(ctx, JEANS)


def test_free_text_keeps_full_width_punctuation_codes_are_folded(ctx):
    view = archive.create_household(ctx, household(
        ctx, address="广州市增城区荔城街（东区）1号", remarks="配偶患病，收入减少：需复核", phone="１３８００１３８０００"))
    stored = archive.get_household(ctx, view.id).data
    assert stored.address == "广州市增城区荔城街（东区）1号"
    assert stored.remarks == "配偶患病，收入减少：需复核"
    assert stored.phone == "13800138000"
