"""Fixtures for widget tests: a main window or an app context over a temp workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from kol_desk.preferences import Preferences
from kol_desk.store.database import Workspace
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow


@pytest.fixture
def context(qtbot: QtBot, demo_workspace: Workspace) -> AppContext:
    return AppContext(demo_workspace, Preferences(), QUndoStack())


@pytest.fixture
def main_window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
