"""A small workspace with hand-computed results, shared by the report tests.

Campaign "Spring" (budget ¥100,000; KPIs 1,000,000 impressions, 10,000 engagements,
100 orders, ¥50,000 revenue; no click KPI):

* 甜桃 on Xiaohongshu, 50,000 followers (micro), fee ¥5,000, agency 青柚, posted 11-05.
  T+7 and T+21 snapshots; the T+21 one counts: 250,000 impressions, 100,000 views,
  likes 1,500 + comments 200 + shares 100 + saves 200 = 2,000 engagements, 500 clicks,
  40 orders, ¥12,000 revenue → CPM 20, CPV 0.05, CPE 2.5, CPC 10, CPA 125, ROI 140 %.
* Leo on Douyin, 2,000,000 followers (top), fee ¥20,000, no agency, posted 11-20:
  0 impressions, no views, 1,000 likes and 0 comments, 0 clicks, no orders or revenue
  → CPM, CPV, CPC, CPA, ROI are "—"; engagement rate on followers 0.05 %.
* A dropped collaboration with results (never counts) and a contracted one without
  results (fee ¥3,000, ¥1,000 paid: counts for money only).

Payments made: ¥5,000 + ¥10,000 + ¥1,000 = ¥16,000 spent; committed ¥12,000.
Campaign "Quiet" has no collaborations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kol_desk.models import (
    Agency,
    Campaign,
    Collaboration,
    Creator,
    Payment,
    PlatformAccount,
    ResultSnapshot,
)
from kol_desk.store.database import Workspace


@dataclass(frozen=True)
class Ids:
    spring: int
    quiet: int
    agency: int
    tao: int  # collaboration ids
    leo: int
    dropped: int
    waiting: int
    tao_creator: int
    leo_creator: int


def _creator(session: object, nickname: str, platform: str, followers: int, agency: Agency | None) -> PlatformAccount:
    creator = Creator(nickname=nickname, search_text=nickname.lower(), agency=agency)
    account = PlatformAccount(platform=platform, handle=nickname.lower(), handle_display=nickname,
                              followers=followers)
    creator.accounts.append(account)
    session.add(creator)  # type: ignore[attr-defined]
    return account


def build(workspace: Workspace) -> Ids:
    with workspace.transaction() as s:
        agency = Agency(name="青柚文化")
        spring = Campaign(name="Spring", objective="launch", start_date=date(2026, 11, 1),
                          end_date=date(2026, 12, 31), budget=Decimal("100000"),
                          kpi_impressions=1_000_000, kpi_engagements=10_000, kpi_orders=100,
                          kpi_revenue=Decimal("50000"))
        quiet = Campaign(name="Quiet", objective="awareness", budget=Decimal("20000"))
        s.add_all([agency, spring, quiet])
        tao = _creator(s, "甜桃", "xiaohongshu", 50_000, agency)
        leo = _creator(s, "Leo", "douyin", 2_000_000, None)
        gone = _creator(s, "Gone", "weibo", 30_000, None)
        wait = _creator(s, "Waiting", "bilibili", 80_000, agency)
        s.flush()

        def collab(account: PlatformAccount, stage: str, fee: str, post: date | None) -> Collaboration:
            c = Collaboration(campaign_id=spring.id, account_id=account.id, creator_id=account.creator_id,
                              stage=stage, agreed_fee=Decimal(fee), post_date=post)
            s.add(c)
            return c

        c_tao = collab(tao, "results_in", "5000", date(2026, 11, 5))
        c_tao.score_brand_fit, c_tao.score_creative, c_tao.score_message = 5, 4, 3
        c_leo = collab(leo, "results_in", "20000", date(2026, 11, 20))
        c_gone = collab(gone, "dropped", "9000", date(2026, 11, 6))
        c_wait = collab(wait, "contracted", "3000", None)
        s.flush()
        s.add_all([
            ResultSnapshot(collaboration_id=c_tao.id, taken_on=date(2026, 11, 12), impressions=100_000,
                           views=40_000, likes=800, comments=100, shares=50, saves=50, clicks=400,
                           orders=20, revenue=Decimal("6000")),
            ResultSnapshot(collaboration_id=c_tao.id, taken_on=date(2026, 11, 26), impressions=250_000,
                           views=100_000, likes=1500, comments=200, shares=100, saves=200, clicks=500,
                           orders=40, revenue=Decimal("12000"), new_followers=300, community_joins=25),
            ResultSnapshot(collaboration_id=c_leo.id, taken_on=date(2026, 11, 27), impressions=0,
                           likes=1000, comments=0, clicks=0),
            ResultSnapshot(collaboration_id=c_gone.id, taken_on=date(2026, 11, 13), impressions=999_999,
                           views=999_999, likes=99_999),
            Payment(collaboration_id=c_tao.id, kind="full", amount=Decimal("5000"), paid_on=date(2026, 11, 10)),
            Payment(collaboration_id=c_leo.id, kind="deposit", amount=Decimal("10000"), paid_on=date(2026, 11, 2)),
            Payment(collaboration_id=c_leo.id, kind="balance", amount=Decimal("10000"), paid_on=None),
            Payment(collaboration_id=c_wait.id, kind="deposit", amount=Decimal("1000"), paid_on=date(2026, 11, 3)),
        ])
        s.flush()
        return Ids(spring.id, quiet.id, agency.id, c_tao.id, c_leo.id, c_gone.id, c_wait.id,
                   tao.creator_id, leo.creator_id)
