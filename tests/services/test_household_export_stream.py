"""The streamed household export: every household and member of the demo office, cell by cell,
against the archive read back through the models; written in one read-only transaction that blocks no clerk."""
from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from zhibang_desktop.documents.household_ledger import FORM_COLUMNS
from zhibang_desktop.domain.household import ASSISTANCE_STATUSES, CATEGORIES, SCHOOLING_STAGES, STATUSES
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.archive import household_export
from zhibang_desktop.services.archive.household_export import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS, export_households
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.models import Household, OrgUnit

SEX = {"M": "男", "F": "女"}


@pytest.fixture
def clerk(demo_copy):
    db = open_database(demo_copy)
    yield AppContext(db, users.authenticate(db, "clerk", "demo1234"))
    db.close()


def _yuan(fen):
    return None if fen is None else Decimal(fen) / 100


def _expected(ctx: AppContext, statuses=None) -> tuple[list[tuple], list[tuple]]:
    """What the two sheets must hold, read household by household through the models."""
    households, members = [], []
    with ctx.db.session() as s:
        units = dict(s.execute(select(OrgUnit.id, OrgUnit.name)).all())
        query = select(Household).options(selectinload(Household.members)).order_by(Household.archive_no)
        if statuses:
            query = query.where(Household.status.in_(statuses))
        for h in s.execute(query).scalars():
            per_capita = h.total_income_fen // h.household_size if h.household_size else None
            households.append((
                h.archive_no, STATUSES[h.status], h.name, h.id_number, SEX.get(h.sex), h.phone, h.employer,
                units[h.unit_id], CATEGORIES[h.category], "、".join(h.causes or []) or None, h.household_size,
                _yuan(h.total_income_fen), h.bank_name, h.bank_account, h.address, h.archived_on,
                "是" if h.union_member else "否", ASSISTANCE_STATUSES[h.assistance_status], h.remarks,
                *(household_export._form_cell(h, f) for f in FORM_COLUMNS),  # the 档案表 fields as labelled
                h.birth_date, _yuan(per_capita), h.last_visit_on, h.next_visit_due, h.phase_out_until,
                h.exited_on, h.exit_reason))
            for m in sorted(h.members, key=lambda m: m.id):
                members.append((h.archive_no, h.id_number, m.name, m.relation, m.id_number, m.health,
                                m.disability, SCHOOLING_STAGES.get(m.schooling, m.schooling), m.job_or_school,
                                _yuan(m.monthly_income_fen), SEX.get(m.sex), m.birth_date))
    return households, members


def _read(path) -> tuple[list[tuple], list[tuple]]:
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws, columns in zip(wb.worksheets, (HOUSEHOLD_COLUMNS, MEMBER_COLUMNS)):
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == columns
        sheets.append([tuple(_plain(v) for v in row) for row in rows[1:]])
    return sheets[0], sheets[1]


def _plain(value):
    if hasattr(value, "date") and callable(value.date):
        return value.date()  # openpyxl reads a date cell back as a datetime
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value


def test_every_household_and_member_of_the_demo_office(clerk, tmp_path):
    path = tmp_path / "档案.xlsx"
    count = export_households(clerk, path)
    want_households, want_members = _expected(clerk)
    households, members = _read(path)
    assert count == len(want_households) == len(households)
    assert any(h[0] not in {m[0] for m in want_members} for h in want_households)  # some have no members
    assert households == [tuple(_normalised(v) for v in row) for row in want_households]
    assert members == [tuple(_normalised(v) for v in row) for row in want_members]


def test_a_filtered_export_holds_only_its_households_and_their_members(clerk, tmp_path):
    path = tmp_path / "退档.xlsx"
    count = export_households(clerk, path, HouseholdFilter(statuses=frozenset({"exited"})))
    want_households, want_members = _expected(clerk, statuses=("exited",))
    households, members = _read(path)
    assert 0 < count == len(households) < len(_expected(clerk)[0])
    assert [h[0] for h in households] == [h[0] for h in want_households]
    assert [(m[0], m[2]) for m in members] == [(m[0], m[2]) for m in want_members]


def test_a_clerk_saves_while_the_export_runs_and_the_file_is_the_snapshot(clerk, tmp_path, monkeypatch):
    monkeypatch.setattr(household_export, "TICK", 50)  # progress every 50 households: mid-stream
    saved = []

    def progress(done, total):
        if done and not saved:  # halfway through the stream: another connection writes
            with clerk.db.session() as s:
                h = s.execute(select(Household).order_by(Household.archive_no.desc()).limit(1)).scalar_one()
                h.remarks = "导出期间修改"
                saved.append(h.archive_no)

    before, _ = _expected(clerk)
    path = tmp_path / "档案.xlsx"
    export_households(clerk, path, progress=progress)
    households, _ = _read(path)
    assert saved
    assert households[-1][0] == saved[0] and households[-1][18] == _normalised(before[-1][18])


def _normalised(value):
    return _plain(value)
