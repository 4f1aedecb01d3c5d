"""``kol-desk price --backtest``: replays the workspace's history. For every collaboration
with an agreed fee, the fee is estimated from what was known before its date (quotes
dated before it, fees agreed in deals dated before it), and compared with two naive
guesses: the account's latest quote, and the median price of its comparables.

A deal's date is its campaign's start (else the day the card was made): the day the fee
is negotiated for. Quotes recorded during that deal are never evidence for it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import func, select

from kol_desk.models import (
    Agency,
    Campaign,
    CollabDeliverable,
    Collaboration,
    Creator,
    PlatformAccount,
    Quote,
)
from kol_desk.services.pricing_model import (
    AGREED,
    QUOTE,
    RECENT,
    Candidate,
    PricePoint,
    choose_peers,
    discount_of,
    estimate,
    in_season,
    latest_per_source,
    season_index,
)
from kol_desk.services.quote_prices import fee_level, quote_level
from kol_desk.services.tiers import tier_of, tier_thresholds
from kol_desk.store.database import Workspace


@dataclass(frozen=True)
class _Deal:
    id: int
    account_id: int
    platform: str
    deliverable: str | None
    on: date
    agreed: Decimal
    quoted: Decimal | None
    currency: str


@dataclass(frozen=True)
class _Quote:
    point: PricePoint
    deliverable: str
    currency: str
    collaboration_id: int | None


@dataclass(frozen=True)
class BacktestResult:
    n: int
    mape: float | None  # median absolute percentage error, in percent
    latest_quote: float | None
    peer_median: float | None

    def as_json(self) -> dict[str, Any]:
        return {"n": self.n, "mape": self.mape,
                "baselines": {"latest_quote": self.latest_quote, "peer_median": self.peer_median}}


def _load(workspace: Workspace) -> tuple[dict[int, Candidate], dict[int, str], list[_Quote], list[_Deal]]:
    thresholds = tier_thresholds(workspace)
    with workspace.session() as s:
        accounts: dict[int, Candidate] = {}
        platforms: dict[int, str] = {}
        for aid, platform, followers, category, override in s.execute(
                select(PlatformAccount.id, PlatformAccount.platform, PlatformAccount.followers,
                       Creator.category, Creator.tier_override)
                .join(Creator, Creator.id == PlatformAccount.creator_id)
                .where(Creator.deleted_at.is_(None))):
            tier = tier_of(followers, platform, override, thresholds)
            accounts[aid] = Candidate(aid, followers or 0, category, tier.value if tier else None)
            platforms[aid] = platform
        quotes = [
            _Quote(PricePoint(aid, value, on, QUOTE, agency or kind), deliverable, currency, cid)
            for aid, deliverable, low, high, currency, on, kind, agency, cid, included, discount in s.execute(
                select(Quote.account_id, Quote.deliverable, Quote.price_min, Quote.price_max,
                       Quote.currency, Quote.quoted_on, Quote.source_kind, Agency.name,
                       Quote.collaboration_id, Quote.tax_included, Quote.discount_pct)
                .outerjoin(Agency, Agency.id == Quote.agency_id)
                .where(Quote.price_min.is_not(None)))
            # One basis with the view (services/pricing): tax included, less the quote's discount.
            if (value := quote_level(low, high, included, discount)) is not None and value > 0]
        kinds = select(CollabDeliverable.collaboration_id, func.min(CollabDeliverable.kind).label("kind")) \
            .group_by(CollabDeliverable.collaboration_id).subquery()
        deals = [
            _Deal(cid, aid, platforms.get(aid, ""), kind, start or made.date(), fee_level(agreed, included, rate),
                  None if quoted is None else fee_level(quoted, included, rate), currency)
            for cid, aid, kind, start, made, agreed, quoted, currency, included, rate in s.execute(
                select(Collaboration.id, Collaboration.account_id, kinds.c.kind, Campaign.start_date,
                       Collaboration.created_at, Collaboration.agreed_fee, Collaboration.quoted_fee,
                       Campaign.currency, Collaboration.tax_included, Collaboration.tax_rate)
                .join(Campaign, Campaign.id == Collaboration.campaign_id)
                .outerjoin(kinds, kinds.c.collaboration_id == Collaboration.id)
                .where(Collaboration.agreed_fee.is_not(None), Collaboration.agreed_fee > 0))
            if aid in accounts]
    return accounts, platforms, quotes, deals


def run_backtest(workspace: Workspace) -> BacktestResult:
    accounts, platforms, quotes, deals = _load(workspace)
    errors: list[float] = []
    latest_errors: list[float] = []
    peer_errors: list[float] = []
    for deal in sorted(deals, key=lambda d: (d.on, d.id)):
        known = _known_before(deal, quotes, deals)
        own = known.get(deal.account_id, [])
        latest_quotes = [p for p in own if p.kind == QUOTE]
        discount, _ = discount_of((d.quoted, d.agreed) for d in deals
                                  if d.on < deal.on and d.quoted is not None and d.currency == deal.currency)
        subject = accounts[deal.account_id]
        same_platform = [accounts[a] for a in known if platforms.get(a) == deal.platform]
        _step, peers = choose_peers(subject, same_platform, set(known))
        season = season_index([own, *(known[p.account_id] for p in peers)])
        peer_points = [(p.followers, in_season(known[p.account_id], season, deal.on.month)) for p in peers]
        guess = estimate(subject.followers, in_season(own, season, deal.on.month), peer_points, discount)
        if guess is None or not latest_quotes or not peers:
            continue
        actual = float(deal.agreed)
        newest = max(latest_quotes, key=lambda p: (p.on, p.amount))
        raw_peer = median(float(_raw_level(known[p.account_id])) for p in peers)
        errors.append(abs(float(guess.target) - actual) / actual)
        latest_errors.append(abs(float(newest.amount) - actual) / actual)
        peer_errors.append(abs(raw_peer - actual) / actual)
    return BacktestResult(len(errors), _pct(errors), _pct(latest_errors), _pct(peer_errors))


def _raw_level(points: list[PricePoint]) -> Decimal:
    """The naive peer price: the median of an account's latest quotes and agreed fees,
    taken as they are."""
    return Decimal(median([p.amount for p in latest_per_source(points)]
                          + [p.amount for p in points if p.kind == AGREED]))


def _known_before(deal: _Deal, quotes: list[_Quote], deals: list[_Deal]) -> dict[int, list[PricePoint]]:
    """Every account's price points for this deliverable in this currency, dated before the
    deal and within the recent window."""
    since = deal.on - RECENT
    known: dict[int, list[PricePoint]] = defaultdict(list)
    for q in quotes:
        if (since <= q.point.on < deal.on and q.collaboration_id != deal.id
                and q.currency == deal.currency and _same_kind(q.deliverable, deal.deliverable)):
            known[q.point.account_id].append(q.point)
    for d in deals:
        if since <= d.on < deal.on and d.currency == deal.currency and _same_kind(d.deliverable, deal.deliverable):
            known[d.account_id].append(PricePoint(d.account_id, d.agreed, d.on, AGREED))
    return known


def _same_kind(a: str | None, b: str | None) -> bool:
    # A deal without a recorded deliverable counts for any.
    return a is None or b is None or a == b


def _pct(errors: list[float]) -> float | None:
    return round(median(errors) * 100, 1) if errors else None
