"""Results per campaign: the latest snapshot of each collaboration, totalled, with the
cost metrics of PRODUCT.md."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from kol_desk import metrics
from kol_desk.models import Campaign, Collaboration, ResultSnapshot
from kol_desk.store.database import Workspace


@dataclass(frozen=True)
class CampaignResults:
    campaign_id: int
    name: str
    currency: str
    posts: int
    cost: Decimal
    impressions: int
    views: int
    engagements: int
    clicks: int
    orders: int
    revenue: Decimal

    @property
    def cpm(self) -> Decimal | None:
        return metrics.cpm(self.cost, self.impressions)

    @property
    def cpe(self) -> Decimal | None:
        return metrics.cpe(self.cost, self.engagements)

    @property
    def roi(self) -> Decimal | None:
        return metrics.roi(self.revenue, self.cost)


def campaign_results(workspace: Workspace) -> list[CampaignResults]:
    latest = (
        select(ResultSnapshot.collaboration_id, func.max(ResultSnapshot.taken_on).label("taken_on"))
        .group_by(ResultSnapshot.collaboration_id)
        .subquery()
    )
    query = (
        select(Campaign.id, Campaign.name, Campaign.currency, Collaboration.agreed_fee, ResultSnapshot)
        .join(Collaboration, Collaboration.campaign_id == Campaign.id)
        .join(latest, latest.c.collaboration_id == Collaboration.id)
        .join(ResultSnapshot, (ResultSnapshot.collaboration_id == latest.c.collaboration_id)
              & (ResultSnapshot.taken_on == latest.c.taken_on))
        .order_by(Campaign.id)
    )
    totals: dict[int, dict[str, object]] = {}
    with workspace.session() as session:
        for campaign_id, name, currency, fee, snap in session.execute(query):
            t = totals.setdefault(campaign_id, {
                "name": name, "currency": currency, "posts": 0, "cost": Decimal("0.00"),
                "impressions": 0, "views": 0, "engagements": 0, "clicks": 0, "orders": 0,
                "revenue": Decimal("0.00"),
            })
            t["posts"] = int(t["posts"]) + 1  # type: ignore[call-overload]
            t["cost"] = t["cost"] + (fee or 0)  # type: ignore[operator]
            for key in ("impressions", "views", "clicks", "orders"):
                t[key] = t[key] + (getattr(snap, key) or 0)  # type: ignore[operator]
            t["engagements"] = t["engagements"] + (metrics.engagements(  # type: ignore[operator]
                snap.likes, snap.comments, snap.shares, snap.saves, snap.danmaku, snap.coins) or 0)
            t["revenue"] = t["revenue"] + (snap.revenue or 0)  # type: ignore[operator]
    return [CampaignResults(campaign_id=cid, **values) for cid, values in totals.items()]  # type: ignore[arg-type]
