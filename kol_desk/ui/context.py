"""What every tab and dialog of one main window shares."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from kol_desk.preferences import Preferences
from kol_desk.store.database import Workspace


class Change(enum.Enum):
    """Which data changed: each tab refreshes only for the areas it shows."""

    CREATORS = "creators"
    CAMPAIGNS = "campaigns"
    BUDGET = "budget"
    RESULTS = "results"
    ALL = "all"  # a restore, an undone batch, another user's edits

    def touches(self, *areas: Change) -> bool:
        return self is Change.ALL or self in areas


class DataEvents(QObject):
    """Tells the tabs that data changed elsewhere (an import, an edit, a move), so each
    refreshes what it shows. ``changed`` carries a ``Change``."""

    changed = Signal(object)

    def announce(self, change: Change) -> None:
        # Signal(object) would carry anything; a plain string would reach the handlers
        # and match no area, so the refresh would silently not happen.
        if not isinstance(change, Change):
            raise TypeError(f"expected a Change, got {change!r}")
        self.changed.emit(change)


@dataclass
class AppContext:
    workspace: Workspace
    preferences: Preferences
    undo_stack: QUndoStack
    events: DataEvents = field(default_factory=DataEvents)
    read_only: bool = False
