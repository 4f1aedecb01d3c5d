"""The creator list's view draws its cells itself (from cached text layouts): it must
look exactly as Qt's own item painting would, and lay out before it paints."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QStyledItemDelegate
from pytestqt.qtbot import QtBot

from kol_desk.ui.context import AppContext
from kol_desk.ui.creators.list_view import CreatorListView
from kol_desk.ui.creators.table_model import COLUMN_KEYS, CreatorTableModel


def _view(qtbot: QtBot, context: AppContext) -> tuple[CreatorListView, CreatorTableModel]:
    model = CreatorTableModel(context.workspace)
    view = CreatorListView(model)
    qtbot.addWidget(view)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(CreatorListView.SelectionBehavior.SelectRows)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.setSortingEnabled(True)
    # Risky creators first: their nickname and risk cells are drawn in colour.
    view.sortByColumn(COLUMN_KEYS.index("risk"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.rowCount() > 0 and model.shown(0) is not None
                    and model.shown(0).tone is not None)
    return view, model


def _matches_qt(view: CreatorListView) -> bool:
    ours = view.viewport().grab().toImage()
    view.setItemDelegate(QStyledItemDelegate(view))
    theirs = view.viewport().grab().toImage()
    view.setItemDelegate(view.delegate)
    return ours == theirs


def test_cells_look_as_qt_paints_them(qtbot: QtBot, context: AppContext) -> None:
    view, _model = _view(qtbot, context)
    assert _matches_qt(view)
    view.selectRow(1)  # selected and current: highlight colours and the focus frame
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    assert _matches_qt(view)
    view.horizontalHeader().resizeSection(COLUMN_KEYS.index("nickname"), 45)  # elided
    view.horizontalHeader().resizeSection(COLUMN_KEYS.index("followers"), 40)  # right-aligned
    assert _matches_qt(view)
    font = view.font()
    font.setPointSize(font.pointSize() + 3)
    view.setFont(font)  # nothing laid out for the old font is reused
    assert _matches_qt(view)


def test_a_new_row_count_is_painted_once(qtbot: QtBot, context: AppContext) -> None:
    view, model = _view(qtbot, context)
    qtbot.waitUntil(lambda: model.is_counted)

    class Paints(QObject):
        count = 0

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            self.count += event.type() == QEvent.Type.Paint
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)
    query = model.new_query()
    assert model.show_first_page(query, (query.first_page() or [])[:5])
    qtbot.wait(100)  # the paint, and any relayout Qt would do after it
    assert paints.count == 1
