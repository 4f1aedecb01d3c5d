"""The demo workspace: invented but realistic creators, quotes, campaigns, budget and
results, so a new user sees a living app. The same generator builds test and benchmark
databases of any size (``kol-desk demo --db PATH --creators N``).

Rows are written in one transaction by a bulk path that skips SQLAlchemy's per-row
work: each column's bind processor runs once per distinct value (a year of rows shares a
few hundred dates and one timestamp), then the driver's ``executemany`` takes plain
tuples. On SQLite the search index is filled in one statement after the creators, not by
its per-row trigger. Profiled at 100k creators (benchmarks/README.md): per-row type
processing and the FTS trigger were ~90% of the time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select

from kol_desk.domain import PIPELINE, PLATFORM_CHANNEL, Channel, Deliverable, Platform, Stage
from kol_desk.models import (
    Agency,
    AgencyContact,
    BudgetEntry,
    BudgetPeriod,
    Campaign,
    CollabDeliverable,
    Collaboration,
    Creator,
    CreatorTag,
    Payment,
    PlatformAccount,
    Quote,
    ResultSnapshot,
    Setting,
    StageChange,
)
from kol_desk.services.bulk import bulk_insert, large_page_cache, search_index_filled_after
from kol_desk.services.deal_cost import (
    DEFAULT_PLATFORM_FEE_PERCENT,
    breakdown,
    default_channel,
)
from kol_desk.services.money import fee_tax
from kol_desk.services.payments import plan_lines
from kol_desk.services.rating import refresh_all_ratings
from kol_desk.services.search_text import build_search_text
from kol_desk.store.database import Workspace
from kol_desk.store.team import reset_id_sequences

_PREFIXES = ["小", "阿", "大", "甜", "酷", "暖", "萌", "野", "白", "橙", "一只", "是", "叫我", "今天也"]
_CORES = ["鱼", "桃子", "可乐", "团子", "饭饭", "喵", "七七", "栗子", "米粒", "柚子", "茶茶", "豆豆",
          "酱", "牛奶", "糖糖", "阿飞", "小满", "春卷", "芒果", "布丁", "雪梨", "橘子", "奶盖", "松果"]
_SUFFIXES = ["", "", "呀", "酱", "同学", "姐姐", "日记", "的厨房", "爱美妆", "探店", "很忙", "Vlog",
             "的日常", "研究所", "本人", "说车", "玩数码", "学姐", "plog", "小屋"]
_LATIN = ["Luna", "Milo", "Coco", "Jasper", "Nova", "Yuki", "Leo", "Ivy", "Kiki", "Max", "Zoe",
          "Eli", "Mia", "Ray", "Sunny", "Aria"]
CATEGORIES = ["美妆", "护肤", "美食", "母婴", "数码", "穿搭", "旅行", "家居", "健身", "宠物",
              "游戏", "汽车", "知识", "情感", "搞笑"]
CITIES = ["上海", "北京", "杭州", "广州", "深圳", "成都", "重庆", "武汉", "南京", "西安", "长沙",
          "苏州", "厦门", "青岛", "天津"]
AGENCIES = [
    ("星耀互娱MCN", "王珊", "13800000001"),
    ("青柚文化传媒", "李想", "13800000002"),
    ("蓝鲸达人社", "陈晨", "13800000003"),
    ("Northwind Talent", "Amy Zhou", "13800000004"),
    ("橙子种草工作室", "赵敏", "13800000005"),
]
TAGS = ["高性价比", "复购", "成分党", "颜值高", "剧情", "测评", "口播", "真人出镜", "学生党", "宝妈"]
# Weighted towards the platforms Chinese brands use most.
_PLATFORM_WEIGHTS: list[tuple[Platform, int]] = [
    (Platform.DOUYIN, 30), (Platform.XIAOHONGSHU, 30), (Platform.BILIBILI, 10),
    (Platform.WEIBO, 8), (Platform.KUAISHOU, 8), (Platform.WECHAT_CHANNELS, 6),
    (Platform.WECHAT_OA, 3), (Platform.TIKTOK, 2), (Platform.INSTAGRAM, 1),
    (Platform.YOUTUBE, 1), (Platform.X, 1),
]
_URL_HOSTS = {
    Platform.DOUYIN: "https://www.douyin.com/user/",
    Platform.XIAOHONGSHU: "https://www.xiaohongshu.com/user/profile/",
    Platform.BILIBILI: "https://space.bilibili.com/",
    Platform.WEIBO: "https://weibo.com/u/",
    Platform.KUAISHOU: "https://www.kuaishou.com/profile/",
    Platform.TIKTOK: "https://www.tiktok.com/@",
    Platform.INSTAGRAM: "https://www.instagram.com/",
    Platform.YOUTUBE: "https://www.youtube.com/@",
    Platform.X: "https://x.com/",
}
VIDEO_PLATFORMS = {Platform.DOUYIN, Platform.BILIBILI, Platform.KUAISHOU, Platform.WECHAT_CHANNELS,
                   Platform.TIKTOK, Platform.YOUTUBE}
_CHUNK = 5000


@dataclass(frozen=True)
class DemoSummary:
    creators: int
    accounts: int
    quotes: int
    campaigns: int
    collaborations: int


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    # uid is left to the column default (uuid4) or, on the bulk path, to _fast_uids.
    row.setdefault("created_at", now)
    row.setdefault("updated_at", now)
    row.setdefault("version", 1)
    return row


def _followers(rng: random.Random) -> int:
    # Log-uniform between 3k and 30M with most creators in the micro/mid range,
    # as in real lists.
    exponent = rng.triangular(3.5, 7.5, 5.0)
    return int(10**exponent)


# Fees carry the structure real ones have, so the negotiation desk's estimate has
# something to find: a price per follower that falls with size (followers^0.82), a tier
# premium, a category premium, each agency's mark-up on its quotes, the season (618,
# Double 11 dearer; Spring Festival cheaper) and noise.
_CATEGORY_PRICE = {"美妆": 1.35, "护肤": 1.3, "母婴": 1.2, "数码": 1.15, "汽车": 1.25, "穿搭": 1.1,
                   "美食": 0.95, "旅行": 1.0, "家居": 0.95, "健身": 0.9, "宠物": 0.9, "游戏": 0.85,
                   "知识": 1.05, "情感": 0.8, "搞笑": 0.75}
_TIER_PREMIUM = ((10_000_000, 1.4), (1_000_000, 1.15), (100_000, 1.05), (0, 1.0))
_AGENCY_MARKUP = (1.15, 1.0, 0.92, 1.25, 1.05)
_SEASON = {1: 0.95, 2: 0.85, 3: 0.95, 4: 1.0, 5: 1.05, 6: 1.15, 7: 0.95, 8: 0.95, 9: 1.0,
           10: 1.1, 11: 1.25, 12: 1.05}


def _price_for(followers: int, category: str | None, rng: random.Random) -> float:
    """The account's underlying price (no agency, no season), in yuan."""
    tier = next(p for bound, p in _TIER_PREMIUM if followers >= bound)
    return float(0.6 * max(followers, 1) ** 0.82 * tier * _CATEGORY_PRICE.get(category or "", 1.0)
            * rng.lognormvariate(0, 0.25))


def _fee(base: float, factor: float, on: date, noise: float, rng: random.Random) -> Decimal:
    """A fee on a day: the base times a factor, the season and noise, to ¥100 as rate cards do."""
    raw = base * factor * _SEASON[on.month] * rng.lognormvariate(0, noise)
    return Decimal(max(300, int(raw / 100) * 100))


def _nickname(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return f"{rng.choice(_LATIN)}{rng.choice(['', '_', ' '])}{rng.choice(_CORES)}"
    return f"{rng.choice(_PREFIXES)}{rng.choice(_CORES)}{rng.choice(_SUFFIXES)}"


def generate_demo(
    workspace: Workspace,
    *,
    creators: int = 300,
    seed: int = 20261128,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty workspace with demo data, in one transaction."""
    rng = random.Random(seed)
    today = today or date.today()
    now = _now()
    with workspace.engine.begin() as conn:
        if conn.execute(select(Creator.id).limit(1)).first() is not None:
            raise ValueError("the demo generator needs an empty workspace")
        with large_page_cache(conn):
            agency_ids = _agencies(conn, now)
            accounts, quotes = _creators(conn, rng, creators, agency_ids, today, now, progress)
            campaign_count, collab_count = _campaigns(conn, rng, accounts, today, now)
            conn.execute(insert(Setting), [_stamp({"key": "workspace_name", "value": "Demo"}, now)])
            reset_id_sequences(conn)  # PostgreSQL: creators were given explicit ids
    refresh_all_ratings(workspace)
    return DemoSummary(creators, len(accounts), quotes, campaign_count, collab_count)


def _agencies(conn: Connection, now: datetime) -> list[int]:
    rows = [_stamp({"name": name}, now) for name, _, _ in AGENCIES]
    bulk_insert(conn, Agency, rows)
    ids = list(conn.execute(select(Agency.id).order_by(Agency.id)).scalars())
    contacts = [
        _stamp({"agency_id": agency_id, "name": person, "role": "商务", "phone": phone,
                "wechat": f"kol_{phone[-4:]}"}, now)
        for agency_id, (_, person, phone) in zip(ids, AGENCIES, strict=True)
    ]
    bulk_insert(conn, AgencyContact, contacts)
    return ids


@dataclass
class _Account:
    id: int
    creator_id: int
    platform: Platform
    followers: int
    price: float  # the underlying price (services/demo._price_for)
    risky: bool
    agency: int | None  # index into AGENCIES of the creator's agency


def _creators(
    conn: Connection,
    rng: random.Random,
    count: int,
    agency_ids: list[int],
    today: date,
    now: datetime,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[_Account], int]:
    platforms = [p for p, _ in _PLATFORM_WEIGHTS]
    weights = [w for _, w in _PLATFORM_WEIGHTS]
    first_id = 1 + (conn.execute(select(Creator.id).order_by(Creator.id.desc()).limit(1)).scalar() or 0)
    creator_rows: list[dict[str, Any]] = []
    tag_rows: list[dict[str, Any]] = []
    account_specs: list[dict[str, Any]] = []
    used_handles: set[tuple[str, str]] = set()
    for n in range(count):
        creator_id = first_id + n
        nickname = _nickname(rng)
        handles: list[str] = []
        own_platforms = rng.sample(platforms, k=1 if rng.random() < 0.7 else 2)
        if len(own_platforms) == 1:
            own_platforms = rng.choices(platforms, weights=weights, k=1)
        base_followers = _followers(rng)
        for platform in own_platforms:
            handle = f"{rng.choice(_LATIN).lower()}{rng.randint(100, 99_999_999)}"
            while (platform, handle) in used_handles:
                handle += str(rng.randint(0, 9))
            used_handles.add((platform, handle))
            handles.append(handle)
            followers = max(800, int(base_followers * rng.uniform(0.3, 1.2)))
            avg_views = int(followers * rng.uniform(0.05, 0.6))
            rate = round(rng.uniform(0.008, 0.09), 4)
            url_base = _URL_HOSTS.get(platform)
            account_specs.append({
                "creator_id": creator_id, "platform": platform.value, "handle": handle,
                "handle_display": handle if rng.random() < 0.8 else "@" + handle,
                "nickname": nickname, "followers": followers, "avg_views": avg_views,
                "avg_engagements": int(avg_views * rate * 3), "engagement_rate": rate,
                "profile_url": f"{url_base}{handle}" if url_base else None,
                "profile_url_key": (url_base + handle).split("://", 1)[1].lower() if url_base else None,
                "stats_updated_on": today - timedelta(days=rng.randint(0, 120)),
            })
        tags = rng.sample(TAGS, k=rng.randint(0, 2))
        tag_rows.extend(_stamp({"creator_id": creator_id, "tag": tag}, now) for tag in tags)
        risk = rng.random()
        risk_level = "high" if risk < 0.02 else "medium" if risk < 0.05 else "none"
        blacklisted = risk < 0.008
        notes = rng.choice([None, None, "档期紧，提前两周约", "接受置换", "只接图文", "报价含税",
                            "上次合作配合度高", "数据有水分，需核实"])
        creator_rows.append(_stamp({
            "id": creator_id, "nickname": nickname,
            "is_virtual": rng.random() < 0.01,
            "category": rng.choice(CATEGORIES), "city": rng.choice(CITIES),
            "notes": notes, "agency_id": rng.choice(agency_ids) if rng.random() < 0.75 else None,
            "risk_level": risk_level,
            "risk_reason": "历史数据异常波动" if risk_level != "none" else None,
            "risk_date": today - timedelta(days=rng.randint(1, 200)) if risk_level != "none" else None,
            "blacklisted": blacklisted,
            "blacklist_reason": "发布后删帖" if blacklisted else None,
            "brand_fit_score": rng.choice([None, 3, 4, 5]),
            "search_text": build_search_text(nickname, handles, notes, tags),
        }, now))
        if progress and n % _CHUNK == 0:
            progress(n, count)
    with search_index_filled_after(conn, first_id):
        bulk_insert(conn, Creator, creator_rows)
    bulk_insert(conn, CreatorTag, tag_rows)
    bulk_insert(conn, PlatformAccount, [_stamp(row, now) for row in account_specs])

    accounts: list[_Account] = []
    quote_rows: list[dict[str, Any]] = []
    risky = {row["id"] for row in creator_rows if row["risk_level"] != "none" or row["blacklisted"]}
    creator_of = {row["id"]: row for row in creator_rows}
    query = select(PlatformAccount.id, PlatformAccount.creator_id, PlatformAccount.platform,
                   PlatformAccount.followers).where(PlatformAccount.creator_id >= first_id)
    for account_id, creator_id, platform_key, known_followers in conn.execute(query):
        platform = Platform(platform_key)
        followers = known_followers or 0
        creator = creator_of[creator_id]
        price = _price_for(followers, creator["category"], rng)
        own_agency = agency_ids.index(creator["agency_id"]) if creator["agency_id"] else None
        accounts.append(_Account(account_id, creator_id, platform, followers, price,
                                 creator_id in risky, own_agency))
        deliverable = Deliverable.VIDEO if platform in VIDEO_PLATFORMS else Deliverable.IMAGE_POST
        for agency_id in rng.sample(agency_ids, k=rng.randint(1, 3)):
            quoted_on = today - timedelta(days=rng.randint(5, 300))
            quoted = _fee(price, _AGENCY_MARKUP[agency_ids.index(agency_id) % len(_AGENCY_MARKUP)],
                          quoted_on, 0.08, rng)
            unknown = rng.random() < 0.04
            ranged = not unknown and rng.random() < 0.15
            quote_rows.append(_stamp({
                "account_id": account_id, "deliverable": deliverable.value,
                "price_min": None if unknown else quoted,
                "price_max": None if unknown else (quoted * Decimal("1.3")).quantize(Decimal(100))
                if ranged else quoted,
                "price_unknown": unknown, "currency": "CNY",
                "tax_included": rng.choice([True, False, None]),
                "source_kind": "agency_list", "agency_id": agency_id,
                "quoted_on": quoted_on,
                "raw_text": "面议" if unknown else f"{quoted}",
            }, now))
        if platform == Platform.XIAOHONGSHU and rng.random() < 0.5:
            quoted_on = today - timedelta(days=rng.randint(5, 200))
            video = _fee(price, 2.0, quoted_on, 0.08, rng)
            quote_rows.append(_stamp({
                "account_id": account_id, "deliverable": Deliverable.VIDEO.value,
                "price_min": video, "price_max": video, "price_unknown": False,
                "currency": "CNY", "tax_included": None, "source_kind": "creator",
                "agency_id": None, "quoted_on": quoted_on,
                "raw_text": None,
            }, now))
    bulk_insert(conn, Quote, quote_rows)
    if progress:
        progress(count, count)
    return accounts, len(quote_rows)


# name, brand, product, objective, budget, (month, day) it starts on (the latest such day
# not after today; None: in two weeks), its length in days. The story on any "today": the
# spring launch and 618 are over, 双11 has run for weeks, the anniversary is being planned.
_CAMPAIGNS: list[tuple[str, str, str, str, str, tuple[int, int] | None, int]] = [
    ("双11美妆种草", "澜肌 LANJI", "修护精华", "launch", "450000", (10, 10), 45),
    ("春季新品曝光", "澜肌 LANJI", "防晒喷雾", "awareness", "300000", (3, 1), 61),
    ("618 大促转化", "轻食记", "代餐奶昔", "conversion", "600000", (5, 20), 40),
    ("品牌周年庆", "轻食记", "周年礼盒", "awareness", "250000", None, 45),
]
PLANNED_STAGES = (Stage.SHORTLISTED, Stage.CONTACTED, Stage.NEGOTIATING, Stage.CONTRACTED, Stage.DROPPED)


def campaign_dates(anchor: tuple[int, int] | None, days: int, today: date) -> tuple[date, date]:
    """A campaign's start and end: from the latest (month, day) not after today, or two
    weeks from today."""
    if anchor is None:
        start = today + timedelta(days=14)
    else:
        start = date(today.year, *anchor)
        if start > today:
            start = date(today.year - 1, *anchor)
    return start, start + timedelta(days=days - 1)


def _stage_for(position: int, start: date, end: date, today: date, rng: random.Random) -> Stage:
    """Where a card stands given where its campaign is in time (before, during, after)."""
    if start > today:
        return PLANNED_STAGES[position % len(PLANNED_STAGES)]
    if end < today - timedelta(days=30):  # long over: settled
        return rng.choices((Stage.PAID, Stage.DROPPED), (9, 2))[0]
    if end < today:
        return rng.choices((Stage.PAID, Stage.RESULTS_IN, Stage.DROPPED), (7, 2, 2))[0]
    stage = [*PIPELINE, Stage.DROPPED][position % (len(PIPELINE) + 1)]
    return rng.choice(list(PIPELINE)) if position >= len(PIPELINE) + 1 else stage


def _periods(conn: Connection, today: date, starts: list[date], now: datetime) -> dict[int, int]:
    """A yearly KOL budget for every year a campaign starts in, and this one: year → id."""
    ids = {}
    for year in sorted({today.year, *(d.year for d in starts)}):
        ids[year] = conn.execute(insert(BudgetPeriod).returning(BudgetPeriod.id), [_stamp({
            "name": f"{year} KOL 预算", "kind": "year", "start_date": date(year, 1, 1),
            "end_date": date(year, 12, 31), "total": Decimal("2000000"),
            "reserve": Decimal("200000"), "currency": "CNY",
        }, now)]).scalar_one()
    return ids


def _campaigns(
    conn: Connection, rng: random.Random, accounts: list[_Account], today: date, now: datetime
) -> tuple[int, int]:
    if not accounts:
        return 0, 0
    dates = [campaign_dates(anchor, days, today) for *_, anchor, days in _CAMPAIGNS]
    periods = _periods(conn, today, [start for start, _ in dates], now)
    collab_count = 0
    running: int | None = None
    safe_accounts = [a for a in accounts if not a.risky and a.followers < 3_000_000] or accounts
    for index, ((name, brand, product, objective, budget, _, _), (start, end)) in enumerate(
            zip(_CAMPAIGNS, dates, strict=True)):
        campaign_id = conn.execute(insert(Campaign).returning(Campaign.id), [_stamp({
            "name": name, "brand": brand, "product": product, "objective": objective,
            "start_date": start, "end_date": end, "currency": "CNY",
            "budget": Decimal(budget), "kpi_impressions": int(budget) * 40,
            "kpi_engagements": int(budget) // 2, "kpi_clicks": int(budget) // 10,
            "kpi_orders": int(budget) // 200, "kpi_revenue": Decimal(budget) * 3,
            "owner": (owner := rng.choice(["林晓", "Amy", "周舟"])),
            "notes": "演示项目 · demo campaign",
        }, now)]).scalar_one()
        if start <= today <= end:
            running = campaign_id
        # Allocated from its year's budget a month before it starts (never after today).
        conn.execute(insert(BudgetEntry), [_stamp({
            "period_id": periods[start.year], "campaign_id": campaign_id, "amount": Decimal(budget),
            "entry_date": max(date(start.year, 1, 1), min(today, start - timedelta(days=30))),
            "reason": "年度预算分配",
        }, now)])
        # Creators whose price lets the campaign's cards fit its budget.
        affordable = [a for a in safe_accounts if a.price <= Decimal(budget) / 12] or safe_accounts
        chosen = rng.sample(affordable, k=min(len(affordable), 18 + index * 4))
        for position, account in enumerate(chosen):
            stage = _stage_for(position, start, end, today, rng)
            _collaboration(conn, rng, campaign_id, account, stage, position, start, today, now,
                           owner, end)
            collab_count += 1
    # A draw on the flexible reserve for a trending opportunity of the running campaign.
    if running is not None:
        conn.execute(insert(BudgetEntry), [_stamp({
            "period_id": periods[today.year], "campaign_id": running, "amount": Decimal("50000"),
            "entry_date": today - timedelta(days=10), "from_reserve": True,
            "reason": "热点追投（弹性预算）",
        }, now)])
    return len(_CAMPAIGNS), collab_count


def _post_date(stage: Stage, start: date, end: date, today: date, rng: random.Random) -> tuple[Stage, date | None]:
    """A published card's post date, inside its campaign and not after today, with the
    stage lowered where the calendar does not allow it yet (results need a week after
    posting, payment of the balance twelve days)."""
    rank = PIPELINE.index(stage) if stage in PIPELINE else 0
    if stage not in PIPELINE or rank < PIPELINE.index(Stage.PUBLISHED):
        return stage, None
    last = min(today, end - timedelta(days=5))
    if last < start + timedelta(days=3):
        return Stage.IN_REVIEW, None
    post = start + timedelta(days=rng.randint(3, (last - start).days))
    if stage == Stage.PAID and post + timedelta(days=12) > today:
        stage = Stage.RESULTS_IN
    if stage == Stage.RESULTS_IN and post + timedelta(days=7) > today:
        stage = Stage.PUBLISHED
    return stage, post


def _collaboration(
    conn: Connection, rng: random.Random, campaign_id: int, account: _Account, stage: Stage,
    position: int, start: date, today: date, now: datetime, owner: str, end: date,
) -> None:
    stage, post_date = _post_date(stage, start, end, today, rng)
    rank = PIPELINE.index(stage) if stage in PIPELINE else 2
    markup = _AGENCY_MARKUP[account.agency % len(_AGENCY_MARKUP)] if account.agency is not None else 1.0
    quoted_fee = _fee(account.price, markup, start, 0.08, rng)
    # The agreed fee: the price less a negotiated discount, a little of the agency's mark-up.
    agreed = _fee(account.price, rng.uniform(0.82, 0.95) * markup ** 0.5, start, 0.05, rng) \
        if rank >= 3 else None
    channel = (default_channel(account.platform.value) if account.platform.value in PLATFORM_CHANNEL
               and rng.random() < 0.6 else Channel.DIRECT)
    platform_fee = float(DEFAULT_PLATFORM_FEE_PERCENT[channel])
    rebate = rng.choice([None, 5.0, 10.0]) if account.agency is not None else None
    terms: dict[str, Any] = {"channel": channel.value, "platform_fee_pct": platform_fee,
                             "rebate_pct": rebate}
    payable = breakdown(agreed, channel=channel.value, rebate_pct=rebate,
                        platform_fee_pct=platform_fee).net if agreed is not None else None
    published = post_date is not None
    tax_included = rng.random() < 0.6
    collab_id = conn.execute(insert(Collaboration).returning(Collaboration.id), [_stamp({
        "campaign_id": campaign_id, "account_id": account.id, "creator_id": account.creator_id,
        "stage": stage.value, "position": position, "quoted_fee": quoted_fee,
        "agreed_fee": agreed, "net_fee": payable, **terms, "tax_included": tax_included, "tax_rate": 0.06,
        "contract_status": "signed" if rank >= 3 else None,
        "ad_disclosure_confirmed": published or (rank >= 4 and rng.random() < 0.5),
        "ad_disclosure_ref": f"BX{rng.randint(100000, 999999)}" if published else None,
        "post_url": f"https://example.com/post/{account.id}" if published else None,
        "post_date": post_date,
        "protection_until": post_date + timedelta(days=90) if post_date else None,
        "promo_code": f"KOL{account.id}" if published else None,
        "score_brand_fit": rng.randint(3, 5) if rank >= 7 else None,
        "score_creative": rng.randint(2, 5) if rank >= 7 else None,
        "score_message": rng.randint(3, 5) if rank >= 7 else None,
    }, now)]).scalar_one()
    path = list(PIPELINE[: rank + 1]) if stage in PIPELINE else [Stage.SHORTLISTED, Stage.DROPPED]
    # From Published on, a move has its day: the post, results a week later, the balance
    # paid twelve days after it (as the payments below). The moves before begin about three
    # weeks before the campaign starts, their random gaps scaled to end by the post (or by
    # today), so none lies in the future.
    fixed = {Stage.PUBLISHED: 0, Stage.RESULTS_IN: 7, Stage.PAID: 12}
    dated = [step for step in path if post_date is not None and step in fixed]
    free = path[: len(path) - len(dated)]

    def at(day: date) -> datetime:
        return min(now, datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10))

    last = at(post_date if post_date else min(today, start + timedelta(days=3 * rank)))
    moved = min(at(start - timedelta(days=21)), last - timedelta(days=len(free)))
    gaps = [timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8)) for _ in free]
    span = sum(gaps[:-1], timedelta()) + (gaps[-1] if dated else timedelta())
    scale = min(1.0, (last - moved) / span) if span else 1.0
    times = []
    for gap in gaps:
        times.append(moved)
        moved += gap * scale
    if post_date is not None:
        times += [at(post_date + timedelta(days=fixed[step])) for step in dated]
    history = []
    previous: str | None = None
    for step, when in zip(path, times, strict=True):
        history.append(_stamp({"collaboration_id": collab_id, "from_stage": previous,
                               "to_stage": step.value, "changed_at": when,
                               "changed_by": owner}, now))
        previous = step.value
    bulk_insert(conn, StageChange, history)
    deliverable = Deliverable.VIDEO if account.platform in VIDEO_PLATFORMS else Deliverable.IMAGE_POST
    post_due = post_date or (start + timedelta(days=rng.randint(10, 30)) if start > today
                             else today + timedelta(days=rng.randint(-5, 25)))
    conn.execute(insert(CollabDeliverable), [_stamp({
        "collaboration_id": collab_id, "kind": deliverable.value, "count": 1,
        "draft_due": post_due - timedelta(days=5), "post_due": post_due,
        "done_on": post_date,
    }, now)])
    if payable is not None:
        deposit = (payable * Decimal("0.5")).quantize(Decimal("0.01"))
        paid_all = stage == Stage.PAID
        # The tax of each part by the one rounding rule of services/payments.py.
        fee = fee_tax(payable, tax_included, 0.06)
        deposit_line, balance_line = plan_lines(fee, [("deposit", deposit, None),
                                                      ("balance", payable - deposit, None)])
        tax = (None, None) if fee.tax_included else (deposit_line.tax_amount, balance_line.tax_amount)
        # Nothing is paid after today: a campaign that starts soon has its deposit still due.
        paid_day = start + timedelta(days=rng.randint(8, 14))
        deposit_paid = paid_day if paid_day <= today else None
        conn.execute(insert(Payment), [
            _stamp({"collaboration_id": collab_id, "kind": "deposit", "amount": deposit,
                    "tax_amount": tax[0], "due_date": start + timedelta(days=10),
                    "paid_on": deposit_paid, "method": "对公转账" if deposit_paid else None,
                    "invoice_no": f"INV{collab_id:06d}D" if deposit_paid else None}, now),
            _stamp({"collaboration_id": collab_id, "kind": "balance", "amount": payable - deposit,
                    "tax_amount": tax[1], "due_date": (post_date or today) + timedelta(days=15),
                    "paid_on": min(today, (post_date or today) + timedelta(days=12)) if paid_all else None,
                    "method": "对公转账" if paid_all else None,
                    "invoice_no": f"INV{collab_id:06d}B" if paid_all else None}, now),
        ])
    if published and post_date is not None and rank >= PIPELINE.index(Stage.RESULTS_IN):
        snapshots = []
        views = int(account.followers * rng.uniform(0.1, 0.8))
        for days, share in ((7, 0.75), (21, 1.0)):
            if post_date + timedelta(days=days) > today:
                break  # a snapshot is taken on its day, never ahead of today
            v = int(views * share)
            orders = int(v * rng.uniform(0.0005, 0.004))
            snapshots.append(_stamp({
                "collaboration_id": collab_id, "taken_on": post_date + timedelta(days=days),
                "impressions": int(v * rng.uniform(1.5, 3)), "views": v,
                "likes": int(v * rng.uniform(0.01, 0.06)), "comments": int(v * rng.uniform(0.001, 0.008)),
                "shares": int(v * rng.uniform(0.001, 0.01)), "saves": int(v * rng.uniform(0.002, 0.02)),
                "clicks": int(v * rng.uniform(0.005, 0.03)), "promo_uses": orders // 2,
                "orders": orders, "revenue": Decimal(orders * rng.randint(89, 299)),
                "new_followers": int(v * rng.uniform(0.0005, 0.003)),
                "community_joins": int(v * rng.uniform(0.0001, 0.001)),
                "source": f"T+{days}",
            }, now))
        bulk_insert(conn, ResultSnapshot, snapshots)
