"""Shared plumbing for document writers: atomic output, progress and cancel hooks.

Writers run on a GUI worker thread.  They take two optional callables:

* ``progress(done, total)`` — called now and then with monotonically growing
  ``done`` (``0 <= done <= total``; ``total`` never changes during one write);
* ``cancelled()`` — polled regularly; when it returns true the writer raises
  :class:`Cancelled` and leaves nothing at the target path.

Files are written to a temporary file in the target's directory and renamed
over the target only when complete, so a crash, a cancel or an error never
leaves a half-written PDF or workbook where the clerk expects the real one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "Cancelled",
    "DocumentWriteError",
    "ProgressFn",
    "CancelFn",
    "Target",
    "atomic_path",
    "target_file",
    "write_bytes_to_target",
    "is_file_object",
    "Ticker",
]


# Exports and PDFs carry personal data (PIPL): readable by their owner only. mkstemp
# creates 0600 files already; the chmod keeps it so where a file system would differ.
_FILE_MODE = 0o600

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Target = str | os.PathLike | BinaryIO


class Cancelled(Exception):
    """The user cancelled the write; nothing was written to the target."""

    def __init__(self, message: str = "已取消") -> None:
        super().__init__(message)


class DocumentWriteError(OSError):
    """The finished document could not be stored; the message is for the clerk."""


def is_file_object(target: object) -> bool:
    return hasattr(target, "write") and not isinstance(target, (str, bytes, os.PathLike))


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` on success.

    On any exception (including :class:`Cancelled`) the temporary file is
    removed and ``target`` is left untouched.
    """
    final = Path(target)
    directory = final.parent if str(final.parent) else Path(".")
    if not directory.is_dir():
        raise DocumentWriteError(f"保存位置不存在：{directory}")
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".~{final.stem[:40]}.", suffix=final.suffix + ".tmp", dir=directory
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, _FILE_MODE)
    except OSError:  # pragma: no cover - e.g. odd network filesystems
        pass
    try:
        yield tmp
        try:
            os.replace(tmp, final)
        except PermissionError as exc:  # typically the file is open in a viewer on Windows
            raise DocumentWriteError(
                f"无法写入“{final.name}”：文件可能正被其他程序（如 PDF 阅读器、Excel/WPS）打开，"
                "请关闭后重试。"
            ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def target_file(target: Target) -> Iterator[BinaryIO]:
    """A binary file to write a document into as it is made: ``target`` itself when it is a file
    object, else a temporary file beside the path that replaces it only when the block ends
    without an exception (atomic_path). A big PDF goes to disk once, not through a copy in
    memory first."""
    if is_file_object(target):
        yield target  # type: ignore[misc]
        return
    with atomic_path(target) as tmp, open(tmp, "wb") as out:  # type: ignore[arg-type]
        yield out


def write_bytes_to_target(data: bytes, target: Target) -> None:
    """Store a finished document (already complete in memory) at ``target``."""
    with target_file(target) as out:
        out.write(data)


class Ticker:
    """Throttled progress reporting plus cancel polling for a fixed amount of work."""

    def __init__(
        self,
        total: int,
        progress: ProgressFn | None,
        cancelled: CancelFn | None,
        every: int = 100,
    ) -> None:
        self.total = max(1, int(total))
        self.done = 0
        self._progress = progress
        self._cancelled = cancelled
        self._every = max(1, every)
        self._since = 0

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()

    def start(self) -> None:
        self.check()
        if self._progress is not None:
            self._progress(0, self.total)

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        self._since += n
        if self._since >= self._every:
            self._since = 0
            self.check()
            if self._progress is not None:
                self._progress(self.done, self.total)

    def finish(self) -> None:
        self.check()
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total)
