"""The over-allocation check the board calls when a fee is agreed.

``check_fee_against_allocation`` answers: would this fee take the campaign's promised and
paid money (committed + spent, as in services/budget.py) over what the Budget tab
allocated to it? If so it returns an ``AllocationWarning`` with what the UI needs to ask
for confirmation and to offer a draw on the reserve; otherwise None. A fee that lowers
the campaign's use never warns, even when the campaign is already over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kol_desk.domain import Stage
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.models import BudgetEntry, BudgetPeriod, Campaign, Collaboration, Payment
from kol_desk.services.deal_cost import cost_of
from kol_desk.services.money import ZERO, collaboration_cost, payment_cost, still_owed
from kol_desk.store.database import Workspace


class _Same(Enum):
    SAME = 0


# "The card's stored invoice type": None is a value of its own (unstated).
SAME = _Same.SAME
InvoiceChoice = str | None | Literal[_Same.SAME]


@dataclass(frozen=True)
class AllocationWarning:
    campaign_id: int
    campaign: str
    currency: str
    allocated: Decimal
    used_before: Decimal  # committed + spent now
    used_after: Decimal  # committed + spent with the new fee
    period_id: int | None  # the period whose reserve can cover it
    period: str | None
    reserve_left: Decimal

    @property
    def over_by(self) -> Decimal:
        return self.used_after - self.allocated

    @property
    def reserve_covers(self) -> bool:
        return self.period_id is not None and self.reserve_left >= self.over_by



def collab_use(fee: Decimal | None, included: bool | None, rate: float | None,
               paid: Decimal, dropped: bool, invoice_type: str | None = None) -> Decimal:
    """Committed + spent of one collaboration: what is paid, or the fee's cost if more
    (``services.money``'s committed and spent of the card)."""
    if dropped:
        return paid
    return paid + still_owed(collaboration_cost(fee, included, rate, invoice_type), paid)


def check_fee_in_session(
    session: Session, *, new_fee: Decimal, collaboration_id: int | None = None,
    campaign_id: int | None = None, tax_included: bool | None = None,
    tax_rate: float | None = None, today: date | None = None, invoice_type: InvoiceChoice = SAME,
) -> AllocationWarning | None:
    """As ``check_fee_against_allocation``, inside the caller's session (the board can call
    it in its own transaction before or after writing the fee)."""
    collab = session.get(Collaboration, collaboration_id) if collaboration_id is not None else None
    if collaboration_id is not None and collab is None:
        raise KnownError(tr("Collaboration {id} no longer exists; refresh.", id=collaboration_id))
    cid = collab.campaign_id if collab is not None else campaign_id
    if cid is None:
        raise ValueError("give collaboration_id or campaign_id")
    campaign = session.get(Campaign, cid)
    if campaign is None:
        raise KnownError(tr("Campaign {id} no longer exists; refresh.", id=cid))
    paid = paid_per_card(session, cid)
    used_before = ZERO
    used_after = ZERO
    for other in session.scalars(select(Collaboration).where(Collaboration.campaign_id == cid)):
        paid_here = _money(paid.get(other.id))
        dropped = other.stage == Stage.DROPPED.value
        before = collab_use(cost_of(other), other.tax_included, other.tax_rate, paid_here, dropped,
                            other.invoice_type)
        used_before += before
        if collab is not None and other.id == collab.id:
            included = other.tax_included if tax_included is None else tax_included
            rate = other.tax_rate if tax_rate is None else tax_rate
            invoice = other.invoice_type if invoice_type is SAME else invoice_type
            used_after += collab_use(new_fee, included, rate, paid_here, False, invoice)
        else:
            used_after += before
    if collab is None:  # a fee for a new card
        used_after += collaboration_cost(new_fee, tax_included, tax_rate,
                                         None if invoice_type is SAME else invoice_type) or ZERO
    allocated = _money(session.scalar(
        select(func.sum(BudgetEntry.amount)).where(BudgetEntry.campaign_id == cid)))
    if used_after <= allocated or used_after <= used_before:
        return None
    period = _reserve_period(session, campaign, today or date.today())
    left = ZERO
    if period is not None:
        used = _money(session.scalar(select(func.sum(BudgetEntry.amount)).where(
            BudgetEntry.period_id == period.id, BudgetEntry.from_reserve.is_(True))))
        left = period.reserve - used
    return AllocationWarning(cid, campaign.name, campaign.currency, allocated, used_before,
                             used_after, period.id if period else None,
                             period.name if period else None, left)


def paid_per_card(session: Session, campaign_id: int) -> dict[int, Decimal]:
    """What was paid (with tax) on each card of the campaign that has a paid payment."""
    paid: dict[int, Decimal] = {}
    for collab_id, amount, tax in session.execute(
        select(Payment.collaboration_id, func.sum(Payment.amount), func.sum(Payment.tax_amount))
        .join(Collaboration, Collaboration.id == Payment.collaboration_id)
        .where(Collaboration.campaign_id == campaign_id, Payment.paid_on.is_not(None))
        .group_by(Payment.collaboration_id)
    ).all():
        paid[collab_id] = payment_cost(amount, tax)
    return paid


def _money(value: Decimal | None) -> Decimal:
    """A SQL sum of a money column (typed as the column, so Decimal yuan), or zero."""
    return ZERO if value is None else value


def _reserve_period(session: Session, campaign: Campaign, today: date) -> BudgetPeriod | None:
    """The latest period that allocated to the campaign; else the one holding its start
    (or today)."""
    period = session.scalar(
        select(BudgetPeriod).join(BudgetEntry, BudgetEntry.period_id == BudgetPeriod.id)
        .where(BudgetEntry.campaign_id == campaign.id)
        .order_by(BudgetPeriod.start_date.desc()).limit(1))
    if period is not None:
        return period
    day = campaign.start_date or today
    return session.scalar(
        select(BudgetPeriod).where(BudgetPeriod.start_date <= day,
                                   BudgetPeriod.end_date >= day)
        .order_by(BudgetPeriod.start_date.desc()).limit(1))


def check_fee_against_allocation(
    workspace: Workspace, *, new_fee: Decimal, collaboration_id: int | None = None,
    campaign_id: int | None = None, tax_included: bool | None = None,
    tax_rate: float | None = None, today: date | None = None, invoice_type: InvoiceChoice = SAME,
) -> AllocationWarning | None:
    """Would agreeing ``new_fee`` (for an existing card, or a new one in ``campaign_id``)
    take the campaign over its allocation? Reads only."""
    with workspace.session() as session:
        return check_fee_in_session(session, new_fee=new_fee, collaboration_id=collaboration_id,
                                    campaign_id=campaign_id, tax_included=tax_included,
                                    tax_rate=tax_rate, today=today, invoice_type=invoice_type)
