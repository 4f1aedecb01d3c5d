"""Money facts of the KOL budget line, computed from stored records in Decimal.

Committed = agreed fees not yet paid; Spent = payments made;
Remaining = allocated - committed - spent (PRODUCT.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from kol_desk.domain import Stage
from kol_desk.models import BudgetEntry, BudgetPeriod, Campaign, Collaboration, Payment
from kol_desk.store.database import Workspace

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CampaignMoney:
    campaign_id: int
    name: str
    allocated: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed - self.spent


@dataclass(frozen=True)
class PeriodMoney:
    period_id: int
    name: str
    start_date: date
    end_date: date
    currency: str
    total: Decimal
    reserve: Decimal
    reserve_used: Decimal
    campaigns: list[CampaignMoney]

    @property
    def reserve_left(self) -> Decimal:
        return self.reserve - self.reserve_used

    @property
    def allocated(self) -> Decimal:
        return sum((c.allocated for c in self.campaigns), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((c.committed for c in self.campaigns), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((c.spent for c in self.campaigns), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed - self.spent


def period_money(workspace: Workspace) -> list[PeriodMoney]:
    with workspace.session() as session:
        periods = session.scalars(select(BudgetPeriod).order_by(BudgetPeriod.start_date.desc())).all()
        fees = dict(session.execute(
            select(Collaboration.campaign_id, func.sum(Collaboration.agreed_fee))
            .where(Collaboration.stage != Stage.DROPPED.value)
            .group_by(Collaboration.campaign_id)
        ).all())
        paid = dict(session.execute(
            select(Collaboration.campaign_id, func.sum(Payment.amount))
            .join(Payment, Payment.collaboration_id == Collaboration.id)
            .where(Payment.paid_on.is_not(None))
            .group_by(Collaboration.campaign_id)
        ).all())
        result = []
        for period in periods:
            allocations = session.execute(
                select(BudgetEntry.campaign_id, Campaign.name, func.sum(BudgetEntry.amount))
                .join(Campaign, Campaign.id == BudgetEntry.campaign_id)
                .where(BudgetEntry.period_id == period.id)
                .group_by(BudgetEntry.campaign_id, Campaign.name)
                .order_by(Campaign.name)
            ).all()
            reserve_used = session.scalar(
                select(func.sum(BudgetEntry.amount))
                .where(BudgetEntry.period_id == period.id, BudgetEntry.from_reserve.is_(True))
            ) or ZERO
            campaigns = []
            for campaign_id, name, allocated in allocations:
                assert campaign_id is not None  # the join drops reserve-only lines
                spent = paid.get(campaign_id) or ZERO
                committed = max((fees.get(campaign_id) or ZERO) - spent, ZERO)
                campaigns.append(CampaignMoney(campaign_id, name, allocated or ZERO, committed, spent))
            result.append(PeriodMoney(period.id, period.name, period.start_date, period.end_date,
                                      period.currency, period.total, period.reserve,
                                      reserve_used, campaigns))
    return result
