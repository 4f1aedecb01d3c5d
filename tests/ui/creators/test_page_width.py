"""The creator page beside the list: a sensible width at first, a visible handle to drag,
and the width she dragged it to is there again next time."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from kol_desk.preferences import Preferences
from kol_desk.store.database import Workspace
from kol_desk.ui.context import AppContext
from kol_desk.ui.creators.tab import PANEL_WIDTH, PREF_PANEL_WIDTH, CreatorsTab


def _tab(qtbot: QtBot, workspace: Workspace, width: int = 1600) -> CreatorsTab:
    tab = CreatorsTab(AppContext(workspace, Preferences(), QUndoStack()))
    qtbot.addWidget(tab)
    tab.resize(width, 900)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_the_page_starts_wide_enough_and_its_handle_can_be_seen(
        qtbot: QtBot, demo_workspace: Workspace) -> None:
    tab = _tab(qtbot, demo_workspace)
    assert abs(tab.splitter.sizes()[1] - PANEL_WIDTH) <= tab.splitter.handleWidth()
    assert tab.splitter.handleWidth() >= 5
    small = _tab(qtbot, demo_workspace, 1280)  # two fifths of a small window
    assert 450 <= small.splitter.sizes()[1] <= 530


def test_the_dragged_width_is_remembered(qtbot: QtBot, demo_workspace: Workspace) -> None:
    tab = _tab(qtbot, demo_workspace)
    tab.splitter.moveSplitter(tab.splitter.width() - tab.splitter.handleWidth() - 480, 1)
    qtbot.waitUntil(lambda: Preferences().get(PREF_PANEL_WIDTH) is not None)
    kept = Preferences().get(PREF_PANEL_WIDTH)
    assert kept == tab.splitter.sizes()[1] and abs(kept - 480) <= 2
    again = _tab(qtbot, demo_workspace)
    assert again.splitter.sizes()[1] == kept
    # and the page keeps that width when the window grows: the list takes the rest
    again.resize(1900, 900)
    qtbot.wait(50)
    assert again.splitter.sizes()[1] == kept


def test_the_main_actions_have_icons(qtbot: QtBot, demo_workspace: Workspace) -> None:
    tab = _tab(qtbot, demo_workspace)
    for button in (tab.new_button, tab.duplicates_button, tab.trash_button, tab.columns_button):
        assert not button.icon().isNull() and button.text()
