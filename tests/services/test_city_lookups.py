"""Lookups by a number in a city union's database (issue 14): each county's archive is kept whole,
so the same ID number (and archive and request number) is on file in two counties. Each lookup
either narrows to the user's subtree or refuses naming both counties — never picks one, never
fails with a stray database error."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from tests.admin_helpers import user_context
from zhibang_desktop.services import archive, casework, relief
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.admin.org import list_units
from zhibang_desktop.services.archive import printing
from zhibang_desktop.services.casework import crosscheck
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.errors import Ambiguous, ValidationFailed
from zhibang_desktop.services.exchange import import_annual_workbook
from zhibang_desktop.services.relief import ledger_import, policies
from zhibang_desktop.services.relief.types import RequestInput
from zhibang_desktop.storage.models import CrossCheckFinding, Household, ReliefRequest

from .casework_helpers import write_list
from .city_counties import city_office, hand_made_county
from .reports_year import YEAR

COUNTIES = ("增城区总工会", "从化区总工会")
PASSWORD = "Secret123"


@pytest.fixture
def city(db, tmp_path):
    """The city's database with 增城 and 从化 imported: the hand-made year sent by both, so every
    person, archive number and request number is on file twice. Returns (a city-wide clerk,
    a clerk bound to 从化, the shared head's ID number, each county's household id)."""
    office = city_office(db)
    for name, code in zip(COUNTIES, ("ZC", "CH"), strict=True):
        import_annual_workbook(office, hand_made_county(tmp_path, name, code).file)
    users.create_admin(db, "admin", PASSWORD, display_name="市总管理员")
    admin = AppContext(db, users.authenticate(db, "admin", PASSWORD))
    roots = {u.name: u.id for u in list_units(admin) if u.name in COUNTIES}
    clerk = user_context(admin, "ch_clerk", ["clerk", "head"], scope_unit_id=roots["从化区总工会"])
    city_clerk = user_context(admin, "city_clerk", ["clerk", "head"])  # the whole city
    with db.session() as s:
        number = s.execute(select(Household.id_number).where(Household.status == "active")
                           .order_by(Household.id)).scalars().first()
        mine = {scope: hid for hid, scope in s.execute(select(Household.id, Household.archive_scope)
                                                       .where(Household.id_number == number))}
    assert len(mine) == 2
    return city_clerk, clerk, number, mine


def _names_both(text: str) -> None:
    assert all(county in text for county in COUNTIES), text
    assert "不能确定" in text


def _ch(ctx, mine) -> int:
    """The 从化 household of the shared number (the scope whose root the clerk is bound to)."""
    with ctx.db.session() as s:
        return next(hid for scope, hid in mine.items()
                    if s.get(Household, hid).unit_id in _subtree(s, ctx))


def _subtree(s, ctx) -> set[int]:
    from zhibang_desktop.services.admin.org import subtree_ids

    return subtree_ids(s, ctx.actor.scope_unit_id)


def test_find_by_id_number_refuses_or_narrows(city):
    admin, clerk, number, mine = city
    with pytest.raises(Ambiguous) as exc:
        archive.find_by_id_number(admin, number)
    _names_both(str(exc.value))
    assert number not in str(exc.value)  # the number is masked
    assert archive.find_by_id_number(clerk, number) == _ch(clerk, mine)


def test_print_archive_lookup_refuses_or_narrows(city):
    admin, clerk, number, mine = city
    with admin.db.session() as s:
        archive_no = s.get(Household, next(iter(mine.values()))).archive_no
    for key in (number, archive_no):
        with pytest.raises(Ambiguous) as exc:
            printing.find_household(admin, key)
        _names_both(str(exc.value))
        assert printing.find_household(clerk, key) == _ch(clerk, mine)


def test_a_request_by_id_number_refuses_or_links_the_users_county(city):
    admin, clerk, number, mine = city
    policies.use_preset(AppContext(admin.db, users.authenticate(admin.db, "admin", PASSWORD)), "增城", YEAR)
    data = RequestInput(relief_type="emergency", year=YEAR, requested_amount_fen=300000, worker_name="张一",
                        worker_id_number=number, subcase="illness_surgery", request_date=date(YEAR, 11, 2))
    with pytest.raises(ValidationFailed) as exc:
        relief.create_request(admin, data)
    problem = next(p for p in exc.value.problems if p.field == "worker_id_number")
    _names_both(problem.message)
    with admin.db.session() as s:
        before = s.execute(select(ReliefRequest.id)).all()
    view = relief.create_request(clerk, data)
    assert view.household_id == _ch(clerk, mine)
    with admin.db.session() as s:
        assert len(s.execute(select(ReliefRequest.id)).all()) == len(before) + 1


def test_a_request_number_refuses_or_narrows(city):
    admin, clerk, _, _ = city
    with admin.db.session() as s:
        number = s.execute(select(ReliefRequest.number).group_by(ReliefRequest.number)
                           .order_by(ReliefRequest.number)).scalars().first()
    with pytest.raises(Ambiguous) as exc:
        relief.get_request(admin, number)
    _names_both(str(exc.value))
    assert relief.get_request(clerk, number).number == number


def test_a_complaint_by_id_or_request_number_refuses_or_narrows(city):
    admin, clerk, number, mine = city
    with admin.db.session() as s:
        request_number = s.execute(select(ReliefRequest.number).where(
            ReliefRequest.household_id.in_(list(mine.values())))).scalars().first()
    data = casework.ComplaintInput(date(YEAR, 11, 2), "phone", "投诉人", "救助金迟迟未到账", "13900000000", None,
                                   request_number)
    with pytest.raises(ValidationFailed) as exc:
        casework.add_complaint(admin, data)
    _names_both(exc.value.problems[0].message)
    saved = casework.add_complaint(clerk, data)
    assert saved.request_number == request_number


def test_a_police_list_flags_the_person_in_both_counties(city, tmp_path):
    admin, _, number, mine = city
    path = write_list(tmp_path / "公安比对.xlsx", ["姓名", "公民身份号码", "是否死亡", "死亡日期", "机动车数量"],
                      [["张一", number, "是", f"{YEAR}-08-03", 0]])
    res = crosscheck.import_crosscheck(admin, path, "police")
    assert res.ok and res.matched == 1
    with admin.db.session() as s:
        flagged = set(s.execute(select(CrossCheckFinding.household_id)
                                .where(CrossCheckFinding.kind == "deceased")).scalars())
    assert flagged == set(mine.values())  # each county's household, not one of them


def test_a_ledger_row_with_a_number_of_two_counties_is_refused(city, tmp_path):
    admin, _, number, _ = city
    policies.use_preset(AppContext(admin.db, users.authenticate(admin.db, "admin", PASSWORD)), "增城", YEAR)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "救助类型", "救助事由", "发放金额（元）", "发放日期", "资金来源", "备注"])
    ws.append(["张一", number, "季度救助", None, 500, date(YEAR, 2, 10), "工会经费", ""])
    wb.save(tmp_path / "ledger.xlsx")
    res = ledger_import.import_ledger(admin, tmp_path / "ledger.xlsx")
    assert not res.ok and res.imported == 0
    _names_both(res.problems[0].reason)


def test_a_county_household_is_edited_though_the_person_is_on_file_in_the_other(city):
    """The duplicate-ID check of a save looks within the household's own archive (a county's, in a
    city's database), as the database's uniqueness does: the same person in the other county's
    archive does not block it."""
    _, clerk, number, mine = city
    hid = _ch(clerk, mine)
    stored = archive.get_household(clerk, hid)
    data = stored.data
    data.remarks = "市总核对后补充"
    data.causes = data.causes or ["因病"]  # the causes stay home (not in the exchange file)
    saved = archive.update_household(clerk, hid, stored.version, data)
    assert saved.data.remarks == "市总核对后补充" and saved.data.id_number == number
