"""A new, empty workspace: it opens on Creators whatever tab another workspace was left
on, every tab says what it is for and offers the next step, and the step runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from kol_desk.i18n import set_language
from kol_desk.preferences import Preferences
from kol_desk.services.creator_edit import AccountFields, CreatorFields, add_account, create_creator
from kol_desk.store.database import Workspace
from kol_desk.ui.common.empty_state import EmptyState
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.main_window import TAB_BUDGET, TAB_CREATORS, TAB_REPORTS, MainWindow
from kol_desk.ui.qt_translations import install_qt_translations


@pytest.fixture
def empty_window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    prefs = Preferences()
    prefs.set("last_tab_by_workspace", {"/elsewhere/demo.sqlite": TAB_BUDGET})
    window = MainWindow(AppContext(workspace, prefs, QUndoStack()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window


def _shown_empty_state(tab: object) -> EmptyState:
    found = [e for e in tab.findChildren(EmptyState) if e.isVisible()]  # type: ignore[attr-defined]
    assert len(found) == 1
    return found[0]


def test_a_new_workspace_opens_on_creators_with_what_to_do(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    assert empty_window.tabs.currentIndex() == TAB_CREATORS
    tab = empty_window.creators_tab
    qtbot.waitUntil(lambda: tab.empty.isVisible())
    assert not tab.table.isVisible() and not tab.panel.isVisible()
    assert tab.empty.title.text() == "No creators yet"
    assert set(tab.empty.buttons) == {"new", "import", "demo", "team"}
    assert tab.empty.buttons["import"].text() == "Import an agency list… (Ctrl+I)"


def test_every_tab_has_its_empty_state(qtbot: QtBot, empty_window: MainWindow) -> None:
    titles = {}
    for index in range(empty_window.tabs.count()):
        empty_window.tabs.setCurrentIndex(index)
        tab = empty_window.tab(index)
        if index == TAB_REPORTS:  # the report is built on a worker
            qtbot.waitUntil(lambda tab=tab: tab.report is not None, timeout=20_000)
        titles[index] = _shown_empty_state(tab).title.text()
    assert list(titles.values()) == ["No creators yet", "No campaigns yet", "No budget period yet",
                                     "No results yet"]


def test_the_empty_states_buttons_run_the_next_step(qtbot: QtBot, empty_window: MainWindow) -> None:
    tab = empty_window.creators_tab
    qtbot.waitUntil(lambda: tab.empty.isVisible())
    qtbot.mouseClick(tab.empty.buttons["import"], Qt.MouseButton.LeftButton)
    wizard = empty_window.import_wizard
    qtbot.waitUntil(wizard.isVisible)
    wizard.reject()
    with qtbot.waitSignal(empty_window.open_workspace_requested) as asked:
        qtbot.mouseClick(tab.empty.buttons["demo"], Qt.MouseButton.LeftButton)
    assert asked.args == ["demo:"]


def test_the_list_replaces_the_empty_state_once_a_creator_exists(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    tab = empty_window.creators_tab
    qtbot.waitUntil(lambda: tab.empty.isVisible())
    # as the New creator form and the import do: a creator with its first account
    creator_id = create_creator(empty_window.context.workspace, CreatorFields(nickname="时光机"))
    add_account(empty_window.context.workspace, creator_id, AccountFields("douyin", "sgj"))
    empty_window.context.events.announce(Change.CREATORS)
    qtbot.waitUntil(lambda: tab.table.isVisible())
    assert not tab.empty.isVisible()
    # a search that finds nothing keeps the list (and its search box), not the welcome
    tab.search.setText("nothing like this")
    qtbot.waitUntil(lambda: tab.model.is_counted and tab.model.total == 0)
    assert tab.table.isVisible()


def test_the_tab_shown_last_is_remembered_per_workspace(qtbot: QtBot, empty_window: MainWindow) -> None:
    empty_window.tabs.setCurrentIndex(TAB_BUDGET)
    prefs = empty_window.context.preferences
    again = MainWindow(AppContext(empty_window.context.workspace, prefs, QUndoStack()))
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == TAB_BUDGET


def test_qts_own_file_dialog_speaks_chinese(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    installed: list = []
    set_language("zh_CN")
    install_qt_translations(app, "zh_CN", installed)
    try:
        dialog = QFileDialog(None, "x")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
        assert not [text for text in labels if text.isascii()], labels
    finally:
        install_qt_translations(app, "en", installed)
        set_language("en")


def test_qts_other_strings_keep_their_own_translation(qtbot: QtBot) -> None:
    from PySide6.QtCore import QCoreApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    installed: list = []
    install_qt_translations(app, "zh_CN", installed)
    try:
        assert QCoreApplication.translate("QFileDialog", "Open") == "打开"
        assert QCoreApplication.translate("NoSuchContext", "Left as it is") == "Left as it is"
    finally:
        install_qt_translations(app, "en", installed)
