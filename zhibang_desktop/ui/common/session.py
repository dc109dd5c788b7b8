"""What every page shares while a user is logged in: the service context, the executor that
runs database work and announces what changed, and the open record windows.

Pages take a `UiSession` and nothing else; they learn about changes through
`session.changed` (a `ChangeSummary`, the Anki pattern: an operation announces what changed,
the views refresh).
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ...services.context import AppContext
from .executor import ChangeSummary, Executor


class UiSession(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.executor = Executor(self)
        self.changed = self.executor.changed  # Signal(ChangeSummary)
        self._editors: dict[object, QWidget] = {}

    @property
    def actor(self):
        return self.ctx.actor

    def can(self, permission: str) -> bool:
        return self.ctx.actor.can(permission)

    def announce(self, changes: ChangeSummary) -> None:
        self.executor.announce(changes)

    # -- record windows (one per record; closed before logout and restore) --
    def editor_for(self, key: object) -> QWidget | None:
        return self._editors.get(key)

    def track_editor(self, key: object, editor: QWidget) -> None:
        self._editors[key] = editor
        editor.destroyed.connect(lambda *_: self._editors.pop(key, None))
        editor.finished.connect(lambda *_: self._editors.pop(key, None))

    def open_editors(self) -> list[QWidget]:
        return list(self._editors.values())
