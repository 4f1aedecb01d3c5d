"""Undoable creator edits. Each command has already been done once when it is pushed
(so a refused edit never reaches the stack); redo repeats it, undo writes the previous
state back through the services."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox, QWidget

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.ui.context import AppContext, Change

log = logging.getLogger(__name__)


class CreatorCommand(QUndoCommand):
    """``redo`` and ``undo`` are plain functions that write through a service; ``redo``
    may return a new undo state (e.g. a fresh snapshot), given to ``undo`` next time."""

    def __init__(self, context: AppContext, text: str, redo: Callable[[], Any],
                 undo: Callable[[], Any], parent_widget: QWidget | None = None) -> None:
        super().__init__(text)
        self.context = context
        self._redo, self._undo = redo, undo
        self._fresh = True
        self._parent = parent_widget

    def _run(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except KnownError as exc:
            # The data changed since (another window, an import); say so, keep going.
            log.info("undo/redo of %r failed: %s", self.text(), exc)
            QMessageBox.warning(self._parent, tr("Cannot undo"), str(exc))
        self.context.events.announce(Change.CREATORS)

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            self.context.events.announce(Change.CREATORS)
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)


def push(context: AppContext, text: str, redo: Callable[[], Any], undo: Callable[[], Any],
         parent: QWidget | None = None) -> None:
    """Records an edit that was just done."""
    context.undo_stack.push(CreatorCommand(context, text, redo, undo, parent))
