"""Where a database file lives, and whether SQLite may safely write there."""
from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS_TYPES = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "afs", "ncpfs"}

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
    return _posix_mount_type(path) in NETWORK_FS_TYPES


def _windows_drive_is_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(str(path.resolve()))[0]
    if not drive:
        return False
    drive_remote = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote


def _posix_mount_type(path: Path) -> str | None:
    try:
        target = str(path.resolve())
        with open("/proc/mounts", encoding="utf-8") as mounts:
            best, best_type = "", None
            for line in mounts:
                parts = line.split()
                if len(parts) >= 3 and (target == parts[1] or target.startswith(parts[1].rstrip("/") + "/")):
                    if len(parts[1]) > len(best):
                        best, best_type = parts[1], parts[2]
            return best_type
    except OSError:
        return None
