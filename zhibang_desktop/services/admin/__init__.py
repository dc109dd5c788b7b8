"""Administration: users and sign-in, the union tree (org), office settings, the audit log,
backup and restore, and the data checks.

Each module is one area; callers import the module (``from ...services.admin import users``).
"""
from . import audit, backup, checks, org, settings, users

__all__ = ["audit", "backup", "checks", "org", "settings", "users"]
