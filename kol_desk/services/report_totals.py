"""Per-post results and their totals: the arithmetic of the four layers and the cost
metrics (``kol_desk.metrics``), kept apart from the queries in ``services.reports``.

Totals add posts up; a cost metric divides the total cost by the total of its
denominator, and a count no post reported stays unknown ("—"), never 0. The engagement
rate uses views where posts report views and falls back to followers, and says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from kol_desk import metrics

ZERO = Decimal("0.00")
COUNT_FIELDS = ("impressions", "views", "likes", "comments", "shares", "saves", "danmaku",
                "coins", "clicks", "promo_uses", "orders", "new_followers", "community_joins",
                "new_customers")
SCORE_FIELDS = ("score_brand_fit", "score_creative", "score_message")


class PostResult(NamedTuple):
    """One collaboration with its latest result snapshot (a named tuple: a report makes
    one per post, and a frozen dataclass takes twice as long to make)."""

    collaboration_id: int
    campaign_id: int
    campaign: str
    creator_id: int
    nickname: str
    platform: str
    handle: str
    tier: str | None
    agency_id: int | None
    agency: str | None
    followers: int | None
    post_date: date | None
    taken_on: date
    currency: str
    cost: Decimal | None
    counts: dict[str, int | None]
    revenue: Decimal | None
    scores: dict[str, int | None]
    engagements: int | None  # metrics.engagements of the counts, worked out once

    @staticmethod
    def engagements_of(counts: dict[str, int | None]) -> int | None:
        return metrics.engagements(counts["likes"], counts["comments"], counts["shares"],
                                   counts["saves"], counts["danmaku"], counts["coins"])


@dataclass
class Totals:
    """Sums over posts; every rate and cost metric derives from these."""

    posts: int = 0
    cost: Decimal = ZERO
    revenue: Decimal = ZERO
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))
    # Which count fields any post reported at all: an unreported total is "—", not 0.
    known: set[str] = field(default_factory=set)
    engagements_total: int = 0
    engaged_posts: int = 0
    # Engagement-rate parts: engagements over views where views are known, else followers.
    er_views_num: int = 0
    er_views_den: int = 0
    er_followers_num: int = 0
    er_followers_den: int = 0
    score_sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORE_FIELDS, 0))
    score_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORE_FIELDS, 0))
    revenue_known: bool = False

    @classmethod
    def of(cls, posts: Sequence[PostResult]) -> Totals:
        """The totals of ``posts``. A report makes one per group (every creator, platform,
        tier, agency and campaign; most creators have one post), so this is its inner
        loop: the columns are added with ``sum`` and the object is built once."""
        if len(posts) == 1:
            return cls._of_one(posts[0])
        counts = dict.fromkeys(COUNT_FIELDS, 0)
        known: set[str] = set()
        for name, column in zip(COUNT_FIELDS, zip(*[p.counts.values() for p in posts], strict=False), strict=False):
            values = [v for v in column if v is not None]
            if values:
                counts[name] = sum(values)
                known.add(name)
        score_sums, score_counts = dict.fromkeys(SCORE_FIELDS, 0), dict.fromkeys(SCORE_FIELDS, 0)
        for name, column in zip(SCORE_FIELDS, zip(*[p.scores.values() for p in posts], strict=False), strict=False):
            values = [v for v in column if v is not None]
            score_sums[name], score_counts[name] = sum(values), len(values)
        revenues = [p.revenue for p in posts if p.revenue is not None]
        engaged = [p for p in posts if p.engagements is not None]
        rate = [0, 0, 0, 0]  # engagements and views where views are known, else followers
        for p in engaged:
            views = p.counts["views"]
            if views:
                rate[0] += p.engagements  # type: ignore[operator]
                rate[1] += views
            elif p.followers:
                rate[2] += p.engagements  # type: ignore[operator]
                rate[3] += p.followers
        return cls(posts=len(posts), cost=sum([p.cost for p in posts if p.cost is not None], ZERO),
                   revenue=sum(revenues, ZERO), counts=counts, known=known,
                   engagements_total=sum([p.engagements for p in engaged]),  # type: ignore[misc]
                   engaged_posts=len(engaged), er_views_num=rate[0], er_views_den=rate[1],
                   er_followers_num=rate[2], er_followers_den=rate[3], score_sums=score_sums,
                   score_counts=score_counts, revenue_known=bool(revenues))

    @classmethod
    def _of_one(cls, post: PostResult) -> Totals:
        eng, views = post.engagements, post.counts["views"]
        by_views = eng is not None and bool(views)
        by_followers = eng is not None and not views and bool(post.followers)
        return cls(posts=1, cost=post.cost if post.cost is not None else ZERO,
                   revenue=post.revenue if post.revenue is not None else ZERO,
                   counts={k: 0 if v is None else v for k, v in post.counts.items()},
                   known={k for k, v in post.counts.items() if v is not None},
                   engagements_total=eng or 0, engaged_posts=0 if eng is None else 1,
                   er_views_num=eng if by_views else 0, er_views_den=views if by_views else 0,  # type: ignore[arg-type]
                   er_followers_num=eng if by_followers else 0,  # type: ignore[arg-type]
                   er_followers_den=post.followers if by_followers else 0,  # type: ignore[arg-type]
                   score_sums={k: v or 0 for k, v in post.scores.items()},
                   score_counts={k: 0 if v is None else 1 for k, v in post.scores.items()},
                   revenue_known=post.revenue is not None)

    def count(self, name: str) -> int | None:
        return self.counts[name] if name in self.known else None

    @property
    def engagements(self) -> int | None:
        return self.engagements_total if self.engaged_posts else None

    @property
    def revenue_or_none(self) -> Decimal | None:
        return self.revenue if self.revenue_known else None

    @property
    def cost_or_none(self) -> Decimal | None:
        return self.cost if self.posts else None

    # -- layer 1: reach -----------------------------------------------------------------
    @property
    def engagement_rate(self) -> metrics.EngagementRate:
        if self.er_views_den:
            return metrics.EngagementRate(metrics.ratio(self.er_views_num, self.er_views_den), "views")
        if self.er_followers_den:
            return metrics.EngagementRate(
                metrics.ratio(self.er_followers_num, self.er_followers_den), "followers")
        return metrics.EngagementRate(None, None)

    # -- layer 2: content ---------------------------------------------------------------
    def score(self, name: str) -> Decimal | None:
        return metrics.ratio(self.score_sums[name], self.score_counts[name])

    # -- layer 4: commercial and cost ---------------------------------------------------
    @property
    def ctr(self) -> Decimal | None:
        return metrics.ratio(self.count("clicks"), self.count("impressions"))

    @property
    def cpm(self) -> Decimal | None:
        return metrics.cpm(self.cost_or_none, self.count("impressions"))

    @property
    def cpv(self) -> Decimal | None:
        return metrics.cpv(self.cost_or_none, self.count("views"))

    @property
    def cpe(self) -> Decimal | None:
        return metrics.cpe(self.cost_or_none, self.engagements)

    @property
    def cpc(self) -> Decimal | None:
        return metrics.cpc(self.cost_or_none, self.count("clicks"))

    @property
    def cpa(self) -> Decimal | None:
        return metrics.cpa(self.cost_or_none, self.count("orders"))

    @property
    def cac(self) -> Decimal | None:
        return metrics.cac(self.cost_or_none, self.count("new_customers"))

    @property
    def roi(self) -> Decimal | None:
        return metrics.roi(self.revenue_or_none, self.cost_or_none)

    @property
    def roas(self) -> Decimal | None:
        return metrics.roas(self.revenue_or_none, self.cost_or_none)
