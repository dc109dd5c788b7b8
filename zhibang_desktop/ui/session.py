"""What every page shares while a user is logged in: the service context and change signals.

Pages take a `UiSession` and nothing else; they tell each other about changes through its
signals (the Anki pattern: an operation announces what changed, the views refresh).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..services.context import AppContext


class UiSession(QObject):
    householdsChanged = Signal()  # a household was created, edited, imported or changed status
    settingsChanged = Signal()  # office settings, yearly standards or the union tree changed

    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._editors: dict[int, QWidget] = {}

    @property
    def actor(self):
        return self.ctx.actor

    def can(self, permission: str) -> bool:
        return self.ctx.actor.can(permission)

    def open_household(self, household_id: int, parent: QWidget | None = None) -> QWidget:
        """Show the editor of a household (raising it if already open)."""
        editor = self._editors.get(household_id)
        if editor is not None:
            editor.showNormal()
            editor.raise_()
            editor.activateWindow()
            return editor
        from .household_editor import HouseholdEditor

        editor = HouseholdEditor(self, household_id, parent)
        self._track(editor, household_id)
        editor.show()
        return editor

    def new_household(self, parent: QWidget | None = None) -> QWidget:
        from .household_editor import HouseholdEditor

        editor = HouseholdEditor(self, None, parent)
        editor.saved.connect(lambda hid, e=editor: self._track(e, hid))
        editor.show()
        return editor

    def _track(self, editor: QWidget, household_id: int) -> None:
        self._editors[household_id] = editor
        editor.destroyed.connect(lambda *_: self._editors.pop(household_id, None))
        editor.finished.connect(lambda *_: self._editors.pop(household_id, None))

    def open_editors(self) -> list[QWidget]:
        return list(self._editors.values())
