"""The 档案表 fields added to the archive: stored, validated in Chinese, audited, exported and
imported again, read from the template, and never on a public document."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from tests.archive_helpers import FACTORY, household, id_no, member
from zhibang_desktop.documents.household_ledger import write_template
from zhibang_desktop.domain.archive_form import AreaError, area_text, parse_area
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.fields import FORM_FIELDS
from zhibang_desktop.services.archive.household_export import export_households
from zhibang_desktop.services.archive.household_import import (
    ImportRejected, check_import, import_households,
)
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.errors import ValidationFailed
from zhibang_desktop.storage.models import AuditEntry

FILLED = dict(
    political_status="cpc_member", marital_status="widowed", housing_type="public_rental",
    housing_area_x100=4578, disability_category="physical", disability_grade="2",
    employer_nature="state_owned", enterprise_status="halted", medical_insurance="employee",
    zero_employment=True, archived_by="陈晓", reviewed_by="黄志坚",
    grassroots_opinion="情况属实，同意列为深度困难", grassroots_opinion_on=date(2026, 3, 2),
    upper_opinion="同意", upper_opinion_on=date(2026, 3, 9),
)


def test_every_form_field_is_filled_in_the_sample():
    assert set(FILLED) == set(FORM_FIELDS)


def test_the_fields_are_stored_and_read_back(ctx):
    view = archive.create_household(ctx, household(ctx, **FILLED))
    stored = archive.get_household(ctx, view.id).data
    assert {f: getattr(stored, f) for f in FORM_FIELDS} == FILLED


def test_an_edit_is_audited_with_labels(ctx):
    view = archive.create_household(ctx, household(ctx, **FILLED))
    changed = replace(view.data, marital_status="married", housing_area_x100=6000, zero_employment=False)
    archive.update_household(ctx, view.id, view.version, changed)
    with ctx.db.session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "update",
                                                   AuditEntry.entity == "household")).scalars().one()
        changes = entry.changes
    assert ["婚姻状况", "丧偶", "已婚"] in changes
    assert ["建筑面积（平方米）", "45.78 平方米", "60 平方米"] in changes
    assert ["零就业家庭", "是", "否"] in changes


@pytest.mark.parametrize("values, field, words", [
    ({"political_status": "党员"}, "political_status", "不是可选的值"),
    ({"housing_area_x100": 200_000}, "housing_area_x100", "超过 1000 平方米"),
    ({"housing_type": "none", "housing_area_x100": 3000}, "housing_area_x100", "无固定住所"),
    ({"disability_grade": "2"}, "disability_grade", "先选择残疾类别"),
    ({"disability_category": "visual"}, "disability_grade", "请选择残疾等级"),
    ({"employer_nature": "government", "enterprise_status": "normal"}, "enterprise_status", "不填企业状况"),
    ({"grassroots_opinion": "同意", "grassroots_opinion_on": date(2027, 1, 1)}, "grassroots_opinion_on",
     "不能晚于今天"),
    ({"upper_opinion_on": date(2026, 1, 1)}, "upper_opinion", "请填写意见内容"),
    ({"grassroots_opinion": "同意", "grassroots_opinion_on": date(2026, 3, 2), "upper_opinion": "同意",
      "upper_opinion_on": date(2026, 3, 1)}, "upper_opinion_on", "先基层、后上级"),
    ({"reviewed_by": "审" * 51}, "reviewed_by", "不能超过 50 个字"),
])
def test_bad_values_are_refused_naming_field_and_reason(ctx, values, field, words):
    with pytest.raises(ValidationFailed) as exc:
        archive.create_household(ctx, household(ctx, **values))
    problem = next(p for p in exc.value.problems if p.field == field)
    assert words in problem.message and problem.label
    assert archive.search_households(ctx, HouseholdFilter()).total == 0


@pytest.mark.parametrize("text, x100", [("56.78", 5678), ("56.78㎡", 5678), ("６０ 平方米", 6000), (45.5, 4550),
                                        (60, 6000), ("", None), (None, None)])
def test_areas_are_read_as_clerks_write_them(text, x100):
    assert parse_area(text) == x100


@pytest.mark.parametrize("text", ["五十", "56.789", "-3", "56,5"])
def test_unreadable_areas_say_why(text):
    with pytest.raises(AreaError):
        parse_area(text)


def test_area_text():
    assert (area_text(5678), area_text(6000), area_text(4550), area_text(None)) == ("56.78", "60", "45.5", "")


def test_export_then_import_keeps_every_field(ctx, tmp_path):
    from zhibang_desktop.services.session.setup import initialise_office
    from zhibang_desktop.storage.database import open_database

    archive.create_household(ctx, household(ctx, members=[member("曾小红", 7)], **FILLED))
    archive.create_household(ctx, household(ctx, name="单丽", seq=2))  # none filled: stays empty
    path = tmp_path / "档案.xlsx"
    assert export_households(ctx, path) == 2
    other = open_database(tmp_path / "other.sqlite3")
    try:
        octx = initialise_office(other, "某某区总工会", archive_prefix="MM")
        import_households(octx, path, create_units=True)
        filled = archive.get_household(octx, archive.find_by_id_number(octx, id_no(101))).data
        empty = archive.get_household(octx, archive.find_by_id_number(octx, id_no(2))).data
        assert {f: getattr(filled, f) for f in FORM_FIELDS} == FILLED
        assert all(getattr(empty, f) in (None, False) for f in FORM_FIELDS)
    finally:
        other.close()


def test_the_template_example_has_every_field_and_reads(ctx, tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    header, example = list(wb.worksheets[0].iter_rows(values_only=True))[:2]
    for label in ("政治面貌", "婚姻状况", "住房类型", "建筑面积（平方米）", "残疾类别", "残疾等级", "单位性质",
                  "企业状况", "医保状况", "零就业家庭", "建档人", "审核人", "基层工会意见", "上级工会意见日期"):
        assert label in header
    # the example row turned into data: every value of the form columns is understood
    ws = wb.worksheets[0]
    ws.cell(2, 1, "张三")
    ws.cell(2, header.index("所属工会") + 1, FACTORY)
    wb.save(path)
    check = check_import(ctx, path)
    assert check.ok, check.problems
    import_households(ctx, path)
    data = archive.get_household(ctx, archive.find_by_id_number(ctx, example[1])).data
    assert (data.political_status, data.marital_status, data.housing_area_x100, data.disability_grade,
            data.upper_opinion_on) == ("masses", "married", 4550, "3", date(2024, 2, 26))


def test_an_import_with_bad_form_values_names_row_column_and_reason(ctx, tmp_path):
    path = tmp_path / "bad.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "所属工会", "困难类别", "致困原因", "政治面貌", "建筑面积", "残疾类别", "残疾等级"])
    ws.append(["曾志明", id_no(11), FACTORY, "深度", "因病", "党外人士", "五十平", "肢体", None])
    wb.save(path)
    with pytest.raises(ImportRejected) as exc:
        import_households(ctx, path)
    found = {(p.row, p.column): p.reason for p in exc.value.problems}
    assert "不是可选的值" in found[(2, "政治面貌")]
    assert "不是面积" in found[(2, "建筑面积")]
    assert "请选择残疾等级" in found[(2, "残疾等级")]
    assert archive.search_households(ctx, HouseholdFilter()).total == 0
