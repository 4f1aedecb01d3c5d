"""A save that fails is shown at once, in the user's language, and the window does not go
on showing it as saved. The disk is made unwritable mid-session for real: the process
may no longer grow any file (RLIMIT_FSIZE), so SQLite's next write to its log fails as
it does on a full disk or a pulled USB drive."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.i18n import set_language
from kol_desk.models import Campaign
from kol_desk.preferences import Preferences
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from kol_desk.ui.campaigns.board import BoardView
from kol_desk.ui.campaigns.campaign_dialog import CampaignDialog
from kol_desk.ui.campaigns.campaign_list import CampaignListPage
from kol_desk.ui.common.workers import start_job
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.main_window import MainWindow
from tests.campaign_factory import make_account, make_campaign

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX only")

NOT_SAVED_ZH = "您的修改未保存"


@contextmanager
def unwritable_disk() -> Iterator[None]:
    """No file of this process can grow while inside (EFBIG, SIGXFSZ ignored)."""
    import resource
    import signal

    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.fixture
def ctx(workspace: Workspace) -> Iterator[AppContext]:
    set_language("zh_CN")
    yield AppContext(workspace, Preferences(), QUndoStack())
    set_language("en")


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def warning(_parent: object, title: str, text: str, *_a: object, **_k: object) -> object:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def test_a_card_move_that_cannot_be_saved_stays_where_it_was(
        qtbot: QtBot, ctx: AppContext) -> None:
    campaign = make_campaign(ctx.workspace, budget=Decimal("20000"))
    (card,) = add_to_campaign(ctx.workspace, campaign,
                              [make_account(ctx.workspace, "Alice", price="6000")]).added
    board = BoardView(ctx)
    qtbot.addWidget(board)
    board.show()
    board.show_campaign(campaign)
    with unwritable_disk():
        moved = board.move_cards([card], "contacted")
    assert not moved
    assert [c.nickname for c in board.columns["shortlisted"].model.cards] == ["Alice"]
    assert board.columns["contacted"].model.cards == []
    assert NOT_SAVED_ZH in board.notice.text() and str(ctx.workspace.path) in board.notice.text()
    assert ctx.undo_stack.count() == 0  # nothing to undo: nothing happened
    # The disk is back: the same move is saved.
    assert board.move_cards([card], "contacted")


def test_a_new_campaign_that_cannot_be_saved_is_not_listed(
        qtbot: QtBot, ctx: AppContext, told: list[tuple[str, str]]) -> None:
    page = CampaignListPage(ctx)
    qtbot.addWidget(page)
    page.show()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CampaignDialog):  # not shown yet
            QTimer.singleShot(20, fill)
            return
        dialog.name.set_text("春季新品")
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    with unwritable_disk():
        assert page.new_campaign() is None
    assert told and NOT_SAVED_ZH in told[0][1]
    assert "春季新品" not in [row.name for row in page.model.rows]
    with ctx.workspace.session() as session:
        assert session.scalars(select(Campaign.name)).all() == []


def test_a_failed_background_write_nobody_handles_still_reaches_the_user(
        qtbot: QtBot, main_window: MainWindow, told: list[tuple[str, str]]) -> None:
    from kol_desk.services.campaigns import CampaignInput, create_campaign

    set_language("zh_CN")
    context = main_window.context
    refreshed: list[Change] = []
    context.events.changed.connect(refreshed.append)
    finished: list[object] = []
    with unwritable_disk():
        start_job(lambda _control: create_campaign(context.workspace, CampaignInput("夏季")),
                  finished.append, parent=main_window.campaigns_tab)
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert not finished
    assert told[0][0] == "未保存" and NOT_SAVED_ZH in told[0][1]
    assert refreshed == [Change.ALL]  # every tab reads what is really stored
