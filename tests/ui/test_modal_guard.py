"""The suite-wide guard against modal dialogs nobody answers (tests/conftest.py)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.conftest import ModalWatch


def test_an_unanswered_message_box_is_closed_and_reported(
    qtbot: QtBot, unanswered_modals_fail: ModalWatch
) -> None:
    watch = unanswered_modals_fail
    watch.limit_ms = 50
    answer = QMessageBox.warning(None, "Export", "The file is locked.")
    assert answer != QMessageBox.StandardButton.Ok
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setWindowTitle("Pick one")
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert watch.stuck == ["Export: The file is locked.", "QDialog 'Pick one'"]
    watch.stuck.clear()  # seen on purpose: this test passes


def test_a_dialog_the_test_answers_is_left_alone(qtbot: QtBot, unanswered_modals_fail: ModalWatch) -> None:
    unanswered_modals_fail.limit_ms = 5_000
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().accept())  # type: ignore[union-attr]
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert unanswered_modals_fail.stuck == []
