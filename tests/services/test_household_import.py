"""Importing the clerk's ledger: every header variant and value format, all or nothing."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.archive_helpers import FACTORY, household, id_no, snapshot, unit_id
from zhibang_desktop.documents.household_ledger import write_template
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.errors import Cancelled
from zhibang_desktop.services.archive import household_import
from zhibang_desktop.services.archive.household_import import (
    ImportRejected, UnknownUnits, check_import, import_households, write_import_report,
)
from zhibang_desktop.storage.models import AuditEntry, Household, OrgUnit

HEAD_A = ["职工姓名", "身份证号码", "性别", "手机号码", "所在单位", "基层工会", "困难类别", "致困原因", "家庭人口",
          "家庭月收入", "开户银行", "银行账号", "住址", "建档日期", "是否会员", "低保情况", "备注"]
HEAD_B = ["姓名", "公民身份号码", "性别", "联系电话", "工作单位", "所属工会", "困难类别", "致困原因", "家庭人口",
          "家庭月收入（元）", "开户银行", "社保卡号", "家庭住址", "建档日期", "工会会员", "低保情况", "备注"]
MEMBER_HEAD = ["户主身份证号", "姓名", "与户主关系", "身份证号", "健康状况", "就学阶段", "单位或学校", "月收入"]

ZENG = id_no(11, "M", date(1975, 1, 2))
SHAN = id_no(12, "F", date(1981, 7, 8))
QIN = id_no(13, "M", date(1969, 12, 31))
OU = id_no(14, "F", date(1990, 2, 28))
CHILD = id_no(21, "F", date(2008, 9, 1))
SPOUSE = id_no(22, "F", date(1977, 4, 4))


def rows(variant: str):
    """Four households covering the value formats clerks use."""
    excel_date = datetime(2023, 1, 5)
    return [
        ["曾志明", ZENG, "男", "13800138000", "荔城某某电子厂", FACTORY, "深度", "因病、因学", 3, 1800,
         "中国工商银行增城支行", "6222020200112233445", "广州市增城区荔城街1号", excel_date, "是", "低保户", ""],
        ["单丽", SHAN, "女", 13900139000, "新塘牛仔服装公司", "新塘镇牛仔服装公司工会", "深度困难", "因病", "2",
         "1,800元", "农业银行", "6228480402564890018", "新塘镇2号", "2023-01-05", "Y", "低收入户", "台账备注"],
        ["覃国强", QIN, "男", "020-82712345", "石滩某厂", "石滩镇某某五金厂工会", "相对困难", "因病，车祸致残", 1,
         "2,345.50", None, None, "石滩镇3号", "2023/1/5", "N", "无", None],
        ["区小凤", OU, "女", None, "中新某厂", FACTORY, "意外", "其他：火灾", "1人", "900元", None, None, None,
         "2023年1月5日", "否", "特困", None],
    ]


def write_ledger(path, variant="A", household_rows=None, member_rows=None, member_sheet="家庭成员", title=True):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    if title:
        ws.append(["增城区困难职工家庭台账（2023年）"])
    ws.append(HEAD_A if variant == "A" else HEAD_B)
    for r in (rows(variant) if household_rows is None else household_rows):
        ws.append(r)
    ms = wb.create_sheet(member_sheet)
    ms.append(MEMBER_HEAD)
    for r in ([[ZENG, "曾小红", "子女", CHILD, "健康", "高中", "增城中学", 0],
               [ZENG, "李秀英", "配偶", SPOUSE, "尿毒症", "无", None, "600元"]] if member_rows is None else member_rows):
        ms.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("variant,member_sheet", [("A", "家庭成员"), ("B", "成员")])
def test_good_file_with_every_header_variant_imports(ctx, tmp_path, variant, member_sheet):
    path = write_ledger(tmp_path / "台账.xlsx", variant, member_sheet=member_sheet)
    check = check_import(ctx, path)
    assert check.problems == []
    assert (check.households, check.members) == (4, 2)
    assert check.new_units == ["石滩镇某某五金厂工会"]
    with pytest.raises(UnknownUnits, match="石滩镇某某五金厂工会") as info:  # issue 8: never silently
        import_households(ctx, path)
    assert info.value.units == ["石滩镇某某五金厂工会"]
    assert archive.search_households(ctx, HouseholdFilter()).total == 0
    result = import_households(ctx, path, create_units=True)  # the user confirmed the list
    assert (result.households, result.members) == (4, 2)
    assert result.new_units == ["石滩镇某某五金厂工会"]
    assert result.follow_up.count == 4 and len(result.follow_up.examples) == 4
    assert all("尚无走访记录" in f and "排除条件" in f for f in result.follow_up.examples)

    page = archive.search_households(ctx, HouseholdFilter())
    by_name = {r.name: r for r in page.rows}
    assert set(by_name) == {"曾志明", "单丽", "覃国强", "区小凤"}
    zeng = archive.get_household(ctx, by_name["曾志明"].id)
    assert zeng.status == "active" and zeng.archived_on == date(2023, 1, 5)
    assert zeng.archive_no.startswith("ZC2023")
    assert zeng.data.category == "deep" and zeng.data.causes == ["因病", "因学"]
    assert zeng.data.union_member is True and zeng.data.assistance_status == "dibao"
    assert zeng.total_monthly_income_fen == 180_000
    assert [m.name for m in zeng.members] == ["曾小红", "李秀英"]
    assert zeng.members[0].schooling == "high_school" and zeng.members[1].monthly_income_fen == 60_000
    assert zeng.next_visit_due == date(2023, 1, 5)  # no visit yet: due since archiving
    assert zeng.data.bank_account == "6222020200112233445"
    shan = archive.get_household(ctx, by_name["单丽"].id)
    assert shan.data.phone == "13900139000" and shan.data.union_member is True
    assert shan.data.household_size == 2 and shan.data.assistance_status == "low_income"
    assert shan.data.account_kind == ("social_security" if variant == "B" else "bank")  # from the column name
    qin = archive.get_household(ctx, by_name["覃国强"].id)
    assert qin.data.causes == ["因病", "其他：车祸致残"]
    assert qin.total_monthly_income_fen == 234_550 and qin.data.union_member is False
    assert qin.unit_name == "石滩镇某某五金厂工会" and qin.data.category == "relative"
    ou = archive.get_household(ctx, by_name["区小凤"].id)
    assert ou.data.category == "accident" and ou.data.causes == ["其他：火灾"] and ou.data.assistance_status == "tekun"
    with ctx.db.session() as s:
        new_unit = s.execute(select(OrgUnit).where(OrgUnit.name == "石滩镇某某五金厂工会")).scalar_one()
        assert new_unit.level == "grassroots"
        assert s.get(OrgUnit, new_unit.parent_id).level == "district"
        imports = s.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalars().all()
        assert len(imports) == 1 and "导入 4 户档案" in imports[0].summary
    # imported households are found by pinyin like any other
    assert archive.search_households(ctx, HouseholdFilter(text="shanli")).total == 1
    assert archive.search_households(ctx, HouseholdFilter(text="qgq")).total == 1


def test_follow_up_counts_every_household_and_keeps_the_first_examples(ctx, tmp_path, monkeypatch):
    """Issue 15: the follow-up was one text a household (≈180 bytes each, whatever the file's size);
    it is now a count and the first FOLLOW_UP_EXAMPLES items, in file order."""
    monkeypatch.setattr(household_import, "FOLLOW_UP_EXAMPLES", 3)
    monkeypatch.setattr(household_import, "CHUNK", 2)  # the count runs on across chunks
    path = write_ledger(tmp_path / "台账.xlsx", "A")
    check = check_import(ctx, path).follow_up
    assert (check.count, check.more) == (4, 1)
    assert [e.split("（")[0] for e in check.examples] == ["曾志明", "单丽", "覃国强"]
    assert check.examples[0] == "曾志明（台账 第 3 行）：尚无走访记录（先家访、后建档，请尽快走访核查）；排除条件核查表未填写"
    done = import_households(ctx, path, create_units=True).follow_up
    assert (done.count, len(done.examples), done.more) == (4, 3, 1)
    assert [e.split("（")[1].split("）")[0] for e in done.examples] == ["曾志明", "单丽", "覃国强"]
    assert all(e.startswith("ZC2023") for e in done.examples)


def test_one_bad_row_changes_nothing_and_reports_sheet_row_column(ctx, tmp_path):
    bad = rows("A")
    bad[2][1] = QIN[:-1] + ("0" if QIN[-1] != "0" else "1")  # wrong check digit, Excel row 5
    bad[1][2] = "男"  # 单丽's ID says female, Excel row 4
    path = write_ledger(tmp_path / "bad.xlsx", "A", bad)
    before = snapshot(ctx.db)
    check = check_import(ctx, path)
    found = {(p.sheet, p.row, p.column) for p in check.problems}
    assert ("台账", 5, "身份证号码") in found
    assert ("台账", 4, "性别") in found
    reasons = " ".join(p.reason for p in check.problems)
    assert "校验位" in reasons and "应为“女”" in reasons
    with pytest.raises(ImportRejected) as exc:
        import_households(ctx, path)
    assert len(exc.value.problems) == len(check.problems)
    assert snapshot(ctx.db) == before

    report = tmp_path / "errors.xlsx"
    write_import_report(report, exc.value.problems)
    sheet = openpyxl.load_workbook(report).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("工作表", "行号", "列", "原值", "问题")
    assert ("台账", 5, "身份证号码") in {v[:3] for v in values[1:]}
    bad_id_row = next(v for v in values[1:] if v[2] == "身份证号码")
    # the 18-digit value kept as text, masked: a report never echoes a full ID (issue 10)
    assert bad_id_row[3] == bad[2][1][:6] + "********" + bad[2][1][-4:]


def test_bad_values_are_reported_per_cell(ctx, tmp_path):
    bad = rows("A")
    bad[0][6] = "很困难"  # category
    bad[0][13] = "2023-02-30"  # date
    bad[0][14] = "也许"  # bool
    bad[0][9] = "一千八"  # amount
    bad[0][8] = 1  # household size smaller than head + 2 members
    path = write_ledger(tmp_path / "values.xlsx", "A", bad)
    problems = check_import(ctx, path).problems
    columns = [p.column for p in problems if p.row == 3]
    assert {"困难类别", "建档日期", "是否会员", "家庭月收入", "家庭人口"} <= set(columns)
    assert len(columns) == len(set(columns)), "one problem per cell: the unreadable value, not also 'empty'"


def test_duplicates_within_the_file_and_against_the_archive(ctx, tmp_path):
    archive.create_household(ctx, household(ctx, name="已有户", id_number=OU))
    dup = rows("A")
    dup[1][1] = ZENG  # same head ID twice
    path = write_ledger(tmp_path / "dup.xlsx", "A", dup, member_rows=[[QIN, "某某", "配偶", CHILD, None, None, None, 0],
                                                                   [QIN, "某某二", "子女", CHILD, None, None, None, 0]])
    problems = check_import(ctx, path).problems
    texts = [(p.sheet, p.row, p.reason) for p in problems]
    assert any(row == 4 and "第 3 行" in reason for _, row, reason in texts)
    assert any(sheet == "家庭成员" and row == 3 and "重复" in reason for sheet, row, reason in texts)
    assert any(row == 6 and "已有户" in reason for _, row, reason in texts)


def test_members_find_their_household_in_any_chunk(ctx, tmp_path, monkeypatch):
    """Members wait outside memory for their household, which may come chunks later; each head's
    members go, in the file's order, to the first household of that head."""
    monkeypatch.setattr(household_import, "CHUNK", 1)
    members = [[SHAN, "单小明", "子女", id_no(31, "M", date(2010, 3, 3)), None, "初中", None, 0],
               [ZENG, "曾小红", "子女", CHILD, "健康", "高中", "增城中学", 0],
               [ZENG, "李秀英", "配偶", SPOUSE, "尿毒症", "无", None, "600元"]]
    path = write_ledger(tmp_path / "台账.xlsx", "A", member_rows=members)
    result = import_households(ctx, path, create_units=True)
    assert (result.households, result.members) == (4, 3)
    by_name = {r.name: r.id for r in archive.search_households(ctx, HouseholdFilter()).rows}
    assert [m.name for m in archive.get_household(ctx, by_name["曾志明"]).members] == ["曾小红", "李秀英"]
    assert [m.name for m in archive.get_household(ctx, by_name["单丽"]).members] == ["单小明"]


def test_a_number_written_by_an_earlier_chunk_is_a_duplicate_not_on_file(ctx, tmp_path, monkeypatch):
    """The first chunk is written before the second is read; a number of the second that the first
    wrote is reported as in the file twice, as the check without writing reports it, not as on file."""
    monkeypatch.setattr(household_import, "CHUNK", 2)
    path = write_ledger(tmp_path / "dup.xlsx", "A", member_rows=[[SHAN, "区某", "子女", OU, None, None, None, 0]])
    before = snapshot(ctx.db)
    expected = [("台账", 6, "身份证号码", "与“家庭成员”第 2 行（家庭成员）的身份证号重复")]
    assert [(p.sheet, p.row, p.column, p.reason) for p in check_import(ctx, path).problems] == expected
    with pytest.raises(ImportRejected) as exc:
        import_households(ctx, path, create_units=True)
    assert [(p.sheet, p.row, p.column, p.reason) for p in exc.value.problems] == expected
    assert snapshot(ctx.db) == before


def test_members_need_a_head_in_the_file(ctx, tmp_path):
    path = write_ledger(tmp_path / "orphan.xlsx", "A", member_rows=[[id_no(99), "某某", "子女", None, None, None, None, 0]])
    problems = check_import(ctx, path).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [("家庭成员", 2, "户主身份证号")]


def test_missing_required_column(ctx, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号", "性别", "困难类别"])
    wb.active.append(["张三", ZENG, "男", "深度"])
    wb.save(tmp_path / "nounion.xlsx")
    problems = check_import(ctx, tmp_path / "nounion.xlsx").problems
    assert any("缺少“所属工会”列" in p.reason for p in problems)


def test_not_an_xlsx(ctx, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ImportRejected) as exc:
        import_households(ctx, path)
    assert ".xls" in exc.value.problems[0].reason


def test_template_round_trip_skips_examples(ctx, tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["困难职工档案", "家庭成员", "说明"]
    ws = wb["困难职工档案"]
    assert ws.cell(2, 2).data_type == "s" and len(ws.cell(2, 2).value) == 18
    check = check_import(ctx, path)
    assert check.households == 0
    assert any("没有可导入的家庭" in p.reason for p in check.problems)
    ws.append(["黄伟", ZENG, "男", None, None, FACTORY, "相对困难", "因病", 1, 1000])
    wb.save(path)
    result = import_households(ctx, path)
    assert result.households == 1 and result.members == 0


def test_cancel_changes_nothing(ctx, tmp_path):
    many = [[f"职工{i}", id_no(i, "M", date(1970, 1, 1 + i % 28)), None, None, None, FACTORY, "相对", "因病", 1, 0]
            for i in range(120)]
    path = write_ledger(tmp_path / "many.xlsx", "A", many, member_rows=[])
    before = snapshot(ctx.db)
    state = {"done": 0, "total": 0}

    def progress(done, total):
        state.update(done=done, total=total)

    def cancelled():  # cancel once the rows are being inserted (validation is done)
        return state["done"] > 120

    with pytest.raises(Cancelled):
        import_households(ctx, path, progress=progress, cancelled=cancelled)
    assert state["total"] == 240
    assert snapshot(ctx.db) == before
    seen = []
    result = import_households(ctx, path, progress=lambda d, t: seen.append((d, t)))
    assert result.households == 120 and seen[-1][0] == seen[-1][1]
    with ctx.db.session() as s:
        assert s.execute(select(func.count()).select_from(Household)).scalar_one() == 120


def test_scoped_clerk_cannot_create_unions_or_import_elsewhere(ctx, tmp_path):
    from tests.archive_helpers import scoped

    path = write_ledger(tmp_path / "scope.xlsx", "A")
    problems = check_import(scoped(ctx, "荔城街总工会"), path).problems
    reasons = {(p.row, p.reason) for p in problems}
    assert any("不能新建工会" in r for _, r in reasons)
    assert any("管辖范围" in r for _, r in reasons)
    assert unit_id(ctx, FACTORY)


def test_problems_name_columns_in_chinese_even_when_the_file_lacks_them(ctx, tmp_path):
    """A required value whose column is not in the file is reported under the template's
    Chinese header (〔致困原因〕), never under the program's field code (〔causes〕)."""
    without = [h for h in HEAD_A if h != "致困原因"]
    cut = HEAD_A.index("致困原因")
    path = tmp_path / "no-causes.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(without)
    ws.append([v for i, v in enumerate(rows("A")[0]) if i != cut])
    wb.save(path)
    problems = check_import(ctx, path).problems
    assert problems, "a deep household without causes must be refused"
    columns = {p.column for p in problems}
    assert "致困原因" in columns
    assert all(c is None or not c.isascii() for c in columns), columns


def test_id_lists_are_padded_to_a_few_lengths():
    """Each length of an `IN (…)` list is a statement the connection keeps: an import checks its ID
    numbers in lists of a few lengths only, with the same numbers."""
    from zhibang_desktop.services.archive.validation import padded

    shapes = {len(padded(list(range(n)), 500)) for n in range(1, 501)}
    assert shapes == {1, 2, 4, 8, 16, 32, 64, 128, 256, 500}
    assert padded(["a", "b", "c"], 500) == ["a", "b", "c", "c"] and padded([], 500) == []
