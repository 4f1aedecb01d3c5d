from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kol_desk.errors import BadInputError
from kol_desk.models import Payment
from kol_desk.services.board import board_cards, move
from kol_desk.services.campaigns import (
    CampaignInput,
    campaign_overviews,
    create_campaign,
    duplicate_campaign,
    load_campaign,
    set_archived,
    update_campaign,
)
from kol_desk.services.collaboration import add_result_snapshot, update_card
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account


def test_create_edit_duplicate_archive(workspace: Workspace) -> None:
    data = CampaignInput(name="Spring", brand="Acme", objective="launch",
                         start_date=date(2026, 11, 1), end_date=date(2026, 12, 31),
                         budget=Decimal("20000"), kpi_impressions=100_000, kpi_orders=10, owner="Li")
    campaign = create_campaign(workspace, data)
    with pytest.raises(BadInputError, match="ends before"):
        update_campaign(workspace, campaign, CampaignInput(name="X", start_date=date(2026, 2, 1),
                                                           end_date=date(2026, 1, 1)))
    previous = update_campaign(workspace, campaign, CampaignInput(**{**data.__dict__, "notes": "n"}))
    assert previous == data
    assert load_campaign(workspace, campaign).notes == "n"

    ok, banned = make_account(workspace, "Alice"), make_account(workspace, "Eve", risk_level="high")
    ids = add_to_campaign(workspace, campaign, [ok, banned], override_reason="agreed with boss").added
    copy = duplicate_campaign(workspace, campaign, "Spring again")
    copied = board_cards(workspace, copy)
    assert sorted(c.nickname for c in copied) == ["Alice", "Eve"]
    assert all(c.stage == "shortlisted" and c.agreed_fee is None for c in copied)

    # Progress: cards per stage, agreed and spent against budget, KPI from latest snapshots.
    update_card(workspace, ids[0], {"agreed_fee": Decimal("5000")})
    move(workspace, ids[0], "published", override_reason="test")
    add_result_snapshot(workspace, ids[0], date(2026, 12, 1), {"impressions": 20_000, "orders": 1})
    add_result_snapshot(workspace, ids[0], date(2026, 12, 15), {"impressions": 50_000, "orders": 4})
    with workspace.transaction() as s:
        s.add(Payment(collaboration_id=ids[0], kind="deposit", amount=Decimal("1500"),
                      paid_on=date(2026, 11, 20)))
    overview = next(o for o in campaign_overviews(workspace) if o.id == campaign)
    assert overview.stage_counts == {"published": 1, "shortlisted": 1}
    assert (overview.agreed_fees, overview.spent) == (Decimal("5000.00"), Decimal("1500.00"))
    assert overview.budget_used == Decimal("0.25")
    assert overview.kpi_progress == {"impressions": (Decimal(50_000), Decimal(100_000)),
                                     "orders": (Decimal(4), Decimal(10))}
    assert overview.kpi_share == Decimal("0.45")

    set_archived(workspace, campaign, True)
    assert campaign not in [o.id for o in campaign_overviews(workspace)]
    archived = next(o for o in campaign_overviews(workspace, include_archived=True) if o.id == campaign)
    assert archived.status == "archived"
    set_archived(workspace, campaign, False)
    assert campaign in [o.id for o in campaign_overviews(workspace)]
