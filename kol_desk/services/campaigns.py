"""Campaign overviews: cards per stage and fees, for the campaign list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from kol_desk.domain import Stage
from kol_desk.models import Campaign, Collaboration
from kol_desk.store.database import Workspace


@dataclass(frozen=True)
class CampaignOverview:
    id: int
    name: str
    brand: str | None
    objective: str
    start_date: date | None
    end_date: date | None
    currency: str
    budget: Decimal | None
    stage_counts: Counter[str] = field(default_factory=Counter)
    agreed_fees: Decimal = Decimal("0.00")

    @property
    def cards(self) -> int:
        return sum(self.stage_counts.values())

    @property
    def active_cards(self) -> int:
        return self.cards - self.stage_counts.get(Stage.DROPPED, 0)


def campaign_overviews(workspace: Workspace, include_archived: bool = False) -> list[CampaignOverview]:
    with workspace.session() as session:
        query = select(Campaign).order_by(Campaign.start_date.desc().nulls_last(), Campaign.id)
        if not include_archived:
            query = query.where(Campaign.archived_at.is_(None))
        campaigns = session.scalars(query).all()
        counts: dict[int, Counter[str]] = {c.id: Counter() for c in campaigns}
        fees: dict[int, Decimal] = {}
        stage_rows = session.execute(
            select(Collaboration.campaign_id, Collaboration.stage, func.count(),
                   func.sum(Collaboration.agreed_fee))
            .group_by(Collaboration.campaign_id, Collaboration.stage)
        )
        for campaign_id, stage, count, fee_sum in stage_rows:
            if campaign_id not in counts:
                continue
            counts[campaign_id][stage] = count
            if stage != Stage.DROPPED and fee_sum is not None:
                fees[campaign_id] = fees.get(campaign_id, Decimal("0.00")) + fee_sum
    return [
        CampaignOverview(
            id=c.id, name=c.name, brand=c.brand, objective=c.objective,
            start_date=c.start_date, end_date=c.end_date, currency=c.currency,
            budget=c.budget, stage_counts=counts[c.id],
            agreed_fees=fees.get(c.id, Decimal("0.00")),
        )
        for c in campaigns
    ]
