"""The one net-cost definition: the card's parts, the column budget and metrics read,
and the workspace's platform fee rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from kol_desk.domain import Channel
from kol_desk.errors import BadInputError
from kol_desk.models import Collaboration
from kol_desk.services import budget
from kol_desk.services.collaboration import update_card
from kol_desk.services.deal_cost import (
    DEFAULT_PLATFORM_FEE_PERCENT,
    breakdown,
    platform_fee_rates,
    set_platform_fee_rates,
)
from kol_desk.services.payments import fees_of_campaign
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account, make_allocated_card, make_campaign

D = Decimal


def test_net_cost_takes_off_the_rebate_and_adds_service_platform_fee_and_tax() -> None:
    parts = breakdown(D("10000"), channel=Channel.XINGTU.value, rebate_pct=15.5,
                      service_fee=D("300"), platform_fee_pct=5, tax_included=False, tax_rate=0.06)
    assert (parts.rebate, parts.service_fee, parts.platform_fee) == (D("1550.00"), D("300.00"), D("500.00"))
    assert parts.net == D("9250.00")
    assert parts.tax == D("555.00")  # 6 % of what is invoiced, the net amount
    assert parts.total == D("9805.00")
    # A direct deal pays no platform fee, whatever rate the card still holds.
    assert breakdown(D("10000"), channel=Channel.DIRECT.value, platform_fee_pct=5).net == D("10000")
    assert breakdown(D("333.33"), rebate_pct=33.3).rebate == D("111.00")


def test_budget_commits_and_payments_plan_the_net_cost(workspace: Workspace) -> None:
    campaign, card = make_allocated_card(workspace, "Alice")
    update_card(workspace, card, {"agreed_fee": D("10000"), "channel": Channel.PUGONGYING.value,
                                  "platform_fee_pct": 10.0, "rebate_pct": 5.0,
                                  "service_fee": D("200"), "tax_included": True})
    with workspace.session() as s:
        collab = s.get(Collaboration, card)
        assert collab is not None and collab.net_fee == D("10700.00")
    [money] = budget.period_money(workspace, today=date(2026, 11, 28))
    assert money.committed == D("10700.00")
    assert [f.fee.fee for f in fees_of_campaign(workspace, campaign)] == [D("10700.00")]
    # The board's card and column total show the same net cost.
    from kol_desk.services.board import board_cards, column_totals

    [shown] = board_cards(workspace, campaign)
    assert shown.fee == D("10700.00") and column_totals([shown])[shown.stage][1] == D("10700.00")
    # Changing one part changes the net cost in the same write.
    update_card(workspace, card, {"channel": Channel.DIRECT.value})
    [money] = budget.period_money(workspace, today=date(2026, 11, 28))
    assert money.committed == D("9700.00")


def test_platform_fee_rates_are_a_workspace_setting_with_defaults(workspace: Workspace) -> None:
    assert platform_fee_rates(workspace) == DEFAULT_PLATFORM_FEE_PERCENT
    set_platform_fee_rates(workspace, {Channel.XINGTU: D("6.5")})
    assert platform_fee_rates(workspace)[Channel.XINGTU] == D("6.5")
    assert platform_fee_rates(workspace)[Channel.HUAHUO] == DEFAULT_PLATFORM_FEE_PERCENT[Channel.HUAHUO]
    with pytest.raises(BadInputError):
        set_platform_fee_rates(workspace, {Channel.XINGTU: D("120")})


def test_reports_and_the_creator_page_measure_the_net_cost(workspace: Workspace) -> None:
    from kol_desk.services.collaboration import add_result_snapshot
    from kol_desk.services.creator_page import load_creator_page
    from kol_desk.services.reports import ReportScope, load_posts

    account = make_account(workspace, "Dora")
    card = add_to_campaign(workspace, make_campaign(workspace), [account]).added[0]
    update_card(workspace, card, {"agreed_fee": D("10000"), "rebate_pct": 20.0, "channel": Channel.DIRECT.value})
    add_result_snapshot(workspace, card, date(2026, 11, 20), {"likes": 800, "comments": 200})
    [post] = load_posts(workspace, ReportScope())
    assert post.cost == D("8000.00")  # the agreed fee less the 20 % rebate
    with workspace.session() as s:
        creator_id = s.get(Collaboration, card).creator_id  # type: ignore[union-attr]
    page = load_creator_page(workspace, creator_id)
    assert page is not None
    [item] = page.history
    assert item.fee == D("8000.00") and item.cpe == D(8)


# Tax by invoice type (money.fee_tax): fee 10,600 tax-included or 10,000 tax-exclusive at 6 %.
# Columns: tax added, paid out (the budget's figure), deductible VAT, cost after deduction.
INVOICE_CASES = [
    (True, None, "10600", "0", "10600", "0", "10600"),
    (None, None, "10600", "0", "10600", "0", "10600"),  # unknown basis counts as included
    (True, "ordinary", "10600", "0", "10600", "0", "10600"),
    (True, "special", "10600", "0", "10600", "600", "10000"),
    (True, "none", "10600", "0", "10600", "0", "10600"),
    (False, None, "10000", "600", "10600", "0", "10600"),
    (False, "ordinary", "10000", "600", "10600", "0", "10600"),
    (False, "special", "10000", "600", "10600", "600", "10000"),
    (False, "none", "10000", "0", "10000", "0", "10000"),
    # Rounding: the VAT inside 9,999.99 is 566.0372 → 566.04, half-up, once.
    (True, "special", "9999.99", "0", "9999.99", "566.04", "9433.95"),
    (False, "special", "9999.99", "600.00", "10599.99", "600.00", "9999.99"),
]


@pytest.mark.parametrize(("included", "invoice", "fee", "tax", "paid", "deductible", "after"), INVOICE_CASES)
def test_tax_by_invoice_type_is_exact(included: bool | None, invoice: str | None, fee: str, tax: str,
                                      paid: str, deductible: str, after: str) -> None:
    from kol_desk.services.money import collaboration_cost, fee_tax

    parts = breakdown(D(fee), tax_included=included, tax_rate=0.06, invoice_type=invoice)
    assert (parts.tax, parts.total, parts.deductible_vat, parts.after_deduction) == (
        D(tax), D(paid), D(deductible), D(after))
    assert parts.net == D(fee)  # the card's net_fee: VAT is never part of it
    # The budget's function and the payment plan's agree with the breakdown to the cent.
    assert collaboration_cost(D(fee), included, 0.06, invoice) == D(paid)
    vat = fee_tax(D(fee), included, 0.06, invoice)
    assert (vat.gross, vat.deductible, vat.after_deduction) == (D(paid), D(deductible), D(after))
    assert vat.adds_tax == (D(tax) > 0)


def test_invoice_type_applies_to_the_net_cost_after_rebate_and_fees() -> None:
    parts = breakdown(D("10000"), channel=Channel.XINGTU.value, rebate_pct=10, service_fee=D("300"),
                      platform_fee_pct=5, tax_included=False, tax_rate=0.06, invoice_type="special")
    assert parts.net == D("9800.00")
    assert (parts.tax, parts.total, parts.deductible_vat, parts.after_deduction) == (
        D("588.00"), D("10388.00"), D("588.00"), D("9800.00"))


def _figures(workspace: Workspace, campaign: int) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Committed (Budget tab), the board's card cost, the campaign list's agreed total and
    the payment plan's fee with tax."""
    from kol_desk.services.board import board_cards
    from kol_desk.services.campaigns import campaign_overviews

    [money] = budget.period_money(workspace, today=date(2026, 11, 28))
    [card] = board_cards(workspace, campaign)
    [overview] = campaign_overviews(workspace)
    [fee] = fees_of_campaign(workspace, campaign)
    assert card.cost is not None
    return money.committed, card.cost, overview.agreed_fees, fee.fee.gross


def test_an_unstated_invoice_type_keeps_every_figure_as_before(workspace: Workspace) -> None:
    campaign, card = make_allocated_card(workspace)
    update_card(workspace, card, {"agreed_fee": D("10000"), "tax_included": False, "tax_rate": 0.06})
    with workspace.session() as s:
        collab = s.get(Collaboration, card)
        assert collab is not None and collab.invoice_type is None and collab.net_fee == D("10000.00")
    # As before invoice types: the tax-exclusive fee costs fee + 6 % everywhere.
    assert _figures(workspace, campaign) == (D("10600.00"),) * 4
    update_card(workspace, card, {"invoice_type": "ordinary"})
    assert _figures(workspace, campaign) == (D("10600.00"),) * 4


def test_budget_counts_what_is_paid_out_whatever_the_invoice(workspace: Workspace) -> None:
    from kol_desk.services.payments import mark_paid, payments_of, set_payment_plan

    campaign, card = make_allocated_card(workspace)
    update_card(workspace, card, {"agreed_fee": D("10000"), "tax_included": False, "tax_rate": 0.06,
                                  "invoice_type": "special"})
    # A special invoice's VAT is paid (and deducted later): the budget counts the money paid.
    assert _figures(workspace, campaign) == (D("10600.00"),) * 4
    # No invoice: a tax-exclusive fee adds no VAT, in the plan and the budget alike.
    update_card(workspace, card, {"invoice_type": "none"})
    with workspace.session() as s:
        assert s.get(Collaboration, card).net_fee == D("10000.00")  # type: ignore[union-attr]
    assert _figures(workspace, campaign) == (D("10000.00"),) * 4
    set_payment_plan(workspace, card, [("full", D("10000"), date(2026, 11, 20))])
    [payment] = payments_of(workspace, collaboration_id=card)
    assert payment.tax_amount == 0 and payment.gross == D("10000.00")
    mark_paid(workspace, payment.payment_id, date(2026, 11, 21), None, None)
    [money] = budget.period_money(workspace, today=date(2026, 11, 28))
    assert (money.spent, money.committed) == (D("10000.00"), D("0.00"))
    with pytest.raises(BadInputError):
        update_card(workspace, card, {"invoice_type": "receipt"})


def test_cards_without_an_invoice_type_cost_what_they_cost_before(demo_workspace: Workspace) -> None:
    """Every demo card states no invoice type (as every card made before revision 0006):
    its cost is the rule written out as it was, net cost plus 6 % when tax-exclusive."""
    from kol_desk.services.board import board_cards
    from kol_desk.services.campaigns import campaign_overviews
    from kol_desk.services.money import cents

    checked = 0
    with demo_workspace.session() as s:
        cards = {c.id: c for c in s.scalars(select(Collaboration))}
    for overview in campaign_overviews(demo_workspace, include_archived=True):
        for card in board_cards(demo_workspace, overview.id):
            x = cards[card.id]
            assert x.invoice_type is None
            if x.net_fee is None:
                continue
            rate = D(str(x.tax_rate or 0))
            before = x.net_fee if x.tax_included else x.net_fee + cents(x.net_fee * rate)
            assert card.cost == before, card.id
            checked += 1
    assert checked > 50


@pytest.mark.parametrize(("included", "invoice", "fee", "line"), [
    (True, None, "10600", "+ VAT 0 (included in the fee)"),
    (True, "special", "10600", "+ VAT 0 (included in the fee; ¥600.00 of it deductible)"),
    (False, None, "10000", "+ VAT 6%: ¥600.00 (fee quoted without tax)"),
    (False, "special", "10000", "+ VAT 6%: ¥600.00 (fee quoted without tax)"),
    (False, "none", "10000", "+ VAT 0 (no invoice)"),
])
def test_the_breakdown_names_the_vat_with_its_sign(included: bool, invoice: str | None, fee: str, line: str) -> None:
    from kol_desk.services.deal_cost import describe

    text = describe(breakdown(D(fee), tax_included=included, tax_rate=0.06, invoice_type=invoice), "CNY")
    lines = text.splitlines()
    assert lines[5] == line and lines[6].endswith("paid out (what budget and cost metrics count)")
    assert ("− deductible VAT ¥600.00 (special invoice) = ¥10,000.00 after deduction (not a budget figure)"
            in lines) == (invoice == "special")
