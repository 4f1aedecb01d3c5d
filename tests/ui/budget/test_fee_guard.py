"""Agreeing a fee over the allocation asks first, and can draw on the reserve."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kol_desk.preferences import Preferences
from kol_desk.services.budget import period_money
from kol_desk.services.budget_checks import check_fee_against_allocation
from kol_desk.store.database import Workspace
from kol_desk.ui.budget.fee_guard import OverAllocationDialog, confirm_fee
from kol_desk.ui.context import AppContext, Change
from tests.budget_scenario import build

D = Decimal
TODAY = date(2026, 11, 28)


def _answer(qtbot: QtBot, button: str, seen: list[OverAllocationDialog]) -> None:
    """Click a button of the modal dialog once it is up (exec() blocks the test)."""
    def click() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, OverAllocationDialog):
            QTimer.singleShot(20, click)
            return
        seen.append(dialog)
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, click)


def test_draw_on_reserve_then_agree(qtbot: QtBot, workspace: Workspace) -> None:
    s = build(workspace)
    context = AppContext(workspace, Preferences(), QUndoStack())
    changes: list[Change] = []
    context.events.changed.connect(changes.append)
    seen: list[OverAllocationDialog] = []
    _answer(qtbot, "draw_button", seen)
    assert confirm_fee(None, context, collaboration_id=s.b1, new_fee=D("24000"), today=TODAY)
    [dialog] = seen
    assert dialog.text.text() == ("Agreeing this fee takes “B 双十二” to ¥39,000 promised and paid, "
                                  "¥1,000 over its allocation of ¥38,000.")
    assert dialog.reserve_text.text() == "The reserve of 2026 Q4 KOL has ¥7,000 left."
    assert dialog.draw_button.text() == "Draw ¥1,000 from the reserve and agree"
    assert changes == [Change.BUDGET]
    [period] = period_money(workspace, TODAY)
    assert period.reserve_left == D("6000.00")
    assert {c.name: c.allocated for c in period.campaigns}["B 双十二"] == D("39000.00")
    assert check_fee_against_allocation(workspace, collaboration_id=s.b1, new_fee=D("24000")) is None


def test_cancel_keeps_everything(qtbot: QtBot, workspace: Workspace) -> None:
    s = build(workspace)
    context = AppContext(workspace, Preferences(), QUndoStack())
    seen: list[OverAllocationDialog] = []
    _answer(qtbot, "cancel_button", seen)
    assert not confirm_fee(None, context, collaboration_id=s.b1, new_fee=D("24000"), today=TODAY)
    assert len(seen) == 1
    [period] = period_money(workspace, TODAY)
    assert period.reserve_left == D("7000.00")


def test_agree_anyway_and_no_dialog_within_the_allocation(qtbot: QtBot, workspace: Workspace) -> None:
    s = build(workspace)
    context = AppContext(workspace, Preferences(), QUndoStack())
    seen: list[OverAllocationDialog] = []
    _answer(qtbot, "agree_button", seen)
    # C was never allocated and its period's reserve cannot cover 9,000: no draw offered.
    assert confirm_fee(None, context, campaign_id=s.c, new_fee=D("7000"), today=TODAY)
    [dialog] = seen
    assert not dialog.draw_button.isEnabled()
    # Within the allocation there is nothing to ask.
    assert confirm_fee(None, context, collaboration_id=s.b1, new_fee=D("21000"), today=TODAY)
    assert len(seen) == 1
