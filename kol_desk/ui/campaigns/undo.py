"""Undoable board actions. Each command has already been done once when it is pushed
(so a refused move never reaches the stack); redo repeats it, undo writes the old state
back -- for a move, as a recorded move back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.labels import stage_label
from kol_desk.services import board, collaboration
from kol_desk.services.conflicts import Loaded
from kol_desk.ui.context import AppContext, Change

log = logging.getLogger(__name__)


class CampaignCommand(QUndoCommand):
    def __init__(self, context: AppContext, text: str,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(text)
        self.context = context
        self._fresh = True  # done before push: the push's own redo() is skipped
        self._on_error = on_error

    def _run(self, action: Callable[[], Any]) -> None:
        refused: str | None = None
        try:
            action()
        except KnownError as exc:
            # The card changed or vanished since; tell the user instead of crashing undo.
            log.info("undo/redo of %r failed: %s", self.text(), exc)
            refused = str(exc)
        self._announce()
        # After the announcement: the board's refresh would clear the notice.
        if refused is not None and self._on_error is not None:
            self._on_error(refused)
        elif refused is not None:  # e.g. the card's dialog is closed by now
            QMessageBox.warning(None, tr("Cannot undo"), refused)

    def _announce(self) -> None:
        self.context.events.announce(Change.CAMPAIGNS)

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            self._announce()
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_it)

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError


class MoveShower(Protocol):
    """The board a move was made on: it shows a move in place, and does not reload
    itself for the announcement of a change it already shows."""

    def show_move(self, result: board.MoveResult) -> bool: ...

    def own_change(self) -> AbstractContextManager[None]: ...


class MoveCardCommand(CampaignCommand):
    """``shown``: the board already shows the first move in place."""

    def __init__(self, context: AppContext, nickname: str, result: board.MoveResult,
                 override_reason: str | None,
                 on_error: Callable[[str], None] | None = None,
                 board_view: MoveShower | None = None, shown: bool = False) -> None:
        super().__init__(context, tr("Move {name} to {stage}", name=nickname,
                                     stage=stage_label(result.to_stage)), on_error)
        self.result = result
        self.reason = override_reason
        self.board_view = board_view
        self._shown = shown

    def do(self) -> None:
        self._shown = False
        self._show(board.move(self.context.workspace, self.result.collaboration_id,
                              self.result.to_stage, override_reason=self.reason,
                              expected_stage=self.result.from_stage))

    def undo_it(self) -> None:
        self._shown = False
        # Undo after an override (e.g. dropped -> published) must not be blocked again;
        # the card goes back to where it stood in its old column.
        self._show(board.move(self.context.workspace, self.result.collaboration_id,
                              self.result.from_stage, position=self.result.from_position,
                              override_reason=self.reason or tr("Undo of a move"),
                              expected_stage=self.result.to_stage))

    def _show(self, result: board.MoveResult) -> None:
        self._shown = self.board_view is not None and self.board_view.show_move(result)

    def _announce(self) -> None:
        if self._shown and self.board_view is not None:
            with self.board_view.own_change():
                super()._announce()
        else:
            super()._announce()


class EditCardCommand(CampaignCommand):
    """``version``: the card's version after the edit. Undo and redo are saves too: a
    change of the same fields since then refuses them (VersionConflict)."""

    def __init__(self, context: AppContext, card_id: int, changes: dict[str, Any],
                 previous: dict[str, Any], text: str, version: int | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(context, text, on_error)
        self.card_id, self.changes, self.previous = card_id, changes, previous
        self.version = version

    def _write(self, values: dict[str, Any], shown: dict[str, Any]) -> None:
        ws = self.context.workspace
        now = collaboration.load_card(ws, self.card_id).fields
        # Only a change of these fields since counts: the user's own board moves also
        # step the card's version. A changed field refuses, naming who changed it.
        untouched = all(now.get(name) == value for name, value in shown.items())
        loaded = None if untouched or self.version is None else Loaded(self.version, shown)
        self.version = collaboration.update_card(ws, self.card_id, values, loaded=loaded).version

    def do(self) -> None:
        self._write(self.changes, self.previous)

    def undo_it(self) -> None:
        self._write(self.previous, self.changes)


class ReplaceLinesCommand(CampaignCommand):
    """Deliverables or review rounds replaced as a whole list. Undo and redo are refused
    when a colleague changed the list since (the setter's ``shown`` check)."""

    def __init__(self, context: AppContext,
                 setter: Callable[[Any, int, list[Any], list[Any]], list[Any]],
                 card_id: int, lines: list[Any], previous: list[Any], text: str) -> None:
        super().__init__(context, text)
        self.setter, self.card_id, self.lines, self.previous = setter, card_id, lines, previous

    def do(self) -> None:
        self.setter(self.context.workspace, self.card_id, self.lines, self.previous)

    def undo_it(self) -> None:
        self.setter(self.context.workspace, self.card_id, self.previous, self.lines)


class AddedRecordCommand(CampaignCommand):
    """A result snapshot or a counter-offer: undo deletes it, redo adds it again."""

    def __init__(self, context: AppContext, record_id: int, add: Callable[[], int],
                 remove: Callable[[int], None], text: str) -> None:
        super().__init__(context, text)
        self.record_id, self.add, self.remove = record_id, add, remove

    def do(self) -> None:
        self.record_id = self.add()

    def undo_it(self) -> None:
        self.remove(self.record_id)
