"""Everything the creator page shows about one creator: identity, accounts, contacts,
quotes with their lowest / latest / median, and the history of past collaborations with
their cost metrics and scores."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kol_desk.domain import QuoteSource, Tier
from kol_desk.metrics import cpe, cpm, engagements
from kol_desk.models import (
    Agency,
    Campaign,
    Collaboration,
    Creator,
    HandleSpelling,
    PlatformAccount,
    Quote,
    ResultSnapshot,
)
from kol_desk.services.deal_cost import cost_of
from kol_desk.services.money import collaboration_cost
from kol_desk.services.quote_prices import Dated, Price, latest, lowest, median, on_basis
from kol_desk.services.tiers import tier_of, tier_thresholds
from kol_desk.store.database import Workspace


@dataclass(frozen=True)
class AccountInfo:
    id: int
    platform: str
    handle: str
    nickname: str | None
    profile_url: str | None
    followers: int | None
    avg_views: int | None
    avg_engagements: int | None
    engagement_rate: float | None
    stats_updated_on: date | None
    tier: Tier | None
    # other ways lists or the user wrote the handle ('@Taozi_Jiang', 'ＴＡＯＺＩ'), oldest first
    spellings: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteInfo:
    id: int
    account_id: int
    platform: str
    handle: str
    deliverable: str
    video_length: str | None
    price_min: Decimal | None
    price_max: Decimal | None
    price_unknown: bool
    currency: str
    tax_included: bool | None
    source_kind: str
    agency: str | None
    quoted_on: date
    discount_pct: float | None = None  # percent off the price as quoted
    channel: str | None = None  # domain.Channel key; None when the quote does not say

    @property
    def price(self) -> Price | None:
        """The price after its discount, on the one tax basis (``services.quote_prices``)."""
        if self.price_unknown:
            return None
        return on_basis(self.price_min, self.price_max, self.tax_included, self.currency,
                        self.discount_pct)

    @property
    def value(self) -> Decimal | None:
        """One number to sort by: the middle of the price range."""
        price = self.price
        return price.midpoint if price else None


@dataclass(frozen=True)
class QuoteSummary:
    """The quotes of one account for one deliverable (and video length)."""

    account_id: int
    platform: str
    handle: str
    deliverable: str
    video_length: str | None
    channel: str | None  # 报备 and direct prices are compared apart
    count: int
    lowest: Price | None
    latest: Price | None
    latest_on: date | None
    median: Price | None
    # Agency name -> its newest price, when agencies disagree (the warning); else empty.
    agency_prices: dict[str, Price] = field(default_factory=dict)

    @property
    def agencies_differ(self) -> bool:
        return len(set(self.agency_prices.values())) > 1


@dataclass(frozen=True)
class HistoryItem:
    collaboration_id: int
    campaign: str
    platform: str
    handle: str
    stage: str
    post_date: date | None
    currency: str
    fee: Decimal | None  # the agreed fee (the quoted one until a fee is agreed)
    fee_agreed: bool
    impressions: int | None
    engagements: int | None
    results_on: date | None
    score_brand_fit: int | None
    score_creative: int | None
    score_message: int | None

    @property
    def cpe(self) -> Decimal | None:
        return cpe(self.fee, self.engagements) if self.fee_agreed else None

    @property
    def cpm(self) -> Decimal | None:
        return cpm(self.fee, self.impressions) if self.fee_agreed else None


@dataclass(frozen=True)
class CreatorPage:
    id: int
    nickname: str
    real_name: str | None
    is_virtual: bool
    category: str | None
    city: str | None
    notes: str | None
    agency_id: int | None
    agency: str | None
    agency_contacts: list[str]
    contact_phone: str | None
    contact_wechat: str | None
    contact_email: str | None
    tags: list[str]
    tier: Tier | None
    tier_overridden: bool
    brand_fit_score: int | None
    risk_level: str
    risk_reason: str | None
    risk_date: date | None
    blacklisted: bool
    blacklist_reason: str | None
    rating: float | None
    deleted: bool
    accounts: list[AccountInfo]
    quotes: list[QuoteInfo]
    quote_summaries: list[QuoteSummary]
    history: list[HistoryItem]


def load_creator_page(workspace: Workspace, creator_id: int) -> CreatorPage | None:
    thresholds = tier_thresholds(workspace)
    with workspace.session() as session:
        creator = session.scalar(
            select(Creator).where(Creator.id == creator_id).options(
                selectinload(Creator.accounts), selectinload(Creator.tags),
                selectinload(Creator.agency).selectinload(Agency.contacts)))
        if creator is None:
            return None
        accounts = sorted(creator.accounts, key=lambda a: (-(a.followers or 0), a.id))
        by_id = {a.id: a for a in accounts}
        spellings: dict[int, list[str]] = defaultdict(list)
        for account_id, spelling in session.execute(
                select(HandleSpelling.account_id, HandleSpelling.spelling)
                .where(HandleSpelling.account_id.in_(list(by_id))).order_by(HandleSpelling.id)):
            if spelling != by_id[account_id].handle_display:
                spellings[account_id].append(spelling)
        infos = [AccountInfo(
            a.id, a.platform, a.handle_display, a.nickname, a.profile_url, a.followers,
            a.avg_views, a.avg_engagements, a.engagement_rate, a.stats_updated_on,
            tier_of(a.followers, a.platform, None, thresholds),
            tuple(spellings.get(a.id, ()))) for a in accounts]
        quote_rows = session.execute(
            select(Quote, Agency.name).outerjoin(Agency, Agency.id == Quote.agency_id)
            .where(Quote.account_id.in_(list(by_id)))
            .order_by(Quote.quoted_on.desc(), Quote.id.desc())).all()
        quotes = [QuoteInfo(
            q.id, q.account_id, by_id[q.account_id].platform, by_id[q.account_id].handle_display,
            q.deliverable, q.video_length, q.price_min, q.price_max, q.price_unknown, q.currency,
            q.tax_included, q.source_kind, agency_name, q.quoted_on, q.discount_pct, q.channel)
            for q, agency_name in quote_rows]
        history = _history(session, creator_id)
        largest = accounts[0] if accounts else None
        agency = creator.agency
        contacts = [" · ".join(p for p in (c.name, c.role, c.phone, c.wechat, c.email) if p)
                    for c in agency.contacts] if agency else []
        return CreatorPage(
            id=creator.id, nickname=creator.nickname, real_name=creator.real_name,
            is_virtual=creator.is_virtual, category=creator.category, city=creator.city,
            notes=creator.notes, agency_id=creator.agency_id,
            agency=agency.name if agency else None, agency_contacts=contacts,
            contact_phone=creator.contact_phone, contact_wechat=creator.contact_wechat,
            contact_email=creator.contact_email, tags=sorted(t.tag for t in creator.tags),
            tier=tier_of(largest.followers if largest else None,
                         largest.platform if largest else None, creator.tier_override, thresholds),
            tier_overridden=bool(creator.tier_override),
            brand_fit_score=creator.brand_fit_score, risk_level=creator.risk_level,
            risk_reason=creator.risk_reason, risk_date=creator.risk_date,
            blacklisted=creator.blacklisted, blacklist_reason=creator.blacklist_reason,
            rating=creator.rating, deleted=creator.deleted_at is not None,
            accounts=infos, quotes=quotes, quote_summaries=summarise_quotes(quotes),
            history=history,
        )


def summarise_quotes(quotes: list[QuoteInfo]) -> list[QuoteSummary]:
    """Per account, deliverable, video length and channel: lowest, latest and median
    price after discount (``services.quote_prices``), and each agency's newest price when
    agencies quote differently."""
    groups: dict[tuple[int, str, str | None, str | None], list[QuoteInfo]] = defaultdict(list)
    for quote in quotes:
        groups[(quote.account_id, quote.deliverable, quote.video_length, quote.channel)].append(quote)
    summaries = []
    for (account_id, deliverable, length, channel), items in groups.items():
        priced = [Dated(price, q.quoted_on, q.id) for q in items if (price := q.price) is not None]
        per_agency: dict[str, list[Dated]] = defaultdict(list)
        for quote in items:
            price = quote.price
            if price is not None and quote.agency and quote.source_kind == QuoteSource.AGENCY_LIST:
                per_agency[quote.agency].append(Dated(price, quote.quoted_on, quote.id))
        agency_prices = {name: price for name, dated in sorted(per_agency.items())
                         if (price := latest(dated)) is not None}
        newest = max(priced, key=lambda q: (q.quoted_on, q.order), default=None)
        summaries.append(QuoteSummary(
            account_id, items[0].platform, items[0].handle, deliverable, length, channel, len(items),
            lowest=lowest(priced), latest=latest(priced),
            latest_on=newest.quoted_on if newest else None, median=median(priced),
            agency_prices=agency_prices if len(set(agency_prices.values())) > 1 else {},
        ))
    return sorted(summaries, key=lambda s: (s.platform, s.handle, s.deliverable, s.video_length or "",
                                            s.channel or ""))


def _history(session: Session, creator_id: int) -> list[HistoryItem]:
    rows = session.execute(
        select(Collaboration, Campaign.name, Campaign.currency, PlatformAccount.platform,
               PlatformAccount.handle_display)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
        .where(Collaboration.creator_id == creator_id)
        .order_by(Collaboration.post_date.desc().nulls_last(), Collaboration.id.desc())).all()
    ids = [collab.id for collab, *_ in rows]
    latest: dict[int, ResultSnapshot] = {}
    for taken in session.scalars(select(ResultSnapshot).where(
            ResultSnapshot.collaboration_id.in_(ids)).order_by(ResultSnapshot.taken_on, ResultSnapshot.id)):
        latest[taken.collaboration_id] = taken  # the newest snapshot wins
    items = []
    for collab, campaign, currency, platform, handle in rows:
        snap = latest.get(collab.id)
        # An agreed fee counts with its tax, as every figure does (services/money.py).
        agreed = collaboration_cost(cost_of(collab), collab.tax_included, collab.tax_rate, collab.invoice_type)
        fee = agreed if agreed is not None else collab.quoted_fee
        items.append(HistoryItem(
            collab.id, campaign, platform, handle, collab.stage, collab.post_date, currency,
            fee, collab.agreed_fee is not None,
            snap.impressions if snap else None,
            engagements(snap.likes, snap.comments, snap.shares, snap.saves, snap.danmaku,
                        snap.coins) if snap else None,
            snap.taken_on if snap else None,
            collab.score_brand_fit, collab.score_creative, collab.score_message))
    return items
