"""Campaigns: create, edit, duplicate, archive; and the overviews of the campaign list
(cards per stage, spend against budget, KPI progress)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, select

from kol_desk.domain import Objective, Stage
from kol_desk.errors import N_, BadInputError
from kol_desk.models import Campaign, Collaboration, ResultSnapshot
from kol_desk.models.base import utcnow
from kol_desk.services.conflicts import Loaded, check_version
from kol_desk.services.deal_cost import NET_COST
from kol_desk.services.money import CardMoney, paid_per_card
from kol_desk.store.database import Workspace

ZERO = Decimal("0.00")
KPIS = ("impressions", "engagements", "clicks", "orders", "revenue")
# Newest first; campaigns without dates last.
CAMPAIGN_ORDER = (Campaign.start_date.desc().nulls_last(), Campaign.id)


@dataclass(frozen=True)
class CampaignInput:
    """What the campaign dialog edits."""

    name: str
    brand: str | None = None
    product: str | None = None
    objective: str = Objective.AWARENESS.value
    start_date: date | None = None
    end_date: date | None = None
    currency: str = "CNY"
    budget: Decimal | None = None
    kpi_impressions: int | None = None
    kpi_engagements: int | None = None
    kpi_clicks: int | None = None
    kpi_orders: int | None = None
    kpi_revenue: Decimal | None = None
    owner: str | None = None
    notes: str | None = None

    def validate(self) -> None:
        if not self.name.strip():
            raise BadInputError(N_("A campaign needs a name."))
        if self.objective not in {o.value for o in Objective}:
            raise BadInputError(N_("Unknown objective {objective}."),
                                objective=repr(self.objective))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise BadInputError(N_("The campaign ends before it starts: check the dates."))
        if len(self.currency) != 3:
            raise BadInputError(N_("The currency is a three-letter code such as CNY."))
        if self.budget is not None and self.budget < 0:
            raise BadInputError(N_("The budget cannot be negative."))


INPUT_FIELDS = tuple(f.name for f in fields(CampaignInput))


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
    # What the agreed fees of the cards not dropped cost (tax added where exclusive),
    # paid for and still committed: services/money.py defines all three.
    agreed_fees: Decimal = ZERO
    spent: Decimal = ZERO
    committed: Decimal = ZERO
    owner: str | None = None
    archived_at: datetime | None = None
    # KPI name -> (achieved, target); only the KPIs that have a target.
    kpi_progress: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    @property
    def cards(self) -> int:
        return sum(self.stage_counts.values())

    @property
    def active_cards(self) -> int:
        return self.cards - self.stage_counts.get(Stage.DROPPED, 0)

    @property
    def done_cards(self) -> int:
        return self.stage_counts.get(Stage.PAID, 0)

    @property
    def budget_used(self) -> Decimal | None:
        """Share of the budget committed by agreed fees (0.5 = half), None without budget."""
        if not self.budget:
            return None
        return self.agreed_fees / self.budget

    @property
    def kpi_share(self) -> Decimal | None:
        """The average share of the KPI targets reached, None when there are no targets."""
        shares = [min(done / target, Decimal(1)) for done, target in self.kpi_progress.values() if target]
        return sum(shares, Decimal(0)) / len(shares) if shares else None

    @property
    def status(self) -> str:
        if self.archived_at is not None:
            return "archived"
        if self.active_cards and self.done_cards == self.active_cards:
            return "done"
        today = date.today()
        if self.start_date and self.start_date > today:
            return "planned"
        if self.end_date and self.end_date < today:
            return "ended"
        return "running"


def _kpi_achieved(session: Any, campaign_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """Per campaign, the sum over its cards of each card's latest results snapshot, added
    up by the database (a year of snapshots is thousands of rows)."""
    if not campaign_ids:
        return {}
    latest = (
        select(ResultSnapshot.id, Collaboration.campaign_id,
               func.row_number().over(
                   partition_by=ResultSnapshot.collaboration_id,
                   order_by=(ResultSnapshot.taken_on.desc(), ResultSnapshot.id.desc()),
               ).label("newest"))
        .join(Collaboration, Collaboration.id == ResultSnapshot.collaboration_id)
        .where(Collaboration.campaign_id.in_(campaign_ids),
               Collaboration.stage != Stage.DROPPED.value)
        .subquery()
    )
    engagements = sum((func.coalesce(column, 0) for column in (
        ResultSnapshot.likes, ResultSnapshot.comments, ResultSnapshot.shares, ResultSnapshot.saves)),
        start=literal(0))
    rows = session.execute(
        select(latest.c.campaign_id, func.sum(ResultSnapshot.impressions), func.sum(engagements),
               func.sum(ResultSnapshot.clicks), func.sum(ResultSnapshot.orders),
               func.sum(ResultSnapshot.revenue))
        .join(latest, latest.c.id == ResultSnapshot.id)
        .where(latest.c.newest == 1)
        .group_by(latest.c.campaign_id)
    ).all()
    return {row[0]: dict(zip(KPIS, (Decimal(value or 0) for value in row[1:]), strict=True))
            for row in rows}


def campaign_choices(workspace: Workspace) -> list[tuple[int, str, str]]:
    """The campaigns not archived as (id, name, currency), in the campaign list's order:
    what the board's campaign chooser needs, without the list's sums."""
    with workspace.session() as session:
        return [(i, name, currency) for i, name, currency in session.execute(
            select(Campaign.id, Campaign.name, Campaign.currency)
            .where(Campaign.archived_at.is_(None))
            .order_by(*CAMPAIGN_ORDER))]


def campaign_overviews(workspace: Workspace, include_archived: bool = False) -> list[CampaignOverview]:
    with workspace.session() as session:
        query = select(Campaign).order_by(*CAMPAIGN_ORDER)
        if not include_archived:
            query = query.where(Campaign.archived_at.is_(None))
        campaigns = session.scalars(query).all()
        counts: dict[int, Counter[str]] = {c.id: Counter() for c in campaigns}
        money: dict[int, CardMoney] = {c.id: CardMoney() for c in campaigns}
        paid = paid_per_card()
        for campaign_id, stage, fee, included, rate, invoice, paid_amount, paid_tax in session.execute(
            select(Collaboration.campaign_id, Collaboration.stage, NET_COST,
                   Collaboration.tax_included, Collaboration.tax_rate, Collaboration.invoice_type,
                   paid.c.paid_amount, paid.c.paid_tax)
            .outerjoin(paid, paid.c.collaboration_id == Collaboration.id)
        ):
            if campaign_id not in counts:
                continue
            counts[campaign_id][stage] += 1
            money[campaign_id].add(stage, fee, included, rate, invoice, paid_amount, paid_tax)
        achieved = _kpi_achieved(session, list(counts))
    result = []
    for c in campaigns:
        targets = {"impressions": c.kpi_impressions, "engagements": c.kpi_engagements,
                   "clicks": c.kpi_clicks, "orders": c.kpi_orders, "revenue": c.kpi_revenue}
        done = achieved.get(c.id, {})
        progress = {name: (done.get(name, Decimal(0)), Decimal(target))
                    for name, target in targets.items() if target}
        result.append(CampaignOverview(
            id=c.id, name=c.name, brand=c.brand, objective=c.objective,
            start_date=c.start_date, end_date=c.end_date, currency=c.currency,
            budget=c.budget, stage_counts=counts[c.id],
            agreed_fees=money[c.id].cost, spent=money[c.id].spent,
            committed=money[c.id].committed,
            owner=c.owner, archived_at=c.archived_at, kpi_progress=progress,
        ))
    return result


def load_campaign(workspace: Workspace, campaign_id: int) -> CampaignInput:
    with workspace.session() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise BadInputError(N_("Campaign {id} no longer exists; refresh the list."),
                                id=campaign_id)
        return CampaignInput(**{name: getattr(campaign, name) for name in INPUT_FIELDS})


def load_for_edit(workspace: Workspace, campaign_id: int) -> tuple[CampaignInput, Loaded]:
    """The campaign for the edit dialog, and the version it comes from (for the save)."""
    with workspace.session() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise BadInputError(N_("Campaign {id} no longer exists; refresh the list."),
                                id=campaign_id)
        data = CampaignInput(**{name: getattr(campaign, name) for name in INPUT_FIELDS})
        return data, Loaded(campaign.version, asdict(data))


def create_campaign(workspace: Workspace, data: CampaignInput) -> int:
    data.validate()
    with workspace.transaction() as session:
        campaign = Campaign(**{name: getattr(data, name) for name in INPUT_FIELDS})
        session.add(campaign)
        session.flush()
        return campaign.id


def update_campaign(workspace: Workspace, campaign_id: int, data: CampaignInput,
                    *, loaded: Loaded | None = None) -> CampaignInput:
    """Write the dialog's values; returns the previous ones (for undo). With ``loaded``
    (what the dialog was filled from), a colleague's newer save raises VersionConflict."""
    data.validate()

    def again(values: dict[str, Any], seen: Loaded) -> CampaignInput:
        return update_campaign(workspace, campaign_id, replace(data, **values), loaded=seen)

    with workspace.transaction() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise BadInputError(N_("Campaign {id} no longer exists; refresh the list."),
                                id=campaign_id)
        check_version(session, campaign, loaded, asdict(data), title=campaign.name,
                      save_again=again)
        previous = CampaignInput(**{name: getattr(campaign, name) for name in INPUT_FIELDS})
        for name in INPUT_FIELDS:
            setattr(campaign, name, getattr(data, name))
    return previous


def duplicate_campaign(workspace: Workspace, campaign_id: int, name: str,
                       *, with_creators: bool = True) -> int:
    """A new campaign with the same settings; with ``with_creators``, the same creator
    accounts are put on its board as Shortlisted (fees and progress start afresh)."""
    from kol_desk.services.shortlist import add_to_campaign, needs_confirmation

    data = load_campaign(workspace, campaign_id)
    new_id = create_campaign(workspace, CampaignInput(**{**data.__dict__, "name": name}))
    if with_creators:
        with workspace.session() as session:
            reasons = dict(session.execute(
                select(Collaboration.account_id, Collaboration.risk_override_reason)
                .where(Collaboration.campaign_id == campaign_id,
                       Collaboration.stage != Stage.DROPPED.value)
                .order_by(Collaboration.position, Collaboration.id)).all())
        risky = {n.account_id for n in needs_confirmation(workspace, list(reasons))}
        # A risky creator comes along only if the user accepted them on the original, with
        # the reason they gave then; newly flagged creators are left for a new decision.
        add_to_campaign(workspace, new_id, [a for a in reasons if a not in risky])
        for account_id in risky:
            if reasons[account_id]:
                add_to_campaign(workspace, new_id, [account_id],
                                override_reason=reasons[account_id])
    return new_id


def set_archived(workspace: Workspace, campaign_id: int, archived: bool) -> None:
    """Archive (hide from the list and the due view) or restore a campaign."""
    with workspace.transaction() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise BadInputError(N_("Campaign {id} no longer exists; refresh the list."),
                                id=campaign_id)
        campaign.archived_at = utcnow() if archived else None
