"""新建救助申请 from a household the clerk is looking at (the archive list, the household editor).

The new-request dialog opens with the household chosen, as if the clerk had searched for it
and picked it: the same person choices and the same live policy check; the service checks
the request as it checks any other.  The dialog (and the relief services) load when the command is first used.
"""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...services.archive.types import DRAFT_NO_REQUEST
from ..common.session import UiSession
from .request_permission import NO_PERMISSION

TITLE = "新建救助申请"


def request_blocker(session: UiSession, status: str | None) -> str:
    """Why no request can be started for a household of `status` (None: none chosen or not
    yet saved); "" when it can.  An exited household may still have a type that needs no
    archive: the dialog's policy check says so for each type."""
    if not session.can("relief.create"):
        return NO_PERMISSION
    if status is None:
        return "请先选择一户（新建的档案须先保存）"
    if status == "draft":
        return DRAFT_NO_REQUEST
    return ""


def new_request_for(session: UiSession, household_id: int, parent: QWidget | None = None):
    """Show the new-request dialog with this household chosen; it closes with the session's
    other editors (a question first when something is unsaved)."""
    from .relief_request_dialog import ReliefRequestDialog

    dialog = ReliefRequestDialog(session, parent=parent)
    session.track_editor(("new request", id(dialog)), dialog)
    dialog.show()
    dialog.who.choose_household(household_id)
    dialog.evaluate_now()  # the check shows at once, not "choose someone first" until a pause
    return dialog
