"""Per-post results and their totals: the arithmetic of the four layers and the cost
metrics (``kol_desk.metrics``), kept apart from the queries in ``services.reports``.

Totals add posts up; a cost metric divides the total cost by the total of its
denominator, and a count no post reported stays unknown ("—"), never 0. The engagement
rate uses views where posts report views and falls back to followers, and says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kol_desk import metrics

ZERO = Decimal("0.00")
COUNT_FIELDS = ("impressions", "views", "likes", "comments", "shares", "saves", "danmaku",
                "coins", "clicks", "promo_uses", "orders", "new_followers", "community_joins",
                "new_customers")
SCORE_FIELDS = ("score_brand_fit", "score_creative", "score_message")


@dataclass(frozen=True)
class PostResult:
    """One collaboration with its latest result snapshot."""

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

    @property
    def engagements(self) -> int | None:
        c = self.counts
        return metrics.engagements(c["likes"], c["comments"], c["shares"], c["saves"],
                                   c["danmaku"], c["coins"])


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

    def add(self, post: PostResult) -> None:
        self.posts += 1
        self.cost += post.cost or ZERO
        for name, value in post.counts.items():
            if value is not None:
                self.counts[name] += value
                self.known.add(name)
        if post.revenue is not None:
            self.revenue += post.revenue
            self.revenue_known = True
        eng = post.engagements
        if eng is not None:
            self.engagements_total += eng
            self.engaged_posts += 1
            views = post.counts["views"]
            if views:
                self.er_views_num += eng
                self.er_views_den += views
            elif post.followers:
                self.er_followers_num += eng
                self.er_followers_den += post.followers
        for name, score in post.scores.items():
            if score is not None:
                self.score_sums[name] += score
                self.score_counts[name] += 1

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
