"""Opening household editors: one window per household, raised when already open."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .household_editor import HouseholdEditor
from ..common.session import UiSession


def open_household(session: UiSession, household_id: int, parent: QWidget | None = None) -> QWidget:
    """Show the editor of a household (raising it if already open)."""
    editor = session.editor_for(("household", household_id))
    if editor is not None:
        editor.showNormal()
        editor.raise_()
        editor.activateWindow()
        return editor
    editor = _editor(session, household_id, parent)
    session.track_editor(("household", household_id), editor)
    editor.show()
    return editor


def new_household(session: UiSession, parent: QWidget | None = None) -> QWidget:
    editor = _editor(session, None, parent)
    editor.saved.connect(lambda hid, e=editor: session.editor_for(("household", hid)) is e
                         or session.track_editor(("household", hid), e))
    editor.show()
    return editor


def _editor(session: UiSession, household_id: int | None, parent: QWidget | None) -> HouseholdEditor:
    editor = HouseholdEditor(session, household_id, parent)
    # Ctrl+N inside an editor opens another new household, with the main window as parent
    editor.newRequested.connect(lambda: new_household(session, editor.parentWidget()))
    return editor
