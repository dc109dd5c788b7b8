"""Another clerk's call, as the tests stage it: on a thread of its own (so on another database
connection), waited for, its exception raised on the test's thread."""
from __future__ import annotations

import threading
from collections.abc import Callable


def on_another_thread(call: Callable[[], object], timeout_s: float = 30) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 — raised below, on the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout_s)
    assert not thread.is_alive(), f"{call} did not return in {timeout_s} s"
    if errors:
        raise errors[0]
