"""Files and locks (issue 10): owner-only files, killed restores, symlinks, network mounts.

Numbers of tries are those of the adversarial pass, so the next one can compare.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from zhibang_desktop.documents.output import write_bytes_to_target
from zhibang_desktop.documents.xlsx_safe import XlsxWriter
from zhibang_desktop.services.admin import backup
from zhibang_desktop.storage.database import DatabaseLocked, open_database
from zhibang_desktop.storage.locations import _posix_mount_type, is_network_fs_type

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


# file permissions, locks, symlinks, network mounts of the SQLite file.
pytestmark = pytest.mark.sqlite_only


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual desktop umask (files 0644, folders 0755): the app must not rely on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- owner-only files ----------------------------------------------------------------------------

@posix_only
def test_database_lock_backups_replaced_copies_exports_and_pdfs_are_owner_only(tmp_path, open_umask):
    """Before: database, backups, .replaced-* copies, exports and PDFs 0644, backups folder 0755."""
    folder = tmp_path / "新建" / "职帮"
    db = open_database(folder / "zhibang.sqlite3")
    try:
        with db.session() as session:
            session.execute(text("select count(*) from users")).all()  # touch it: WAL and SHM appear
        assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
        for name in ("zhibang.sqlite3", "zhibang.sqlite3.lock", "zhibang.sqlite3-wal", "zhibang.sqlite3-shm"):
            assert mode(folder / name) == 0o600, name
        info = backup.backup_now(db, kind="manual")
    finally:
        db.close()
    assert mode(info.path.parent) == 0o700 and mode(info.path) == 0o600
    result = backup.restore(folder / "zhibang.sqlite3", info.path)
    assert mode(result.replaced_path) == 0o600 and mode(folder / "zhibang.sqlite3") == 0o600

    out = tmp_path / "导出"
    out.mkdir()
    xw = XlsxWriter()
    xw.add_sheet("名单", ["姓名"])
    xw.append(["张三"])
    xw.save(out / "export.xlsx")
    write_bytes_to_target(b"%PDF-1.4 test", out / "roster.pdf")
    assert mode(out / "export.xlsx") == 0o600 and mode(out / "roster.pdf") == 0o600


@posix_only
def test_an_existing_database_created_0644_is_tightened_on_open(tmp_path, open_umask):
    path = tmp_path / "zhibang.sqlite3"
    open_database(path).close()
    os.chmod(path, 0o644)
    open_database(path).close()
    assert mode(path) == 0o600


# --- killed restores -----------------------------------------------------------------------------

KILL_SCRIPT = textwrap.dedent("""
    import os, sys
    from zhibang_desktop.services.admin import backup, backup_restore
    from zhibang_desktop.storage import restore_leftovers

    point = sys.argv[3]

    def die(*_a, **_k):
        os._exit(137)  # as a SIGKILL: no finally, no cleanup

    if point == "staged":              # the backup copied to <db>.restoring
        backup_restore._keep_replaced = die
    elif point == "copying":           # half way through copying the live file
        real_copy = backup_restore.copy_private
        def copy_then_die(src, dest):
            real_copy(src, dest)
            with open(dest, "r+b") as fh:
                fh.truncate(os.path.getsize(dest) // 2)
            die()
        backup_restore.copy_private = copy_then_die
    elif point == "kept":              # the live file kept as <db>.replacing
        real_keep = backup_restore._keep_replaced
        def keep_then_die(db_path):
            real_keep(db_path)
            die()
        backup_restore._keep_replaced = keep_then_die
    elif point == "replaced":          # the backup moved in, the old file not yet renamed
        restore_leftovers.promote_pending = die
    backup.restore(sys.argv[1], sys.argv[2])
""")


def test_32_killed_restores_leave_no_duplicate_copies(tmp_path):
    """Before: 32 kills → 32 full copies (45 MB). Now only a kill after the backup was moved in
    keeps the replaced database (it is then the only copy of it); every duplicate is removed."""
    db_path = tmp_path / "zhibang.sqlite3"
    db = open_database(db_path)
    try:
        good = backup.backup_now(db, kind="manual").path
    finally:
        db.close()
    points = ["staged", "copying", "kept", "replaced"] * 8
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for point in points:
        done = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(db_path), str(good), point],
                              capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 137, done.stderr
    open_database(db_path).close()  # the next start tidies up under the writer lock
    names = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    leftovers = [n for n in names if ".restoring" in n or ".replacing" in n or n.endswith(".partial")]
    assert leftovers == []
    assert len([n for n in names if ".replaced-" in n]) == points.count("replaced") == 8
    result = backup.restore(db_path, good)  # and a restore still works afterwards
    assert result.replaced_path.exists()


# --- symlinks ------------------------------------------------------------------------------------

def test_a_symlink_meets_the_same_writer_lock_20_tries(tmp_path):
    """Before: 20 of 20 commands through a symlink were accepted while the database was open."""
    real = tmp_path / "data" / "zhibang.sqlite3"
    db = open_database(real)
    links = []
    for i in range(20):
        link = tmp_path / f"link{i}.sqlite3"
        link.symlink_to(real if i % 2 == 0 else links[-1])  # links to links too
        links.append(link)
    try:
        refused = 0
        for link in links:
            with pytest.raises(DatabaseLocked):
                open_database(link)
            refused += 1
        assert refused == 20
    finally:
        db.close()


def test_restore_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "data" / "zhibang.sqlite3"
    db = open_database(real)
    try:
        good = backup.backup_now(db, kind="manual").path
    finally:
        db.close()
    link = tmp_path / "zhibang.sqlite3"
    link.symlink_to(real)
    result = backup.restore(link, good)
    assert link.is_symlink() and link.resolve() == real
    assert result.replaced_path.parent == real.parent
    open_database(link).close()


# --- network file systems ------------------------------------------------------------------------

@pytest.mark.parametrize("fs_type", [
    "fuse.gvfsd-fuse", "fuse.rclone", "davfs", "ceph", "glusterfs", "fuse.glusterfs", "fuse.sshfs",
    "nfs", "nfs4", "cifs", "smb3", "9p", "fuse.s3fs", "fuse.ceph-fuse", "lustre", "afs",
])
def test_network_mounts_are_recognised(tmp_path, fs_type):
    """Before: fuse.gvfsd-fuse, fuse.rclone, davfs, ceph and glusterfs mounts were taken for local."""
    share = tmp_path / "share dir"
    share.mkdir()
    point = str(share).replace(" ", "\\040")  # as /proc/mounts writes it
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nremote: {point} {fs_type} rw 0 0\n")
    assert _posix_mount_type(share / "zhibang.sqlite3", str(mounts)) == fs_type
    assert is_network_fs_type(fs_type)


@pytest.mark.parametrize("fs_type", ["ext4", "xfs", "btrfs", "tmpfs", "overlay", "fuseblk", "vfat", "zfs", None])
def test_local_file_systems_are_not_network(fs_type):
    assert not is_network_fs_type(fs_type)
