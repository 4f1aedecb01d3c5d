"""A move shows in place: the card leaves one column model and enters the other, both
headers change, undo carries it back the same way, and the board never reloads itself
for its own move. A colleague's move shows after the board's refresh."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from kol_desk.preferences import Preferences
from kol_desk.services import activity
from kol_desk.services import board as board_service
from kol_desk.services import collaboration as card_service
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from kol_desk.ui.campaigns.board import BoardView
from kol_desk.ui.campaigns.card_dialog import CardDialog
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.dialogs.activity import TeamRefresher
from tests.campaign_factory import make_account, make_campaign


class Signals:
    """What the column models announced: resets (a reload) and row moves."""

    def __init__(self, board: BoardView) -> None:
        self.log: list[tuple[str, str]] = []
        for stage, column in board.columns.items():
            model = column.model
            model.modelReset.connect(lambda s=stage: self.log.append(("reset", s)))
            model.rowsRemoved.connect(lambda *_a, s=stage: self.log.append(("removed", s)))
            model.rowsInserted.connect(lambda *_a, s=stage: self.log.append(("inserted", s)))


@pytest.fixture
def ctx(workspace: Workspace) -> AppContext:
    return AppContext(workspace, Preferences(), QUndoStack())


@pytest.fixture
def board(qtbot: QtBot, ctx: AppContext) -> BoardView:
    campaign = make_campaign(ctx.workspace, budget=Decimal("20000"))
    accounts = [make_account(ctx.workspace, "Alice", price="6000"),
                make_account(ctx.workspace, "Bob", platform="douyin", price="4000"),
                make_account(ctx.workspace, "Carol", price="3000")]
    add_to_campaign(ctx.workspace, campaign, accounts)
    view = BoardView(ctx)
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    view.show_campaign(campaign)
    return view


def names(view: BoardView, stage: str) -> list[str]:
    return [c.nickname for c in view.columns[stage].model.cards]


def card_id(view: BoardView, nickname: str) -> int:
    return next(c.id for c in view._cards if c.nickname == nickname)


def test_a_move_updates_both_columns_in_place_and_undo_moves_it_back(
    board: BoardView, ctx: AppContext,
) -> None:
    heard: list[Change] = []
    ctx.events.changed.connect(heard.append)
    signals = Signals(board)
    assert board.columns["shortlisted"].totals.text() == "3 cards · ¥13,000 incl. quoted"

    assert board.move_cards([card_id(board, "Bob")], "contacted")
    assert names(board, "shortlisted") == ["Alice", "Carol"]
    assert names(board, "contacted") == ["Bob"]
    assert board.columns["shortlisted"].totals.text() == "2 cards · ¥9,000 incl. quoted"
    assert board.columns["contacted"].totals.text() == "1 cards · ¥4,000 incl. quoted"
    # Row moves only, no reload of any column; the other tabs still hear of it.
    assert signals.log == [("removed", "shortlisted"), ("inserted", "contacted")]
    assert heard == [Change.CAMPAIGNS]

    signals.log.clear()
    ctx.undo_stack.undo()
    assert names(board, "shortlisted") == ["Alice", "Bob", "Carol"]  # back where it stood
    assert names(board, "contacted") == []
    assert board.columns["shortlisted"].totals.text() == "3 cards · ¥13,000 incl. quoted"
    assert board.columns["contacted"].totals.text() == "0 cards · ¥0"
    assert signals.log == [("removed", "contacted"), ("inserted", "shortlisted")]
    assert heard == [Change.CAMPAIGNS, Change.CAMPAIGNS]

    signals.log.clear()
    ctx.undo_stack.redo()
    assert names(board, "contacted") == ["Bob"]
    assert signals.log == [("removed", "shortlisted"), ("inserted", "contacted")]
    stored = {c.nickname: c.stage for c in board_service.board_cards(ctx.workspace, board.campaign_id)}
    assert stored == {"Alice": "shortlisted", "Bob": "contacted", "Carol": "shortlisted"}


def test_filters_and_the_hidden_dropped_column_after_in_place_moves(board: BoardView) -> None:
    board.platform_box.setCurrentIndex(board.platform_box.findData("douyin"))
    assert names(board, "shortlisted") == ["Bob"]

    # A card the filter hides moves too; the headers count it, the list does not show it.
    board.move_cards([card_id(board, "Alice")], "contacted")
    assert names(board, "contacted") == []
    assert board.columns["contacted"].totals.text() == "0 of 1 cards · ¥0"
    assert board.columns["shortlisted"].totals.text() == "1 of 2 cards · ¥4,000 incl. quoted"

    board.dropped_check.setChecked(False)
    board.move_cards([card_id(board, "Bob")], "dropped")
    assert not board.columns["dropped"].isVisibleTo(board)
    assert names(board, "dropped") == ["Bob"]
    assert board.columns["dropped"].totals.text() == "1 cards · ¥4,000 incl. quoted"
    assert board.columns["shortlisted"].totals.text() == "0 of 1 cards · ¥0"

    # Clearing the filter shows what the in-place moves left, as a reload would.
    board.platform_box.setCurrentIndex(0)
    assert names(board, "contacted") == ["Alice"]
    assert names(board, "shortlisted") == ["Carol"]
    board.overdue_check.setChecked(True)
    assert all(not column.model.cards for column in board.columns.values())


def test_a_drop_frees_budget_and_the_other_cards_over_budget_marks_follow(
    board: BoardView, ctx: AppContext,
) -> None:
    alice, bob, carol = (card_id(board, n) for n in ("Alice", "Bob", "Carol"))
    for card, fee in ((alice, "12000"), (bob, "7000"), (carol, "3000")):
        card_service.update_card(ctx.workspace, card, {"agreed_fee": Decimal(fee)})
    board.refresh()
    assert [c.over_budget for c in board.columns["shortlisted"].model.cards] == [False, False, True]

    board.move_cards([alice], "dropped")
    assert [c.over_budget for c in board.columns["shortlisted"].model.cards] == [False, False]
    ctx.undo_stack.undo()
    assert [c.over_budget for c in board.columns["shortlisted"].model.cards] == [False, False, True]


def test_a_colleagues_move_appears_after_the_refresh(
    qtbot: QtBot, board: BoardView, ctx: AppContext, tmp_path: Path,
) -> None:
    activity.set_user(ctx.workspace, "Li")
    refresher = TeamRefresher(ctx, interval=3600, parent=board)
    qtbot.waitUntil(lambda: refresher.stamp is not None)
    other = open_workspace(tmp_path / "test.sqlite", tmp_path / "backups")
    try:
        activity.set_user(other, "Wang")
        board_service.move(other, card_id(board, "Carol"), "negotiating")
    finally:
        other.dispose()
    assert names(board, "negotiating") == []  # not yet: nothing told this window
    refresher.check()  # what coming back to the window does
    qtbot.waitUntil(lambda: names(board, "negotiating") == ["Carol"])
    assert board.columns["shortlisted"].totals.text() == "2 cards · ¥10,000 incl. quoted"

    board.move_cards([card_id(board, "Alice")], "contacted")
    dialog = CardDialog(ctx, card_id(board, "Carol"), board)
    qtbot.addWidget(dialog)
    assert [(r.to_stage, r.changed_by) for r in dialog.history.model.rows][-1] == ("negotiating", "Wang")
    mine = card_service.load_card(ctx.workspace, card_id(board, "Alice")).history[-1]
    assert (mine.to_stage, mine.changed_by) == ("contacted", "Li")
    activity.set_user(ctx.workspace, None)


def test_shortlisting_from_an_imported_list(
    qtbot: QtBot, ctx: AppContext, agency_lists: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kol_desk.importing.parse import parse_file
    from kol_desk.services.import_commit import commit_plan
    from kol_desk.services.import_plan import build_plan
    from kol_desk.ui.campaigns.dialogs import AddCreatorsDialog, ReasonDialog

    make_account(ctx.workspace, "Not on the list")
    path = agency_lists / "p01_xhs_double11_mcn.xlsx"
    batch = commit_plan(ctx.workspace, build_plan(ctx.workspace, parse_file(path), agency="MCN"))
    campaign = make_campaign(ctx.workspace)
    dialog = AddCreatorsDialog(ctx, campaign)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() > 0 and "Not on the list" in [r.nickname for r in dialog.model.rows]

    dialog.source.setCurrentIndex(dialog.source.findData(batch.batch_id))
    listed = [r.nickname for r in dialog.model.rows]
    assert "p01_xhs_double11_mcn.xlsx" in dialog.source.currentText()
    assert listed and "Not on the list" not in listed
    assert len(listed) == batch.summary["creators_new"] + batch.summary["creators_matched"]

    first = dialog.model.rows[0]
    dialog.search.setText(first.nickname[:3])  # typed Chinese: keyClicks is ASCII only
    assert first.nickname in [r.nickname for r in dialog.model.rows]
    dialog.search.clear()

    monkeypatch.setattr(ReasonDialog, "exec", lambda d: (d.reason.setText("listed by the MCN"),
                                                         ReasonDialog.DialogCode.Accepted.value)[1])
    dialog.table.selectAll()
    dialog.add_button.click()
    assert dialog.result_ is not None and len(dialog.result_.added) == len(listed)
    cards = board_service.board_cards(ctx.workspace, campaign)
    assert sorted(c.nickname for c in cards) == sorted(listed)


def test_the_due_view_catches_up_with_board_moves_when_shown(qtbot: QtBot, ctx: AppContext) -> None:
    from datetime import date, timedelta

    from kol_desk.services.collaboration import DeliverableLine
    from kol_desk.ui.campaigns.tab import CampaignsTab

    campaign = make_campaign(ctx.workspace)
    card = add_to_campaign(ctx.workspace, campaign, [make_account(ctx.workspace, "Dora")]).added[0]
    late = date.today() - timedelta(days=2)
    card_service.set_deliverables(ctx.workspace, card, [DeliverableLine("video", 1, None, late, None)])
    card_service.update_card(ctx.workspace, card, {"agreed_fee": Decimal("5000")})
    tab = CampaignsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.pages.setCurrentIndex(2)  # the due view is built when first shown...
    due = tab.due
    assert tab.pages.currentWidget() is due
    qtbot.waitSignal(due.loaded).wait()  # ...and fills from a worker
    assert [(i.nickname, i.what, i.overdue) for i in due.model.rows] == [("Dora", "draft", True)]

    tab.show_board(campaign)
    with qtbot.assertNotEmitted(due.loaded, wait=200):  # not rebuilt behind the board's back...
        assert tab.board.move_cards([card], "in_review")  # the draft is in: nothing due any more
    assert due.model.rows
    with qtbot.waitSignal(due.loaded):
        tab.pages.setCurrentWidget(due)
    assert due.model.rows == []  # ...but as soon as it is shown
    tab.pages.setCurrentWidget(tab.board)
    ctx.undo_stack.undo()
    assert names(tab.board, "shortlisted") == ["Dora"]
    tab.pages.setCurrentWidget(tab.campaigns)
    assert tab.campaigns.model.rows[0].stage_counts["shortlisted"] == 1
    with qtbot.waitSignal(due.loaded):
        tab.pages.setCurrentWidget(due)
    assert [i.nickname for i in due.model.rows] == ["Dora"]


def test_undo_leaves_a_card_a_colleague_moved_since(
    qtbot: QtBot, board: BoardView, ctx: AppContext, tmp_path: Path,
) -> None:
    bob = card_id(board, "Bob")
    assert board.move_cards([bob], "contacted")
    other = open_workspace(tmp_path / "test.sqlite", tmp_path / "backups")
    try:
        activity.set_user(other, "Wang")
        board_service.move(other, bob, "negotiating")
    finally:
        other.dispose()

    ctx.undo_stack.undo()  # would put Bob back in 待筛选 over Wang's move

    assert "Wang moved this card to Negotiating since" in board.notice.text()
    stored = {c.nickname: c.stage for c in board_service.board_cards(ctx.workspace, board.campaign_id)}
    assert stored["Bob"] == "negotiating"
    history = card_service.load_card(ctx.workspace, bob).history
    assert [h.to_stage for h in history][-2:] == ["contacted", "negotiating"]
