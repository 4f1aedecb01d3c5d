"""A workspace with two years of deal history whose fees have known structure, for
``kol-desk price --backtest``: fees depend on followers, tier, category, the agency,
the season and noise, and each agency quotes with its own mark-up and gives its own
discount. Agencies also write their quotes on their own terms: some without tax (不含税,
the number 6 % lower), some as a list price with a stated discount (九折: the number
higher, 10 % off), and some deals are agreed without tax; the model has to put them on
one basis. Independent of the demo's generator, with other numbers, so the estimate is
not tuned to one set of them.

    .venv/bin/python -m benchmarks.pricing_history OUT.sqlite [--creators 1500] [--seed 7]
    .venv/bin/kol-desk price --backtest --db OUT.sqlite --json
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from kol_desk.models import (
    Agency,
    Campaign,
    CollabDeliverable,
    Collaboration,
    Creator,
    PlatformAccount,
    Quote,
    ResultSnapshot,
)
from kol_desk.services.bulk import bulk_insert
from kol_desk.store.migrate import open_workspace

TODAY = date(2026, 11, 20)
PLATFORMS = {"douyin": "video", "xiaohongshu": "image_post", "bilibili": "video", "weibo": "image_post"}
CATEGORY = {"美妆": 1.4, "母婴": 1.25, "数码": 1.2, "汽车": 1.3, "美食": 0.9, "旅行": 1.0,
            "健身": 0.85, "游戏": 0.8, "知识": 1.1, "搞笑": 0.7}
TIERS = ((5_000_000, 1.3), (1_000_000, 1.12), (100_000, 1.0), (10_000, 0.92), (0, 0.85))
# (name, mark-up on its quotes, the share of the quote it usually settles at)
AGENCIES = (("甲方MCN", 1.2, 0.8), ("乙方传媒", 1.0, 0.92), ("丙丁达人社", 1.35, 0.75),
            ("Delta Talent", 0.95, 0.95), ("戊己工作室", 1.1, 0.85), ("庚辛文化", 1.05, 0.9))
# How each agency writes a quote (drawn from a second random stream, so the prices are
# those of the history without these terms): the share of its quotes without tax, and
# the share with a stated discount (percent off) on a list price raised to match.
TERMS = ((1.0, 0.0), (0.0, 0.0), (0.0, 0.6), (0.0, 0.0), (0.5, 0.3), (0.0, 0.0))
QUOTE_DISCOUNTS = (10.0, 15.0, 20.0)
VAT = 1.06
# The share of deals agreed without tax (their fee 6 % lower, tax added on payment).
DEALS_WITHOUT_TAX = 0.3
SEASON = {1: 0.92, 2: 0.8, 3: 0.95, 4: 1.0, 5: 1.08, 6: 1.2, 7: 0.95, 8: 0.9, 9: 1.0,
          10: 1.12, 11: 1.3, 12: 1.1}


def _row(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {"created_at": now, "updated_at": now, "version": 1, **values}


def _money(value: float) -> Decimal:
    return Decimal(max(200, int(value / 50) * 50))


def generate(path: Path, creators: int = 1500, seed: int = 7) -> None:
    rng = random.Random(seed)
    terms = random.Random(seed * 7919 + 1)
    now = datetime.now(UTC)
    workspace = open_workspace(path)
    try:
        with workspace.engine.begin() as conn:
            bulk_insert(conn, Agency, [_row({"name": name}, now) for name, _m, _d in AGENCIES])
            agency_ids = list(conn.execute(select(Agency.id).order_by(Agency.id)).scalars())
            base: dict[int, float] = {}
            home: dict[int, int] = {}
            platform_of: dict[int, str] = {}
            for n in range(creators):
                category = rng.choice(list(CATEGORY))
                platform = rng.choice(list(PLATFORMS))
                followers = int(10 ** rng.uniform(3.8, 6.9))
                agency = rng.randrange(len(AGENCIES))
                cid = conn.execute(insert(Creator).returning(Creator.id), [_row({
                    "nickname": f"达人{n}", "category": category, "agency_id": agency_ids[agency],
                    "search_text": f"达人{n}"}, now)]).scalar_one()
                aid = conn.execute(insert(PlatformAccount).returning(PlatformAccount.id), [_row({
                    "creator_id": cid, "platform": platform, "handle": f"h{n}", "handle_display": f"h{n}",
                    "nickname": f"达人{n}", "followers": followers}, now)]).scalar_one()
                tier = next(p for bound, p in TIERS if followers >= bound)
                base[aid] = 1.1 * followers ** 0.75 * tier * CATEGORY[category] * rng.lognormvariate(0, 0.3)
                home[aid] = agency
                platform_of[aid] = platform
            quotes = []
            for aid, price in base.items():
                for agency in rng.sample(range(len(AGENCIES)), k=rng.randint(1, 3)):
                    for _ in range(rng.randint(1, 3)):
                        day = TODAY - timedelta(days=rng.randint(0, 730))
                        value = price * AGENCIES[agency][1] * SEASON[day.month] * rng.lognormvariate(0, 0.1)
                        without_tax, discounted = TERMS[agency]
                        included = terms.random() >= without_tax
                        discount = terms.choice(QUOTE_DISCOUNTS) if terms.random() < discounted else None
                        value = value if included else value / VAT
                        value = value if discount is None else value / (1 - discount / 100)
                        amount = _money(value)
                        quotes.append(_row({"account_id": aid, "deliverable": PLATFORMS[platform_of[aid]],
                                            "price_min": amount, "price_max": amount, "currency": "CNY",
                                            "source_kind": "agency_list", "agency_id": agency_ids[agency],
                                            "quoted_on": day, "tax_included": included,
                                            "discount_pct": discount}, now))
            bulk_insert(conn, Quote, quotes)
            accounts = list(base)
            for month in range(24):
                start = date(TODAY.year - 2, TODAY.month, 1) + timedelta(days=31 * month)
                start = start.replace(day=rng.randint(1, 20))
                campaign = conn.execute(insert(Campaign).returning(Campaign.id), [_row({
                    "name": f"项目 {start:%Y-%m}", "objective": "awareness", "start_date": start,
                    "end_date": start + timedelta(days=45), "currency": "CNY"}, now)]).scalar_one()
                for position, aid in enumerate(rng.sample(accounts, k=40)):
                    _name, markup, settles = AGENCIES[home[aid]]
                    season = SEASON[start.month]
                    quoted_value = base[aid] * markup * season * rng.lognormvariate(0, 0.05)
                    agreed_value = base[aid] * markup * settles * season * rng.lognormvariate(0, 0.08)
                    included = terms.random() >= DEALS_WITHOUT_TAX
                    quoted = _money(quoted_value if included else quoted_value / VAT)
                    agreed = _money(agreed_value if included else agreed_value / VAT)
                    collab = conn.execute(insert(Collaboration).returning(Collaboration.id), [_row({
                        "campaign_id": campaign, "account_id": aid,
                        "creator_id": conn.execute(select(PlatformAccount.creator_id).where(
                            PlatformAccount.id == aid)).scalar_one(),
                        "stage": "paid", "position": position, "quoted_fee": quoted, "agreed_fee": agreed,
                        "net_fee": agreed, "tax_included": included, "tax_rate": 0.06,
                        "post_date": start + timedelta(days=20)}, now)]).scalar_one()
                    conn.execute(insert(CollabDeliverable), [_row({
                        "collaboration_id": collab, "kind": PLATFORMS[platform_of[aid]], "count": 1}, now)])
                    views = int(base[aid] * rng.uniform(8, 40))
                    conn.execute(insert(ResultSnapshot), [_row({
                        "collaboration_id": collab, "taken_on": start + timedelta(days=27), "views": views,
                        "impressions": views * 2, "likes": views // 30, "comments": views // 300,
                        "shares": views // 500, "saves": views // 200, "source": "T+7"}, now)])
    finally:
        workspace.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--creators", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.out.exists():
        raise SystemExit(f"{args.out} exists; give a new file.")
    generate(args.out, args.creators, args.seed)


if __name__ == "__main__":
    main()
