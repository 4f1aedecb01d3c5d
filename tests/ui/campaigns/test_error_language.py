"""A service's refusal reaches the window in the user's language: the campaign form's
reason and the board's notice are Chinese when the window is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from kol_desk.i18n import set_language
from kol_desk.models import Collaboration
from kol_desk.preferences import Preferences
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from kol_desk.ui.campaigns.board import BoardView
from kol_desk.ui.campaigns.campaign_dialog import CampaignDialog
from kol_desk.ui.context import AppContext
from tests.campaign_factory import make_account, make_campaign


@pytest.fixture
def ctx(workspace: Workspace) -> Iterator[AppContext]:
    set_language("zh_CN")
    yield AppContext(workspace, Preferences(), QUndoStack())
    set_language("en")


def test_the_campaign_form_says_why_in_chinese(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = CampaignDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name.edit, "Double 11")
    qtbot.keyClicks(dialog.start.edit, "2026-11-01")
    qtbot.keyClicks(dialog.end.edit, "2026-10-01")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "请修改：项目的结束日期早于开始日期：请检查日期。"
    assert dialog.value() is None and dialog.isVisible()


def test_a_card_deleted_elsewhere_is_told_on_the_board_in_chinese(
        qtbot: QtBot, ctx: AppContext) -> None:
    campaign = make_campaign(ctx.workspace)
    (card,) = add_to_campaign(ctx.workspace, campaign, [make_account(ctx.workspace, "Alice")]).added
    board = BoardView(ctx)
    qtbot.addWidget(board)
    board.resize(1400, 700)
    board.show()
    board.show_campaign(campaign)
    # a colleague removes the card while it is on this board
    with ctx.workspace.transaction() as session:
        session.execute(delete(Collaboration).where(Collaboration.id == card))
    assert not board.move_cards([card], "contacted")
    assert board.notice.isVisible()
    assert board.notice.text() == f"卡片 {card} 已不存在；请刷新看板。"
