"""The shifted-date pass: the whole process believes the machine's date is N days later.

`ZHIBANG_SHIFT_DAYS=400 pytest …` moves every reader of the system date in this process
(``date.today()``, ``datetime.now()``, ``time.time()`` — in tests and libraries alike) N days
ahead, with time still ticking, and sets ZHIBANG_TODAY so that subprocesses (the CLI
tests run ``zhibang`` as a child) start their clock on the shifted day as well. The
program's clock is pinned by the tests, so a test that passes normally but fails here read
the machine's date somewhere behind the clock's back.

freezegun patches the datetime classes in-process; libfaketime's LD_PRELOAD was tried and
breaks timed waits (threading.Event.wait hangs, subprocess waits raise EINVAL).
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta

ENV = "ZHIBANG_SHIFT_DAYS"
_freezer = None


def start_if_requested() -> None:
    global _freezer
    days = int(os.environ.get(ENV, "0") or 0)
    if not days or _freezer is not None:
        return
    import freezegun

    shifted = datetime.now() + timedelta(days=days)
    os.environ["ZHIBANG_TODAY"] = shifted.date().isoformat()
    _freezer = freezegun.freeze_time(shifted, tick=True)
    _freezer.start()


def shifted_by() -> int:
    return int(os.environ.get(ENV, "0") or 0) if _freezer is not None else 0
