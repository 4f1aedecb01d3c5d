"""Cost and rate metrics, exactly as the product defines them (the README's Reports section).

A metric whose denominator is zero or unknown is ``None`` (shown as "—"), never 0 or
infinity. Money stays Decimal; rates are Decimal fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def cpm(cost: Decimal | None, impressions: int | None) -> Decimal | None:
    value = ratio(cost, impressions)
    return None if value is None else value * 1000


def cpv(cost: Decimal | None, views: int | None) -> Decimal | None:
    return ratio(cost, views)


def cpe(cost: Decimal | None, engagements: int | None) -> Decimal | None:
    return ratio(cost, engagements)


def cpc(cost: Decimal | None, clicks: int | None) -> Decimal | None:
    return ratio(cost, clicks)


def cpa(cost: Decimal | None, orders: int | None) -> Decimal | None:
    return ratio(cost, orders)


def cac(cost: Decimal | None, new_customers: int | None) -> Decimal | None:
    return ratio(cost, new_customers)


def roi(revenue: Decimal | None, cost: Decimal | None) -> Decimal | None:
    if revenue is None:
        return None
    return ratio(Decimal(revenue) - (cost or 0), cost)


def roas(revenue: Decimal | None, cost: Decimal | None) -> Decimal | None:
    return ratio(revenue, cost)


def engagements(
    likes: int | None = None,
    comments: int | None = None,
    shares: int | None = None,
    saves: int | None = None,
    danmaku: int | None = None,
    coins: int | None = None,
) -> int | None:
    """Sum of the engagement parts a platform reports; None when none is known.

    Platforms count differently (Weibo 转评赞, Xiaohongshu 赞藏评 + shares, Bilibili adds
    弹幕 and 硬币); the parts are kept separately and only the known ones are summed.
    """
    parts = [p for p in (likes, comments, shares, saves, danmaku, coins) if p is not None]
    return sum(parts) if parts else None


@dataclass(frozen=True)
class EngagementRate:
    value: Decimal | None
    # "views" or "followers": the denominator used is always stated.
    basis: str | None


def engagement_rate(
    total_engagements: int | None, views: int | None, followers: int | None
) -> EngagementRate:
    by_views = ratio(total_engagements, views)
    if by_views is not None:
        return EngagementRate(by_views, "views")
    by_followers = ratio(total_engagements, followers)
    if by_followers is not None:
        return EngagementRate(by_followers, "followers")
    return EngagementRate(None, None)


def format_money(amount: Decimal | None, currency: str = "CNY") -> str:
    if amount is None:
        return DASH
    symbol = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}.get(currency, currency + " ")
    rounded = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{symbol}{abs(rounded):,.2f}"


def format_rate(rate: Decimal | float | None) -> str:
    if rate is None:
        return DASH
    return f"{Decimal(str(rate)) * 100:.2f}%"


def format_count(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"
