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
from tests.campaign_factory import make_account, make_allocated_card, make_campaign


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
    assert "cost ¥9,800 paid out" in dialog.heading.text()
    tip = dialog.heading.toolTip()
    assert "− rebate 10%: ¥1,000.00" in tip and "+ platform fee 6%: ¥600.00" in tip
    assert dialog.breakdown.text() == tip  # and on the Deal tab, under the fields
    with workspace.session() as s:
        assert s.get(Collaboration, card).net_fee == Decimal("9800.00")  # type: ignore[union-attr]
    # Shown again as typed: a whole amount without ".00", cents kept.
    dialog.fields["service_fee"].widget.edit.setText("200.5")  # type: ignore[attr-defined]
    assert dialog.save()
    again = CardDialog(ctx, card)
    qtbot.addWidget(again)
    assert again.fields["agreed_fee"].widget.edit.text() == "10000"  # type: ignore[attr-defined]
    assert again.fields["service_fee"].widget.edit.text() == "200.50"  # type: ignore[attr-defined]


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


def test_the_invoice_type_chosen_on_the_card_changes_its_breakdown_and_the_budget(
        qtbot: QtBot, workspace: Workspace) -> None:
    from datetime import date

    from kol_desk.services.collaboration import update_card
    from kol_desk.ui.budget.tab import BudgetTab

    _campaign, card = make_allocated_card(workspace, "Fay")
    update_card(workspace, card, {"agreed_fee": Decimal("10000"), "tax_included": False, "tax_rate": 0.06})
    ctx = AppContext(workspace, Preferences(), QUndoStack())
    budget_tab = BudgetTab(ctx)
    budget_tab.today = lambda: date(2026, 11, 28)  # type: ignore[method-assign]
    qtbot.addWidget(budget_tab)
    budget_tab.show()
    budget_tab.refresh()

    def promised() -> str:
        return dict(budget_tab.summary.texts())["Promised"]

    assert promised() == "¥10,600"  # unstated invoice type: as before, fee + 6 % VAT
    dialog = CardDialog(ctx, card)
    qtbot.addWidget(dialog)
    assert "+ VAT 6%: ¥600.00 (fee quoted without tax)" in dialog.breakdown.text()
    invoice = dialog.fields["invoice_type"].widget
    labels = [invoice.itemText(i) for i in range(invoice.count())]  # type: ignore[attr-defined]
    assert labels == ["—", "Special VAT invoice (专票, VAT deductible)", "Ordinary invoice (普票)", "No invoice"]

    invoice.setCurrentIndex(invoice.findData("none"))  # type: ignore[attr-defined]
    assert "invoice_required" not in dialog.fields  # the invoice type says it (one field, not two)
    assert dialog.save()
    assert "+ VAT 0 (no invoice)" in dialog.breakdown.text()
    assert "= ¥10,000.00 paid out (what budget and cost metrics count)" in dialog.breakdown.text()
    qtbot.waitUntil(lambda: promised() == "¥10,000")

    invoice.setCurrentIndex(invoice.findData("special"))  # type: ignore[attr-defined]
    assert dialog.save()
    text = dialog.breakdown.text()
    assert "+ VAT 6%: ¥600.00 (fee quoted without tax)" in text
    assert "− deductible VAT ¥600.00 (special invoice) = ¥10,000.00 after deduction (not a budget figure)" in text
    assert "¥10,000 after deductible VAT" in dialog.heading.text()
    qtbot.waitUntil(lambda: promised() == "¥10,600")  # the VAT is paid; the budget counts it
    with workspace.session() as s:
        stored = s.get(Collaboration, card)
        assert stored is not None and stored.invoice_type == "special" and stored.net_fee == Decimal("10000.00")
    ctx.undo_stack.undo()  # back to no invoice
    qtbot.waitUntil(lambda: promised() == "¥10,000")
    from kol_desk.ui.common import workers

    qtbot.waitUntil(lambda: not workers._running, timeout=60_000)  # the tab's charts, before it goes
