"""Money facts of the KOL budget line, computed from stored records in Decimal.

Committed = agreed fees not yet paid; Spent = payments made;
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
figure and the records behind it can never disagree. ``period_money`` (what the Budget tab
shows) adds them up in SQL (payments per campaign and day, one row per card) and builds
no record objects; ``one_period`` and ``records`` list them, with the same attribution.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kol_desk.domain import Stage
from kol_desk.errors import N_
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
from kol_desk.services.deal_cost import NET_COST
from kol_desk.services.money import (
    ZERO,
    collaboration_cost,
    paid_per_card,
    payment_cost,
    still_owed,
)
from kol_desk.store.database import Workspace

ALLOCATED, RESERVE, COMMITTED, SPENT = "allocated", "reserve", "committed", "spent"
# ``CampaignMoney.level`` as the Budget tab and its workbook say it (translated where shown).
LEVEL_LABELS = {"over": N_("Over allocation"), "near": N_("Near allocation"), "ok": N_("OK")}
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
    # The ledger lines always; spent and committed ones only when ``detailed``.
    lines: list[MoneyLine] = field(default_factory=list, repr=False)
    detailed: bool = False

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
        """The records behind a figure, for one campaign or the period. A summary (from
        ``period_money``) holds only the ledger: ask ``records()`` for the rest."""
        if figure in (COMMITTED, SPENT) and not self.detailed:
            raise ValueError("a period summary lists no payments or fees; use budget.records()")
        wanted = (figure,) if figure != ALLOCATED else (ALLOCATED, RESERVE)
        if figure == RESERVE:
            wanted = (RESERVE,)
        return [line for line in self.lines if line.figure in wanted
                and (campaign_id is None or line.campaign_id == campaign_id)]


@dataclass(frozen=True)
class _Period:
    id: int
    start: date
    end: date


@dataclass(frozen=True)
class _PeriodRow:
    id: int
    name: str
    kind: str
    start_date: date
    end_date: date
    currency: str
    total: Decimal
    reserve: Decimal


@dataclass(frozen=True)
class _Campaign:
    name: str
    start_date: date | None
    end_date: date | None


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


class _Attribution:
    """Which period a campaign's money of a given day counts in (see the module doc)."""

    def __init__(self, periods: list[_PeriodRow], ledger: list[MoneyLine]) -> None:
        spans = {p.id: _Period(p.id, p.start_date, p.end_date) for p in periods}
        self.all_spans = sorted(spans.values(), key=lambda s: s.start)
        self.own: dict[int, list[_Period]] = defaultdict(list)
        for line in ledger:
            if line.campaign_id is not None and spans[line.period_id] not in self.own[line.campaign_id]:
                self.own[line.campaign_id].append(spans[line.period_id])
        for spans_of in self.own.values():
            spans_of.sort(key=lambda s: s.start)

    def period_for(self, campaign_id: int, day: date | None) -> int | None:
        own = self.own.get(campaign_id)
        if own:
            picked = _pick(own, day)
            return picked.id if picked else None
        if day is None:
            return None
        return next((s.id for s in self.all_spans if s.start <= day <= s.end), None)


@dataclass(frozen=True)
class _Owed:
    """What a card with an agreed fee still costs, and the day it counts on."""

    amount: Decimal
    day: date
    planned: bool  # an unpaid payment plan dates it (else the campaign's dates)


def _owed(fee: Decimal | None, included: bool | None, rate: float | None, invoice: str | None,
          paid_amount: Decimal | None, paid_tax: Decimal | None, first_due: date | None,
          campaign: _Campaign, today: date) -> _Owed | None:
    owed = still_owed(collaboration_cost(fee, included, rate, invoice),
                      payment_cost(paid_amount, paid_tax))
    if owed <= 0:
        return None
    day = first_due or campaign.end_date or campaign.start_date or today
    return _Owed(owed, day, first_due is not None)


def _basics(session: Session) -> tuple[list[_PeriodRow], list[MoneyLine], dict[int, _Campaign]]:
    periods = [_PeriodRow(*row) for row in session.execute(
        select(BudgetPeriod.id, BudgetPeriod.name, BudgetPeriod.kind, BudgetPeriod.start_date,
               BudgetPeriod.end_date, BudgetPeriod.currency, BudgetPeriod.total,
               BudgetPeriod.reserve).order_by(BudgetPeriod.start_date))]
    campaigns = {cid: _Campaign(name, start, end) for cid, name, start, end in session.execute(
        select(Campaign.id, Campaign.name, Campaign.start_date, Campaign.end_date))}
    ledger = [
        MoneyLine(RESERVE if from_reserve else ALLOCATED, period_id, campaign_id,
                  campaigns[campaign_id].name if campaign_id in campaigns else "", day, amount,
                  reason or "", transfer_id or "")
        for period_id, campaign_id, day, amount, from_reserve, reason, transfer_id in session.execute(
            select(BudgetEntry.period_id, BudgetEntry.campaign_id, BudgetEntry.entry_date,
                   BudgetEntry.amount, BudgetEntry.from_reserve, BudgetEntry.reason,
                   BudgetEntry.transfer_id).order_by(BudgetEntry.entry_date, BudgetEntry.id))]
    return periods, ledger, campaigns


def _assemble(periods: list[_PeriodRow], ledger: list[MoneyLine],
              sums: dict[tuple[int, int], dict[str, Decimal]], campaigns: dict[int, _Campaign],
              share: Decimal, lines: list[MoneyLine] | None) -> list[PeriodMoney]:
    """The periods, newest first, from the ledger and the sums per (period, campaign)."""
    reserve_used: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in ledger:
        if line.figure == RESERVE:
            reserve_used[line.period_id] += line.amount
    own_lines: dict[int, list[MoneyLine]] = defaultdict(list)
    for line in ledger if lines is None else lines:
        own_lines[line.period_id].append(line)
    result = []
    for period in sorted(periods, key=lambda p: p.start_date, reverse=True):
        money = [
            CampaignMoney(cid, campaigns[cid].name, figures[ALLOCATED], figures[COMMITTED],
                          figures[SPENT], share)
            for (pid, cid), figures in sums.items() if pid == period.id
        ]
        money.sort(key=lambda c: c.name)
        result.append(PeriodMoney(period.id, period.name, period.kind, period.start_date,
                                  period.end_date, period.currency, period.total, period.reserve,
                                  reserve_used[period.id], money, own_lines[period.id],
                                  detailed=lines is not None))
    return result


def _add(sums: dict[tuple[int, int], dict[str, Decimal]], period_id: int, campaign_id: int,
         figure: str, amount: Decimal) -> None:
    figures = sums.setdefault((period_id, campaign_id),
                              {ALLOCATED: ZERO, COMMITTED: ZERO, SPENT: ZERO})
    figures[ALLOCATED if figure == RESERVE else figure] += amount


def period_money(workspace: Workspace, today: date | None = None) -> list[PeriodMoney]:
    """Every budget period's money facts, newest period first (summaries: the ledger lines
    only, the payments and fees added up in SQL)."""
    today = today or date.today()
    with workspace.session() as session:
        periods, ledger, campaigns = _basics(session)
        spent = session.execute(
            select(Collaboration.campaign_id, Payment.paid_on, func.sum(Payment.amount),
                   func.sum(Payment.tax_amount))
            .join(Collaboration, Collaboration.id == Payment.collaboration_id)
            .where(Payment.paid_on.is_not(None))
            .group_by(Collaboration.campaign_id, Payment.paid_on)).all()
        paid = paid_per_card()
        fees = session.execute(
            select(Collaboration.campaign_id, NET_COST, Collaboration.tax_included,
                   Collaboration.tax_rate, Collaboration.invoice_type, paid.c.paid_amount,
                   paid.c.paid_tax, paid.c.first_due)
            .outerjoin(paid, paid.c.collaboration_id == Collaboration.id)
            .where(Collaboration.agreed_fee.is_not(None),
                   Collaboration.stage != Stage.DROPPED.value)).all()
    attribution = _Attribution(periods, ledger)
    sums: dict[tuple[int, int], dict[str, Decimal]] = {}
    for line in ledger:
        if line.campaign_id is not None:
            _add(sums, line.period_id, line.campaign_id, line.figure, line.amount)
    for campaign_id, day, amount, tax in spent:
        period_id = attribution.period_for(campaign_id, day)
        if period_id is not None:
            _add(sums, period_id, campaign_id, SPENT, payment_cost(amount, tax))
    for campaign_id, fee, included, rate, invoice, paid_amount, paid_tax, first_due in fees:
        owed = _owed(fee, included, rate, invoice, paid_amount, paid_tax, first_due,
                     campaigns[campaign_id], today)
        if owed is not None:
            period_id = attribution.period_for(campaign_id, owed.day)
            if period_id is not None:
                _add(sums, period_id, campaign_id, COMMITTED, owed.amount)
    return _assemble(periods, ledger, sums, campaigns, near_share(workspace), None)


def _detailed_lines(session: Session, attribution: _Attribution, campaigns: dict[int, _Campaign],
                    today: date, campaign_id: int | None) -> list[MoneyLine]:
    """One line per paid payment and per card still owed, attributed to its period."""
    card = (select(Collaboration.id, Collaboration.campaign_id,
                   func.coalesce(PlatformAccount.nickname, Creator.nickname),
                   PlatformAccount.platform, PlatformAccount.followers, Creator.tier_override)
            .join(Creator, Creator.id == Collaboration.creator_id)
            .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id))
    if campaign_id is not None:
        card = card.where(Collaboration.campaign_id == campaign_id)
    lines: list[MoneyLine] = []
    payments = card.add_columns(Payment.paid_on, Payment.amount, Payment.tax_amount, Payment.kind,
                                Payment.method, Payment.invoice_no) \
        .join(Payment, Payment.collaboration_id == Collaboration.id) \
        .where(Payment.paid_on.is_not(None)).order_by(Payment.paid_on, Payment.id)
    for (collab_id, cid, who, platform, followers, override, paid_on, amount, tax, kind, method,
         invoice) in session.execute(payments):
        period_id = attribution.period_for(cid, paid_on)
        if period_id is not None:
            reference = " · ".join(x for x in (method, invoice) if x)
            lines.append(MoneyLine(SPENT, period_id, cid, campaigns[cid].name, paid_on,
                                   payment_cost(amount, tax), f"{who} · {kind}", reference,
                                   collab_id, platform, followers, override))
    paid = paid_per_card()
    fees = card.add_columns(NET_COST, Collaboration.tax_included,
                            Collaboration.tax_rate, Collaboration.invoice_type, paid.c.paid_amount,
                            paid.c.paid_tax, paid.c.first_due) \
        .outerjoin(paid, paid.c.collaboration_id == Collaboration.id) \
        .where(Collaboration.agreed_fee.is_not(None), Collaboration.stage != Stage.DROPPED.value) \
        .order_by(Collaboration.id)
    for (collab_id, cid, who, platform, followers, override, fee, included, rate, invoice,
         paid_amount, paid_tax, first_due) in session.execute(fees):
        owed = _owed(fee, included, rate, invoice, paid_amount, paid_tax, first_due, campaigns[cid],
                     today)
        period_id = attribution.period_for(cid, owed.day) if owed is not None else None
        if owed is not None and period_id is not None:
            lines.append(MoneyLine(COMMITTED, period_id, cid, campaigns[cid].name, owed.day,
                                   owed.amount,
                                   f"{who} · {'unpaid plan' if owed.planned else 'agreed fee'}",
                                   "", collab_id, platform, followers, override))
    return lines


def one_period(workspace: Workspace, period_id: int, today: date | None = None) -> PeriodMoney | None:
    """One period with every record behind its figures (exports, charts)."""
    today = today or date.today()
    with workspace.session() as session:
        periods, ledger, campaigns = _basics(session)
        attribution = _Attribution(periods, ledger)
        lines = ledger + _detailed_lines(session, attribution, campaigns, today, None)
    sums: dict[tuple[int, int], dict[str, Decimal]] = {}
    for line in lines:
        if line.campaign_id is not None:
            _add(sums, line.period_id, line.campaign_id, line.figure, line.amount)
    return next((p for p in _assemble(periods, ledger, sums, campaigns, near_share(workspace), lines)
                 if p.period_id == period_id), None)


def records(workspace: Workspace, period_id: int, figure: str, campaign_id: int | None = None,
            today: date | None = None) -> list[MoneyLine]:
    """The records behind one figure of a period (a drill-down), for one campaign or all."""
    today = today or date.today()
    with workspace.session() as session:
        periods, ledger, campaigns = _basics(session)
        detail = [] if figure in (ALLOCATED, RESERVE) else _detailed_lines(
            session, _Attribution(periods, ledger), campaigns, today, campaign_id)
    wanted = {ALLOCATED: (ALLOCATED, RESERVE)}.get(figure, (figure,))
    return [line for line in ledger + detail if line.figure in wanted and line.period_id == period_id
            and (campaign_id is None or line.campaign_id == campaign_id)]
