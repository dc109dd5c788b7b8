"""A payout batch of up to 10,000 pending bank lines in a private copy of the bench database, for
the bank-file and receipt-list works: the demo year's batches hold a few dozen lines, a city's
quarter holds thousands. Lines are the demo's households, each drawing on one of the demo
requests (the payment file and the list read the lines, not the requests)."""
from __future__ import annotations

from pathlib import Path

from .registry import BenchContext
from .scratch_copy import writable_copy

LINES = 10_000
NUMBER = "BENCH-LINES"


def batch_database(bench: BenchContext) -> tuple[Path, int]:
    """(the copy holding the batch, its number of lines)."""
    def make() -> tuple[Path, int]:
        from sqlalchemy import insert, select

        from ..domain import clock
        from ..storage.database import open_database
        from ..storage.models import Disbursement, DisbursementLine, Household, OrgUnit

        path = writable_copy(bench, "bank-batch")
        db = open_database(path, migrate=False, take_lock=False, create=False)
        try:
            with db.session() as s:
                model = s.execute(select(DisbursementLine).order_by(DisbursementLine.id)).scalars().first()
                batch = Disbursement(number=NUMBER, title="基准测试批次", kind="regular", pay_date=clock.today(),
                                     status="open", remark="", created_at=clock.now(), created_by="bench")
                s.add(batch)
                s.flush()
                people = s.execute(select(Household.id, Household.name, Household.id_number, Household.bank_name,
                                          Household.bank_account, OrgUnit.name)
                                   .join(OrgUnit, OrgUnit.id == Household.unit_id)
                                   .where(Household.bank_account.is_not(None))
                                   .order_by(Household.archive_no).limit(LINES)).all()
                s.execute(insert(DisbursementLine.__table__), [dict(
                    batch_id=batch.id, seq=seq, request_id=model.request_id, household_id=hid, name=name,
                    id_number=id_number, unit_name=unit, relief_type=model.relief_type,
                    relief_type_label=model.relief_type_label, method="bank_transfer", fund_source=model.fund_source,
                    bank_name=bank, account=account, amount_fen=40_000 + seq % 5 * 5_000, state="pending",
                    remark="", updated_at=clock.now(), version=1)
                    for seq, (hid, name, id_number, bank, account, unit) in enumerate(people, start=1)])
        finally:
            db.close()
        return path, len(people)
    return bench.shared("bank batch", make)


def batch_clerk(bench: BenchContext):
    """The demo clerk signed in on the batch's database (an AppContext, one per run)."""
    def make():
        from ..demo import DEMO_PASSWORD
        from ..services.admin import users
        from ..services.context import AppContext
        from ..storage.database import open_database

        path, _ = batch_database(bench)
        db = bench.shared("bank db", lambda: open_database(path, migrate=False, take_lock=False, create=False))
        return AppContext(db, users.authenticate(db, "clerk", DEMO_PASSWORD))
    return bench.shared("bank clerk", make)
