"""Several clerks at once on a PostgreSQL server (run with ZHIBANG_TEST_PG; skipped otherwise).

Threads share one engine but each call has its own connection and transaction, as two windows
would; the process test opens the database from separate programs, as two PCs would.
"""
from __future__ import annotations

import multiprocessing
import threading
from dataclasses import replace

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from zhibang_desktop.domain import clock
from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import audit, users
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.errors import Conflict, ConnectionLost, ServiceError
from zhibang_desktop.services.relief import review
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.models import Household, Payment, Review, User

from ..admin_helpers import admin_context, user_context
from ..archive_helpers import FACTORY, JEANS, household, unit_id
from . import server_clients
from .record_cases import CASES, opened_twice, two_admins
from .relief_helpers import GRASSROOTS, add_household, office, quarterly, set_dibao, zengcheng

pytestmark = pytest.mark.server_only


def together(*calls):
    """Run the calls in threads released at the same moment; each result or raised error."""
    gate = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        gate.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 — the caller looks at it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.fixture
def clerks(ctx):
    admin = admin_context(ctx)
    return admin, user_context(admin, "chen", ["clerk"]), user_context(admin, "li", ["clerk"])


def test_two_clerks_saving_one_household_one_is_told_who_changed_what(clerks):
    admin, chen, li = clerks
    view = archive.create_household(chen, household(chen, phone="13800000000"))
    a, b = archive.get_household(chen, view.id), archive.get_household(li, view.id)
    results = together(
        lambda: archive.update_household(chen, a.id, a.version, replace(a.data, phone="13911111111")),
        lambda: archive.update_household(li, b.id, b.version, replace(b.data, address="荔城街新址 8 号")),
    )
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], Conflict), results
    winner = "chen" if isinstance(results[1], Exception) else "li"
    message = str(lost[0])
    assert winner in message and ("联系电话" if winner == "chen" else "家庭住址") in message
    stored = archive.get_household(chen, view.id).data
    # nothing of the loser's was written; the winner's change is whole
    assert (stored.phone, stored.address) == ((("13911111111", None) if winner == "chen"
                                              else ("13800000000", "荔城街新址 8 号")))
    assert audit.verify_chain(admin).ok


def test_two_reviewers_deciding_one_request_exactly_one_counts(ctx, monkeypatch):
    from zhibang_desktop.services import relief

    o = office(ctx)
    zengcheng(o["admin"], clock.today().year)
    set_dibao(o, clock.today().year)
    second = user_context(o["admin"], "rev_g2", ["reviewer"])
    users.set_reviewer_scopes(o["admin"], second.actor.user_id, [(unit_id(ctx, GRASSROOTS), "grassroots")])
    hh = add_household(ctx)
    quarter = (clock.today().month - 1) // 3 + 1
    v = relief.create_request(o["clerk"], quarterly(hh, 500, quarter=quarter, year=clock.today().year,
                                                    request_date=clock.today()))
    v = relief.submit_request(o["clerk"], v.id)
    results = together(lambda: review.decide(o["g"], v.id, "approve", "情况属实，同意上报"),
                       lambda: review.decide(second, v.id, "reject", "不符合条件"))
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(isinstance(r, ServiceError) for r in results if isinstance(r, Exception))
    with ctx.db.session() as s:
        decided = s.execute(select(Review).where(Review.request_id == v.id, Review.level_index == 0)).scalars().all()
    assert len(decided) == 1
    assert audit.verify_chain(o["admin"]).ok


def test_numbers_stay_unique_and_the_chain_one_chain_under_concurrent_clerks(clerks):
    admin, chen, li = clerks
    calls = []
    for t in range(6):
        who = chen if t % 2 else li
        calls.append(lambda t=t, who=who: [archive.create_household(who, household(who, name=f"并发{t}{k}",
                                                                                  seq=200 + t * 5 + k)).archive_no
                                           for k in range(3)])
    results = together(*calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = [n for r in results for n in r]
    assert len(numbers) == 18 and len(set(numbers)) == 18
    report = audit.verify_chain(admin)
    assert report.ok, report.reason


def test_clerks_in_separate_processes(ctx, db_path):
    admin = admin_context(ctx)
    for name in ("p1", "p2", "p3"):
        user_context(admin, name, ["clerk"], password=server_clients.PASSWORD)
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(3) as pool:
        numbers = pool.starmap(server_clients.create_households,
                               [(db_path, f"p{i}", 4, 300 + i * 10, unit_id(ctx, FACTORY)) for i in (1, 2, 3)])
    flat = [n for part in numbers for n in part]
    assert len(flat) == 12 and len(set(flat)) == 12
    with ctx.db.session() as s:
        assert s.execute(select(func.count()).select_from(Household)).scalar_one() == 12
    assert audit.verify_chain(admin).ok


def test_a_request_is_never_paid_twice_on_the_server(ctx):
    """The partial unique index holds on PostgreSQL too, even for two transactions at once."""
    from zhibang_desktop.services import relief

    o = office(ctx)
    zengcheng(o["admin"], clock.today().year)
    hh = add_household(ctx)
    v = relief.create_request(o["clerk"], quarterly(hh, 500, year=clock.today().year))

    def pay():
        with ctx.db.session() as s:
            s.add(Payment(request_id=v.id, household_id=hh, id_number="x", name="张三", relief_type="quarterly",
                          amount_fen=50000, paid_on=clock.today(), period_year=clock.today().year,
                          source="disbursement", batch="2026-Q4-01", created_at=clock.now(), created_by="t"))
        return "paid"

    results = together(pay, pay)
    assert results.count("paid") == 1 and any(isinstance(r, IntegrityError) for r in results), results


def test_scope_holds_for_several_users_at_once(ctx):
    admin = admin_context(ctx)
    street_a = user_context(admin, "lc", ["clerk"], unit_id(ctx, "荔城街总工会"))
    street_b = user_context(admin, "xt", ["clerk"], unit_id(ctx, "新塘镇总工会"))
    district = user_context(admin, "qu", ["clerk"])
    for i, unit in enumerate([FACTORY, FACTORY, JEANS, "区直机关工会"]):
        archive.create_household(district if unit == "区直机关工会" else (street_a if unit == FACTORY else street_b),
                                 household(admin, name=f"范围{i}", seq=400 + i, unit=unit))

    def seen(who: AppContext):
        return {r.unit_name for r in archive.search_households(who, HouseholdFilter()).rows}

    results = together(*[lambda who=who: seen(who) for who in (street_a, street_b, street_a, street_b, district)])
    assert results[0] == results[2] == {FACTORY}
    assert results[1] == results[3] == {JEANS}
    assert results[4] == {FACTORY, JEANS, "区直机关工会"}
    jeans_id = next(r.id for r in archive.search_households(street_b, HouseholdFilter()).rows)
    with pytest.raises(ServiceError):
        archive.get_household(street_a, jeans_id)


def test_a_connection_lost_mid_save_keeps_nothing_and_a_retry_works(clerks, db_path):
    """The server ends this clerk's session in the middle of the save (pg_terminate_backend)."""
    from sqlalchemy import event

    admin, chen, li = clerks
    view = archive.create_household(chen, household(chen, phone="13800000000"))
    before = audit.verify_chain(admin).rows
    engine = chen.db.engine
    killer = open_database(db_path)
    armed = [True]

    @event.listens_for(engine, "before_cursor_execute")
    def cut(conn, cursor, statement, *_):
        if armed[0] and statement.startswith("UPDATE households"):
            armed[0] = False
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            with killer.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    typed = replace(view.data, phone="13922222222", address="新地址 1 号")
    try:
        with pytest.raises(ConnectionLost, match="连接中断.*未保存"):
            archive.update_household(chen, view.id, view.version, typed)
    finally:
        event.remove(engine, "before_cursor_execute", cut)
        killer.close()
    stored = archive.get_household(chen, view.id)
    assert stored.version == view.version and stored.data.phone == "13800000000"  # no half transaction
    assert audit.verify_chain(admin).rows == before
    again = archive.update_household(chen, view.id, view.version, typed)  # the same typed values, retried
    assert again.data.phone == "13922222222" and audit.verify_chain(admin).ok


@pytest.mark.parametrize("kind", sorted(CASES))
def test_two_administrators_saving_one_record_at_once_one_is_told(ctx, kind):
    """Users, unions, budget lines, the year's policy: two sessions save the same row at once."""
    w = opened_twice(ctx, kind)
    case, admin = w.case, w.admin
    results = together(lambda: case.save(admin, w.mine, "管理员改的"), lambda: case.save(w.wang, w.theirs, "王芳改的"))
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(lost) == 1 and isinstance(lost[0], Conflict), results
    winner = "王芳" if isinstance(results[0], Exception) else "管理员"
    assert winner in str(lost[0]) and case.field in str(lost[0])
    assert audit.verify_chain(admin).ok


def test_a_login_racing_an_administrators_save_reads_the_user_again(ctx):
    """The administrator's save commits between a failed login's read of the user and its write
    of the failure counter: the login reads the user again, and neither write is lost."""
    from sqlalchemy import event

    admin, _ = two_admins(ctx)
    target = users.add_user(admin, "lihua", "李华", server_clients.PASSWORD, ["clerk"])
    armed = [True]

    def admin_saves_now(_conn, _cursor, statement, *_):
        if armed[0] and statement.lstrip().startswith("SELECT") and "FROM users" in statement \
                and "users.username =" in statement:
            armed[0] = False
            users.update_user(admin, target.id, display_name="李华华", version=target.version)

    event.listen(ctx.db.engine, "after_cursor_execute", admin_saves_now)
    try:
        with pytest.raises(users.LoginFailed):
            users.authenticate(ctx.db, "lihua", "wrong-password")
    finally:
        event.remove(ctx.db.engine, "after_cursor_execute", admin_saves_now)
    assert not armed[0]
    with ctx.db.session() as s:
        row = s.get(User, target.id)
        assert (row.display_name, row.failed_attempts, row.version) == ("李华华", 1, target.version + 1)


def test_two_clerks_putting_one_request_in_batches_and_paying_it_at_once_pay_it_once(ctx, monkeypatch):
    """Through the payout services, as two clerks at two PCs would: one batch gets the request,
    and marking its line paid twice at once writes one payment."""
    from zhibang_desktop.services import payout
    from zhibang_desktop.services.payout.types import BatchInput, LinePlan

    from .payout_helpers import Clock, approved, noticed

    clock = Clock(monkeypatch, 2026, 1, 5)
    rid = approved(ctx, 1).request_ids[0]
    noticed(ctx, clock)
    admin = admin_context(ctx)
    chen, li = user_context(admin, "chen", ["clerk"]), user_context(admin, "li", ["clerk"])
    day = clock.at.date()
    results = together(lambda: payout.create_batch(chen, BatchInput(day, [LinePlan(rid)])),
                       lambda: payout.create_batch(li, BatchInput(day, [LinePlan(rid)])))
    made = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(made) == 1 and len(refused) == 1 and isinstance(refused[0], ServiceError), results
    batch = made[0].summary.id
    results = together(lambda: payout.mark_batch_paid(chen, batch, day), lambda: payout.mark_batch_paid(li, batch, day))
    assert any(not isinstance(r, Exception) for r in results), results
    assert all(isinstance(r, ServiceError) for r in results if isinstance(r, Exception)), results
    with ctx.db.session() as s:
        assert s.execute(select(func.count()).select_from(Payment).where(Payment.request_id == rid)).scalar_one() == 1
    assert audit.verify_chain(admin).ok
