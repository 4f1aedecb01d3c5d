"""Writing the budget line: periods, and the allocation ledger (allocate, transfer
between campaigns, draw on the reserve). Each action adds entries; none overwrites a
number, so the ledger is the history of every decision. Each action is one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.models import BudgetEntry, BudgetPeriod, Campaign
from kol_desk.services.payments import ZERO, cents
from kol_desk.store.database import Workspace
from kol_desk.store.team import text_order


class BudgetError(KnownError):
    """A budget action that cannot be done as asked (the message says why)."""


@dataclass(frozen=True)
class CampaignChoice:
    campaign_id: int
    name: str
    currency: str


def campaigns_to_allocate(workspace: Workspace) -> list[CampaignChoice]:
    with workspace.session() as session:
        rows = session.execute(select(Campaign.id, Campaign.name, Campaign.currency)
                               .where(Campaign.archived_at.is_(None)).order_by(text_order(Campaign.name))).all()
    return [CampaignChoice(*r) for r in rows]


def create_period(workspace: Workspace, name: str, kind: str, start: date, end: date,
                  total: Decimal, reserve: Decimal, currency: str = "CNY",
                  notes: str | None = None) -> int:
    name = name.strip()
    if not name:
        raise BadPeriod(tr("A budget period needs a name."))
    if end < start:
        raise BadPeriod(tr("A budget period must end after it starts."))
    if total <= 0 or reserve < 0 or reserve > total:
        raise BadPeriod(tr("The reserve must be between zero and the period total."))
    if kind not in ("year", "quarter", "other"):
        raise BadPeriod(tr("Unknown period kind {kind}.", kind=kind))
    with workspace.transaction() as session:
        period = BudgetPeriod(name=name, kind=kind, start_date=start, end_date=end,
                              total=cents(total), reserve=cents(reserve), currency=currency,
                              notes=notes)
        session.add(period)
        session.flush()
        return period.id


class BadPeriod(BudgetError):
    pass


def _period(session: Session, period_id: int) -> BudgetPeriod:
    period = session.get(BudgetPeriod, period_id)
    if period is None:
        raise BudgetError(tr("Budget period {id} no longer exists; refresh the Budget tab.", id=period_id))
    return period


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise BudgetError(tr("Campaign {id} no longer exists; refresh the Budget tab.", id=campaign_id))
    return campaign


def _check_amount(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise BudgetError(tr("The amount must be above zero."))
    if amount != cents(amount):
        raise BudgetError(tr("The amount can have at most two decimals."))
    return amount


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise BudgetError(tr("Say why: every budget movement needs a reason."))
    return text


def allocate(workspace: Workspace, period_id: int, campaign_id: int, amount: Decimal,
             on: date, reason: str) -> int:
    """Give a campaign money from the period's unallocated part (total − reserve)."""
    amount, text = _check_amount(amount), _reason(reason)
    with workspace.transaction() as session:
        _period(session, period_id)
        _campaign(session, campaign_id)
        entry = BudgetEntry(period_id=period_id, campaign_id=campaign_id, amount=amount,
                            entry_date=on, reason=text)
        session.add(entry)
        session.flush()
        return entry.id


def transfer(workspace: Workspace, period_id: int, from_campaign: int, to_campaign: int,
             amount: Decimal, on: date, reason: str) -> str:
    """Move money between two campaigns: two entries (minus there, plus here) sharing a
    transfer id. Returns the transfer id."""
    amount, text = _check_amount(amount), _reason(reason)
    if from_campaign == to_campaign:
        raise BudgetError(tr("Choose two different campaigns to move money between."))
    transfer_id = str(uuid.uuid4())
    with workspace.transaction() as session:
        _period(session, period_id)
        _campaign(session, from_campaign)
        _campaign(session, to_campaign)
        session.add_all([
            BudgetEntry(period_id=period_id, campaign_id=from_campaign, amount=-amount,
                        entry_date=on, reason=text, transfer_id=transfer_id),
            BudgetEntry(period_id=period_id, campaign_id=to_campaign, amount=amount,
                        entry_date=on, reason=text, transfer_id=transfer_id),
        ])
    return transfer_id


def reserve_left(session: Session, period_id: int) -> Decimal:
    period = _period(session, period_id)
    used = sum((e.amount for e in period.entries if e.from_reserve), ZERO)
    return period.reserve - used


def draw_from_reserve(workspace: Workspace, period_id: int, campaign_id: int, amount: Decimal,
                      on: date, reason: str) -> int:
    """Give a campaign money from the period's flexible reserve (弹性预算); refused when
    the reserve has less left than asked."""
    amount, text = _check_amount(amount), _reason(reason)
    with workspace.transaction() as session:
        left = reserve_left(session, period_id)
        if amount > left:
            raise BudgetError(tr("The reserve has only {left} left; draw at most that.", left=left))
        _campaign(session, campaign_id)
        entry = BudgetEntry(period_id=period_id, campaign_id=campaign_id, amount=amount,
                            entry_date=on, reason=text, from_reserve=True)
        session.add(entry)
        session.flush()
        return entry.id


def entries_of_transfer(workspace: Workspace, transfer_id: str) -> list[int]:
    with workspace.session() as session:
        return list(session.scalars(select(BudgetEntry.id).where(BudgetEntry.transfer_id == transfer_id)))
