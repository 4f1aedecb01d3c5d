"""The negotiation desk's facts for one account and deliverable: its quotes from every
source as net cost side by side, comparable accounts and what they cost and achieved,
the results to expect at a price, and a fair-price estimate with the evidence it rests on.

Everything is read in a few indexed queries (the view opens during a call, at 100k
creators): comparables are the accounts nearest in size on the same platform that have
a priced quote of the same deliverable, and the model (services/pricing_model) picks the
narrowest rule that finds enough of them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kol_desk import metrics
from kol_desk.domain import Channel
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import clauses, sentences, tr
from kol_desk.importing.values import normalise_handle
from kol_desk.models import (
    Agency,
    Campaign,
    CollabDeliverable,
    Collaboration,
    Creator,
    PlatformAccount,
    Quote,
    ResultSnapshot,
    Setting,
)
from kol_desk.services.deal_cost import NET_COST, RATES_SETTING, Breakdown, breakdown, rates_from
from kol_desk.services.money import cents, collaboration_cost
from kol_desk.services.pricing_model import (
    AGREED,
    QUOTE,
    RECENT,
    STEPS,
    Candidate,
    FeeEstimate,
    PricePoint,
    Step,
    choose_peers,
    discount_of,
    estimate,
    in_season,
    level,
    quartiles,
    season_index,
)
from kol_desk.services.quote_prices import Price, fee_level, price_text, quote_level
from kol_desk.services.tiers import tier_of, tier_thresholds
from kol_desk.store.database import Workspace

# Accounts read on each side of this one's size: all sizes, and of its own category.
NEAREST, NEAREST_SAME = 50, 25
SEASON_NOTE = 0.03  # a season effect smaller than this goes unmentioned
# The usual discount off quotes is the median over this many of the newest deals.
DISCOUNT_DEALS = 500
TEN_K = Decimal(10_000)


@dataclass(frozen=True)
class Subject:
    account_id: int
    creator_id: int
    nickname: str
    platform: str
    handle: str
    followers: int | None
    category: str | None
    tier: str | None
    deliverable: str


@dataclass(frozen=True)
class Route:
    """The latest quote from one source (an agency, the creator, a negotiation), as net cost."""

    source: str
    quoted_on: date
    quoted: Price  # the quote as written
    price: Decimal  # tax included, less the quote's discount: the model's basis
    rebate_pct: Decimal
    service_fee: Decimal
    net: Decimal  # deal_cost's net cost of that price through the quote's channel
    tax_included: bool | None
    quotes: int  # how many quotes this source gave in all
    channel: str | None  # domain.Channel value; None when the quote does not say
    platform_fee: Decimal
    discount_pct: Decimal | None

    @property
    def price_text(self) -> str:
        """The quote as written, exact, with its discount ("¥8,000.00–9,000.00 −10%")."""
        text = price_text(self.quoted)
        return f"{text} −{self.discount_pct.normalize():f}%" if self.discount_pct else text


@dataclass(frozen=True)
class HistoryPoint:
    on: date
    source: str
    amount: Decimal
    kind: str  # QUOTE or AGREED
    net: Decimal | None = None  # a quote's net cost (rebate off, service fee on)


@dataclass(frozen=True)
class Peers:
    step: Step
    count: int
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    per_10k: Decimal | None  # median price per 10k followers
    agreed: int  # how many of their prices are agreed fees
    cpe: Decimal | None  # median achieved CPE of their past deals
    cpm: Decimal | None
    results: int  # how many past deals with results those rest on
    points: list[tuple[int, Decimal]] = field(default_factory=list)  # (followers, price level)

    @property
    def widened(self) -> bool:
        return self.step != STEPS[0]


@dataclass(frozen=True)
class Range:
    low: Decimal
    mid: Decimal
    high: Decimal


@dataclass(frozen=True)
class Expected:
    source: str  # "own" or "comparables"
    n: int
    views: Range | None
    engagements: Range | None
    cpe: Range | None  # at the price asked


@dataclass
class NegotiationFacts:
    subject: Subject
    currency: str
    price: Decimal | None  # the quote on the table: given, else the cheapest latest route
    routes: list[Route]
    history: list[HistoryPoint]
    peers: Peers
    expected: Expected | None
    estimate: FeeEstimate | None
    discount: float
    discount_deals: int
    newest_evidence: date | None
    left_out_currency: int  # prices in another currency, never mixed in
    position: Decimal | None = None  # share of comparables priced below ``price``
    season_effect: float = 0.0  # this month's price effect in the data read (log scale)
    month: int = 1

    @property
    def reason(self) -> str:
        return fair_price_reason(self)

    @property
    def evidence(self) -> str:
        return evidence_note(self)


def find_account(workspace: Workspace, spec: str) -> int:
    """``PLATFORM:HANDLE`` (handle as shown or normalised, with or without @) → account id."""
    platform, sep, handle = spec.partition(":")
    if not sep or not handle.strip():
        raise BadInputError(N_("--account {spec}: give PLATFORM:HANDLE, e.g. douyin:luna123."),
                            spec=repr(spec))
    platform = platform.strip().lower()
    key = normalise_handle(handle, platform)
    with workspace.session() as s:
        found = s.scalar(select(PlatformAccount.id).where(
            PlatformAccount.platform == platform, PlatformAccount.handle == key))
    if found is None:
        raise BadInputError(N_("--account {spec}: no {platform} account with that handle; "
                               "kol-desk creators lists the handles."),
                            spec=repr(spec), platform=platform)
    return found


def default_deliverable(workspace: Workspace, account_id: int) -> str:
    """The deliverable this account is quoted for most often (video when none)."""
    with workspace.session() as s:
        kind = s.scalar(select(Quote.deliverable).where(Quote.account_id == account_id)
                        .group_by(Quote.deliverable).order_by(func.count().desc()).limit(1))
    return kind or "video"


def negotiation_facts(workspace: Workspace, account_id: int, deliverable: str,
                      price: Decimal | None = None, today: date | None = None) -> NegotiationFacts:
    today = today or date.today()
    thresholds = tier_thresholds(workspace)
    with workspace.session() as s:
        subject = _subject(s, account_id, deliverable, thresholds)
        own_quotes = _quotes(s, [account_id], deliverable)
        currency = _currency(own_quotes)
        left_out = sum(1 for q in own_quotes if q[3] != currency)
        routes, history = _routes(s, own_quotes, currency, _rates(s))
        candidates = _candidates(s, subject, thresholds)
        ids = [c.account_id for c in candidates]
        since = today - RECENT
        points: dict[int, list[PricePoint]] = defaultdict(list)
        for aid, point, cur in _points(s, [account_id, *ids], deliverable):
            if cur == currency and point.on >= since:
                points[aid].append(point)
        discount, deals = discount_of(s.execute(
            select(Collaboration.quoted_fee, Collaboration.agreed_fee)
            .join(Campaign, Campaign.id == Collaboration.campaign_id)
            .where(Collaboration.quoted_fee > 0, Collaboration.agreed_fee.is_not(None),
                   Campaign.currency == currency)
            .order_by(Collaboration.id.desc()).limit(DISCOUNT_DEALS)).all())
        me = Candidate(account_id, subject.followers or 0, subject.category, subject.tier)
        step, chosen = choose_peers(me, candidates, set(points))
        peer_ids = [c.account_id for c in chosen]
        results = _results(s, [account_id, *peer_ids])
    history += [HistoryPoint(p.on, tr("agreed fee"), p.amount, AGREED)
                for p in points.get(account_id, []) if p.kind == AGREED]
    history.sort(key=lambda h: (h.on, h.source))
    # Every price moved to this month's season, as the backtest does for each deal's month.
    own_points = points.get(account_id, [])
    season = season_index([own_points, *(points[c.account_id] for c in chosen)])
    peer_points = [(c.followers, in_season(points[c.account_id], season, today.month)) for c in chosen]
    # Without a follower count no comparable can be scaled to it: its own prices alone.
    fee = estimate(subject.followers or 0, in_season(own_points, season, today.month),
                   peer_points if subject.followers else [], discount)
    on_table = price if price is not None else min((r.price for r in routes), default=None)
    peers = _peers(step, chosen, points, discount, results)
    all_dates = [p.on for pts in points.values() for p in pts]
    facts = NegotiationFacts(
        subject, currency, on_table, routes, history, peers,
        _expected(subject, on_table or (fee.target if fee else None), results.get(account_id, []),
                  chosen, results),
        fee, discount, deals, max(all_dates, default=None), left_out,
        season_effect=season.get(today.month, 0.0), month=today.month)
    if on_table is not None and peers.points:
        below = sum(1 for _f, lv in peers.points if lv < on_table)
        facts.position = Decimal(below) / len(peers.points)
    return facts


def _subject(s: Session, account_id: int, deliverable: str, thresholds: Any) -> Subject:
    row = s.execute(select(PlatformAccount, Creator).join(Creator, Creator.id == PlatformAccount.creator_id)
                    .where(PlatformAccount.id == account_id)).first()
    if row is None:
        raise BadInputError(tr("Account {id} no longer exists; refresh.", id=account_id))
    account, creator = row
    tier = tier_of(account.followers, account.platform, creator.tier_override, thresholds)
    return Subject(account.id, creator.id, account.nickname or creator.nickname, account.platform,
                   account.handle_display, account.followers, creator.category,
                   tier.value if tier else None, deliverable)


def _quotes(s: Session, ids: list[int], deliverable: str) -> list[Any]:
    return list(s.execute(
        select(Quote.account_id, Quote.price_min, Quote.price_max, Quote.currency, Quote.quoted_on,
               Quote.source_kind, Agency.name, Quote.rebate_pct, Agency.rebate_pct, Quote.service_fee,
               Quote.tax_included, Quote.discount_pct, Quote.channel)
        .outerjoin(Agency, Agency.id == Quote.agency_id)
        .where(Quote.account_id.in_(ids), Quote.deliverable == deliverable,
               Quote.price_min.is_not(None))
        .order_by(Quote.quoted_on, Quote.id)).all())


def _currency(quotes: Sequence[Any]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for q in quotes:
        counts[q[3]] += 1
    return max(counts, key=lambda c: (counts[c], c == "CNY")) if counts else "CNY"


def _source_name(kind: str, agency: str | None) -> str:
    if agency:
        return agency
    return tr("the creator") if kind == "creator" else tr("negotiation") if kind == "negotiation" \
        else tr("agency list")


def _routes(s: Session, quotes: Sequence[Any], currency: str,
            rates: dict[Channel, Decimal]) -> tuple[list[Route], list[HistoryPoint]]:
    """The latest quote of each source as net cost, by deal_cost's definition for the
    quote's channel (a platform order adds the workspace's fee rate; unknown or direct
    adds none), on the tax-included basis and after the quote's own discount."""
    latest: dict[str, Any] = {}
    counts: dict[str, int] = defaultdict(int)
    history: list[HistoryPoint] = []
    for q in quotes:
        if q[3] != currency:
            continue
        name = _source_name(q[5], q[6])
        value = _level(q)
        if value is None:
            continue
        history.append(HistoryPoint(q[4], name, value, QUOTE, _parts(value, q, rates).net))
        counts[name] += 1
        latest[name] = q
    routes = []
    for name, q in latest.items():
        value = _level(q)
        assert value is not None
        parts = _parts(value, q, rates)
        routes.append(Route(name, q[4], Price(q[1], q[2], currency), value, parts.rebate_pct,
                            parts.service_fee, parts.net, q[10], counts[name], q[12],
                            parts.platform_fee, _discount(q[11])))
    routes.sort(key=lambda r: (r.net, r.source))
    return routes, history


def _level(q: Any) -> Decimal | None:
    """A quote row's price on the model's basis (tax included, less its discount)."""
    return quote_level(q[1], q[2], q[10], q[11])


def _discount(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _parts(value: Decimal, q: Any, rates: dict[Channel, Decimal]) -> Breakdown:
    """A quote's net cost (deal_cost.breakdown): its own rebate, else its agency's usual
    one; its service fee; its channel's platform fee. The value is tax-included already."""
    channel = q[12]
    try:
        rate = rates[Channel(channel)] if channel else None
    except ValueError:  # a channel this version does not know: no fee assumed
        rate = None
    return breakdown(value, channel=channel, platform_fee_pct=rate,
                     rebate_pct=q[7] if q[7] is not None else q[8], service_fee=q[9])


def _rates(s: Session) -> dict[Channel, Decimal]:
    """The workspace's platform fee rates, read in the view's own session."""
    return rates_from(s.scalar(select(Setting.value).where(Setting.key == RATES_SETTING)))


def _candidates(s: Session, subject: Subject, thresholds: Any) -> list[Candidate]:
    """The accounts nearest in size on the same platform; and, so the narrowest rule has a
    chance at any size, the nearest of the same category within a factor of two. Those
    without a price for the deliverable drop out when their prices are read: asking for
    a quote here, row by row, tripled the time at 100k creators."""
    followers = subject.followers or 0
    base = (select(PlatformAccount.id, PlatformAccount.followers, Creator.category, Creator.tier_override)
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .where(PlatformAccount.platform == subject.platform, PlatformAccount.followers.is_not(None),
                   PlatformAccount.id != subject.account_id, Creator.deleted_at.is_(None)))
    same = base.where(Creator.category == subject.category,
                      PlatformAccount.followers.between(followers // 2, followers * 2))
    rows: dict[int, Any] = {}
    for query, limit in ((base, NEAREST), (same, NEAREST_SAME)) if subject.category else ((base, NEAREST),):
        for part in _either_side(query, followers, limit):
            for row in s.execute(part):
                rows[row[0]] = row
    out = []
    for aid, f, category, override in rows.values():
        tier = tier_of(f, subject.platform, override, thresholds)
        out.append(Candidate(aid, f, category, tier.value if tier else None))
    return out


def _either_side(query: Select, followers: int, limit: int) -> tuple[Select, Select]:  # type: ignore[type-arg]
    size = PlatformAccount.followers
    return (query.where(size >= followers).order_by(size).limit(limit),
            query.where(size < followers).order_by(size.desc()).limit(limit))


def _points(s: Session, ids: list[int], deliverable: str) -> list[tuple[int, PricePoint, str]]:
    out = [(q[0], PricePoint(q[0], value, q[4], QUOTE, _source_name(q[5], q[6])), q[3])
           for q in _quotes(s, ids, deliverable) if (value := _level(q)) is not None]
    kinds = select(CollabDeliverable.kind).where(
        CollabDeliverable.collaboration_id == Collaboration.id).limit(1).scalar_subquery()
    for aid, agreed, start, made, currency, kind, included, rate in s.execute(
            select(Collaboration.account_id, Collaboration.agreed_fee, Campaign.start_date,
                   Collaboration.created_at, Campaign.currency, kinds, Collaboration.tax_included,
                   Collaboration.tax_rate)
            .join(Campaign, Campaign.id == Collaboration.campaign_id)
            .where(Collaboration.account_id.in_(ids), Collaboration.agreed_fee > 0)):
        if kind in (None, deliverable):
            out.append((aid, PricePoint(aid, fee_level(agreed, included, rate), start or made.date(), AGREED),
                        currency))
    return out


@dataclass(frozen=True)
class _Result:
    cost: Decimal | None
    views: int | None
    impressions: int | None
    engagements: int | None
    followers: int | None


def _results(s: Session, ids: list[int]) -> dict[int, list[_Result]]:
    """Each past deal's newest result snapshot, per account."""
    newest = (select(ResultSnapshot.collaboration_id, func.max(ResultSnapshot.id).label("sid"))
              .join(Collaboration, Collaboration.id == ResultSnapshot.collaboration_id)
              .where(Collaboration.account_id.in_(ids))
              .group_by(ResultSnapshot.collaboration_id).subquery())
    out: dict[int, list[_Result]] = defaultdict(list)
    # Plain columns, not objects (the view opens during a call); the cost a card's CPE and
    # CPM count everywhere else: money.collaboration_cost of its net cost.
    for (account_id, net, included, rate, invoice, views, impressions, likes, comments, shares, saves,
         danmaku, coins, followers) in s.execute(
            select(Collaboration.account_id, NET_COST, Collaboration.tax_included, Collaboration.tax_rate,
                   Collaboration.invoice_type, ResultSnapshot.views, ResultSnapshot.impressions,
                   ResultSnapshot.likes, ResultSnapshot.comments, ResultSnapshot.shares, ResultSnapshot.saves,
                   ResultSnapshot.danmaku, ResultSnapshot.coins, PlatformAccount.followers)
            .join(newest, newest.c.collaboration_id == Collaboration.id)
            .join(ResultSnapshot, ResultSnapshot.id == newest.c.sid)
            .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)):
        eng = metrics.engagements(likes, comments, shares, saves, danmaku, coins)
        out[account_id].append(_Result(collaboration_cost(net, included, rate, invoice), views, impressions,
                                       eng, followers))
    return out


def _peers(step: Step, chosen: list[Candidate], points: dict[int, list[PricePoint]], discount: float,
           results: dict[int, list[_Result]]) -> Peers:
    levels: list[tuple[int, Decimal]] = []
    per_10k: list[Decimal] = []
    agreed = 0
    for c in chosen:
        lv = level(points[c.account_id], discount)
        if lv is None:
            continue
        amount = Decimal(str(round(lv, 2)))
        levels.append((c.followers, amount))
        if c.followers:
            per_10k.append(amount / c.followers * TEN_K)
        agreed += sum(1 for p in points[c.account_id] if p.kind == AGREED)
    q1, mid, q3 = quartiles([lv for _f, lv in levels]) or (None, None, None)
    deals = [r for c in chosen for r in results.get(c.account_id, [])]
    cpes = [v for r in deals if (v := metrics.cpe(r.cost, r.engagements)) is not None]
    cpms = [v for r in deals if (v := metrics.cpm(r.cost, r.impressions)) is not None]
    return Peers(step, len(levels), _cents(q1), _cents(mid), _cents(q3), _median(per_10k), agreed,
                 _median(cpes), _median(cpms), len(deals), levels)


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else cents(value)


def _median(values: list[Decimal]) -> Decimal | None:
    return _cents(Decimal(median(values))) if values else None


def _expected(subject: Subject, price: Decimal | None, own: list[_Result], chosen: list[Candidate],
              results: dict[int, list[_Result]]) -> Expected | None:
    """Views and engagements from this account's past deals, else from comparables'
    results per follower scaled to its size; CPE at the price on the table."""
    views = [Decimal(r.views) for r in own if r.views]
    engs = [Decimal(r.engagements) for r in own if r.engagements]
    source, n = "own", len(own)
    if not views and not engs and subject.followers:
        deals = [r for c in chosen for r in results.get(c.account_id, []) if r.followers]
        views = [Decimal(r.views) / Decimal(r.followers) * subject.followers for r in deals if r.views and r.followers]
        engs = [Decimal(r.engagements) / Decimal(r.followers) * subject.followers
                for r in deals if r.engagements and r.followers]
        source, n = "comparables", len(deals)
    if not views and not engs:
        return None
    view_range = _range(views)
    eng_range = _range(engs)
    cpe = None
    if price is not None and eng_range is not None and eng_range.low > 0:
        cpe = Range(price / eng_range.high, price / eng_range.mid, price / eng_range.low)
    return Expected(source, n, view_range, eng_range, cpe)


def _range(values: list[Decimal]) -> Range | None:
    spread = quartiles(values)
    if spread is None:
        return None
    low, mid, high = (v.quantize(Decimal(1)) for v in spread)
    return Range(low, mid, high)



STEP_TEXT = {
    "tier_category_band": N_("same tier and category, followers within ×2"),
    "tier_band": N_("same tier, any category, followers within ×2 (too few in the same category)"),
    "wide_band": N_("any tier or category, followers within ×4 (too few of the same tier)"),
    "platform": N_("the nearest in size on the platform (too few within ×4)"),
}


def fair_price_reason(f: NegotiationFacts, money: Callable[[Decimal, str], str] = metrics.format_money) -> str:
    """The estimate in plain words: what it rests on and what moves it. ``money`` writes
    the amounts: exact for the negotiation sheet, the screen passes ``ui.money.money_text``."""
    e = f.estimate
    if e is None and not f.subject.followers:
        return tr("Not enough data: this account's follower count is unknown, so no comparable can be scaled to it.")
    if e is None:
        return tr("Not enough data: no quote of this account and fewer than 3 comparables with a price.")
    parts = []
    if e.own_agreed:
        parts.append(tr("{n} fee(s) agreed with this account", n=e.own_agreed))
    if e.quote_level is not None:
        parts.append(tr("its latest quotes from {n} source(s) less the usual {pct}% discount",
                        n=e.own_quotes, pct=round((1 - f.discount) * 100)))
    if e.peer_level is not None:
        parts.append(tr("{n} comparables, scaled to its followers ({level})", n=e.peers,
                        level=money(e.peer_level, f.currency)))
    text = tr("Target {target}, from {parts}.", target=money(e.target, f.currency),
              parts=clauses(parts))
    if f.price is not None and f.price > e.walk_away:
        text = sentences(text, tr("The quote on the table is above the walk-away price."))
    return text


def evidence_note(f: NegotiationFacts) -> str:
    e = f.estimate
    recent = f.newest_evidence.isoformat() if f.newest_evidence else "—"
    note = tr("Comparables: {rule}. Discount off quotes from {n} past deal(s) (assumed 10% when none). "
              "Newest price used: {day}.", rule=tr(STEP_TEXT[f.peers.step.key]), n=f.discount_deals, day=recent)
    if abs(f.season_effect) >= SEASON_NOTE:
        note = sentences(note, tr("Season: prices dated in month {month} run {pct:+d}% against the rest "
                                  "of these prices; the estimate is moved by it.", month=f.month,
                                  pct=round((math.exp(f.season_effect) - 1) * 100)))
    if f.left_out_currency:
        note = sentences(note, tr("{n} price(s) in another currency left out.", n=f.left_out_currency))
    if e is not None and not e.own_agreed and not e.own_quotes:
        note = sentences(note, tr("No price of this account itself: the estimate is the comparables' alone."))
    return note


def as_json(f: NegotiationFacts) -> dict[str, Any]:
    """The figures of the view for ``kol-desk price --json``: money as strings (exact)."""
    def money(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    e = f.estimate
    return {
        "account": {"platform": f.subject.platform, "handle": f.subject.handle,
                    "nickname": f.subject.nickname, "followers": f.subject.followers,
                    "category": f.subject.category, "tier": f.subject.tier},
        "deliverable": f.subject.deliverable, "currency": f.currency,
        "price_on_table": money(f.price),
        "estimate": None if e is None else {
            "ask": money(e.ask), "target": money(e.target), "walk_away": money(e.walk_away),
            "own_agreed": e.own_agreed, "own_quotes": e.own_quotes, "comparables": e.peers},
        "reason": f.reason, "evidence": f.evidence,
        "routes": [{"source": r.source, "quoted_on": r.quoted_on.isoformat(), "price": money(r.price),
                    "quote": r.price_text, "tax_included": r.tax_included,
                    "discount_pct": None if r.discount_pct is None else str(r.discount_pct),
                    "channel": r.channel, "rebate_pct": str(r.rebate_pct), "service_fee": money(r.service_fee),
                    "platform_fee": money(r.platform_fee), "net": money(r.net)} for r in f.routes],
        "comparables": {"rule": f.peers.step.key, "widened": f.peers.widened, "count": f.peers.count,
                        "q1": money(f.peers.q1), "median": money(f.peers.median), "q3": money(f.peers.q3),
                        "per_10k_followers": money(f.peers.per_10k), "agreed_fees": f.peers.agreed,
                        "cpe": money(f.peers.cpe), "cpm": money(f.peers.cpm)},
        "expected": None if f.expected is None else {
            "source": f.expected.source, "deals": f.expected.n,
            **{name: None if r is None else {"low": str(r.low), "mid": str(r.mid), "high": str(r.high)}
               for name, r in (("views", f.expected.views), ("engagements", f.expected.engagements),
                               ("cpe", f.expected.cpe))}},
    }
