"""Three small demo counties, each its own office database (different offices, codes and seeds),
and their annual exchange files — what a city union receives at year end (issue 14).

The county databases are SQLite files whatever backend the suite runs on: they only produce
the files; the city's database under test is the ``db`` fixture's.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher

from tests.pinned import TEST_TODAY
from zhibang_desktop import demo
from zhibang_desktop.domain import clock
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.admin.settings import DEMO_MARKER
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.services.exchange import export_annual_workbook
from zhibang_desktop.services.session.setup import initialise_office
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.models import Setting

YEAR = TEST_TODAY.year
COUNTIES = (("增城区总工会", "广州市增城区", "ZC", 11), ("从化区总工会", "广州市从化区", "CH", 12),
            ("花都区总工会", "广州市花都区", "HD", 13))
HOUSEHOLDS = 24


@dataclass(frozen=True)
class County:
    office: str
    code: str
    db_path: Path
    file: Path

    def context(self) -> AppContext:
        return AppContext(open_database(self.db_path), SYSTEM)

    def read(self, read):
        """``read(ctx)`` on the county's own database."""
        ctx = self.context()
        try:
            return read(ctx)
        finally:
            ctx.db.close()


def build_county(folder: Path, office: str, region: str, code: str, seed: int) -> County:
    """A demo office of ``HOUSEHOLDS`` households with its year, and its exchange file."""
    saved = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    try:
        with clock.pinned(TEST_TODAY):
            path = folder / f"{code}.sqlite3"
            db = open_database(path)
            initialise_office(db, office, region=region, archive_prefix=code, phone="020-80000000")
            with db.session() as s:
                s.add(Setting(key=DEMO_MARKER, value=True))
            demo.create_demo(db, HOUSEHOLDS, seed=seed)
            out = folder / f"{office}{YEAR}年度上报.xlsx"
            export_annual_workbook(AppContext(db, SYSTEM), YEAR, out)
            db.close()
    finally:
        users._hasher = saved
    return County(office, code, path, out)


def build_counties(folder: Path) -> tuple[County, ...]:
    return tuple(build_county(folder, *spec) for spec in COUNTIES)


def copy_of(county: County, folder: Path) -> County:
    """The county's database and file copied, to change them in one test only."""
    folder.mkdir(parents=True, exist_ok=True)
    db_path, file = folder / county.db_path.name, folder / county.file.name
    shutil.copyfile(county.db_path, db_path)
    shutil.copyfile(county.file, file)
    return County(county.office, county.code, db_path, file)


def hand_made_county(folder: Path, office: str, code: str, admin_password: str | None = None) -> County:
    """The small hand-made year of tests/services/reports_year.py (made under 增城区总工会), sent
    as ``office``: quick, and two of them share every person (a cross-county duplicate each)."""
    from sqlalchemy import update

    from zhibang_desktop.services.session.setup import UnitSpec
    from zhibang_desktop.storage.models import OrgUnit

    from .reports_year import YEAR as HAND_MADE_YEAR, build_year

    path = folder / f"{code}.sqlite3"
    db = open_database(path)
    initialise_office(db, "增城区总工会", region="广州市", archive_prefix=code, units=[
        UnitSpec("荔城街总工会", "street"), UnitSpec("新塘镇总工会", "street"),
        UnitSpec("荔城街某某电子厂工会", "grassroots", "荔城街总工会"),
        UnitSpec("新塘镇牛仔服装公司工会", "grassroots", "新塘镇总工会")])
    ctx = AppContext(db, SYSTEM)
    build_year(ctx)
    with db.session() as s:
        s.execute(update(OrgUnit).where(OrgUnit.parent_id.is_(None)).values(name=office))
        s.get(Setting, "office_name").value = office
    file = folder / f"{office}年度上报.xlsx"
    export_annual_workbook(ctx, HAND_MADE_YEAR, file)
    if admin_password:
        users.create_admin(db, "admin", admin_password, display_name="管理员")
    db.close()
    return County(office, code, path, file)


def city_office(db) -> AppContext:
    """The city union's database: 广州市总工会 set up in city mode."""
    return initialise_office(db, "广州市总工会", region="广州市", archive_prefix="GZ", city=True)
