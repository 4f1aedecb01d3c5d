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


# A one-post group's score counts: a known score counts once, an unknown one gives
# ratio(None, 1) = None.
_ONE_EACH = dict.fromkeys(SCORE_FIELDS, 1)


@dataclass(slots=True)
class Totals:
    """Sums over posts; every rate and cost metric derives from these. A count or the
    revenue that no post reported is None ("—"), never 0."""

    posts: int = 0
    cost: Decimal = ZERO
    revenue: Decimal | None = None
    counts: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS))
    engagements: int | None = None
    # Engagement-rate parts: engagements over views where views are known, else followers.
    er_views_num: int = 0
    er_views_den: int = 0
    er_followers_num: int = 0
    er_followers_den: int = 0
    score_sums: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(SCORE_FIELDS))
    score_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORE_FIELDS, 0))
    # The metrics that rank groups (best and worst marks, findings, the top-creators chart),
    # worked out once here: each group is ranked three or four times, then written.
    cpm: Decimal | None = field(init=False)
    cpe: Decimal | None = field(init=False)
    roi: Decimal | None = field(init=False)

    def __post_init__(self) -> None:
        cost = self.cost if self.posts else None
        self.cpm = metrics.cpm(cost, self.counts["impressions"])
        self.cpe = metrics.cpe(cost, self.engagements)
        self.roi = metrics.roi(self.revenue, cost)

    @classmethod
    def of(cls, posts: Sequence[PostResult]) -> Totals:
        """The totals of ``posts``. A report makes one per group (every creator, platform,
        tier, agency and campaign; most creators have one post), so this is its inner
        loop: the columns are added with ``sum``, and a one-post group shares its post's
        counts instead of copying them (both are read-only)."""
        if len(posts) == 1:
            return cls._of_one(posts[0])
        counts: dict[str, int | None] = dict.fromkeys(COUNT_FIELDS)
        for name, column in zip(COUNT_FIELDS, zip(*[p.counts.values() for p in posts], strict=True),
                                strict=False):
            values = [v for v in column if v is not None]
            if values:
                counts[name] = sum(values)
        score_sums: dict[str, int | None] = dict.fromkeys(SCORE_FIELDS)
        score_counts = dict.fromkeys(SCORE_FIELDS, 0)
        for name, column in zip(SCORE_FIELDS, zip(*[p.scores.values() for p in posts], strict=True),
                                strict=False):
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
        return cls(len(posts), sum([p.cost for p in posts if p.cost is not None], ZERO),
                   sum(revenues, ZERO) if revenues else None, counts,
                   sum([p.engagements for p in engaged]) if engaged else None,  # type: ignore[misc]
                   rate[0], rate[1], rate[2], rate[3], score_sums, score_counts)

    @classmethod
    def _of_one(cls, post: PostResult) -> Totals:
        eng, views, followers = post.engagements, post.counts["views"], post.followers
        if eng is None:
            rate = (0, 0, 0, 0)
        elif views:
            rate = (eng, views, 0, 0)
        elif followers:
            rate = (0, 0, eng, followers)
        else:
            rate = (0, 0, 0, 0)
        return cls(1, post.cost if post.cost is not None else ZERO, post.revenue, post.counts, eng,
                   *rate, post.scores, _ONE_EACH)

    def count(self, name: str) -> int | None:
        return self.counts[name]

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
    def cpv(self) -> Decimal | None:
        return metrics.cpv(self.cost_or_none, self.count("views"))

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
    def roas(self) -> Decimal | None:
        return metrics.roas(self.revenue, self.cost_or_none)
