"""A small archive and agency lists with planted findings, for the cross-check tests (services,
CLI and GUI): a 低保户 not on the 民政 list, a deceased recipient, a vehicle owner, an employed
member with income, a disability grade that differs — and people the lists agree with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.archive_helpers import JEANS, archived, household, id_no, member

from .casework_helpers import write_list

PEOPLE = {
    "dibao_ok": ("张大明", 11), "dibao_missing": ("王小红", 12), "dead": ("李老汉", 13), "car": ("赵有车", 14),
    "worker_child": ("钱小工", 15), "disabled_wife": ("孙秀兰", 16), "clean": ("周平安", 17),
}


@dataclass
class World:
    ids: dict[str, str]  # key → ID number
    households: dict[str, int]  # key of the head → household id


def build(ctx) -> World:
    ids = {k: id_no(seq) for k, (_, seq) in PEOPLE.items()}
    ids["worker_child"] = id_no(15, "M", date(2001, 4, 1))
    ids["disabled_wife"] = id_no(16, "F", date(1982, 7, 1))
    hh = {}
    hh["dibao_ok"] = archived(ctx, household(ctx, "张大明", id_number=ids["dibao_ok"], assistance_status="dibao")).id
    hh["dibao_missing"] = archived(ctx, household(ctx, "王小红", id_number=ids["dibao_missing"],
                                                  assistance_status="dibao")).id
    hh["dead"] = archived(ctx, household(ctx, "李老汉", id_number=ids["dead"])).id
    hh["car"] = archived(ctx, household(ctx, "赵有车", id_number=ids["car"], unit=JEANS, members=[
        member("钱小工", 15, "子女", "M", date(2001, 4, 1), job_or_school="无业"),
        member("孙秀兰", 16, "配偶", "F", date(1982, 7, 1), disability="肢体残疾三级")])).id
    hh["clean"] = archived(ctx, household(ctx, "周平安", id_number=ids["clean"])).id
    return World(ids, hh)


def civil_affairs_list(tmp: Path, w: World, name: str = "民政低保名单.xlsx") -> Path:
    return write_list(tmp / name, ["序号", "姓名", "身份证号", "是否低保"], [
        [1, "张大明", w.ids["dibao_ok"], "是"],
        [2, "王小红", w.ids["dibao_missing"], "否"],  # registered as 低保户 in the archive
        [3, "路人甲", id_no(300), "是"],  # not in the archive
    ], title="增城区2026年11月低保对象名单")


def police_list(tmp: Path, w: World, name: str = "公安比对.xlsx") -> Path:
    return write_list(tmp / name, ["姓名", "公民身份号码", "是否死亡", "死亡日期", "机动车数量"], [
        ["李老汉", w.ids["dead"], "是", "2026-08-03", 0],
        ["赵有车", w.ids["car"], "否", None, 1],
        ["周平安", w.ids["clean"], "否", None, 0],
    ])


def hrss_list(tmp: Path, w: World) -> Path:
    return write_list(tmp / "人社就业.xlsx", ["身份证号码", "姓名", "就业单位", "月收入（元）"], [
        [w.ids["worker_child"], "钱小工", "增城某物流公司", "4,200"],
    ])


def disabled_list(tmp: Path, w: World) -> Path:
    return write_list(tmp / "残联.xlsx", ["身份证号", "姓名", "残疾等级"], [
        [w.ids["disabled_wife"], "孙秀兰", "二级"],
        [w.ids["clean"], "周平安", "四级"],
    ])
