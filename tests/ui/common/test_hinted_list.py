"""An empty list says what belongs in it; once it holds something the hint is gone."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kol_desk.ui.common.empty_state import HintedListView


def _inked(image: QImage) -> int:
    """Pixels that are not the list's background."""
    background = image.pixel(1, 1)
    return sum(image.pixel(x, y) != background for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2))


def test_the_hint_shows_while_the_list_is_empty(qtbot: QtBot) -> None:
    view = HintedListView("No list chosen yet")
    model = QStringListModel()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(400, 200)
    view.show()
    qtbot.waitExposed(view)
    assert _inked(view.viewport().grab().toImage()) > 20
    model.setStringList(["a.xlsx"])
    view.viewport().repaint()
    listed = view.viewport().grab().toImage()
    # only the one short file name is drawn now, in the top row
    assert all(listed.pixel(x, y) == listed.pixel(1, listed.height() - 2)
               for x in range(0, listed.width(), 3) for y in range(60, listed.height(), 3))
