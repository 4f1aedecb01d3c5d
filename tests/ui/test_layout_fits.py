"""At 1280×720, in English and in Chinese, every label, button and column title on every
tab, sub-page and main dialog shows its whole text (nothing cut or elided)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kol_desk.i18n import set_language
from kol_desk.preferences import Preferences
from kol_desk.store.database import Workspace
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow


def _label_clipped(label: QLabel) -> str | None:
    if label.wordWrap() or not label.text() or label.textFormat() == Qt.TextFormat.RichText \
            or "<" in label.text():
        return None
    needed = max(label.fontMetrics().horizontalAdvance(line) for line in label.text().split("\n"))
    return f"label {label.text()!r}" if label.contentsRect().width() < needed else None


def _button_clipped(button: QAbstractButton) -> str | None:
    text = button.text().replace("&", "")
    if not text:
        return None
    icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
    needed = button.fontMetrics().horizontalAdvance(text) + icon + 8
    return f"button {text!r}" if button.width() < needed else None


def _headers_clipped(table: QTableView) -> list[str]:
    header, model = table.horizontalHeader(), table.model()
    found = []
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if header.isSectionHidden(column) or not title:
            continue
        # Qt's own fit (ResizeToContents) leaves 2 px either side of a title
        if header.sectionSize(column) < header.fontMetrics().horizontalAdvance(title) + 4:
            found.append(f"column title {title!r}")
    return found


def clipped(root: QWidget) -> list[str]:
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            found += filter(None, [_label_clipped(widget)])
        elif isinstance(widget, QAbstractButton):
            found += filter(None, [_button_clipped(widget)])
        elif isinstance(widget, QTableView) and widget.model() is not None:
            found += _headers_clipped(widget)
    return found


def _settle(qtbot: QtBot, ms: int = 300) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


@pytest.fixture(params=["en", "zh_CN"])
def window(request: pytest.FixtureRequest, qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    set_language(request.param)
    shown = MainWindow(AppContext(demo_workspace, Preferences(), QUndoStack()))
    qtbot.addWidget(shown)
    shown.resize(1280, 720)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown


def _pages(tab: QWidget) -> list[QTabWidget]:
    return [t for t in tab.findChildren(QTabWidget) if t.isVisible()]


def test_every_tab_and_sub_page_fits_at_1280_by_720(qtbot: QtBot, window: MainWindow) -> None:
    problems: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        tab = window.tab(index)
        if index == 0:
            qtbot.waitUntil(lambda tab=tab: tab.model.rowCount() > 0)
            tab.table.selectRow(0)
        if index == 3:
            qtbot.waitUntil(lambda tab=tab: tab.report is not None, timeout=20_000)
        _settle(qtbot)
        for pages in _pages(tab):
            for page in range(pages.count()):
                pages.setCurrentIndex(page)
                _settle(qtbot)
                problems += [f"{window.tabs.tabText(index)} / {pages.tabText(page)}: {p}"
                             for p in clipped(tab)]
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_main_dialogs_fit(qtbot: QtBot, window: MainWindow) -> None:
    from kol_desk.ui.campaigns.card_dialog import CardDialog
    from kol_desk.ui.campaigns.dialogs import AddCreatorsDialog
    from kol_desk.ui.creators.dialogs import CreatorDialog
    from kol_desk.ui.dialogs.settings import SettingsDialog
    from kol_desk.ui.importing.wizard import ImportWizard

    campaigns = window.campaigns_tab
    first = campaigns.model.row_object(0).id
    campaigns.show_board(first)
    card_id = next(c.id for column in campaigns.board.columns.values() for c in column.model.cards)
    dialogs: list[QDialog] = [
        CreatorDialog(None, [], window), CardDialog(window.context, card_id, window),
        AddCreatorsDialog(window.context, first, window), ImportWizard(window.context, window),
        SettingsDialog(window.context.preferences, window)]
    problems = []
    for dialog in dialogs:
        dialog.show()
        _settle(qtbot)
        problems += [f"{dialog.windowTitle()}: {p}" for p in clipped(dialog)]
        assert dialog.width() >= dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()) + 60, \
            f"the title {dialog.windowTitle()!r} is cut"
        dialog.reject()
    assert not problems, "\n".join(problems)
