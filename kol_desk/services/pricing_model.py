"""The fair-price estimate, as pure functions over price points, so the negotiation view
and the backtest (which replays history as it was known on each day) share one model.

A price point is a quote (any agency, the creator, a negotiation) or an agreed fee. The
estimate of an agreed fee rests on, in order of weight: the account's own agreed fees,
its own quotes (the latest from each source, times the discount this team usually gets
off quotes), and comparable accounts' prices scaled to this account's followers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import TypeVar

Number = TypeVar("Number", float, Decimal)

QUOTE = "quote"
AGREED = "agreed"
# Fewer comparable accounts than this and a step widens; fewer than MIN_EVIDENCE and
# there is no estimate without the account's own prices.
MIN_PEERS = 6
MIN_EVIDENCE = 3
MAX_PEERS = 40
# What a quote is worth to the estimate after a year: older prices are left out.
RECENT = timedelta(days=400)
# When the team has no deal with both a quote and an agreed fee yet.
DEFAULT_DISCOUNT = 0.9
# Price grows slower than followers; used when the comparables span too little to say.
DEFAULT_ELASTICITY = 0.8
# The weight of each kind of evidence in the estimate (log space).
WEIGHT_OWN_AGREED, WEIGHT_OWN_QUOTES, WEIGHT_PEERS = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class PricePoint:
    account_id: int
    amount: Decimal
    on: date
    kind: str  # QUOTE or AGREED
    source: str | None = None  # the agency's name, "creator" or "negotiation"


@dataclass(frozen=True)
class Candidate:
    """An account that could be a comparable: its size, category and tier."""

    account_id: int
    followers: int
    category: str | None
    tier: str | None


@dataclass(frozen=True)
class Step:
    """One rule for choosing comparables, from the narrowest to the widest."""

    key: str
    same_category: bool
    same_tier: bool
    band: float | None  # followers within [f / band, f * band]; None: any size


STEPS = (
    Step("tier_category_band", True, True, 2.0),
    Step("tier_band", False, True, 2.0),
    Step("wide_band", False, False, 4.0),
    Step("platform", False, False, None),
)


def choose_peers(subject: Candidate, candidates: Iterable[Candidate],
                 has_price: set[int]) -> tuple[Step, list[Candidate]]:
    """The narrowest step with enough priced comparables, nearest in size first (at most
    MAX_PEERS); the widest step's accounts when none has enough."""
    pool = [c for c in candidates if c.account_id != subject.account_id and c.account_id in has_price]
    pool.sort(key=lambda c: abs(math.log(max(c.followers, 1) / max(subject.followers, 1))))
    chosen: list[Candidate] = []
    for step in STEPS:
        chosen = [c for c in pool if _fits(step, subject, c)][:MAX_PEERS]
        if len(chosen) >= MIN_PEERS:
            return step, chosen
    return STEPS[-1], chosen


def _fits(step: Step, subject: Candidate, c: Candidate) -> bool:
    if step.same_category and (subject.category is None or c.category != subject.category):
        return False
    if step.same_tier and c.tier != subject.tier:
        return False
    if step.band is None:
        return True
    low, high = subject.followers / step.band, subject.followers * step.band
    return low <= c.followers <= high


def level(points: Sequence[PricePoint], discount: float) -> float | None:
    """One account's agreed-fee level: the median of its agreed fees, else of its latest
    quote per source times the usual discount."""
    agreed = [float(p.amount) for p in points if p.kind == AGREED]
    if agreed:
        return median(agreed)
    quotes = latest_per_source(points)
    return median(float(p.amount) for p in quotes) * discount if quotes else None


def latest_per_source(points: Iterable[PricePoint]) -> list[PricePoint]:
    latest: dict[str | None, PricePoint] = {}
    for p in points:
        if p.kind == QUOTE and (p.source not in latest or p.on >= latest[p.source].on):
            latest[p.source] = p
    return list(latest.values())


def elasticity(pairs: Sequence[tuple[int, float]]) -> float:
    """The slope of log price on log followers among the comparables, kept within
    [0.5, 1.0]; the default when they span less than a factor of three."""
    xs = [math.log(max(f, 1)) for f, _ in pairs]
    if len(pairs) < MIN_PEERS or max(xs) - min(xs) < math.log(3):
        return DEFAULT_ELASTICITY
    ys = [math.log(p) for _, p in pairs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var
    return min(1.0, max(0.5, slope))


@dataclass(frozen=True)
class FeeEstimate:
    target: Decimal
    ask: Decimal  # where to open
    walk_away: Decimal  # above this, the evidence says the price is not fair
    own_agreed: int  # how many of the account's own agreed fees it rests on
    own_quotes: int
    peers: int
    peer_level: Decimal | None  # the comparables' price scaled to this account's size
    quote_level: Decimal | None  # the account's own quotes times the usual discount
    spread: float  # the comparables' relative spread (log quartile distance)


def round_fee(value: float) -> Decimal:
    """An estimate to ¥10: more digits would claim a precision the evidence lacks."""
    return (Decimal(str(value)) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 10


def estimate(followers: int, own: Sequence[PricePoint],
             peers: Sequence[tuple[int, Sequence[PricePoint]]], discount: float) -> FeeEstimate | None:
    """The agreed fee to expect for an account of ``followers`` from its own price points
    and its comparables' (followers, points); None when the evidence is too thin."""
    own_agreed = [float(p.amount) for p in own if p.kind == AGREED]
    own_quotes = latest_per_source(own)
    levels = [(f, lv) for f, pts in peers if (lv := level(pts, discount)) is not None and f > 0]
    parts: list[tuple[float, float]] = []  # (weight, log price)
    if own_agreed:
        parts.append((WEIGHT_OWN_AGREED, math.log(median(own_agreed))))
    quote_level = median(float(p.amount) for p in own_quotes) * discount if own_quotes else None
    if quote_level:
        parts.append((WEIGHT_OWN_QUOTES, math.log(quote_level)))
    peer_level = None
    spread = 0.25
    if len(levels) >= MIN_EVIDENCE:
        b = elasticity(levels)
        scaled = sorted(math.log(lv) + b * (math.log(max(followers, 1)) - math.log(f)) for f, lv in levels)
        peer_level = math.exp(median(scaled))
        q1, _mid, q3 = _quartiles(scaled)
        spread = max(0.05, (q3 - q1) / 2)
        parts.append((WEIGHT_PEERS, math.log(peer_level)))
    if not parts:
        return None
    total = sum(w for w, _ in parts)
    target = math.exp(sum(w * x for w, x in parts) / total)
    # Own evidence narrows the room to move: half the comparables' spread when it exists.
    room = spread / 2 if own_agreed or own_quotes else spread
    return FeeEstimate(
        round_fee(target), round_fee(target * math.exp(-room)), round_fee(target * math.exp(room)),
        len(own_agreed), len(own_quotes), len(levels),
        round_fee(peer_level) if peer_level else None,
        round_fee(quote_level) if quote_level else None, spread)


def _quartiles(values: Sequence[Number]) -> tuple[Number, Number, Number]:
    """Lower quartile, median, upper quartile: the medians of the lower and upper halves."""
    ordered = sorted(values)
    half = len(ordered) // 2
    lower, upper = ordered[:half] or ordered, ordered[-half:] if half else ordered
    return median(lower), median(ordered), median(upper)


def quartiles(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal] | None:
    """The quartiles of amounts, exact (Decimal); None for none."""
    return _quartiles(values) if values else None


def discount_of(pairs: Iterable[tuple[Decimal | None, Decimal | None]]) -> tuple[float, int]:
    """The team's usual agreed ÷ quoted fee over past deals, and how many it rests on."""
    ratios = [float(agreed / quoted) for quoted, agreed in pairs
              if quoted is not None and agreed is not None and quoted > 0]
    return (median(ratios), len(ratios)) if ratios else (DEFAULT_DISCOUNT, 0)


# Fewer points in a month than this and its season effect counts as none.
MIN_SEASON_POINTS = 8


def season_index(points: Iterable[Sequence[PricePoint]]) -> dict[int, float]:
    """Each month's price effect (log scale) from accounts priced in several months: how
    far a point lies from its account's median, median over the month."""
    by_month: dict[int, list[float]] = {}
    for account_points in points:
        if len({p.on.month for p in account_points}) < 2:
            continue
        logs = [math.log(float(p.amount)) for p in account_points]
        centre = median(logs)
        for p, value in zip(account_points, logs, strict=True):
            by_month.setdefault(p.on.month, []).append(value - centre)
    return {m: median(v) for m, v in by_month.items() if len(v) >= MIN_SEASON_POINTS}


def in_season(points: Sequence[PricePoint], index: dict[int, float], month: int) -> list[PricePoint]:
    """The points as if priced in ``month``: each moved by the season effects between."""
    target = index.get(month, 0.0)
    return [PricePoint(p.account_id, Decimal(str(round(float(p.amount) * math.exp(target - index.get(p.on.month, 0.0)), 2))),
                       p.on, p.kind, p.source) for p in points]
