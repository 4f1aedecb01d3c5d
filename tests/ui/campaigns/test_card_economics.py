"""The card's deal economics as a user fills them: the channel brings the workspace's
platform fee rate, and the card shows the net cost with its breakdown."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from kol_desk.domain import Channel
from kol_desk.models import Collaboration
from kol_desk.preferences import Preferences
from kol_desk.services.deal_cost import set_platform_fee_rates
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from kol_desk.ui.campaigns.card_dialog import CardDialog
from kol_desk.ui.context import AppContext
from tests.campaign_factory import make_account, make_campaign


def test_channel_rebate_and_fees_make_the_net_cost_the_card_shows(qtbot: QtBot, workspace: Workspace) -> None:
    set_platform_fee_rates(workspace, {Channel.XINGTU: Decimal("6")})
    ctx = AppContext(workspace, Preferences(), QUndoStack())
    card = add_to_campaign(workspace, make_campaign(workspace), [make_account(workspace, "Alice")]).added[0]
    dialog = CardDialog(ctx, card)
    qtbot.addWidget(dialog)
    channel = dialog.fields["channel"].widget
    channel.setCurrentIndex(channel.findData(Channel.XINGTU.value))  # type: ignore[attr-defined]
    assert dialog.fields["platform_fee_pct"].widget.edit.text() == "6"  # type: ignore[attr-defined]
    dialog.fields["agreed_fee"].widget.edit.setText("10000")  # type: ignore[attr-defined]
    dialog.fields["rebate_pct"].widget.edit.setText("10")  # type: ignore[attr-defined]
    dialog.fields["service_fee"].widget.edit.setText("200")  # type: ignore[attr-defined]
    assert dialog.save()
    assert "net cost ¥9,800" in dialog.heading.text()
    tip = dialog.heading.toolTip()
    assert "− rebate 10%: ¥1,000.00" in tip and "+ platform fee 6%: ¥600.00" in tip
    assert dialog.breakdown.text() == tip  # and on the Deal tab, under the fields
    with workspace.session() as s:
        assert s.get(Collaboration, card).net_fee == Decimal("9800.00")  # type: ignore[union-attr]


def test_platform_fee_rates_are_edited_for_the_workspace(qtbot: QtBot, workspace: Workspace) -> None:
    from kol_desk.services.deal_cost import platform_fee_rates
    from kol_desk.ui.negotiation.fee_rates import PlatformFeeDialog

    dialog = PlatformFeeDialog(workspace)
    qtbot.addWidget(dialog)
    assert dialog.rates[Channel.XINGTU].edit.text() == "5"
    dialog.rates[Channel.PUGONGYING].edit.setText("120")
    dialog.accept()
    assert dialog.rates[Channel.PUGONGYING].message.isVisible() or dialog.message.text()
    assert platform_fee_rates(workspace)[Channel.PUGONGYING] == Decimal(10)  # nothing written
    dialog.rates[Channel.PUGONGYING].edit.setText("8.5%")
    dialog.accept()
    assert platform_fee_rates(workspace)[Channel.PUGONGYING] == Decimal("8.5")


def test_an_agencys_usual_rebate_counts_for_its_quotes_without_one(qtbot: QtBot, workspace: Workspace) -> None:
    from datetime import date

    from kol_desk.models import Agency, Quote
    from kol_desk.services.pricing import negotiation_facts
    from kol_desk.ui.negotiation.fee_rates import PlatformFeeDialog

    account = make_account(workspace, "Eve", price=None)
    with workspace.transaction() as s:
        agency = Agency(name="星耀")
        s.add(agency)
        s.flush()
        s.add(Quote(account_id=account, deliverable="video", price_min=Decimal("8000"),
                    price_max=Decimal("8000"), agency_id=agency.id, quoted_on=date(2026, 10, 1)))
        agency_id = agency.id
    dialog = PlatformFeeDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.rebates[agency_id].edit.setText("12.5")
    dialog.accept()
    [route] = negotiation_facts(workspace, account, "video").routes
    assert (route.rebate_pct, route.net) == (Decimal("12.5"), Decimal("7000.00"))
