"""Files and folders readable by their owner only: the database, its lock, backups, copies.

On POSIX the database and every copy of it are created 0600 and the folders we create
0700. On Windows the mode bits mean little; the files live in the user's profile
(%LOCALAPPDATA%), whose access list already admits only that user and the administrators.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

OWNER_FILE_MODE = 0o600
OWNER_DIR_MODE = 0o700


def restrict(path: Path, mode: int = OWNER_FILE_MODE) -> None:
    """Owner-only permissions on an existing path we own (quietly skipped where unsupported)."""
    if os.name != "posix":
        return
    try:
        if (os.stat(path).st_mode & 0o777) != mode:
            os.chmod(path, mode)
    except OSError:
        pass  # not ours, or a file system without modes (FAT on a USB drive)


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and missing parents) as owner-only folders; existing ones are left as they are."""
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=OWNER_DIR_MODE)
        except FileExistsError:
            continue
        restrict(created, OWNER_DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file (if absent) that only its owner can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_FILE_MODE)
    os.close(fd)
    restrict(path)


def copy_private(src: Path, dest: Path) -> None:
    """Copy bytes into `dest`, created owner-only before any byte is written."""
    create_private_file(dest)
    shutil.copyfile(src, dest)
    restrict(dest)


PARTIAL_SUFFIX = ".partial"


def partial_of(path: Path) -> Path:
    """Where a copy of `path` is written before it is complete (then renamed to `path`)."""
    return path.with_name(path.name + PARTIAL_SUFFIX)
