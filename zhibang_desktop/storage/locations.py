"""Where a database file lives, and whether SQLite may safely write there."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# Kernel file systems that reach another machine (or a cluster) ...
NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "smb2", "9p", "afs", "ncpfs", "ncp", "coda",
    "davfs", "ceph", "glusterfs", "lustre", "gpfs", "beegfs", "orangefs", "pvfs2", "ocfs2", "gfs2",
    "afpfs", "cvfs", "panfs", "quobyte", "moosefs", "lizardfs",
})
# ... and FUSE helpers that do (the mount type is "fuse.<helper>"): GNOME's gvfs (smb://,
# sftp://, dav:// opened in the file manager), rclone, sshfs, cloud buckets, network clusters.
NETWORK_FUSE_HELPERS = frozenset({
    "gvfsd-fuse", "rclone", "sshfs", "glusterfs", "ceph", "ceph-fuse", "s3fs", "gcsfuse", "goofys",
    "davfs2", "davfs", "curlftpfs", "smbnetfs", "afpfs", "juicefs", "moosefs", "lizardfs", "cvmfs",
    "webdav", "onedrive", "dropbox", "google-drive-ocamlfuse", "seaweedfs", "beegfs", "lustre",
})

NETWORK_PATH_MESSAGE = (
    "数据库文件“{path}”位于网络共享位置。SQLite 官方说明：通过网络文件系统同时访问同一数据库"
    "可能导致文件损坏，因此本程序不在网络路径上写入数据。请把数据库放在本机硬盘上；"
    "多位经办人需要共用数据时，请使用服务器（PostgreSQL）模式。"
)


def is_network_path(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    if sys.platform == "win32":
        return _windows_drive_is_remote(path)
    return is_network_fs_type(_posix_mount_type(path))


def is_network_fs_type(fs_type: str | None) -> bool:
    if not fs_type:
        return False
    fs_type = fs_type.lower()
    if fs_type in NETWORK_FS_TYPES:
        return True
    kind, _, helper = fs_type.partition(".")
    return kind in ("fuse", "fuseblk") and helper in NETWORK_FUSE_HELPERS


def _windows_drive_is_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(str(path.resolve()))[0]
    if not drive:
        return False
    drive_remote = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote


def _unescape_mount_field(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes (\\040 …)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _posix_mount_type(path: Path, mounts_file: str = "/proc/mounts") -> str | None:
    """The type of the mount holding `path` (its real path: a symlink is followed)."""
    try:
        target = str(Path(path).resolve())
        with open(mounts_file, encoding="utf-8", errors="replace") as mounts:
            best, best_type = "", None
            for line in mounts:
                parts = line.split()
                if len(parts) < 3:
                    continue
                point = _unescape_mount_field(parts[1])
                if target == point or target.startswith(point.rstrip("/") + "/"):
                    if len(point) >= len(best):
                        best, best_type = point, parts[2]
            return best_type
    except OSError:
        return None
