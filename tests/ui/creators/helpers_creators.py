"""Shared steps of the Creators tab tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot


def answer_modal(kind: type, fill: Callable[[Any], None], seen: list[Any] | None = None) -> None:
    """Once a modal dialog of ``kind`` is up (exec() blocks the test), let ``fill`` use it
    as a person would: type, choose, click OK."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, act)
            return
        if seen is not None:
            seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(0, act)


def click_ok(qtbot: QtBot, dialog: QDialog) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    assert button.isEnabled(), "OK is disabled: the form is refused"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_text(qtbot: QtBot, widget: Any, text: str) -> None:
    """Types as a person does: Latin text key by key, Chinese through the input method
    (which commits whole words, as 拼音 input does)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    for chunk in _chunks(text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QCoreApplication.sendEvent(widget, event)


def _chunks(text: str) -> list[str]:
    chunks: list[str] = []
    for ch in text:
        if chunks and chunks[-1][-1].isascii() == ch.isascii():
            chunks[-1] += ch
        else:
            chunks.append(ch)
    return chunks
