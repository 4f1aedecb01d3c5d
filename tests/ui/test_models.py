"""Every table model passes Qt's own model tester."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.models import Creator
from kol_desk.services.campaigns import campaign_overviews
from kol_desk.store.database import Workspace
from kol_desk.ui.campaigns.tab import COLUMNS as CAMPAIGN_COLUMNS
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.creators.table_model import PAGE, CreatorTableModel

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def test_creator_model_pages_sorts_and_searches(qtbot: QtBot, demo_workspace: Workspace) -> None:
    model = CreatorTableModel(demo_workspace)
    QAbstractItemModelTester(model, FATAL)
    model.reload("")
    assert model.rowCount() == model.total == 395 > PAGE  # pages are read by id when shown
    followers = [model.row_at(i).followers for i in range(model.rowCount())]
    assert followers == sorted(followers, reverse=True)
    with qtbot.waitSignal(model.counted, timeout=10_000):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    names = [model.row_at(i).nickname for i in range(model.rowCount())]
    assert names == sorted(names)
    model.reload("牛奶")
    assert 0 < model.total < 395
    # what the search covers: nickname, handles, notes, tags
    with demo_workspace.session() as session:
        texts = session.scalars(select(Creator.search_text).where(
            Creator.id.in_({model.row_at(i).creator_id for i in range(model.rowCount())}))).all()
    assert texts and all("牛奶" in text for text in texts)


def test_creator_pages_past_the_first_are_read_on_a_worker(
        qtbot: QtBot, demo_workspace: Workspace) -> None:
    model = CreatorTableModel(demo_workspace)
    QAbstractItemModelTester(model, FATAL)
    model.reload("")
    last = model.index(model.rowCount() - 1, 0)
    assert model.data(last) is None  # not held: painting does not wait for SQL
    with qtbot.waitSignal(model.dataChanged, timeout=10_000) as changed:
        pass
    first, bottom = changed.args[0], changed.args[1]
    assert (first.row(), bottom.row()) == (PAGE, model.rowCount() - 1)
    assert model.data(last) == model.row_at(model.rowCount() - 1).nickname


def test_row_model_sorts_with_unknowns_last(qtbot: object, demo_workspace: Workspace) -> None:
    model = RowTableModel(CAMPAIGN_COLUMNS)
    QAbstractItemModelTester(model, FATAL)
    model.set_rows(campaign_overviews(demo_workspace))
    assert model.rowCount() == 4
    model.sort(9, Qt.SortOrder.DescendingOrder)
    budgets = [model.row_object(i).budget for i in range(4)]
    assert budgets == sorted(budgets, reverse=True)
    assert model.data(model.index(0, 9)) == "¥600,000"


def test_a_table_keeps_its_rows_order_until_a_header_is_clicked_and_that_order_after(
        qtbot: QtBot, demo_workspace: Workspace) -> None:
    model = RowTableModel(CAMPAIGN_COLUMNS)
    view = table_view(model)
    qtbot.addWidget(view)
    view.show()
    campaigns = campaign_overviews(demo_workspace)
    model.set_rows(campaigns)
    header = view.horizontalHeader()
    # The service's order, and no arrow claiming another one.
    assert header.sortIndicatorSection() == -1
    assert [model.row_object(i) for i in range(model.rowCount())] == campaigns
    budget = model.columns.index(next(c for c in model.columns if c.title == "Planned budget"))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(budget) + 5, header.height() // 2))
    first = [model.row_object(i).budget for i in range(model.rowCount())]
    assert first in (sorted(first), sorted(first, reverse=True)) and first != [c.budget for c in campaigns]
    # A refresh (new rows in the service's order) keeps the order the arrow shows.
    model.set_rows(list(reversed(campaigns)))
    assert [model.row_object(i).budget for i in range(model.rowCount())] == first
