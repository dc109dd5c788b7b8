"""数据比对: agency lists compared with heads and members by ID number; findings per household;
decisions recorded as data-check visits; lists kept with source, date and SHA-256 and replaced
when imported again; a bad row imports nothing."""
from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import event

from tests.admin_helpers import snapshot
from tests.archive_helpers import scoped, with_roles
from zhibang_desktop.services import archive, casework
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed
from zhibang_desktop.storage.models import Household

from . import crosscheck_world as cw
from .casework_helpers import write_list


@pytest.fixture
def world(ctx):
    return cw.build(ctx)


def kinds(result) -> list[tuple[str, str, str]]:
    return sorted((f.name, f.kind, f.list_says) for f in result.findings)


def test_planted_deceased_vehicle_and_dibao_mismatch(ctx, world, tmp_path):
    police = casework.import_crosscheck(ctx, cw.police_list(tmp_path, world), "公安", date(2026, 11, 20))
    assert police.ok and police.rows == 3 and police.matched == 3 and not police.replaced
    assert kinds(police) == [("李老汉", "deceased", "已死亡（2026-08-03）"), ("赵有车", "vehicle", "名下机动车 1 辆")]
    civil = casework.import_crosscheck(ctx, cw.civil_affairs_list(tmp_path, world), "民政", date(2026, 11, 20))
    assert civil.ok and civil.matched == 2
    assert kinds(civil) == [("王小红", "dibao_missing", "名单注明不是低保对象")]
    assert civil.findings[0].archive_says == "档案登记为低保户"
    # members are matched too
    hrss = casework.import_crosscheck(ctx, cw.hrss_list(tmp_path, world), "人社", date(2026, 11, 20))
    assert [(f.name, f.kind, f.household_id) for f in hrss.findings] == [
        ("钱小工", "employed", world.households["car"])]
    assert hrss.findings[0].list_says == "就业（增城某物流公司），月收入 4,200 元"
    disabled = casework.import_crosscheck(ctx, cw.disabled_list(tmp_path, world), "残联", date(2026, 11, 20))
    assert kinds(disabled) == [("周平安", "disability", "残疾等级 四级"), ("孙秀兰", "disability", "残疾等级 二级")]
    on_car = casework.list_findings(ctx, household_id=world.households["car"])
    assert sorted(f.kind for f in on_car) == ["disability", "employed", "vehicle"]
    assert {f.household_name for f in on_car} == {"赵有车"}


def test_dibao_missing_when_nobody_of_the_household_is_on_the_list(ctx, world, tmp_path):
    path = write_list(tmp_path / "低保.xlsx", ["姓名", "身份证号"], [["张大明", world.ids["dibao_ok"]]])
    result = casework.import_crosscheck(ctx, path, "民政")
    assert kinds(result) == [("王小红", "dibao_missing", "户主及家庭成员均不在名单上")]


def test_a_list_reads_only_the_households_of_its_people(ctx, world, tmp_path):
    """The comparison looks up the list's ID numbers (and, for a 民政 list, the 低保户), not every
    household of the archive as objects: at 100,000 households that took over a gigabyte. The
    only households loaded are those of the findings, for their views."""
    loaded = []
    listener = lambda target, _context: loaded.append(target.id)  # noqa: E731
    event.listen(Household, "load", listener)
    try:
        hrss = casework.import_crosscheck(ctx, cw.hrss_list(tmp_path, world), "人社", date(2026, 11, 20))
        civil = casework.import_crosscheck(ctx, cw.civil_affairs_list(tmp_path, world), "民政", date(2026, 11, 20))
    finally:
        event.remove(Household, "load", listener)
    assert [f.kind for f in hrss.findings] == ["employed"] and [f.kind for f in civil.findings] == ["dibao_missing"]
    assert sorted(loaded) == sorted([world.households["car"], world.households["dibao_missing"]])


def test_list_kept_with_hash_and_replaced_by_the_same_list(ctx, world, tmp_path):
    path = cw.police_list(tmp_path, world)
    first = casework.import_crosscheck(ctx, path, "公安", date(2026, 11, 20))
    assert first.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    dead = next(f for f in first.findings if f.kind == "deceased")
    casework.decide_finding(ctx, dead.id, "confirmed", "经派出所核实已死亡，已启动退档")
    again = casework.import_crosscheck(ctx, path, "公安", date(2026, 11, 20))
    assert again.replaced and kinds(again) == [("赵有车", "vehicle", "名下机动车 1 辆")]  # the decided one stays decided
    lists = casework.list_crosscheck_lists(ctx)
    assert [(v.source, v.list_date, v.rows, v.sha256, v.open_findings) for v in lists] == [
        ("公安", date(2026, 11, 20), 3, first.sha256, 1)]
    everything = casework.list_findings(ctx)
    assert [(f.kind, f.decision) for f in everything] == [("vehicle", None), ("deceased", "confirmed")]


def test_decision_is_a_data_check_visit_and_the_archive_is_untouched(ctx, world, tmp_path):
    result = casework.import_crosscheck(ctx, cw.police_list(tmp_path, world), "公安", date(2026, 11, 20))
    car = next(f for f in result.findings if f.kind == "vehicle")
    before = archive.get_household(ctx, car.household_id)
    done = casework.decide_finding(ctx, car.id, "dismissed", "车辆为残疾人代步车，按规定不排除")
    assert (done.decision, done.decided_on, done.decided_by) == ("dismissed", date(2026, 11, 23), "系统")
    after = archive.get_household(ctx, car.household_id)
    assert after.data == before.data
    visit = after.visits[0]  # newest first
    assert (visit.method, visit.visit_date) == ("data_check", date(2026, 11, 23))
    assert "公安名单（2026-11-20）：赵有车 名下有机动车辆" in visit.findings
    assert visit.outcome == "不属实或无需处理：车辆为残疾人代步车，按规定不排除"
    with pytest.raises(ValidationFailed, match="已于 2026-11-23 处理"):
        casework.decide_finding(ctx, car.id, "confirmed", "再处理一次")
    with pytest.raises(ValidationFailed) as err:
        casework.decide_finding(ctx, result.findings[0].id, "maybe", "")
    assert {p.label for p in err.value.problems} == {"处理结论", "核实情况"}


def test_a_bad_row_imports_nothing_and_names_row_field_reason(ctx, world, tmp_path):
    path = write_list(tmp_path / "坏名单.xlsx", ["姓名", "身份证号", "是否死亡", "机动车数量", "残疾等级"], [
        ["李老汉", world.ids["dead"], "是", 0, ""],
        ["某某", "440183198005060000", "否", 0, ""],
        ["某某二", world.ids["clean"], "也许", "两辆", "五级"],
        ["某某三", world.ids["dead"], "否", 0, ""],
    ])
    before = snapshot(ctx.db)
    result = casework.import_crosscheck(ctx, path, "公安")
    assert not result.ok and result.findings == ()
    got = [(p.row, p.column) for p in result.problems]
    assert got == [(3, "身份证号"), (4, "机动车数量"), (4, "是否死亡"), (4, "残疾等级"), (5, "身份证号")]
    reasons = [p.reason for p in result.problems]
    assert "校验" in reasons[0] or "身份证" in reasons[0]
    assert "“两辆”" in reasons[1] and "是/否" in reasons[2] and "一级、二级、三级 或 四级" in reasons[3]
    assert "与第 2 行是同一身份证号" in reasons[4]
    assert snapshot(ctx.db) == before


@pytest.mark.parametrize("content, message", [
    (b"not a workbook", "xlsx"),
    (None, "找不到“身份证号”列"),
])
def test_unreadable_files(ctx, world, tmp_path, content, message):
    path = tmp_path / "名单.xlsx"
    if content is None:
        write_list(path, ["姓名", "电话"], [["张三", "123"]])
    else:
        path.write_bytes(content)
    result = casework.import_crosscheck(ctx, path, "住建")
    assert not result.ok and message in result.problems[0].reason


def test_source_scope_and_permissions(ctx, world, tmp_path):
    path = cw.police_list(tmp_path, world)
    with pytest.raises(ValidationFailed, match="民政、人社、残联、医保、住建、公安"):
        casework.import_crosscheck(ctx, path, "税务")
    licheng = scoped(ctx, "荔城街总工会")
    with pytest.raises(PermissionDenied, match="管辖范围"):
        casework.import_crosscheck(licheng, path, "公安")
    with pytest.raises(PermissionDenied):
        casework.import_crosscheck(with_roles(ctx, "reviewer"), path, "公安")
    result = casework.import_crosscheck(ctx, path, "公安")
    car = next(f for f in result.findings if f.kind == "vehicle")  # 新塘镇
    assert [f.kind for f in casework.list_findings(licheng)] == ["deceased"]
    with pytest.raises(PermissionDenied, match="管辖范围"):
        casework.decide_finding(licheng, car.id, "confirmed", "核实")
    with pytest.raises(PermissionDenied, match="管辖范围"):
        casework.list_findings(licheng, household_id=car.household_id)
