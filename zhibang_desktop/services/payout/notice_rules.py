"""What every notice module shares: the permissions, the longest notice period, the ways an
objection arrives, and the error for a notice in the wrong state."""
from __future__ import annotations

from ..errors import ServiceError

MANAGE = "notice.manage"
READ = "relief.read"
OVERRIDE = "payout.override"
MAX_WORKING_DAYS = 30
CHANNELS = ("电话", "信函", "来访", "电子邮件", "其他")


class NoticeStateError(ServiceError):
    """The notice is not in a state that allows this (message says why)."""
