"""Two people, two real connections to one database (SQLite file and PostgreSQL): Amy
opens a form, Bo saves the same record, Amy saves. The conflict dialog comes up in Amy's
window, and each of its three answers leaves the right thing stored — for a creator, a
campaign and a card, through the windows' own save paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.models import Collaboration, PlatformAccount
from kol_desk.preferences import Preferences
from kol_desk.services import activity, campaigns, payments
from kol_desk.services import collaboration as cards
from kol_desk.services import creator_edit as edit
from kol_desk.services.campaigns import CampaignInput
from kol_desk.services.collaboration import DeliverableLine, ReviewLine
from kol_desk.services.conflicts import ListChanged
from kol_desk.services.creator_edit import AccountFields, CreatorFields
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from kol_desk.ui.budget.payment_dialogs import PaymentPlanDialog
from kol_desk.ui.campaigns.campaign_dialog import CampaignDialog
from kol_desk.ui.campaigns.campaign_list import CampaignListPage
from kol_desk.ui.campaigns.card_dialog import CardDialog
from kol_desk.ui.context import AppContext
from kol_desk.ui.creators.dialogs import CreatorDialog
from kol_desk.ui.creators.tab import CreatorsTab
from kol_desk.ui.dialogs.conflict import THEIRS, ConflictDialog
from tests.ui.creators.helpers_creators import answer_modal, click_ok, type_text

CHOICES = ["mine", "theirs", "merge"]


@pytest.fixture
def amy(qtbot: QtBot, workspace: Workspace) -> AppContext:
    activity.set_user(workspace, "Amy")
    return AppContext(workspace, Preferences(), QUndoStack())


@pytest.fixture
def bo(workspace: Workspace) -> Iterator[Workspace]:
    other = open_workspace(workspace.url.render_as_string(hide_password=False))
    activity.set_user(other, "Bo")
    yield other
    other.dispose()


def choose(qtbot: QtBot, choice: str, seen: list[ConflictDialog],
           before: Callable[[ConflictDialog], None] | None = None) -> None:
    """Answer the conflict dialog once it is up, as Amy would."""

    def act(dialog: ConflictDialog) -> None:
        if before is not None:
            before(dialog)
        button: QPushButton = {"mine": dialog.keep_mine, "theirs": dialog.keep_theirs,
                               "merge": dialog.merge}[choice]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    answer_modal(ConflictDialog, act, seen)


def tick(qtbot: QtBot, dialog: ConflictDialog, name: str, column: int) -> None:
    """Click a Yours / Theirs check box, as the user does for a merge."""
    model = dialog.model
    row = next(i for i, f in enumerate(model.fields) if f.name == name)
    cell = dialog.table.visualRect(model.index(row, column))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(cell.left() + 10, cell.center().y()))


def shown(dialog: ConflictDialog) -> dict[str, list[str]]:
    model = dialog.model
    return {model.fields[r].name: [model.index(r, c).data() for c in range(1, 4)]
            for r in range(model.rowCount())}


# -- a creator, through the Creators tab ------------------------------------------------

@pytest.mark.parametrize("choice", CHOICES)
def test_creator_edit_meets_a_colleagues_save(qtbot: QtBot, amy: AppContext, bo: Workspace,
                                              choice: str) -> None:
    ws = amy.workspace
    creator_id = edit.create_creator(ws, CreatorFields("桃子酱", city="杭州", notes="初稿"),
                                     AccountFields("xiaohongshu", "taozi_jiang"))
    tab = CreatorsTab(amy)
    qtbot.addWidget(tab)
    tab.show()
    tab.panel.show_creator(creator_id)
    seen: list[ConflictDialog] = []

    def amy_edits(dialog: CreatorDialog) -> None:
        # Bo saves while Amy's form is open: other notes, another city.
        theirs = edit.read_fields(bo, creator_id)
        edit.update_creator(bo, creator_id, replace(theirs, notes="Bo 的备注", city="上海"))
        dialog.notes.clear()
        type_text(qtbot, dialog.notes, "Amy 的备注")
        choose(qtbot, choice, seen)
        click_ok(qtbot, dialog)

    answer_modal(CreatorDialog, amy_edits)
    tab.edit_current()

    assert len(seen) == 1
    assert "changed by Bo" in seen[0].message.text()
    # Only the fields someone changed are listed: the clash and Bo's city.
    assert shown(seen[0]) == {"city": ["杭州", "杭州", "上海"],
                              "notes": ["初稿", "Amy 的备注", "Bo 的备注"]}
    stored = edit.read_fields(bo, creator_id)
    expected = {"mine": ("Amy 的备注", "杭州"), "theirs": ("Bo 的备注", "上海"),
                "merge": ("Amy 的备注", "上海")}[choice]
    assert (stored.notes, stored.city) == expected
    # Keeping theirs wrote nothing of Amy's, so there is nothing of hers to undo.
    assert amy.undo_stack.count() == (0 if choice == "theirs" else 1)
    if choice == "merge":
        amy.undo_stack.undo()  # Amy's undo puts back what she saw when she opened the form
        assert edit.read_fields(bo, creator_id).notes == "初稿"


# -- a campaign, through the campaign list -------------------------------------------------

@pytest.mark.parametrize("choice", CHOICES)
def test_campaign_edit_meets_a_colleagues_save(qtbot: QtBot, amy: AppContext, bo: Workspace,
                                               choice: str) -> None:
    campaign_id = campaigns.create_campaign(amy.workspace, CampaignInput(
        "双11 面膜", budget=Decimal("50000.00"), owner="Amy"))
    page = CampaignListPage(amy)
    qtbot.addWidget(page)
    page.show()
    page.select(campaign_id)
    seen: list[ConflictDialog] = []

    def merge_choice(dialog: ConflictDialog) -> None:
        # Amy takes Bo's budget for the clash and keeps her own owner.
        assert dialog.model.choices["budget"].value == "mine"
        tick(qtbot, dialog, "budget", THEIRS)

    def amy_edits(dialog: CampaignDialog) -> None:
        current = campaigns.load_campaign(bo, campaign_id)
        campaigns.update_campaign(bo, campaign_id, replace(
            current, budget=Decimal("60000.00"), brand="Bo 牌"))
        dialog.budget.edit.clear()
        qtbot.keyClicks(dialog.budget.edit, "55,000")
        dialog.owner.edit.clear()
        qtbot.keyClicks(dialog.owner.edit, "Amy Wang")
        choose(qtbot, choice, seen, merge_choice if choice == "merge" else None)
        click_ok(qtbot, dialog)

    answer_modal(CampaignDialog, amy_edits)
    page.edit_campaign()

    assert len(seen) == 1
    assert shown(seen[0])["budget"] == ["50,000.00", "55,000.00", "60,000.00"]
    stored = campaigns.load_campaign(bo, campaign_id)
    expected = {
        "mine": (Decimal("55000.00"), "Amy Wang", None),
        "theirs": (Decimal("60000.00"), "Amy", "Bo 牌"),
        "merge": (Decimal("60000.00"), "Amy Wang", "Bo 牌"),
    }[choice]
    assert (stored.budget, stored.owner, stored.brand) == expected


# -- a card, through the card dialog -------------------------------------------------------

def _card(ws: Workspace) -> int:
    edit.create_creator(ws, CreatorFields("小鱼呀"), AccountFields("douyin", "xiaoyu_ya"))
    campaign_id = campaigns.create_campaign(ws, CampaignInput("年货节"))
    with ws.session() as s:
        account_id = s.scalars(select(PlatformAccount.id)).one()
    add_to_campaign(ws, campaign_id, [account_id])
    with ws.session() as s:
        return s.scalars(select(Collaboration.id)).one()


@pytest.mark.parametrize("choice", CHOICES)
def test_card_save_meets_a_colleagues_save(qtbot: QtBot, amy: AppContext, bo: Workspace,
                                           choice: str) -> None:
    card_id = _card(amy.workspace)
    dialog = CardDialog(amy, card_id)
    qtbot.addWidget(dialog)
    dialog.show()
    # Bo agrees a fee and writes a note on the same card while Amy has it open.
    cards.update_card(bo, card_id, {"agreed_fee": Decimal("8000.00"), "notes": "Bo 谈的价"})
    qtbot.keyClicks(dialog.fields["agreed_fee"].widget.edit, "7,500")  # type: ignore[attr-defined]
    seen: list[ConflictDialog] = []
    choose(qtbot, choice, seen)
    assert dialog.save()

    assert len(seen) == 1
    # Amy only typed a fee: the conflict is about that field alone, labelled as on the form.
    conflict_rows = shown(seen[0])
    assert conflict_rows == {"agreed_fee": ["—", "7,500.00", "8,000.00"]}
    assert seen[0].model.index(0, 0).data() == "Agreed fee"
    fields = cards.load_card(bo, card_id).fields
    fee = {"mine": Decimal("7500.00"), "theirs": Decimal("8000.00"),
           "merge": Decimal("7500.00")}[choice]  # the merge suggests Amy's side of a clash
    assert (fields["agreed_fee"], fields["notes"]) == (fee, "Bo 谈的价")
    assert amy.undo_stack.count() == (0 if choice == "theirs" else 1)
    if choice != "theirs":
        # Undo puts back what Amy's save replaced (Bo's fee); redo writes what was saved.
        amy.undo_stack.undo()
        assert cards.load_card(bo, card_id).fields["agreed_fee"] == Decimal("8000.00")
        amy.undo_stack.redo()
        assert cards.load_card(bo, card_id).fields["agreed_fee"] == fee
    # The form now shows what is stored, and saving again is no conflict.
    assert dialog.fields["agreed_fee"].read() == fee
    dialog.fields["notes"].show("Amy 补充")
    assert dialog.save()
    assert len(seen) == 1
    assert cards.load_card(bo, card_id).fields["notes"] == "Amy 补充"


def test_undo_of_a_card_edit_is_refused_after_a_colleagues_save(
        qtbot: QtBot, amy: AppContext, bo: Workspace) -> None:
    card_id = _card(amy.workspace)
    dialog = CardDialog(amy, card_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.fields["agreed_fee"].widget.edit, "7,500")  # type: ignore[attr-defined]
    assert dialog.save()
    dialog.close()
    cards.update_card(bo, card_id, {"agreed_fee": Decimal("8000.00")})

    said: list[str] = []
    answer_modal(QMessageBox, lambda box: (said.append(box.text()), box.accept()))
    amy.undo_stack.undo()  # would blank Bo's fee

    assert said and "Bo" in said[0]
    assert cards.load_card(bo, card_id).fields["agreed_fee"] == Decimal("8000.00")


def test_closing_the_conflict_dialog_saves_nothing_and_keeps_the_form(
        qtbot: QtBot, amy: AppContext, bo: Workspace) -> None:
    card_id = _card(amy.workspace)
    dialog = CardDialog(amy, card_id)
    qtbot.addWidget(dialog)
    cards.update_card(bo, card_id, {"notes": "Bo"})
    dialog.fields["notes"].show("Amy")
    answer_modal(ConflictDialog, lambda d: d.reject())
    assert not dialog.save()
    assert "Not saved" in dialog.message.text()
    assert dialog.fields["notes"].read() == "Amy"
    assert cards.load_card(bo, card_id).fields["notes"] == "Bo"


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_undo_of_an_edit_meets_a_colleagues_later_save(qtbot: QtBot, amy: AppContext, bo: Workspace,
                                                       choice: str) -> None:
    ws = amy.workspace
    creator_id = edit.create_creator(ws, CreatorFields("桃子酱", notes="初稿"),
                                     AccountFields("xiaohongshu", "taozi_jiang"))
    tab = CreatorsTab(amy)
    qtbot.addWidget(tab)
    tab.show()
    tab.panel.show_creator(creator_id)

    def amy_edits(dialog: CreatorDialog) -> None:
        dialog.notes.clear()
        type_text(qtbot, dialog.notes, "Amy 的备注")
        click_ok(qtbot, dialog)

    answer_modal(CreatorDialog, amy_edits)
    tab.edit_current()
    theirs = edit.read_fields(bo, creator_id)
    edit.update_creator(bo, creator_id, replace(theirs, notes="Bo 的备注"))

    seen: list[ConflictDialog] = []
    choose(qtbot, choice, seen)
    amy.undo_stack.undo()  # Ctrl+Z after Bo's save: asked, not overwritten

    assert len(seen) == 1
    assert shown(seen[0])["notes"] == ["Amy 的备注", "初稿", "Bo 的备注"]
    assert edit.read_fields(bo, creator_id).notes == {"mine": "初稿", "theirs": "Bo 的备注"}[choice]


# -- lists replaced as a whole: deliverables, review rounds, the payment plan ---------------

def test_a_deliverables_change_meets_a_colleagues_change(qtbot: QtBot, amy: AppContext,
                                                         bo: Workspace) -> None:
    card_id = _card(amy.workspace)
    dialog = CardDialog(amy, card_id)
    qtbot.addWidget(dialog)
    dialog.show()
    section = dialog.deliverables
    # Bo plans a video on the card while Amy's dialog still shows no deliverables.
    cards.set_deliverables(bo, card_id, [DeliverableLine("video", 1)])
    section.kind.setCurrentIndex(section.kind.findData("image_post"))
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)

    assert "colleague" in dialog.message.text()
    assert [d.kind for d in cards.load_card(bo, card_id).deliverables] == ["video"]
    assert [d.kind for d in section.model.rows] == ["video"]  # Bo's list is shown now
    assert amy.undo_stack.count() == 0
    # Seeing it, Amy adds her post on top of Bo's video.
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert [d.kind for d in cards.load_card(bo, card_id).deliverables] == ["video", "image_post"]
    # Bo then drops the video; Amy's undo would bring back a list Bo no longer has.
    cards.set_deliverables(bo, card_id, [DeliverableLine("image_post", 1)])
    said: list[str] = []
    answer_modal(QMessageBox, lambda box: (said.append(box.text()), box.accept()))
    amy.undo_stack.undo()

    assert said and "colleague" in said[0]
    assert [d.kind for d in cards.load_card(bo, card_id).deliverables] == ["image_post"]


def test_review_rounds_refuse_a_stale_list(amy: AppContext, bo: Workspace) -> None:
    card_id = _card(amy.workspace)
    first = ReviewLine(1, date(2026, 11, 2), "Bo: 换个开头")
    cards.set_review_rounds(bo, card_id, [first])
    with pytest.raises(ListChanged):
        cards.set_review_rounds(amy.workspace, card_id, [ReviewLine(1, date(2026, 11, 3))], shown=[])
    assert cards.load_card(bo, card_id).review_rounds == [first]
    cards.set_review_rounds(amy.workspace, card_id, [], shown=[first])
    assert cards.load_card(bo, card_id).review_rounds == []


def test_a_payment_plan_meets_a_colleagues_replan(qtbot: QtBot, amy: AppContext,
                                                  bo: Workspace) -> None:
    card_id = _card(amy.workspace)
    cards.update_card(bo, card_id, {"agreed_fee": Decimal("8000.00"), "tax_included": True})
    fee = payments.fee_tax(Decimal("8000.00"), True, 0.06)
    dialog = PaymentPlanDialog(amy, card_id, fee, Decimal(0), "CNY", "小鱼呀 · 年货节")
    qtbot.addWidget(dialog)
    dialog.show()
    # Bo splits the fee while Amy's dialog is open.
    payments.set_payment_plan(bo, card_id, [("deposit", Decimal("4000.00"), date(2026, 12, 1)),
                                            ("balance", Decimal("4000.00"), date(2026, 12, 20))])
    dialog.balance_due.set_text("2026-12-31")
    assert not dialog.submit()

    message = dialog.error_label.text()
    assert "colleague" in message and "2026-12-20" in message
    assert [p.kind for p in payments.payments_of(bo, collaboration_id=card_id)] == ["deposit", "balance"]
    # Having read Bo's plan, a second OK replaces it with Amy's single payment.
    assert dialog.submit()
    plan = payments.payments_of(bo, collaboration_id=card_id)
    assert [(p.kind, p.amount, p.due_date) for p in plan] == [
        ("full", Decimal("8000.00"), date(2026, 12, 31))]
