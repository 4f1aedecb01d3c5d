"""Money facts of the KOL budget line, computed from stored records in Decimal.

PRODUCT.md: Committed = agreed fees not yet paid; Spent = payments made;
Remaining = allocated - committed - spent. How each record counts:

- Allocated (per campaign and period): the sum of the campaign's ledger entries in the
  period (allocations, both halves of transfers, draws on the reserve).
- Reserve used: the sum of the period's entries drawn from the reserve. The reserve is
  part of the period total; the rest (total - reserve) is what ordinary allocations
  come from, and what is not yet allocated of it is "unallocated".
- Spent: payments with a paid date, amount + tax (see services/payments.py).
- Committed: for each collaboration not dropped with an agreed fee, what the fee costs
  (tax added where tax-exclusive) minus what has been paid for it, never below zero.
- A campaign allocated in several periods: a payment counts in the period that holds its
  paid date, a commitment in the one that holds its earliest unpaid due date (else the
  campaign's end date); a date outside them all goes to the nearest one. A campaign
  never allocated counts in the period holding the date, and shows as over allocation.

Every figure is the sum of ``MoneyLine``s, which are also what a drill-down lists, so a
figure and the records behind it can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kol_desk.domain import Stage
from kol_desk.models import (
    BudgetEntry,
    BudgetPeriod,
    Campaign,
    Collaboration,
    Creator,
    Payment,
    PlatformAccount,
)
from kol_desk.services.budget_settings import near_share
from kol_desk.services.payments import ZERO, fee_tax
from kol_desk.store.database import Workspace

ALLOCATED, RESERVE, COMMITTED, SPENT = "allocated", "reserve", "committed", "spent"
FIGURES = (ALLOCATED, COMMITTED, SPENT, RESERVE)


@dataclass(frozen=True)
class MoneyLine:
    """One record behind a figure."""

    figure: str  # ALLOCATED | RESERVE | COMMITTED | SPENT
    period_id: int
    campaign_id: int | None
    campaign: str
    day: date | None
    amount: Decimal
    what: str  # the reason, or the creator and payment kind
    reference: str = ""  # method and invoice number, transfer id
    collaboration_id: int | None = None
    platform: str | None = None
    followers: int | None = None
    tier_override: str | None = None


@dataclass(frozen=True)
class CampaignMoney:
    campaign_id: int
    name: str
    allocated: Decimal
    committed: Decimal
    spent: Decimal
    near_share: Decimal = Decimal("0.9")

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed - self.spent

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def level(self) -> str:
        """"over" when promised and paid exceed the allocation, "near" from the warning
        share (default 90 %) up, else "ok"."""
        if self.used > self.allocated:
            return "over"
        if self.allocated > 0 and self.used >= self.allocated * self.near_share:
            return "near"
        return "ok"


@dataclass(frozen=True)
class PeriodMoney:
    period_id: int
    name: str
    kind: str
    start_date: date
    end_date: date
    currency: str
    total: Decimal
    reserve: Decimal
    reserve_used: Decimal
    campaigns: list[CampaignMoney]
    lines: list[MoneyLine] = field(default_factory=list, repr=False)

    @property
    def reserve_left(self) -> Decimal:
        return self.reserve - self.reserve_used

    @property
    def allocated(self) -> Decimal:
        return sum((c.allocated for c in self.campaigns), ZERO)

    @property
    def unallocated(self) -> Decimal:
        """What of total - reserve no campaign has yet (reserve draws do not reduce it)."""
        return self.total - self.reserve - (self.allocated - self.reserve_used)

    @property
    def committed(self) -> Decimal:
        return sum((c.committed for c in self.campaigns), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((c.spent for c in self.campaigns), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed - self.spent

    @property
    def left(self) -> Decimal:
        """The headline: total - committed - spent (what is neither promised nor paid)."""
        return self.total - self.committed - self.spent

    def records(self, figure: str, campaign_id: int | None = None) -> list[MoneyLine]:
        """The records behind a figure (drill-down), for one campaign or the period."""
        wanted = (figure,) if figure != ALLOCATED else (ALLOCATED, RESERVE)
        if figure == RESERVE:
            wanted = (RESERVE,)
        return [line for line in self.lines if line.figure in wanted
                and (campaign_id is None or line.campaign_id == campaign_id)]


@dataclass
class _Period:
    id: int
    start: date
    end: date


def _pick(periods: list[_Period], day: date | None) -> _Period | None:
    """The period holding ``day``; else the nearest; the latest when there is no date."""
    if not periods:
        return None
    if day is None:
        return periods[-1]
    for period in periods:
        if period.start <= day <= period.end:
            return period
    return periods[0] if day < periods[0].start else periods[-1]


def money_lines(workspace: Workspace, today: date | None = None) -> tuple[list[Any], list[MoneyLine]]:
    """Every period (as stored) and every money line, attributed to its period."""
    today = today or date.today()
    with workspace.session() as session:
        periods = list(session.scalars(select(BudgetPeriod).order_by(BudgetPeriod.start_date)))
        for period in periods:
            session.expunge(period)
        entries = session.execute(
            select(BudgetEntry, Campaign.name).outerjoin(Campaign, Campaign.id == BudgetEntry.campaign_id)
            .order_by(BudgetEntry.entry_date, BudgetEntry.id)).all()
        campaigns = {c.id: c for c in session.scalars(select(Campaign))}
        collabs = session.execute(
            select(Collaboration.id, Collaboration.campaign_id, Collaboration.stage,
                   Collaboration.agreed_fee, Collaboration.tax_included, Collaboration.tax_rate,
                   Creator.nickname, PlatformAccount.nickname, PlatformAccount.platform,
                   PlatformAccount.followers, Creator.tier_override)
            .join(Creator, Creator.id == Collaboration.creator_id)
            .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)).all()
        payments = list(session.scalars(select(Payment).order_by(Payment.id)))
    spans = {p.id: _Period(p.id, p.start_date, p.end_date) for p in periods}
    all_spans = sorted(spans.values(), key=lambda s: s.start)
    campaign_periods: dict[int, list[_Period]] = defaultdict(list)
    lines: list[MoneyLine] = []
    for entry, name in entries:
        figure = RESERVE if entry.from_reserve else ALLOCATED
        reference = entry.transfer_id or ""
        lines.append(MoneyLine(figure, entry.period_id, entry.campaign_id, name or "",
                               entry.entry_date, entry.amount, entry.reason or "", reference))
        if entry.campaign_id is not None and spans[entry.period_id] not in campaign_periods[entry.campaign_id]:
            campaign_periods[entry.campaign_id].append(spans[entry.period_id])
    for spans_of in campaign_periods.values():
        spans_of.sort(key=lambda s: s.start)

    def period_for(campaign_id: int, day: date | None) -> _Period | None:
        own = campaign_periods.get(campaign_id)
        if own:
            return _pick(own, day)
        if day is None:
            return None
        return next((s for s in all_spans if s.start <= day <= s.end), None)

    by_collab: dict[int, list[Payment]] = defaultdict(list)
    for payment in payments:
        by_collab[payment.collaboration_id].append(payment)
    for (collab_id, campaign_id, stage, fee, included, rate, creator, account,
         platform, followers, override) in collabs:
        campaign = campaigns[campaign_id]
        who = account or creator
        extra = {"collaboration_id": collab_id, "platform": platform, "followers": followers,
                 "tier_override": override}
        paid_total = ZERO
        for payment in by_collab.get(collab_id, []):
            if payment.paid_on is None:
                continue
            cost = payment.amount + (payment.tax_amount or ZERO)
            paid_total += cost
            span = period_for(campaign_id, payment.paid_on)
            if span is not None:
                reference = " · ".join(x for x in (payment.method, payment.invoice_no) if x)
                lines.append(MoneyLine(SPENT, span.id, campaign_id, campaign.name, payment.paid_on,
                                       cost, f"{who} · {payment.kind}", reference, **extra))
        if fee is None or stage == Stage.DROPPED.value:
            continue
        owed = fee_tax(fee, included, rate).gross - paid_total
        if owed <= 0:
            continue
        unpaid_due = [p.due_date for p in by_collab.get(collab_id, [])
                      if p.paid_on is None and p.due_date is not None]
        day = min(unpaid_due) if unpaid_due else (campaign.end_date or campaign.start_date or today)
        span = period_for(campaign_id, day)
        if span is not None:
            lines.append(MoneyLine(COMMITTED, span.id, campaign_id, campaign.name, day, owed,
                                   f"{who} · {'unpaid plan' if unpaid_due else 'agreed fee'}",
                                   **extra))
    return periods, lines


def period_money(workspace: Workspace, today: date | None = None) -> list[PeriodMoney]:
    """Every budget period's money facts, newest period first."""
    periods, lines = money_lines(workspace, today)
    share = near_share(workspace)
    by_period: dict[int, list[MoneyLine]] = defaultdict(list)
    for line in lines:
        by_period[line.period_id].append(line)
    result = []
    for period in sorted(periods, key=lambda p: p.start_date, reverse=True):
        own = by_period.get(period.id, [])
        sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        names: dict[int, str] = {}
        reserve_used = ZERO
        for line in own:
            if line.figure == RESERVE:
                reserve_used += line.amount
            if line.campaign_id is None:
                continue
            names[line.campaign_id] = line.campaign
            figure = ALLOCATED if line.figure == RESERVE else line.figure
            sums[line.campaign_id][figure] += line.amount
        campaigns = [
            CampaignMoney(cid, names[cid], sums[cid][ALLOCATED], sums[cid][COMMITTED],
                          sums[cid][SPENT], share)
            for cid in sorted(names, key=lambda c: names[c])
        ]
        result.append(PeriodMoney(period.id, period.name, period.kind, period.start_date,
                                  period.end_date, period.currency, period.total, period.reserve,
                                  reserve_used, campaigns, own))
    return result


def one_period(workspace: Workspace, period_id: int, today: date | None = None) -> PeriodMoney | None:
    return next((p for p in period_money(workspace, today) if p.period_id == period_id), None)
