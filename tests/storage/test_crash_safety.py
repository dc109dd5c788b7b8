"""A writer killed with SIGKILL at random moments loses no acknowledged write.

A small "fork server" (a `python -c` process that has imported the app once) forks a
writer process on request. The writer opens the database with `open_database` (lock,
quick_check, migrations check), then runs transactions through the service frame
(`AppContext.tx`), each writing two related rows — a counter row and its audit row — and
prints `ACK n` after each commit. The test kills the writer with SIGKILL during start-up
(a random delay after the fork) or after a random number of acknowledged commits plus a
random delay (mid-transaction, during commit); counting acknowledgements rather than
milliseconds keeps the mix of kills the same on a busy machine. It then reopens the database and
checks: every acknowledged transaction is there, no transaction is half there, the audit
chain is intact, integrity_check is ok, and the lock left by the killed process does not
block the next open. Forking keeps each of the 200+ runs to a few tens of milliseconds.
"""
from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from zhibang_desktop.services import audit_chain
from zhibang_desktop.storage.database import open_database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork and SIGKILL"),
]

# SQLite file durability (a killed writer, WAL): the server has its own.
pytestmark = pytest.mark.sqlite_only


KILLS = 200
# Opening takes ~5 ms, then each commit (synchronous=FULL: an fsync) ~5-25 ms. One run in
# five is killed while starting up / opening; the others after 1-3 acknowledged commits
# plus up to ~one commit's time (mid-transaction, mid-commit, between commits).
P_DURING_OPEN = 0.2
OPEN_WINDOW_S = 0.015
ACKS_BEFORE_KILL = (1, 3)
AFTER_ACK_WINDOW_S = 0.03

SERVER = textwrap.dedent(r"""
    import os, sys
    from sqlalchemy import func, select
    from zhibang_desktop.services.context import SYSTEM, AppContext
    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.storage.models import Counter

    path = sys.argv[1]

    def warm_up():
        # Pay the one-off import and mapper set-up costs here, not in every writer.
        scratch = path + ".warmup"
        db = open_database(scratch, take_lock=False)
        with AppContext(db, SYSTEM).tx(None) as tx:
            tx.session.add(Counter(name="warm-up", value=0))
            tx.session.flush()
            tx.session.execute(select(func.max(Counter.value)).where(Counter.name.like("crash-%")))
            tx.audit("create", "crash", 0)
        db.close()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(scratch + suffix):
                os.remove(scratch + suffix)

    warm_up()

    def say(line):
        os.write(1, (line + "\n").encode())

    def writer():
        try:
            db = open_database(path)
        except Exception as exc:
            say("OPENFAIL " + type(exc).__name__ + " " + str(exc).replace("\n", " "))
            os._exit(3)
        ctx = AppContext(db, SYSTEM)
        with db.session() as s:
            n = s.execute(select(func.max(Counter.value)).where(Counter.name.like("crash-%"))).scalar() or 0
        say("OPENED")
        while True:
            n += 1
            with ctx.tx(None) as tx:
                tx.session.add(Counter(name=f"crash-{n}", value=n))
                tx.session.flush()
                tx.audit("create", "crash", n, summary=f"第 {n} 笔")
            say(f"ACK {n}")

    for line in sys.stdin:
        if line.strip() != "GO":
            break
        pid = os.fork()
        if pid == 0:
            try:
                writer()
            finally:
                os._exit(4)
        say(f"PID {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"EXIT {status}")
""")


class ForkServer:
    def __init__(self, db_path: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("EOF")

    def next_line(self, timeout: float = 20) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("fork server did not answer; stderr: " + self._stderr()) from None

    def _stderr(self) -> str:
        self.proc.kill()
        return self.proc.stderr.read()[-3000:]

    def run_and_kill(self, delay: float, after_acks: int) -> tuple[set[int], bool, int]:
        """Start a writer, SIGKILL it `delay` s after the start (after_acks=0) or `delay` s
        after its `after_acks`-th acknowledged commit; return (acknowledged, opened, signal)."""
        self.proc.stdin.write("GO\n")
        self.proc.stdin.flush()
        acked, opened, pid = set(), False, None
        started = time.monotonic()
        killed = False
        status = None
        while status is None:
            timeout = 0.002 if not killed else 20
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                line = None
            if line is not None:
                if line.startswith("PID "):
                    pid = int(line.split()[1])
                elif line.startswith("ACK "):
                    acked.add(int(line.split()[1]))
                    if len(acked) == after_acks:
                        started = time.monotonic()
                elif line == "OPENED":
                    opened = True
                elif line.startswith("OPENFAIL"):
                    raise AssertionError(f"the writer could not open the database after a kill: {line}")
                elif line.startswith("EXIT "):
                    status = int(line.split()[1])
                elif line == "EOF":
                    raise AssertionError("fork server died: " + self._stderr())
            if not killed and pid is not None and len(acked) >= after_acks and time.monotonic() - started >= delay:
                os.kill(pid, signal.SIGKILL)
                killed = True
        # Lines written just before the kill may still be queued behind EXIT? No: EXIT is
        # written after waitpid, and the pipe keeps order, so every ACK came first.
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"writer ended by itself: {status}"
        return acked, opened, os.WTERMSIG(status)

    def close(self) -> None:
        try:
            self.proc.stdin.write("STOP\n")
            self.proc.stdin.flush()
            self.proc.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def check_database(db_path: Path, acknowledged: set[int], full_chain: bool) -> int:
    """Reopen like the app does and check everything; returns the number of transactions present."""
    db = open_database(db_path)  # takes the lock: a lock left by the killed writer must not block
    try:
        with db.session() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            counters = {int(v) for v in s.execute(text("select value from counters where name like 'crash-%'")).scalars()}
            audited = {int(v) for v in s.execute(text("select entity_id from audit_log where entity='crash'")).scalars()}
            assert counters == audited, "a transaction is only half there"
            missing = acknowledged - counters
            assert not missing, f"acknowledged transactions lost: {sorted(missing)[:10]}"
            assert counters == set(range(1, len(counters) + 1)), "a gap in the committed transactions"
            seq, head = audit_chain.chain_head(s)
            last = s.execute(text("select seq, hash from audit_log order by seq desc limit 1")).first()
            assert (seq, head) == (tuple(last) if last else (0, audit_chain.GENESIS)), \
                "the chain head does not match the last audit row"
            if full_chain:
                report = audit_chain.verify(s)
                assert report.ok, report.reason
            return len(counters)
    finally:
        db.close()


def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path):
    db_path = tmp_path / "zhibang.sqlite3"
    open_database(db_path).close()
    rnd = random.Random(20261122)
    server = ForkServer(db_path)
    acknowledged: set[int] = set()
    kills = during_open = mid_writing = 0
    try:
        for i in range(KILLS):
            if rnd.random() < P_DURING_OPEN:
                acked, opened, sig = server.run_and_kill(rnd.uniform(0, OPEN_WINDOW_S), after_acks=0)
            else:
                acked, opened, sig = server.run_and_kill(
                    rnd.uniform(0, AFTER_ACK_WINDOW_S), after_acks=rnd.randint(*ACKS_BEFORE_KILL))
            kills += sig == signal.SIGKILL
            during_open += not opened
            mid_writing += bool(acked)
            acknowledged |= acked
            present = check_database(db_path, acknowledged, full_chain=(i % 25 == 24))
            assert present >= len(acknowledged)
            lock_file = Path(str(db_path) + ".lock")
            assert lock_file.exists()  # left behind by the killed writer, then re-locked by us
    finally:
        server.close()
    assert kills >= KILLS
    # The kills really were spread: some while opening, many after acknowledged commits.
    assert during_open >= 5 and mid_writing >= 40, (during_open, mid_writing, len(acknowledged))
    check_database(db_path, acknowledged, full_chain=True)
