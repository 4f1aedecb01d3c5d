"""The internal creator rating: evidence from past collaborations, on a 1.0–5.0 scale.

Formula (also in the README). For every collaboration with results (its latest snapshot)
three parts are scored 1–5:

* cost:       ``clamp(3 + 2 × log2(platform median CPE ÷ this CPE), 1, 5)`` — as cheap per
  engagement as the platform's median collaboration gives 3, half the median gives 5,
  twice the median gives 1;
* engagement: ``clamp(3 + 2 × log2(this engagement rate ÷ platform median rate), 1, 5)``,
  the rate on views, or on followers when a post reports no views;
* quality:    the mean of the collaboration's quality scores (brand fit, creative quality,
  message accuracy; 1–5) that were entered.

The collaboration's score is the weighted mean of the parts it has (cost 0.4, engagement
0.3, quality 0.3; missing parts drop out and the weights are rescaled). The creator's
rating is the mean over its collaborations, rounded to one decimal, stored in
``creators.rating``; NULL when there are no results. Medians are taken over every
collaboration with results in the workspace on the same platform (platforms count
engagement differently, so only like is compared with like), which is why any change to
results recomputes every rating.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kol_desk import metrics
from kol_desk.models import Campaign, Collaboration, Creator, PlatformAccount, ResultSnapshot
from kol_desk.services.deal_cost import cost_of
from kol_desk.services.money import collaboration_cost
from kol_desk.store.database import Workspace

WEIGHTS = {"cost": 0.4, "engagement": 0.3, "quality": 0.3}


@dataclass(frozen=True)
class PastResult:
    """One past collaboration of a creator, as its record shows it."""

    collaboration_id: int
    campaign: str
    platform: str
    handle: str
    post_date: date | None
    taken_on: date
    cost: Decimal | None
    impressions: int | None
    views: int | None
    engagements: int | None
    engagement_rate: metrics.EngagementRate
    orders: int | None
    revenue: Decimal | None
    cpe: Decimal | None
    cpm: Decimal | None
    roi: Decimal | None
    scores: tuple[int | None, int | None, int | None]
    score: float | None  # this collaboration's part of the rating


def _log_score(ratio: float) -> float:
    return max(1.0, min(5.0, 3.0 + 2.0 * math.log2(ratio)))


def _latest_rows(session: Session, creator_id: int | None = None) -> list[Any]:
    latest_day = (select(ResultSnapshot.collaboration_id.label("cid"),
                         func.max(ResultSnapshot.taken_on).label("day"))
                  .group_by(ResultSnapshot.collaboration_id).subquery())
    latest = (select(func.max(ResultSnapshot.id).label("sid"))
              .join(latest_day, (latest_day.c.cid == ResultSnapshot.collaboration_id)
                    & (latest_day.c.day == ResultSnapshot.taken_on))
              .group_by(ResultSnapshot.collaboration_id).subquery())
    query = (select(Collaboration, ResultSnapshot, PlatformAccount.platform,
                    PlatformAccount.handle_display, PlatformAccount.followers, Campaign.name)
             .join(ResultSnapshot, ResultSnapshot.collaboration_id == Collaboration.id)
             .join(latest, latest.c.sid == ResultSnapshot.id)
             .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
             .join(Campaign, Campaign.id == Collaboration.campaign_id)
             .where(Collaboration.stage != "dropped"))
    if creator_id is not None:
        query = query.where(Collaboration.creator_id == creator_id)
    return list(session.execute(query).all())


def _facts(row: Any) -> tuple[Decimal | None, metrics.EngagementRate, int | None]:
    collab, snap, _platform, _handle, followers, _campaign = row
    eng = metrics.engagements(snap.likes, snap.comments, snap.shares, snap.saves, snap.danmaku, snap.coins)
    return metrics.cpe(_cost(collab), eng), metrics.engagement_rate(eng, snap.views, followers), eng


def _cost(collab: Collaboration) -> Decimal | None:
    return collaboration_cost(cost_of(collab), collab.tax_included, collab.tax_rate, collab.invoice_type)


@dataclass(frozen=True)
class _Medians:
    cpe: dict[str, float]
    rate: dict[str, float]


def _medians(rows: Iterable[Any]) -> _Medians:
    cpes: dict[str, list[float]] = {}
    rates: dict[str, list[float]] = {}
    for row in rows:
        cpe, rate, _ = _facts(row)
        platform = row[2]
        if cpe is not None and cpe > 0:
            cpes.setdefault(platform, []).append(float(cpe))
        if rate.value is not None and rate.value > 0:
            rates.setdefault(platform, []).append(float(rate.value))
    return _Medians({p: statistics.median(v) for p, v in cpes.items()},
                    {p: statistics.median(v) for p, v in rates.items()})


def collaboration_score(row: Any, medians: _Medians) -> float | None:
    collab = row[0]
    platform = row[2]
    cpe, rate, _ = _facts(row)
    parts: dict[str, float] = {}
    median_cpe = medians.cpe.get(platform)
    if cpe is not None and cpe > 0 and median_cpe:
        parts["cost"] = _log_score(median_cpe / float(cpe))
    median_rate = medians.rate.get(platform)
    if rate.value is not None and rate.value > 0 and median_rate:
        parts["engagement"] = _log_score(float(rate.value) / median_rate)
    scores = [s for s in (collab.score_brand_fit, collab.score_creative, collab.score_message) if s is not None]
    if scores:
        parts["quality"] = sum(scores) / len(scores)
    if not parts:
        return None
    weight = sum(WEIGHTS[name] for name in parts)
    return sum(WEIGHTS[name] * value for name, value in parts.items()) / weight


def compute_ratings(rows: list[Any]) -> dict[int, float]:
    """creator id → rating, from rows of ``_latest_rows``."""
    medians = _medians(rows)
    per_creator: dict[int, list[float]] = {}
    for row in rows:
        score = collaboration_score(row, medians)
        if score is not None:
            per_creator.setdefault(row[0].creator_id, []).append(score)
    return {cid: round(sum(v) / len(v), 1) for cid, v in per_creator.items()}


def recompute_ratings(session: Session, _changed: Iterable[int] = ()) -> int:
    """Recompute every creator's rating inside the caller's transaction (the medians are
    workspace-wide, so one new result can move others); returns how many changed."""
    ratings = compute_ratings(_latest_rows(session))
    current = dict(session.execute(
        select(Creator.id, Creator.rating).where(Creator.rating.is_not(None) | Creator.id.in_(list(ratings)))
    ).all())
    changed = 0
    for creator_id, old in current.items():
        new = ratings.get(creator_id)
        if old == new:
            continue
        session.execute(update(Creator).where(Creator.id == creator_id)
                        .values(rating=new, version=Creator.version + 1)
                        .execution_options(synchronize_session=False))
        changed += 1
    return changed


def refresh_all_ratings(workspace: Workspace) -> int:
    """One transaction that brings every rating up to date (after a demo or an import)."""
    with workspace.transaction() as session:
        return recompute_ratings(session)


def past_results(workspace: Workspace, creator_id: int) -> list[PastResult]:
    """The creator's collaborations with results, newest first, with cost per result."""
    with workspace.session() as session:
        medians = _medians(_latest_rows(session))
        rows = _latest_rows(session, creator_id)
    out = []
    for row in rows:
        collab, snap, platform, handle, _followers, campaign = row
        cpe, rate, eng = _facts(row)
        cost = _cost(collab)
        out.append(PastResult(
            collaboration_id=collab.id, campaign=campaign, platform=platform, handle=handle,
            post_date=collab.post_date, taken_on=snap.taken_on, cost=cost,
            impressions=snap.impressions, views=snap.views, engagements=eng, engagement_rate=rate,
            orders=snap.orders, revenue=snap.revenue, cpe=cpe,
            cpm=metrics.cpm(cost, snap.impressions),
            roi=metrics.roi(snap.revenue, cost),
            scores=(collab.score_brand_fit, collab.score_creative, collab.score_message),
            score=(round(s, 1) if (s := collaboration_score(row, medians)) is not None else None),
        ))
    out.sort(key=lambda r: (r.post_date or r.taken_on), reverse=True)
    return out
