"""The Campaigns tab as a user drives it: create a campaign, shortlist creators, drag cards
across the board, see why a move is blocked, undo, open the card, the due view."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt
from PySide6.QtGui import QDropEvent, QUndoStack
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.models import Collaboration, StageChange
from kol_desk.preferences import Preferences
from kol_desk.services import collaboration as card_service
from kol_desk.services.collaboration import DeliverableLine
from kol_desk.store.database import Workspace
from kol_desk.ui.campaigns import dialogs as campaign_dialogs
from kol_desk.ui.campaigns.board import BoardView
from kol_desk.ui.campaigns.board_model import card_mime
from kol_desk.ui.campaigns.campaign_dialog import CampaignDialog
from kol_desk.ui.campaigns.card_dialog import CardDialog
from kol_desk.ui.campaigns.dialogs import AddCreatorsDialog, ReasonDialog
from kol_desk.ui.campaigns.due_view import DueView
from kol_desk.ui.campaigns.tab import CampaignsTab
from kol_desk.ui.context import AppContext, Change
from tests.campaign_factory import make_account, make_campaign


@pytest.fixture
def ctx(qtbot: QtBot, workspace: Workspace) -> AppContext:
    for name in ("Alice", "Bob", "Carol"):
        make_account(workspace, name)
    make_account(workspace, "Mallory", blacklisted=True)
    return AppContext(workspace, Preferences(), QUndoStack())


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext) -> CampaignsTab:
    widget = CampaignsTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    return widget


def stages(ws: Workspace) -> dict[str, str]:
    with ws.session() as s:
        return {c.account.nickname: c.stage for c in s.scalars(select(Collaboration))}


def history(ws: Workspace, nickname: str) -> list[tuple[str | None, str]]:
    with ws.session() as s:
        card = next(c for c in s.scalars(select(Collaboration)) if c.account.nickname == nickname)
        return [(h.from_stage, h.to_stage) for h in s.scalars(
            select(StageChange).where(StageChange.collaboration_id == card.id).order_by(StageChange.id))]


def create_campaign_as_user(qtbot: QtBot, tab: CampaignsTab, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill_and_accept(dialog: CampaignDialog) -> int:
        qtbot.keyClicks(dialog.name.edit, "Spring launch")
        qtbot.keyClicks(dialog.brand.edit, "Acme")
        qtbot.keyClicks(dialog.start.edit, "2026-11-01")
        qtbot.keyClicks(dialog.end.edit, "2026-10-01")  # before the start: refused
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
        assert "ends before it starts" in dialog.error.text()
        dialog.end.edit.clear()
        qtbot.keyClicks(dialog.end.edit, "2026-12-31")
        qtbot.keyClicks(dialog.budget.edit, "50,000")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(CampaignDialog, "exec", fill_and_accept)
    qtbot.mouseClick(tab.campaigns.new_button, Qt.MouseButton.LeftButton)


def shortlist_as_user(qtbot: QtBot, tab: CampaignsTab, names: list[str]) -> None:
    dialog = AddCreatorsDialog(tab.context, tab.board.campaign_id, tab)
    qtbot.addWidget(dialog)
    for row, account in enumerate(dialog.model.rows):
        if account.nickname in names:
            dialog.table.selectionModel().select(
                dialog.model.index(row, 0),
                dialog.table.selectionModel().SelectionFlag.Select
                | dialog.table.selectionModel().SelectionFlag.Rows)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)


def drop(board: BoardView, nickname: str, to_stage: str) -> None:
    """What a drag from one column onto another delivers: a QDropEvent with our mime data
    on the target list's viewport."""
    card = next(c for c in board._cards if c.nickname == nickname)
    data = card_mime(board.campaign_id, [card.id], card.stage)
    view = board.columns[to_stage].view
    event = QDropEvent(QPoint(20, 20).toPointF(), Qt.DropAction.MoveAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    view.dropEvent(event)


def test_campaign_shortlist_drag_rules_undo_and_history(
    qtbot: QtBot, tab: CampaignsTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_campaign_as_user(qtbot, tab, monkeypatch)
    assert [c.name for c in tab.campaigns.model.rows] == ["Spring launch"]
    tab.show_board(tab.campaigns.model.rows[0].id)
    assert tab.pages.currentWidget() is tab.board

    shortlist_as_user(qtbot, tab, ["Alice", "Bob"])
    board = tab.board
    assert [c.nickname for c in board.columns["shortlisted"].model.cards] == ["Alice", "Bob"]
    assert board.columns["shortlisted"].totals.text().startswith("2 cards")

    drop(board, "Alice", "negotiating")
    assert [c.nickname for c in board.columns["negotiating"].model.cards] == ["Alice"]
    assert history(ctx.workspace, "Alice") == [(None, "shortlisted"), ("shortlisted", "negotiating")]

    # Blocked: no agreed fee yet. The board says why, and nothing is stored.
    drop(board, "Alice", "contracted")
    assert board.notice.isVisible()
    assert "agreed fee" in board.notice.text()
    assert not board.override_button.isVisible()  # this rule has no override
    assert stages(ctx.workspace)["Alice"] == "negotiating"

    # Agree the fee on the card, then the drop goes through.
    dialog = CardDialog(ctx, board.columns["negotiating"].model.cards[0].id, tab)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.fields["agreed_fee"].widget.edit, "7,500")  # type: ignore[attr-defined]
    assert dialog.save()
    drop(board, "Alice", "contracted")
    assert stages(ctx.workspace)["Alice"] == "contracted"
    assert board.columns["contracted"].totals.text() == "1 cards · ¥7,500"

    # Undo is a recorded move back; redo moves on again.
    ctx.undo_stack.undo()
    assert stages(ctx.workspace)["Alice"] == "negotiating"
    assert history(ctx.workspace, "Alice")[-1] == ("contracted", "negotiating")
    ctx.undo_stack.undo()  # the fee edit
    assert card_service.load_card(ctx.workspace, dialog.card_id).fields["agreed_fee"] is None
    ctx.undo_stack.redo()
    ctx.undo_stack.redo()
    assert stages(ctx.workspace)["Alice"] == "contracted"


def test_publishing_needs_post_and_disclosure_or_a_recorded_override(
    qtbot: QtBot, tab: CampaignsTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
) -> None:
    campaign = make_campaign(ctx.workspace)
    ctx.events.announce(Change.CAMPAIGNS)
    tab.show_board(campaign)
    shortlist_as_user(qtbot, tab, ["Bob"])
    board = tab.board
    card_id = board._cards[0].id
    card_service.update_card(ctx.workspace, card_id, {"agreed_fee": Decimal("3000")})
    board.refresh()
    drop(board, "Bob", "in_review")
    drop(board, "Bob", "published")
    text = board.notice.text()
    assert "post URL" in text and "post date" in text and "ad-disclosure" in text
    assert board.override_button.isVisible()
    assert stages(ctx.workspace)["Bob"] == "in_review"

    def give_reason(dialog: ReasonDialog) -> int:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # no override without a reason
        qtbot.keyClicks(dialog.reason, "platform order pending")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ReasonDialog, "exec", give_reason)
    qtbot.mouseClick(board.override_button, Qt.MouseButton.LeftButton)
    assert stages(ctx.workspace)["Bob"] == "published"
    detail = card_service.load_card(ctx.workspace, card_id)
    assert detail.history[-1].override_reason == "platform order pending"
    assert [c.nickname for c in board.columns["published"].model.cards] == ["Bob"]

    # The card dialog shows the same history.
    dialog = CardDialog(ctx, card_id, tab)
    qtbot.addWidget(dialog)
    assert [r.override_reason for r in dialog.history.model.rows][-1] == "platform order pending"


def test_keyboard_moves_filters_and_hidden_dropped(
    qtbot: QtBot, tab: CampaignsTab, ctx: AppContext,
) -> None:
    campaign = make_campaign(ctx.workspace)
    ctx.events.announce(Change.CAMPAIGNS)
    tab.show_board(campaign)
    shortlist_as_user(qtbot, tab, ["Alice", "Carol"])
    board = tab.board
    view = board.columns["shortlisted"].view
    view.setCurrentIndex(view.model().index(0, 0))
    board.next_action.trigger()  # Ctrl+Right
    assert stages(ctx.workspace) == {"Alice": "contacted", "Carol": "shortlisted"}
    board.back_action.trigger()  # Ctrl+Left on the same, still selected card
    assert stages(ctx.workspace)["Alice"] == "shortlisted"
    assert history(ctx.workspace, "Alice")[-1] == ("contacted", "shortlisted")

    board.move_cards([board._cards[1].id], "dropped")
    assert board.columns["dropped"].model.rowCount() == 1
    board.dropped_check.setChecked(False)
    assert not board.columns["dropped"].isVisibleTo(board)

    board.platform_box.setCurrentIndex(board.platform_box.findData("douyin"))
    assert board.columns["shortlisted"].model.rowCount() == 0
    assert board.columns["shortlisted"].totals.text().startswith("0 of 1 cards")
    board.platform_box.setCurrentIndex(0)
    board.overdue_check.setChecked(True)
    assert board.columns["shortlisted"].model.rowCount() == 0


def test_risky_creator_needs_a_confirmed_reason(
    qtbot: QtBot, tab: CampaignsTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
) -> None:
    campaign = make_campaign(ctx.workspace)
    ctx.events.announce(Change.CAMPAIGNS)
    tab.show_board(campaign)
    asked: list[str] = []

    def cancel(dialog: ReasonDialog) -> int:
        asked.append(dialog.details.text())
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(ReasonDialog, "exec", cancel)
    shortlist_as_user(qtbot, tab, ["Mallory", "Alice"])
    assert "Mallory" in asked[0] and "deleted a post" in asked[0]
    assert stages(ctx.workspace) == {}

    def accept(dialog: ReasonDialog) -> int:
        dialog.reason.setText("brand insists")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ReasonDialog, "exec", accept)
    result = campaign_dialogs.shortlist_with_confirmation(tab, ctx, campaign, [
        a.account_id for a in AddCreatorsDialog(ctx, campaign).model.rows
        if a.nickname in ("Mallory", "Alice")])
    assert result is not None and len(result.added) == 2
    card = next(c for c in tab.board._cards if c.nickname == "Mallory")
    assert card.risk_flag
    assert card_service.load_card(ctx.workspace, card.id).risk_override_reason == "brand insists"


def test_due_view_lists_overdue_cards_across_campaigns(qtbot: QtBot, ctx: AppContext) -> None:
    from kol_desk.services.shortlist import add_to_campaign

    first, second = make_campaign(ctx.workspace, "Spring"), make_campaign(ctx.workspace, "Summer")
    accounts = [a.account_id for a in AddCreatorsDialog(ctx, first).model.rows]
    a = add_to_campaign(ctx.workspace, first, accounts[:1]).added[0]
    b = add_to_campaign(ctx.workspace, second, accounts[1:2]).added[0]
    card_service.set_deliverables(ctx.workspace, a, [DeliverableLine("video", 1, None, date(2026, 11, 20), None)])
    card_service.set_deliverables(ctx.workspace, b, [DeliverableLine("video", 1, None, None, date(2026, 12, 1))])
    view = DueView(ctx, today=date(2026, 11, 28))
    qtbot.addWidget(view)
    qtbot.waitSignal(view.loaded).wait()  # read on a worker
    assert view.summary.text() == "1 overdue · 1 due in the next 7 days"
    shown = [[view.model.data(view.model.index(r, c)) for c in range(view.model.columnCount())]
             for r in range(view.model.rowCount())]
    assert [row[:3] + row[5:6] for row in shown] == [
        ["2026-11-20", "Overdue", "Draft", "Spring"], ["2026-12-01", "This week", "Post", "Summer"]]
    view.overdue_only.setChecked(True)
    assert view.model.rowCount() == 1


def test_only_the_page_in_front_is_built(qtbot: QtBot, tab: CampaignsTab) -> None:
    from kol_desk.ui.campaigns.campaign_list import CampaignListPage

    pages = [type(tab.pages.widget(i)) for i in range(tab.pages.count())]
    assert pages == [CampaignListPage, QWidget, QWidget]
    tab.pages.setCurrentIndex(2)
    assert isinstance(tab.pages.currentWidget(), DueView)
    assert tab.pages.tabText(2) == "Due this week / overdue"
    assert type(tab.pages.widget(1)) is QWidget
    qtbot.waitSignal(tab.due.loaded).wait()
    tab.pages.setCurrentIndex(1)
    assert tab.pages.currentWidget() is tab.board
    assert tab.pages.tabText(1) == "Board"


def test_models_pass_the_qt_model_tester(qtbot: QtBot, tab: CampaignsTab, ctx: AppContext) -> None:
    from kol_desk.services.shortlist import add_to_campaign

    campaign = make_campaign(ctx.workspace)
    accounts = [a.account_id for a in AddCreatorsDialog(ctx, campaign).model.rows][:3]
    ids = add_to_campaign(ctx.workspace, campaign, accounts).added
    card_service.add_result_snapshot(ctx.workspace, ids[0], date(2026, 12, 1), {"views": 5})
    card_service.set_deliverables(ctx.workspace, ids[0], [DeliverableLine("video")])
    ctx.events.announce(Change.CAMPAIGNS)
    tab.show_board(campaign)
    dialog = CardDialog(ctx, ids[0], tab)
    qtbot.addWidget(dialog)
    qtbot.waitSignal(tab.due.loaded).wait()
    models = [tab.board.columns["shortlisted"].model, tab.campaigns.model, tab.due.model,
              dialog.quotes.model, dialog.deliverables.model, dialog.results.model,
              dialog.history.model, dialog.reviews.model]
    for model in models:
        assert QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert tab.board.columns["shortlisted"].model.rowCount() == 3
    # The list model refuses drops from another campaign and onto its own column.
    model = tab.board.columns["contacted"].model
    assert not model.canDropMimeData(card_mime(campaign + 1, ids, "shortlisted"),
                                     Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert not model.canDropMimeData(QMimeData(), Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert model.canDropMimeData(card_mime(campaign, ids, "shortlisted"),
                                 Qt.DropAction.MoveAction, -1, -1, QModelIndex())


def test_board_screenshot(qtbot: QtBot, tab: CampaignsTab, ctx: AppContext, tmp_path: Path) -> None:
    campaign = make_campaign(ctx.workspace)
    ctx.events.announce(Change.CAMPAIGNS)
    tab.show_board(campaign)
    shortlist_as_user(qtbot, tab, ["Alice", "Bob", "Carol"])
    image = tab.grab()
    assert not image.isNull()
    assert image.save(str(tmp_path / "board.png"))


def test_approval_round_trip_from_the_board(
    qtbot: QtBot, tab: CampaignsTab, ctx: AppContext, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import openpyxl
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from kol_desk.services.approval import COMMENT_HEADER, DECISION_HEADER, ID_HEADER
    from kol_desk.ui.campaigns.approval_ui import ApprovalPlanDialog

    campaign = make_campaign(ctx.workspace)
    ctx.events.announce(Change.CAMPAIGNS)
    tab.show_board(campaign)
    shortlist_as_user(qtbot, tab, ["Alice", "Bob", "Carol"])
    path = tmp_path / "for boss.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    qtbot.mouseClick(tab.board.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told))
    assert told[0].startswith("3 shortlisted cards written")

    # The boss sorts the sheet by name descending, deletes Bob's row and decides.
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if ID_HEADER in r)
    header, body = rows[at], [r for r in rows[at + 1:] if r[0]]
    body = sorted((r for r in body if r[1] != "Bob"), key=lambda r: str(r[1]), reverse=True)
    decisions = {"Alice": ("同意", "ok"), "Carol": ("拒绝", "too pricey")}
    for row in body:
        row[header.index(DECISION_HEADER)], row[header.index(COMMENT_HEADER)] = decisions[row[1]]
    sheet.delete_rows(at + 2, sheet.max_row)
    for r, row in enumerate(body, start=at + 2):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c, value)
    book.save(path)

    shown: list[ApprovalPlanDialog] = []

    def apply(dialog: ApprovalPlanDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ApprovalPlanDialog, "exec", apply)
    qtbot.mouseClick(tab.board.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stages(ctx.workspace)["Alice"] == "contacted")
    summary = shown[0].summary.text()
    assert "1 approved" in summary and "1 rejected" in summary
    assert "sorted or moved" in summary and "1 shortlisted cards are not in the sheet" in summary
    assert [c.nickname for c in tab.board.columns["contacted"].model.cards] == ["Alice"]
    carol = next(c for c in tab.board._cards if c.nickname == "Carol")
    assert carol.stage == "shortlisted" and carol.boss_decision == "rejected"
    assert card_service.load_card(ctx.workspace, carol.id).boss_comment == "too pricey"
    ctx.undo_stack.undo()
    assert stages(ctx.workspace)["Alice"] == "shortlisted"


def test_agreed_fee_over_the_allocation_asks_the_budget_guard(
    qtbot: QtBot, ctx: AppContext,
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kol_desk.models import BudgetEntry, BudgetPeriod
    from kol_desk.services.shortlist import add_to_campaign
    from kol_desk.ui.budget.fee_guard import OverAllocationDialog

    campaign = make_campaign(ctx.workspace)
    with ctx.workspace.transaction() as s:
        period = BudgetPeriod(name="Q4", start_date=date(2026, 10, 1), end_date=date(2026, 12, 31),
                              total=Decimal("10000"), reserve=Decimal("0"))
        s.add(period)
        s.flush()
        s.add(BudgetEntry(period_id=period.id, campaign_id=campaign, amount=Decimal("1000"),
                          entry_date=date(2026, 10, 1)))
    account = AddCreatorsDialog(ctx, campaign).model.rows[0].account_id
    card = add_to_campaign(ctx.workspace, campaign, [account]).added[0]
    dialog = CardDialog(ctx, card)
    qtbot.addWidget(dialog)
    asked: list[str] = []

    def cancel() -> None:
        guard = QApplication.activeModalWidget()
        if not isinstance(guard, OverAllocationDialog):
            QTimer.singleShot(20, cancel)
            return
        asked.append(guard.text.text())
        guard.reject()

    QTimer.singleShot(0, cancel)
    dialog.fields["agreed_fee"].widget.edit.setText("5000")  # type: ignore[attr-defined]
    assert not dialog.save()
    assert "over its allocation" in asked[0]
    assert "not confirmed" in dialog.message.text()
    assert card_service.load_card(ctx.workspace, card).fields["agreed_fee"] is None
