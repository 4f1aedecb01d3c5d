"""What every tab and dialog of one main window shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from kol_desk.preferences import Preferences
from kol_desk.store.database import Workspace


class DataEvents(QObject):
    """Tells the tabs that data changed elsewhere (an import, an edit, a move), so each
    refreshes what it shows. The argument names the area: "creators", "campaigns",
    "budget", "results" or "all"."""

    changed = Signal(str)


@dataclass
class AppContext:
    workspace: Workspace
    preferences: Preferences
    undo_stack: QUndoStack
    events: DataEvents = field(default_factory=DataEvents)
    read_only: bool = False
