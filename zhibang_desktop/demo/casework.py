"""The demo year's casework, so the 回访, 投诉 and 数据比对 pages open on something real: phone
follow-ups of most paid lines (one not reached, one dissatisfied, the newest still due), three
complaints (one concluded, one being handled, one just received) and a 公安 vehicle list with one
archive head owning a car — all through the casework services, as the demo clerk, on the days
they happened (the demo year's clock)."""
from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import select

from ..services.casework import complaints, crosscheck, followups
from ..services.casework.types import ComplaintInput, FollowUpInput
from ..services.context import AppContext
from ..services.errors import ServiceError
from ..storage.models import Household, ReliefRequest
from .year_calendar import _Clock

FOLLOWUP_SHARE = 0.8  # of the lines paid more than a week ago
CALLER = "陈晓"
VEHICLE_LIST = "公安机动车登记比对名单.xlsx"


def create_casework(clerk: AppContext, clock: _Clock, today: date, rnd: random.Random) -> None:
    with clock.installed():
        _followups(clerk, clock, today, rnd)
        _complaints(clerk, clock, today)
        _vehicle_list(clerk, clock, today)
        clock.day(today, 12)


def _followups(clerk: AppContext, clock: _Clock, today: date, rnd: random.Random) -> None:
    due = [d for d in followups.followup_list(clerk, due_only=False) if d.paid_on <= today - timedelta(days=7)]
    due.sort(key=lambda d: (d.paid_on, d.line_id))
    called = due[: int(len(due) * FOLLOWUP_SHARE)]
    for n, line in enumerate(called):
        on = clock.day(line.paid_on + timedelta(days=rnd.randint(2, 12)), 15)
        reached = n % 17 != 5
        satisfaction = "dissatisfied" if n == 3 else ("basic" if n % 6 == 1 else "satisfied")
        try:
            followups.record_followup(clerk, FollowUpInput(
                line.line_id, "phone", on, CALLER, reached=reached,
                money_arrived=True if reached else None, satisfaction=satisfaction if reached else None,
                needs="希望介绍就近的就业岗位" if n == 3 else "",
                remark="电话无人接听，下周再打" if not reached else ""))
        except ServiceError:
            continue


def _complaints(clerk: AppContext, clock: _Clock, today: date) -> None:
    with clerk.db.session() as s:
        request = s.execute(select(ReliefRequest.number).where(ReliefRequest.status == "rejected")
                            .order_by(ReliefRequest.id).limit(1)).scalar_one_or_none()
    earlier = clock.day(today - timedelta(days=60), 10)
    try:
        first = complaints.add_complaint(clerk, ComplaintInput(
            earlier, "hotline", "匿名", "反映某镇工会公示名单张贴位置偏僻，职工看不到", contact="12351 转办"))
        clock.day(earlier + timedelta(days=6), 16)
        complaints.handle_complaint(clerk, first.id, first.version, "已约谈镇工会，公示改在镇政府一楼公示栏张贴",
                                    "已整改，回复投诉人", at_fault=True, close=True, closed_on=earlier + timedelta(days=6))
        if request is not None:
            asked = clock.day(today - timedelta(days=9), 11)
            second = complaints.add_complaint(clerk, ComplaintInput(
                asked, "visit", "申请人本人", "对申请未获批准有异议，认为家庭收入核算有误", contact="来访登记",
                request_number=request))
            clock.day(asked + timedelta(days=2), 15)
            complaints.handle_complaint(clerk, second.id, second.version, "已调取收入证明，正在与镇街工会核实")
        complaints.add_complaint(clerk, ComplaintInput(
            clock.day(today - timedelta(days=1), 9), "phone", "职工张某",
            "询问季度救助金为何比上季度少发一百元", contact="电话"))
    except ServiceError:
        return


def _vehicle_list(clerk: AppContext, clock: _Clock, today: date) -> None:
    with clerk.db.session() as s:
        heads = s.execute(select(Household.id_number, Household.name)
                          .where(Household.status == "active").order_by(Household.id).limit(40)).all()
    if not heads:
        return
    rows = [(id_number, name, 1 if n == 7 else 0) for n, (id_number, name) in enumerate(heads)]
    on = clock.day(today - timedelta(days=20), 10)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / VEHICLE_LIST
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "比对结果"
        sheet.append(["身份证号", "姓名", "机动车数量"])
        for row in rows:
            sheet.append(list(row))
            sheet.cell(sheet.max_row, 1).number_format = "@"
        book.save(path)
        try:
            crosscheck.import_crosscheck(clerk, path, "公安", on)
        except ServiceError:
            return
