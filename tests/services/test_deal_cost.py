"""The one net-cost definition: the card's parts, the column budget and metrics read,
and the workspace's platform fee rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kol_desk.domain import Channel
from kol_desk.errors import BadInputError
from kol_desk.models import BudgetEntry, BudgetPeriod, Collaboration
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
from tests.campaign_factory import make_account, make_campaign

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
    campaign = make_campaign(workspace, start_date=date(2026, 11, 1))
    card = add_to_campaign(workspace, campaign, [make_account(workspace, "Alice")]).added[0]
    with workspace.transaction() as s:
        period = BudgetPeriod(name="2026", kind="year", start_date=date(2026, 1, 1),
                              end_date=date(2026, 12, 31), total=D("500000"), reserve=D(0))
        s.add(period)
        s.flush()
        s.add(BudgetEntry(period_id=period.id, campaign_id=campaign, amount=D("100000"),
                          entry_date=date(2026, 1, 2)))
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
