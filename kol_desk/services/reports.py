"""The four-layer evaluation (reach, content, audience, commercial) over a chosen scope, shared by the Reports tab,
the boss workbook and ``kol-desk export report`` so the three always show the same numbers.

What counts: every collaboration in scope that has at least one result snapshot; its
*latest* snapshot is its result (snapshots are history, T+7 then T+21...). Its cost is the
agreed fee. Totals add posts up; cost metrics divide total cost by the total of the
denominator (``kol_desk.metrics``), so a missing or zero denominator is "—", never 0.
Engagement rate uses views where views are known and falls back to followers, and says
which (``EngagementRate.basis``).

Money against budget (spent, committed) is ``services.money``'s, as on the Budget tab and
the Campaigns list: spent = payments made (tax included), committed = what the cards not
dropped still cost beyond what was paid, over every collaboration in scope, whether or
not it has results yet. The campaigns' *planned* budget (their own field) and the
*allocated* budget (the Budget tab's ledger) are two figures with two names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select

from kol_desk import metrics
from kol_desk.domain import Stage, Tier
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, tier_label
from kol_desk.models import (
    Agency,
    BudgetEntry,
    Campaign,
    Collaboration,
    Creator,
    Payment,
    PlatformAccount,
    ResultSnapshot,
)
from kol_desk.services.money import CardMoney, collaboration_cost, paid_per_card
from kol_desk.services.report_totals import (
    COUNT_FIELDS,
    SCORE_FIELDS,
    ZERO,
    PostResult,
    Totals,
)
from kol_desk.services.tiers import thresholds_of, tier_key
from kol_desk.store.database import Workspace
from kol_desk.store.team import text_order

__all__ = ["COUNT_FIELDS", "SCORE_FIELDS", "ZERO", "GroupRow", "PostResult", "Report", "ReportScope",
           "Totals", "build_report", "group_posts", "load_posts"]

@dataclass(frozen=True)
class ReportScope:
    """What a report covers. Empty means "everything"; the period filters on post date."""

    campaign_ids: tuple[int, ...] = ()
    start: date | None = None
    end: date | None = None
    platform: str | None = None
    tier: str | None = None
    agency_id: int | None = None


@dataclass
class GroupRow:
    """One line of a per-creator / platform / tier / agency / campaign table."""

    key: object
    label: str
    totals: Totals
    currency: str
    # Filled by ``mark_extremes``: metric name → "best" / "worst".
    marks: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KpiLine:
    name: str  # "impressions", "engagements", "clicks", "orders", "revenue"
    actual: Decimal | int | None
    target: Decimal | int | None

    @property
    def progress(self) -> Decimal | None:
        return metrics.ratio(self.actual, self.target) if self.actual is not None else None


@dataclass(frozen=True)
class Money:
    """Two budgets with two names: the campaigns' *planned* budget (a field of each
    campaign) and what the Budget tab's ledger *allocated* to them."""

    budget: Decimal | None  # the campaigns' planned budgets
    allocated: Decimal  # from the Budget tab's ledger
    committed: Decimal
    spent: Decimal

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def spent_share(self) -> Decimal | None:
        """Spent as a share of the planned budget."""
        return metrics.ratio(self.spent, self.budget)

    @property
    def left_of_plan(self) -> Decimal | None:
        """Planned budget − committed − spent (the Budget tab's "Remaining" is of the
        allocation instead)."""
        return None if self.budget is None else self.budget - self.committed - self.spent

    @property
    def remaining(self) -> Decimal:
        """Allocated − committed − spent, as the Budget tab defines it."""
        return self.allocated - self.committed - self.spent


@dataclass
class Report:
    scope: ReportScope
    campaigns: list[tuple[int, str]]
    currency: str
    mixed_currencies: bool
    posts: list[PostResult]
    totals: Totals
    kpis: list[KpiLine]
    money: Money
    findings: list[str] = field(default_factory=list)
    _groups: dict[str, list[GroupRow]] = field(default_factory=dict, repr=False)

    def group(self, by: str) -> list[GroupRow]:
        """Totals per creator / platform / tier / agency / campaign / post (computed once;
        the rows are shared, so treat them as read-only)."""
        if by not in self._groups:
            self._groups[by] = group_posts(self.posts, by, self.currency)
        return self._groups[by]


# ---------------------------------------------------------------------------- queries

# The report reads the Core tables, not the mapped classes: a statement over ORM attributes
# first configures every mapper (~0.12 s CPU, the first query of a `kol-desk export report`).
COLLAB, CAMPAIGN, CREATOR, ACCOUNT, AGENCY, SNAPSHOT, PAYMENT, BUDGET = (
    model.__table__ for model in (Collaboration, Campaign, Creator, PlatformAccount, Agency,
                                  ResultSnapshot, Payment, BudgetEntry))


def _scoped(query: Select, scope: ReportScope, dropped: bool = False) -> Select:  # type: ignore[type-arg]
    """``query`` narrowed to the scope's collaborations (dropped ones only with ``dropped``:
    what was paid for them was still spent)."""
    if not dropped:
        query = query.where(COLLAB.c.stage != Stage.DROPPED.value)
    if scope.campaign_ids:
        query = query.where(COLLAB.c.campaign_id.in_(scope.campaign_ids))
    if scope.start is not None:
        query = query.where(COLLAB.c.post_date >= scope.start)
    if scope.end is not None:
        query = query.where(COLLAB.c.post_date <= scope.end)
    if scope.platform:
        query = query.where(ACCOUNT.c.platform == scope.platform)
    if scope.agency_id is not None:
        query = query.where(CREATOR.c.agency_id == scope.agency_id)
    return query


def load_posts(workspace: Workspace, scope: ReportScope) -> list[PostResult]:
    snap = SNAPSHOT.c
    latest_day = (select(snap.collaboration_id.label("cid"), func.max(snap.taken_on).label("day"))
                  .group_by(snap.collaboration_id).subquery())
    latest = (select(snap.collaboration_id.label("cid"), func.max(snap.id).label("sid"))
              .join(latest_day, (latest_day.c.cid == snap.collaboration_id)
                    & (latest_day.c.day == snap.taken_on))
              .group_by(snap.collaboration_id).subquery())
    # Plain columns, not ORM entities: 10,000 posts load several times faster this way.
    snap_columns = [snap[name] for name in COUNT_FIELDS]
    score_columns = [COLLAB.c[name] for name in SCORE_FIELDS]
    query = (
        select(COLLAB.c.id, COLLAB.c.campaign_id, COLLAB.c.creator_id, COLLAB.c.post_date,
               func.coalesce(COLLAB.c.net_fee, COLLAB.c.agreed_fee), CAMPAIGN.c.name, CAMPAIGN.c.currency, CREATOR.c.nickname,
               CREATOR.c.tier_override, CREATOR.c.agency_id, AGENCY.c.name, ACCOUNT.c.platform,
               ACCOUNT.c.handle_display, ACCOUNT.c.followers, snap.taken_on, snap.revenue,
               *snap_columns, *score_columns, COLLAB.c.tax_included, COLLAB.c.tax_rate,
               COLLAB.c.invoice_type)
        .select_from(COLLAB)
        .join(CAMPAIGN, CAMPAIGN.c.id == COLLAB.c.campaign_id)
        .join(CREATOR, CREATOR.c.id == COLLAB.c.creator_id)
        .join(ACCOUNT, ACCOUNT.c.id == COLLAB.c.account_id)
        .outerjoin(AGENCY, AGENCY.c.id == CREATOR.c.agency_id)
        .join(latest, latest.c.cid == COLLAB.c.id)
        .join(SNAPSHOT, snap.id == latest.c.sid)
        .order_by(COLLAB.c.campaign_id, COLLAB.c.id)
    )
    query = _scoped(query, scope)
    with workspace.session() as session:
        rows: list[Any] = list(session.execute(query).all())
        thresholds = thresholds_of(session)
    first_count = 16
    first_score = first_count + len(COUNT_FIELDS)
    first_tax = first_score + len(SCORE_FIELDS)
    posts = []
    for r in rows:
        tier = tier_key(r[13], r[11], r[8], thresholds)
        if scope.tier and tier != scope.tier:
            continue
        counts = dict(zip(COUNT_FIELDS, r[first_count:first_score], strict=True))
        posts.append(PostResult(
            collaboration_id=r[0], campaign_id=r[1], campaign=r[5], creator_id=r[2], nickname=r[7],
            platform=r[11], handle=r[12], tier=tier, agency_id=r[9], agency=r[10], followers=r[13],
            post_date=r[3], taken_on=r[14], currency=r[6],
            cost=collaboration_cost(r[4], r[first_tax], r[first_tax + 1], r[first_tax + 2]),
            counts=counts, engagements=PostResult.engagements_of(counts),
            revenue=r[15], scores=dict(zip(SCORE_FIELDS, r[first_score:first_tax], strict=True)),
        ))
    return posts


def _money(workspace: Workspace, scope: ReportScope, campaign_ids: list[int]) -> Money:
    """Spent and committed over the scope's collaborations, card by card through
    ``services.money`` (the tier filter applies in Python, as in ``load_posts``); the
    planned budget and the allocation are the campaigns' own."""
    paid = paid_per_card()

    def scoped(*columns: Any) -> Select:  # type: ignore[type-arg]
        query = select(*columns).select_from(COLLAB)
        # Joined only when the scope filters on them: 9k lookups into the 100k-row
        # creators and accounts tables were most of this query's time.
        if scope.agency_id is not None or scope.tier:
            query = query.join(CREATOR, CREATOR.c.id == COLLAB.c.creator_id)
        if scope.platform or scope.tier:
            query = query.join(ACCOUNT, ACCOUNT.c.id == COLLAB.c.account_id)
        return _scoped(query.outerjoin(paid, paid.c.collaboration_id == COLLAB.c.id), scope,
                       dropped=True)

    card_columns = (COLLAB.c.stage, func.coalesce(COLLAB.c.net_fee, COLLAB.c.agreed_fee),
                    COLLAB.c.tax_included, COLLAB.c.tax_rate, COLLAB.c.invoice_type,
                    paid.c.paid_amount, paid.c.paid_tax)
    money = CardMoney()
    with workspace.session() as session:
        if scope.tier:
            rows = session.execute(scoped(ACCOUNT.c.followers, ACCOUNT.c.platform,
                                          CREATOR.c.tier_override, *card_columns)).all()
            thresholds = thresholds_of(session)
            cards: Sequence[Any] = [r[3:] for r in rows if tier_key(r[0], r[1], r[2], thresholds) == scope.tier]
        else:
            # fetchall, not a fetchone per row (10k cards at 2,500 posts).
            cards = session.execute(scoped(*card_columns)).all()
        budgets = session.execute(
            select(CAMPAIGN.c.budget).where(CAMPAIGN.c.id.in_(campaign_ids))).scalars().all()
        allocated = session.scalar(
            select(func.sum(BUDGET.c.amount)).where(BUDGET.c.campaign_id.in_(campaign_ids)))
    for card in cards:
        money.add(*card)
    known = [b for b in budgets if b is not None]
    return Money(budget=sum(known, ZERO) if known else None, allocated=allocated or ZERO,
                 committed=money.committed, spent=money.spent)


KPI_FIELDS = ("impressions", "engagements", "clicks", "orders", "revenue")


def _kpis(workspace: Workspace, campaign_ids: list[int], totals: Totals) -> list[KpiLine]:
    with workspace.session() as session:
        rows = session.execute(
            select(*(CAMPAIGN.c[f"kpi_{name}"] for name in KPI_FIELDS))
            .where(CAMPAIGN.c.id.in_(campaign_ids))).all()
    actual: dict[str, Decimal | int | None] = {
        "impressions": totals.count("impressions"), "engagements": totals.engagements,
        "clicks": totals.count("clicks"), "orders": totals.count("orders"),
        "revenue": totals.revenue,
    }
    lines = []
    for index, name in enumerate(KPI_FIELDS):
        targets: list[Any] = [r[index] for r in rows if r[index] is not None]
        target: Decimal | int | None = sum(targets) if targets else None
        lines.append(KpiLine(name, actual[name], target))
    return lines


def scope_campaigns(workspace: Workspace, scope: ReportScope) -> list[tuple[int, str, str]]:
    """(id, name, currency) of the campaigns a scope covers."""
    query = select(CAMPAIGN.c.id, CAMPAIGN.c.name, CAMPAIGN.c.currency).order_by(CAMPAIGN.c.id)
    if scope.campaign_ids:
        query = query.where(CAMPAIGN.c.id.in_(scope.campaign_ids))
    else:
        query = query.where(CAMPAIGN.c.archived_at.is_(None))
    with workspace.session() as session:
        return [(r[0], r[1], r[2]) for r in session.execute(query)]


def build_report(workspace: Workspace, scope: ReportScope) -> Report:
    from kol_desk.services.report_findings import key_findings

    campaigns = scope_campaigns(workspace, scope)
    campaign_ids = [c[0] for c in campaigns]
    if not scope.campaign_ids:
        scope = ReportScope(tuple(campaign_ids), scope.start, scope.end, scope.platform,
                            scope.tier, scope.agency_id)
    posts = load_posts(workspace, scope)
    totals = Totals.of(posts)
    currencies = sorted({c[2] for c in campaigns}) or ["CNY"]
    report = Report(
        scope=scope, campaigns=[(c[0], c[1]) for c in campaigns], currency=currencies[0],
        mixed_currencies=len(currencies) > 1, posts=posts, totals=totals,
        kpis=_kpis(workspace, campaign_ids, totals), money=_money(workspace, scope, campaign_ids),
    )
    report.findings = key_findings(report)
    return report


# ---------------------------------------------------------------------------- groups

_GROUP_KEYS: dict[str, Callable[[PostResult], tuple[object, str]]] = {
    "creator": lambda p: (p.creator_id, p.nickname),
    "platform": lambda p: (p.platform, platform_label(p.platform)),
    "tier": lambda p: (p.tier, tier_label(p.tier)),
    "agency": lambda p: (p.agency_id, p.agency or tr("No agency")),
    "campaign": lambda p: (p.campaign_id, p.campaign),
    "post": lambda p: (p.collaboration_id, f"{p.nickname} · {p.campaign}"),
}
TIER_ORDER = [t.value for t in Tier]
# Best is the lowest cost per result, or the highest return.
EXTREME_METRICS: dict[str, bool] = {"cpe": False, "cpm": False, "roi": True}


def group_posts(posts: Iterable[PostResult], by: str, currency: str = "CNY") -> list[GroupRow]:
    """Totals per creator / platform / tier / agency / campaign / post, largest cost first
    (tiers in tier order), with the best and worst CPE, CPM and ROI marked."""
    keyer = _GROUP_KEYS[by]
    members: dict[object, tuple[str, list[PostResult]]] = {}
    for post in posts:
        key, label = keyer(post)
        member = members.get(key)
        if member is None:
            members[key] = (label, [post])
        else:
            member[1].append(post)
    rows = [GroupRow(key, label, Totals.of(group), currency) for key, (label, group) in members.items()]
    if by == "tier":
        rows.sort(key=lambda r: TIER_ORDER.index(str(r.key)) if r.key in TIER_ORDER else 99)
    else:
        rows.sort(key=lambda r: (-r.totals.cost, r.label))
    mark_extremes(rows)
    return rows


def _first(pair: tuple[Any, GroupRow]) -> Any:
    return pair[0]


def mark_extremes(rows: list[GroupRow]) -> None:
    for name, higher_is_better in EXTREME_METRICS.items():
        valued = [(value, r) for r in rows if (value := getattr(r.totals, name)) is not None]
        if len(valued) < 2:
            continue
        # The first of equal lows and the last of equal highs, as a stable sort would give.
        low = min(valued, key=_first)[1]
        high = max(reversed(valued), key=_first)[1]
        best, worst = (high, low) if higher_is_better else (low, high)
        best.marks[name] = "best"
        worst.marks[name] = "worst"


def agency_choices(workspace: Workspace) -> list[tuple[int, str]]:
    """(id, name) of every agency, for the scope picker."""
    with workspace.session() as session:
        return [(r[0], r[1]) for r in session.execute(
            select(AGENCY.c.id, AGENCY.c.name).order_by(text_order(AGENCY.c.name)))]
