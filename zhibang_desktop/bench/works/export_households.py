"""Exporting every household with its members to .xlsx (`export households`), against plain
sqlite3 rows appended as plain values to two openpyxl write-only sheets: the same cells."""
from __future__ import annotations

import sqlite3

from ..registry import BenchContext, Work, once, register
from ..scratch_copy import writable_copy

# the 档案表 fields the export writes between 备注 and 出生日期 (documents.household_ledger.FORM_COLUMNS)
FORM_COLUMNS = ("political_status", "marital_status", "housing_type", "housing_area_x100", "disability_category",
                "disability_grade", "employer_nature", "enterprise_status", "medical_insurance", "zero_employment",
                "archived_by", "reviewed_by", "grassroots_opinion", "grassroots_opinion_on", "upper_opinion",
                "upper_opinion_on")
HOUSEHOLD_SQL = ("select h.archive_no, h.status, h.name, h.id_number, h.sex, h.phone, h.employer, u.name, h.category, "
                 "h.causes, h.household_size, h.total_income_fen, h.bank_name, h.bank_account, h.address, "
                 "h.archived_on, h.union_member, h.assistance_status, h.remarks, "
                 + "".join(f"h.{column}, " for column in FORM_COLUMNS) +
                 "h.birth_date, h.total_income_fen, "
                 "h.last_visit_on, h.next_visit_due, h.phase_out_until, h.exited_on, h.exit_reason "
                 "from households h join org_units u on u.id = h.unit_id order by h.archive_no")
MEMBER_SQL = ("select h.archive_no, h.id_number, m.name, m.relation, m.id_number, m.health, m.disability, m.schooling, "
              "m.job_or_school, m.monthly_income_fen, m.sex, m.birth_date "
              "from households h join family_members m on m.household_id = h.id order by h.archive_no, m.id")


def _floor(bench: BenchContext):
    from openpyxl import Workbook

    target = bench.scratch / "floor-households.xlsx"

    def run() -> None:
        con = sqlite3.connect(f"file:{bench.db_path}?mode=ro", uri=True)
        try:
            wb = Workbook(write_only=True)
            for title, sql in (("households", HOUSEHOLD_SQL), ("members", MEMBER_SQL)):
                ws = wb.create_sheet(title)
                for row in con.execute(sql):
                    ws.append(row)
            wb.save(target)
        finally:
            con.close()
    return once(run)


def _app(bench: BenchContext):
    from ...demo import DEMO_PASSWORD
    from ...services.admin import users
    from ...services.archive.household_export import export_households
    from ...services.context import AppContext
    from ...storage.database import open_database

    db = bench.shared("export households db", lambda: open_database(
        writable_copy(bench, "export-households"), migrate=False, take_lock=False, create=False))
    ctx = AppContext(db, users.authenticate(db, "clerk", DEMO_PASSWORD))
    return once(lambda: export_households(ctx, bench.scratch / "app-households.xlsx"))


register(Work(
    name="export.households", label="导出全部档案及家庭成员（.xlsx）", app=_app, floor=_floor,
    floor_label="sqlite3 行 + openpyxl 只写模式（同样的单元格）", target="≤ 1.3×，峰值 ≤ 150 MB", max_rounds=3,
))
