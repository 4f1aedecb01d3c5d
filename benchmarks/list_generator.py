"""A seeded generator of agency-list layouts, with the facts each list should import as.

It measures how well the importer generalises, so it draws on the field's own wordings
(what Chinese MCNs and English talent agencies write in their rosters), never on the
shared sample files: titles and letterheads, header words in Chinese and English, column
order, units in headers, platforms per sheet (a platform column, a sheet per platform, a
title naming it, or only the profile links), blank, group, subtotal and total rows, cost
columns beside price columns, and the many spellings of counts, rates and prices.

    from benchmarks.list_generator import generate
    case = generate(seed=7)            # a GeneratedList: .write(folder) → path, .facts
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from kol_desk.domain import handle_case, platform_channel

__all__ = ["CreatorFacts", "GeneratedList", "generate"]

PLATFORMS = ("douyin", "xiaohongshu", "bilibili", "weibo", "kuaishou", "wechat_channels",
             "tiktok", "instagram", "youtube")
# How a platform is written in a cell, a sheet name or a title.
PLATFORM_SPELLINGS: dict[str, tuple[str, ...]] = {
    "douyin": ("抖音", "Douyin", "DY", "抖音短视频", "dy"),
    "xiaohongshu": ("小红书", "XHS", "红书", "Xiaohongshu", "RED", "小红薯"),
    "bilibili": ("B站", "哔哩哔哩", "Bilibili", "b站", "bilibili"),
    "weibo": ("微博", "Weibo", "新浪微博"),
    "kuaishou": ("快手", "Kuaishou", "KS"),
    "wechat_channels": ("视频号", "微信视频号", "WeChat Channels"),
    "tiktok": ("TikTok", "Tiktok", "TT"),
    "instagram": ("Instagram", "IG", "Ins", "insta"),
    "youtube": ("YouTube", "YT", "Youtube", "油管"),
}
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "douyin": ("抖音达人", "抖音", "DY资源", "抖音KOL"),
    "xiaohongshu": ("小红书", "小红书博主", "XHS", "红书KOC"),
    "bilibili": ("B站UP主", "B站", "bilibili"),
    "weibo": ("微博", "微博大V"),
    "kuaishou": ("快手", "快手达人"),
    "wechat_channels": ("视频号", "微信视频号达人"),
    "tiktok": ("TikTok", "TikTok creators"),
    "instagram": ("Instagram", "IG roster"),
    "youtube": ("YouTube", "YT channels"),
}
LINK_TEMPLATES: dict[str, tuple[str, ...]] = {
    "douyin": ("https://www.douyin.com/user/MS4wLjABAAAA{h}", "https://v.douyin.com/{h}/"),
    "xiaohongshu": ("https://www.xiaohongshu.com/user/profile/5f{h}", "http://xhslink.com/{h}"),
    "bilibili": ("https://space.bilibili.com/{n}", "https://b23.tv/{h}"),
    "weibo": ("https://weibo.com/u/{n}", "https://m.weibo.cn/u/{n}"),
    "kuaishou": ("https://www.kuaishou.com/profile/{h}",),
    "wechat_channels": ("https://channels.weixin.qq.com/{h}",),
    "tiktok": ("https://www.tiktok.com/@{h}",),
    "instagram": ("https://www.instagram.com/{h}/", "instagram.com/{h}"),
    "youtube": ("https://www.youtube.com/@{h}", "https://youtube.com/c/{h}"),
}
# The deliverables a platform's lists price, in the field's words.
DELIVERABLES: dict[str, tuple[str, ...]] = {
    "douyin": ("video", "video", "live"), "kuaishou": ("video", "live"),
    "xiaohongshu": ("image_post", "video"), "bilibili": ("video", "custom", "repost"),
    "weibo": ("image_post", "repost", "video"), "wechat_channels": ("video", "live"),
    "tiktok": ("video",), "instagram": ("image_post", "video"), "youtube": ("video", "custom"),
}

# Header wordings per role, Chinese and English, as rosters in the field write them.
ZH = {
    "nickname": ("达人昵称", "昵称", "博主名称", "达人名称", "KOL名称", "账号昵称", "红人昵称", "博主昵称",
                 "达人", "博主", "主播名称", "UP主昵称", "达人名字", "KOL"),
    "handle": ("账号ID", "达人ID", "平台ID", "ID", "UID", "账号", "达人账号", "平台账号", "用户ID",
               "账号id", "用户名"),
    "profile_url": ("主页链接", "达人主页", "账号链接", "主页地址", "个人主页链接", "链接", "主页"),
    "platform": ("平台", "投放平台", "所属平台", "媒体平台", "合作平台", "平台名称"),
    "followers": ("粉丝数", "粉丝量", "粉丝", "粉丝数量", "粉丝总量", "粉丝量级", "全网粉丝", "粉丝总数",
                  "粉丝数\n", "粉丝 数"),
    "engagement_rate": ("互动率", "平均互动率", "近30天互动率", "互动率%", "粉丝互动率"),
    "category": ("领域", "类型", "垂类", "内容领域", "达人类型", "内容标签", "赛道", "分类", "账号类型",
                 "内容方向", "所属领域", "标签", "达人标签", "内容垂类", "擅长领域"),
    "city": ("城市", "所在地", "地区", "所在城市", "常驻城市", "IP属地", "所在地区"),
    "price": ("报价", "刊例价", "价格", "合作价", "合作报价", "刊例报价", "一口价", "参考报价"),
}
EN = {
    "nickname": ("Creator", "Influencer", "KOL Name", "Talent", "Name", "Creator Name",
                 "Account Name", "Nickname", "Talent Name", "Influencer Name", "Display Name"),
    "handle": ("Handle", "Username", "Account ID", "User ID", "ID", "@Handle", "Creator ID",
               "Social Handle"),
    "profile_url": ("Profile Link", "Profile URL", "Link", "URL", "Channel Link", "Profile"),
    "platform": ("Platform", "Social Platform", "Network", "Social Network", "Main Platform",
                 "Channel", "Social"),
    "followers": ("Followers", "Follower Count", "Fans", "Subscribers", "Total Followers",
                  "Audience Size", "Followers Count", "No. of Followers", "Reach", "Audience",
                  "Followers/Subs", "Follower #", "Subs"),
    "engagement_rate": ("Engagement Rate", "ER", "Eng. Rate", "Avg ER", "Engagement %",
                        "Avg. Engagement Rate"),
    "category": ("Category", "Niche", "Vertical", "Content Category", "Genre", "Content Type",
                 "Tags", "Topic", "Content Focus"),
    "city": ("City", "Location", "Based In", "Region"),
    "price": ("Rate", "Price", "Fee", "Quote", "Rate Card", "Cost"),
}
# Price headers that name their deliverable.
PRICE_WORDS_ZH = {
    "image_post": ("图文报价", "图文价格", "图文笔记报价", "图文刊例价", "笔记报价", "图文", "直发报价",
                   "报备图文报价", "蒲公英图文", "图文（报备）", "非报备图文"),
    "video": ("视频报价", "短视频报价", "视频刊例价", "视频笔记报价", "视频价格", "视频", "21-60s视频报价",
              "1-20s视频", "星图报价(1-20s)", "60s以上视频", "报备视频", "视频（非报备）"),
    "live": ("直播报价", "直播坑位费", "专场直播", "直播"),
    "repost": ("转发报价", "转发价格", "转发"),
    "custom": ("定制报价", "定制视频报价", "定制"),
}
PRICE_WORDS_EN = {
    "image_post": ("Post Rate", "Photo Post Rate", "Static Post Price", "Feed Post Fee",
                   "Image Post", "Carousel Rate", "IG Post"),
    "video": ("Video Rate", "Reel Rate", "Video Price", "Short Video Fee", "Video", "Reel",
              "TikTok Video Fee", "Integrated Video"),
    "live": ("Live Stream Fee", "Livestream Rate", "Live"),
    "repost": ("Repost Fee", "Share Price"),
    "custom": ("Dedicated Video", "Custom Content Fee"),
}
# A deliverable priced apart per channel: (registered, direct) header forms.
DELIVERABLE_WORDS_ZH = {"image_post": "图文", "video": "视频", "live": "直播", "repost": "转发",
                        "custom": "定制"}
DELIVERABLE_WORDS_EN = {"image_post": "Post", "video": "Video", "live": "Live", "repost": "Repost",
                        "custom": "Dedicated"}
PRICE_PAIRS_ZH = (("{w}报价（报备）", "{w}报价（非报备）"), ("报备{w}价", "非报备{w}价"),
                  ("{w}-平台下单价", "{w}-水下价"), ("{w}报备价", "{w}水下价"))
PRICE_PAIRS_EN = (("{w} rate (platform order)", "{w} rate (direct)"),
                  ("{w} price via platform", "{w} price direct"))
DISCOUNT_WORDS_ZH = ("折扣", "折扣率", "优惠折扣", "折扣比例")
DISCOUNT_WORDS_EN = ("Discount", "Discount Rate")
# Columns an importer must leave alone: cost side, contacts, audience facts.
NOISE_ZH = ("返点", "返点比例", "服务费", "底价", "CPE", "CPM", "预估CPM", "性别", "年龄",
            "对接人", "商务微信", "是否可挂车", "档期", "备注", "序号", "合作品牌", "女粉占比")
NOISE_EN = ("Rebate", "Agency Fee", "Net Cost", "CPM", "CPE", "Gender", "Age",
            "Contact", "Manager", "Availability", "Notes", "No.", "Past Brands", "Female %")
CATEGORIES_ZH = ("美妆", "美食", "母婴", "穿搭", "旅行", "数码", "健身", "家居", "宠物", "搞笑", "知识",
                 "汽车", "游戏", "时尚", "护肤", "探店")
CATEGORIES_EN = ("Beauty", "Food", "Travel", "Tech", "Fitness", "Lifestyle", "Gaming", "Fashion",
                 "Parenting", "Home", "Pets", "Comedy")
CITIES_ZH = ("上海", "北京", "杭州", "广州", "深圳", "成都", "重庆", "武汉", "南京", "西安", "长沙", "厦门")
CITIES_EN = ("Shanghai", "London", "Los Angeles", "New York", "Singapore", "Sydney", "Toronto",
             "Berlin", "Paris", "Tokyo")
LETTERHEADS_ZH = ("{co}传媒 · 达人资源报价表", "{co}MCN {y}年{m}月刊例", "{co}文化 KOL推荐名单",
                  "【{co}】{plat}达人资源", "{y}年{m}月 {co}网红报价单", "{co}互娱 达人合作报价")
LETTERHEADS_EN = ("{co} Talent Management — Creator Roster", "{co} Media Rate Card {y}",
                  "{co} Influencer Shortlist, {m}/{y}", "{plat} creators represented by {co}")
COMPANIES = ("星耀", "青柠", "拾光", "云岭", "蓝鲸", "北辰", "Sunrise", "Brightwave", "Northstar",
             "Maple")
NOTES_ZH = ("注：报价有效期至月底，以最终确认为准", "备注：以上价格均不含平台服务费", "数据更新时间：上周",
            "* 报价可能随档期调整")
NOTES_EN = ("Note: rates valid for 30 days.", "* All figures subject to availability",
            "Source: agency data")
SYLLABLES = ["小", "阿", "大", "糖", "果", "喵", "柚", "桃", "鹿", "星", "月", "可", "乐", "甜", "酱", "吖", "叔", "姐", "哥", "妹", "包", "子", "栗", "茶", "米", "豆", "云", "朵"]
LATIN = ("mia", "leo", "ava", "kai", "zoe", "max", "lily", "noah", "emma", "jay", "nina", "sam")
LATIN_TAILS = ("bakes", "travels", "codes", "lifts", "eats", "style", "vlogs", "daily", "glow",
               "plays")


Amount = tuple[Decimal | None, Decimal | None]


@dataclass(slots=True)
class CreatorFacts:
    """What one creator row must import as (None: the list does not say)."""

    sheet: str
    row: int  # 1-based
    platform: str
    handle: str  # normalised
    nickname: str
    followers: int | None = None
    engagement_rate: Decimal | None = None
    prices: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    category: str | None = None
    city: str | None = None
    discount: Decimal | None = None  # percent off (a 折扣 column or a price cell's 9折)
    # every price cell with the channel its column names (domain.Channel key or None)
    quotes: list[tuple[str, str | None, Amount]] = field(default_factory=list)


@dataclass(slots=True)
class GeneratedList:
    seed: int
    name: str
    sheets: list[tuple[str, list[list[object]]]]
    facts: list[CreatorFacts]
    csv: bool = False
    chat: list[str] = field(default_factory=list)  # lines of rows pasted from a chat

    def write(self, folder: Path) -> Path:
        if self.chat:
            path = folder / f"{self.name}.txt"
            path.write_text("\n".join(self.chat) + "\n", encoding="utf-8")
            return path
        if self.csv:
            path = folder / f"{self.name}.csv"
            rows = self.sheets[0][1]
            path.write_text("\n".join(",".join(_csv_cell(v) for v in row) for row in rows) + "\n",
                            encoding="utf-8")
            return path
        wb = Workbook()
        first = wb.active
        assert first is not None
        wb.remove(first)
        for name, rows in self.sheets:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        path = folder / f"{self.name}.xlsx"
        wb.save(path)
        return path


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


# ---------------------------------------------------------------------------- values

def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "0" <= ch <= "9" or ch == "." else ch for ch in text)


def _trim(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _count_cell(rng: random.Random, unit: int, style: str) -> tuple[object, int]:
    """A follower cell in a column whose header says ``unit``, and the count it means."""
    if unit != 1:
        value = Decimal(rng.randint(1, 300)) / 100 if unit >= 1_000_000 else \
            Decimal(rng.randint(5, 9000)) / 10
        count = int(value * unit)
        return (float(value) if rng.random() < 0.7 else _trim(value)), count
    if style == "plain":
        count = rng.randint(800, 8_000_000)
        return count, count
    if style == "grouped":
        count = rng.randint(1000, 8_000_000)
        return f"{count:,}", count
    if style in ("w", "W", "万", "万粉", "w粉丝", "fw"):
        tenths = rng.randint(5, 9000)
        value = Decimal(tenths) / 10
        word = {"fw": "万", "w粉丝": "w粉丝"}.get(style, style)
        text = f"{_trim(value)}{word}"
        return (_fullwidth(text) if style == "fw" else text), int(value * 10_000)
    if style in ("k", "K"):
        value = Decimal(rng.randint(10, 9990)) / 10
        return f"{_trim(value)}{style}", int(value * 1000)
    if style in ("M", "m"):
        value = Decimal(rng.randint(11, 99)) / 10
        return f"{_trim(value)}{style}", int(value * 1_000_000)
    if style == "approx":
        n = rng.randint(2, 99)
        return rng.choice((f"约{n}万", f"{n}w+", f"{n}万+", f"~{n}w")), n * 10_000
    raise AssertionError(style)


def _rate_cell(rng: random.Random, header_percent: bool) -> tuple[object, Decimal]:
    pct = Decimal(rng.randint(5, 150)) / 10  # 0.5 % .. 15 %
    if header_percent:
        return (float(pct) if rng.random() < 0.5 else _trim(pct)), pct / 100
    style = rng.choice(("pct", "pct_space", "fraction", "fw"))
    if style == "pct":
        return f"{_trim(pct)}%", pct / 100
    if style == "pct_space":
        return f"{_trim(pct)} %", pct / 100
    if style == "fw":
        return f"{_trim(pct)}％", pct / 100
    return float(pct / 100), pct / 100


def _price_cell(rng: random.Random, unit: int, currency: str, english: bool
                ) -> tuple[object, Amount]:
    if rng.random() < 0.1:
        word = rng.choice(("Negotiable", "TBD", "On request", "DM for rate") if english
                          else ("面议", "私聊", "询价", "待定", "可议"))
        return word, (None, None)
    if unit != 1:
        value = Decimal(rng.randint(2, 400)) / 10
        amount = value * unit
        return (float(value) if rng.random() < 0.7 else _trim(value)), (amount, amount)
    base = Decimal(rng.randint(5, 400) * 100)
    mark = {"USD": ("$", "USD ", "US$"), "CNY": ("¥", "￥", "RMB ", "")}[currency]
    style = rng.choice(("plain", "plain", "grouped", "mark", "range", "open", "k", "suffix",
                        "tax"))
    if style == "plain":
        return int(base), (base, base)
    if style == "grouped":
        return f"{int(base):,}", (base, base)
    if style == "mark":
        return f"{rng.choice(mark)}{int(base):,}", (base, base)
    if style == "range":
        hi = base + Decimal(rng.randint(1, 50) * 100)
        dash = rng.choice(("-", "~", "—", "–", " - ", "至", "~") if not english else ("-", " - ", "–", " to "))
        return f"{int(base)}{dash}{int(hi)}", (base, hi)
    if style == "open":
        if english:
            return rng.choice((f"{int(base)}+", f"from {int(base)}")), (base, None)
        return rng.choice((f"{int(base)}起", f"{int(base)}以上")), (base, None)
    if style == "k":
        value = Decimal(rng.randint(5, 90)) / 2
        word = rng.choice(("k", "K")) if english or currency == "USD" else rng.choice(("k", "K", "千"))
        if not english and currency == "CNY" and rng.random() < 0.5:
            wan = Decimal(rng.randint(2, 90)) / 10
            return f"{_trim(wan)}{rng.choice(('w', '万', 'W'))}", (wan * 10_000, wan * 10_000)
        return f"{_trim(value)}{word}", (value * 1000, value * 1000)
    if style == "suffix":
        if english:
            return f"{int(base)}/post", (base, base)
        return rng.choice((f"{int(base)}元/条", f"{int(base)}/篇", f"{int(base)}元")), (base, base)
    if english:
        return f"{int(base)} (excl. VAT)", (base, base)
    return rng.choice((f"{int(base)}(含税)", f"{int(base)}不含税", f"{int(base)}（含税）")), (base, base)


# ---------------------------------------------------------------------------- people

def _nickname(rng: random.Random, english: bool) -> str:
    if english:
        return f"{rng.choice(LATIN).title()} {rng.choice(LATIN_TAILS).title()}"
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(
        ("", "", "呀", "日记", "同学", "的厨房", "Vlog", "酱"))


def _handle(rng: random.Random, platform: str, english: bool) -> tuple[object, str]:
    """The cell as written and the normalised handle."""
    if platform in ("bilibili", "weibo") or (platform == "xiaohongshu" and rng.random() < 0.6):
        n = rng.randint(10_000_000, 9_999_999_999)
        return (n if rng.random() < 0.6 else str(n)), str(n)
    if platform == "youtube" and rng.random() < 0.15:
        # a channel id: generated by YouTube, its case is part of it
        token = "UC" + "".join(rng.choice(_TOKEN_CHARS) for _ in range(22))
        return token, token
    base = f"{rng.choice(LATIN)}{rng.choice(('_', '.', ''))}{rng.choice(LATIN_TAILS)}{rng.randint(1, 999)}"
    shown = base
    r = rng.random()
    if r < 0.3:
        shown = shown.title()
    elif r < 0.4:
        shown = shown.upper()
    elif r < 0.45 and not english:  # typed with a Chinese input method: full-width letters
        shown = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in shown)
    if rng.random() < 0.3:
        shown = "@" + shown
    if rng.random() < 0.05 and not english:
        shown = "＠" + shown
    # stored half-width, without the @, in the case the platform compares handles in
    return shown, handle_case(platform, _half_width(shown).removeprefix("@"))


_TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _half_width(text: str) -> str:
    return "".join(chr(ord(ch) - 0xFEE0) if "！" <= ch <= "～" else ch for ch in text)


def _unused_handle(rng: random.Random, platform: str, english: bool,
                   used: set[tuple[str, str]]) -> tuple[object, str]:
    """A handle no other creator of the list has on that platform."""
    handle_cell, handle = _handle(rng, platform, english)
    while (platform, handle) in used:
        handle_cell, handle = _handle(rng, platform, english)
    used.add((platform, handle))
    return handle_cell, handle


# ---------------------------------------------------------------------------- layout

@dataclass(slots=True)
class _Column:
    role: str  # nickname, handle, ..., price:<deliverable>, noise
    header: str
    unit: int = 1
    percent: bool = False
    currency: str = "CNY"
    channel: str | None = None  # 'registered' (报备), 'direct' (非报备) or None


def _header_for(rng: random.Random, role: str, english: bool, platform: str | None,
                deliverable: str | None) -> _Column:
    words = EN if english else ZH
    if role == "price" and platform is not None and deliverable not in (None, "generic") \
            and not english and rng.random() < 0.3:
        spelled = PLATFORM_SPELLINGS[platform][0]
        word = {"image_post": "图文", "video": "视频", "live": "直播", "repost": "转发",
                "custom": "定制"}[deliverable]
        return _Column(f"price:{deliverable}", rng.choice((f"{spelled}{word}报价", f"{spelled}{word}")))
    if role == "price":
        assert deliverable is not None
        if deliverable == "generic":
            text = rng.choice(words["price"])
        else:
            text = rng.choice((PRICE_WORDS_EN if english else PRICE_WORDS_ZH)[deliverable])
        return _Column(f"price:{deliverable}", text)
    text = rng.choice(words[role])
    if platform is not None and rng.random() < 0.3:
        spelled = rng.choice(PLATFORM_SPELLINGS[platform][:2])
        if role == "handle":
            text = rng.choice((f"{spelled}号", f"{spelled}ID", f"{spelled}账号", f"{spelled} UID")
                              if not english else (f"{spelled} Handle", f"{spelled} ID"))
        elif role == "followers":
            text = rng.choice((f"{spelled}粉丝", f"{spelled}粉丝数") if not english
                              else (f"{spelled} Followers",))
        elif role == "nickname" and not english:
            text = f"{spelled}昵称"
    return _Column(role, text)


def _with_unit(rng: random.Random, col: _Column, english: bool, currency: str) -> _Column:
    """Put a unit into the header, written one of the ways lists write it."""
    if col.role == "followers" and rng.random() < 0.35:
        if english:
            unit, word = rng.choice(((1000, "K"), (1000, "k"), (1000, "000s"), (1_000_000, "M")))
            form = rng.choice(("{h} ({u})", "{h} ({u})", "{h} in {u}"))
            if word == "000s":
                form = "{h} ('000s)"
        else:
            unit, word = rng.choice(((10_000, "万"), (10_000, "w"), (10_000, "W"), (1000, "千")))
            form = rng.choice(("{h}({u})", "{h}（{u}）", "{h}/{u}", "{h}（单位：{u}）", "{h}[{u}]"))
        col.header = form.format(h=col.header, u=word)
        col.unit = unit
    elif col.role == "engagement_rate" and rng.random() < 0.3 and "%" not in col.header:
        col.header = rng.choice(("{h}(%)", "{h}（%）", "{h} %")).format(h=col.header)
        col.percent = True
    elif col.role.startswith("price:"):
        col.currency = currency
        r = rng.random()
        if currency == "USD" and r < 0.5:
            col.header = rng.choice(("{h} (USD)", "{h} ($)", "{h} in USD", "{h}, US$")).format(h=col.header)
        elif currency == "CNY" and r < 0.3:
            col.header = rng.choice(("{h}(元)", "{h}（元）", "{h}/元", "{h}(RMB)")).format(h=col.header)
        elif currency == "CNY" and r < 0.45:
            col.header = rng.choice(("{h}(万元)", "{h}（w）", "{h}/万")).format(h=col.header)
            col.unit = 10_000
    if "%" in col.header and col.role == "engagement_rate":
        col.percent = True
    return col


def _plan_columns(rng: random.Random, english: bool, platforms: list[str], sheet_platform: str | None,
                  platform_column: bool, currency: str) -> list[_Column]:
    cols = [_header_for(rng, "nickname", english, sheet_platform, None)]
    link_only = not platform_column and sheet_platform is None
    if not link_only or rng.random() < 0.5:
        cols.append(_header_for(rng, "handle", english, sheet_platform, None))
    if link_only or rng.random() < 0.4:
        cols.append(_header_for(rng, "profile_url", english, sheet_platform, None))
    if platform_column:
        cols.append(_header_for(rng, "platform", english, None, None))
    cols.append(_header_for(rng, "followers", english, sheet_platform, None))
    for role in ("engagement_rate", "category", "city"):
        if rng.random() < 0.6:
            cols.append(_header_for(rng, role, english, None, None))
    kinds = sorted({d for p in platforms for d in DELIVERABLES[p]})
    if rng.random() < 0.35 or len(platforms) > 1:
        cols.append(_header_for(rng, "price", english, None, "generic"))
    else:
        for d in rng.sample(kinds, rng.randint(1, len(kinds))):
            cols.append(_header_for(rng, "price", english, sheet_platform, d))
    if rng.random() < 0.25:
        # the same deliverable priced apart through the platform's marketplace (报备) and
        # directly (非报备 / 水下)
        d = rng.choice(kinds)
        word = (DELIVERABLE_WORDS_EN if english else DELIVERABLE_WORDS_ZH)[d]
        pairs = PRICE_PAIRS_EN if english else PRICE_PAIRS_ZH
        registered, direct = rng.choice(pairs)
        cols = [c for c in cols if c.role != f"price:{d}"]
        cols.append(_Column(f"price:{d}", registered.format(w=word), channel="registered"))
        cols.append(_Column(f"price:{d}", direct.format(w=word), channel="direct"))
    if rng.random() < 0.3:
        cols.append(_Column("discount", rng.choice(DISCOUNT_WORDS_EN if english else DISCOUNT_WORDS_ZH)))
    seen: set[str] = set()
    unique = []
    for col in cols:
        if col.header not in seen:
            seen.add(col.header)
            unique.append(_with_unit(rng, col, english, currency))
    for word in rng.sample(NOISE_EN if english else NOISE_ZH, rng.randint(0, 4)):
        if word not in seen:
            seen.add(word)
            unique.append(_Column("noise", word))
    head = unique[:1] if rng.random() < 0.7 else []
    rest = [c for c in unique if c not in head]
    rng.shuffle(rest)
    ordered = head + rest
    if rng.random() < 0.5 and not any(c.header in ("序号", "No.") for c in ordered):
        ordered.insert(0, _Column("seq", "序号" if not english else "#"))
    return ordered


def _discount_cell(rng: random.Random, english: bool) -> tuple[object, Decimal | None]:
    """A 折扣 cell and the percent off it means."""
    paid = rng.choice((95, 9, 85, 8, 75, 7))  # 95折 / 9折 / ...: tenths or hundredths paid
    off = Decimal(100 - (paid * 10 if paid < 10 else paid))
    tenths = Decimal(paid) if paid < 10 else Decimal(paid) / 10
    cn = "零一二三四五六七八九"
    if english:
        return rng.choice((f"{off}% off", f"{off}%", float(1 - off / 100))), off
    style = rng.choice(("zhe", "cn", "share", "pct", "zhe", "cn", "share", "pct", "none"))
    if style == "none":
        return rng.choice(("无", "-", None)), None
    if style == "zhe":
        return f"{paid}折", off
    if style == "cn":
        digits = str(paid)
        return "".join(cn[int(d)] for d in digits) + "折", off
    if style == "share":
        return float(tenths / 10), off
    return f"{100 - off}%", off


def _noise_value(rng: random.Random, header: str) -> object:
    if header in ("返点", "返点比例", "Rebate", "女粉占比", "Female %"):
        return f"{rng.randint(5, 60)}%"
    if header in ("服务费", "Agency Fee", "底价", "Net Cost"):
        return rng.randint(200, 20_000)
    if header in ("CPE", "CPM", "预估CPM"):
        return round(rng.uniform(0.5, 80), 2)
    if header in ("性别", "Gender"):
        return rng.choice(("女", "男") if header == "性别" else ("F", "M"))
    if header in ("年龄", "Age"):
        return rng.choice(("18-24", "25-30", "31-40"))
    if header in ("档期", "Availability"):
        return rng.choice(("待定", "随时", "TBD", "Anytime"))
    if header in ("是否可挂车",):
        return rng.choice(("是", "否"))
    return rng.choice(("", "可挂车", "合作过", "priority", "new", "已合作", None))


def _cell_for(rng: random.Random, col: _Column, facts: CreatorFacts, english: bool,
              platform_cell: str, link: str, handle_cell: object) -> object:
    role = col.role
    if role == "seq":
        return None  # filled by the caller
    if role == "nickname":
        return facts.nickname if rng.random() < 0.95 else f" {facts.nickname} "
    if role == "handle":
        return handle_cell
    if role == "profile_url":
        return link
    if role == "platform":
        return platform_cell
    if role == "followers":
        style = rng.choice(("plain", "grouped", "w", "W", "万", "万粉", "w粉丝", "fw", "k", "K", "M",
                            "approx") if not english else ("plain", "grouped", "k", "K", "M", "m"))
        cell, facts.followers = _count_cell(rng, col.unit, style)
        return cell
    if role == "engagement_rate":
        cell, facts.engagement_rate = _rate_cell(rng, col.percent)
        return cell
    if role == "category":
        facts.category = rng.choice(CATEGORIES_EN if english else CATEGORIES_ZH)
        return facts.category
    if role == "city":
        facts.city = rng.choice(CITIES_EN if english else CITIES_ZH)
        return facts.city
    if role == "discount":
        cell, facts.discount = _discount_cell(rng, english)
        return cell
    if role.startswith("price:"):
        deliverable = role.split(":", 1)[1]
        if deliverable == "generic":
            deliverable = _default_deliverable(facts.platform)
        cell, amount = _price_cell(rng, col.unit, col.currency, english)
        facts.prices.setdefault(deliverable, amount)
        channel = _channel_of(col)
        facts.quotes.append((deliverable, None if channel is None else
                             "direct" if channel == "direct" else
                             platform_channel(facts.platform).value, amount))
        return cell
    return _noise_value(rng, col.header)


def _channel_of(col: _Column) -> str | None:
    """'registered' or 'direct' for a price column that names its channel."""
    if col.channel is not None:
        return col.channel
    if "非报备" in col.header or "水下" in col.header:
        return "direct"
    if any(word in col.header for word in ("报备", "蒲公英", "星图")):
        return "registered"
    return None


def _default_deliverable(platform: str) -> str:
    return "image_post" if platform in ("xiaohongshu", "weibo", "instagram") else "video"


def _title_rows(rng: random.Random, english: bool, platform: str | None, year: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        form = rng.choice(LETTERHEADS_EN if english else LETTERHEADS_ZH)
        plat = PLATFORM_SPELLINGS[platform][0] if platform else ("全平台" if not english else "Multi-platform")
        rows.append([form.format(co=rng.choice(COMPANIES), y=year, m=rng.randint(1, 12), plat=plat)])
    if rows and rng.random() < 0.4:
        rows.append([])
    return rows


def _sheet(rng: random.Random, name: str, english: bool, platforms: list[str],
           sheet_platform: str | None, platform_column: bool, currency: str, n: int,
           facts_out: list[CreatorFacts], used: set[tuple[str, str]]) -> list[list[object]]:
    title_platform = sheet_platform if sheet_platform and name_says_nothing(name) else None
    rows = _title_rows(rng, english, title_platform, 2027)
    spelled = PLATFORM_SPELLINGS[title_platform][0] if title_platform else ""
    if title_platform and not any(spelled in str(r[0]) for r in rows if r):
        rows.insert(0, [f"{spelled} {'creators' if english else '达人报价'}"])
    cols = _plan_columns(rng, english, platforms, sheet_platform, platform_column, currency)
    rows.append([c.header for c in cols])
    group_rows = rng.random() < 0.2 and not any(c.role == "category" for c in cols)
    for i in range(n):
        if group_rows and i % max(3, n // 3) == 0:
            rows.append([f"【{rng.choice(CATEGORIES_EN if english else CATEGORIES_ZH)}】"])
        if rng.random() < 0.06:
            rows.append([None] * len(cols))
        platform = sheet_platform or rng.choice(platforms)
        handle_cell, handle = _unused_handle(rng, platform, english, used)
        facts = CreatorFacts(sheet=name, row=len(rows) + 1, platform=platform, handle=handle,
                             nickname=_nickname(rng, english))
        link = rng.choice(LINK_TEMPLATES[platform]).format(h=handle, n=rng.randint(10**7, 10**9))
        platform_cell = rng.choice(PLATFORM_SPELLINGS[platform])
        row: list[object] = []
        for col in cols:
            cell = i + 1 if col.role == "seq" else _cell_for(rng, col, facts, english, platform_cell,
                                                           link, handle_cell)
            row.append(cell)
        if not any(c.role == "handle" for c in cols):
            facts.handle = ""
        rows.append(row)
        facts_out.append(facts)
    if rng.random() < 0.3:
        rows.append(["小计" if not english else "Subtotal"] + [None] * (len(cols) - 1))
    if rng.random() < 0.3:
        rows.append(["合计" if not english else "Total"] + [None] * (len(cols) - 1))
    if rng.random() < 0.3:
        rows.append([])
        rows.append([rng.choice(NOTES_EN if english else NOTES_ZH)])
    return rows


def _wide_sheet(rng: random.Random, name: str, platforms: list[str], n: int,
                facts_out: list[CreatorFacts], used: set[tuple[str, str]]) -> list[list[object]]:
    """One row per creator, a group of columns per platform (抖音号 | 抖音粉丝 | 抖音视频报价 |
    小红书号 | ...), a blank group where the creator is not on that platform."""
    rows = _title_rows(rng, False, None, 2027)
    shared = [_Column("nickname", rng.choice(ZH["nickname"]))]
    if rng.random() < 0.6:
        shared.append(_Column("category", rng.choice(ZH["category"])))
    groups: list[tuple[str, list[_Column]]] = []
    for p in platforms:
        spelled = rng.choice(PLATFORM_SPELLINGS[p][:2])
        deliverable = DELIVERABLES[p][0]
        word = {"image_post": "图文", "video": "视频", "live": "直播", "repost": "转发",
                "custom": "定制"}[deliverable]
        cols = [_Column("handle", rng.choice((f"{spelled}号", f"{spelled}ID", f"{spelled}账号"))),
                _Column("followers", rng.choice((f"{spelled}粉丝", f"{spelled}粉丝数", f"{spelled}粉丝(万)")))]
        if cols[1].header.endswith("(万)"):
            cols[1].unit = 10_000
        if rng.random() < 0.8:
            cols.append(_Column(f"price:{deliverable}", rng.choice((f"{spelled}{word}报价", f"{spelled}{word}"))))
        groups.append((p, cols))
    if rng.random() < 0.4:
        # the platform written once over its group of columns, the columns under it
        # named without it: 抖音 over 账号 | 粉丝 | 报价
        top: list[object] = [None] * len(shared)
        for p, cols in groups:
            top += [rng.choice(PLATFORM_SPELLINGS[p][:2])] + [None] * (len(cols) - 1)
            for col in cols:
                col.header = {"handle": rng.choice(("账号", "ID", "账号ID")),
                              "followers": rng.choice(("粉丝", "粉丝数", "粉丝(万)"))}.get(
                    col.role, rng.choice(("报价", "价格", "刊例价")))
                col.unit = 10_000 if col.header == "粉丝(万)" else 1
        rows.append(top)
    rows.append([c.header for c in shared] + [c.header for _, cols in groups for c in cols])
    for _ in range(n):
        nickname = _nickname(rng, False)
        line: list[object] = []
        first = True
        for col in shared:
            probe = CreatorFacts(name, 0, "", "", nickname)
            line.append(_cell_for(rng, col, probe, False, "", "", ""))
        category = line[1] if len(shared) > 1 else None
        for p, cols in groups:
            if not first and rng.random() < 0.3:
                line.extend([None] * len(cols))
                continue
            first = False
            handle_cell, handle = _unused_handle(rng, p, False, used)
            facts = CreatorFacts(sheet=name, row=len(rows) + 1, platform=p, handle=handle,
                                 nickname=nickname, category=category if isinstance(category, str) else None)
            for col in cols:
                line.append(_cell_for(rng, col, facts, False, "", "", handle_cell))
            facts_out.append(facts)
        rows.append(line)
    return rows


def _chat_lines(rng: random.Random, name: str, n: int, facts_out: list[CreatorFacts],
                used: set[tuple[str, str]]) -> list[str]:
    """Rows as a chat message gives them: no header, one creator per line, nickname,
    platform, account, followers and price in that order, a time stamp in front."""
    sep = rng.choice(("，", ", ", "、", " | ", "\t", "  "))
    stamp = rng.random() < 0.5
    lines = []
    for i in range(n):
        platform = rng.choice(("douyin", "xiaohongshu", "bilibili", "kuaishou", "weibo"))
        handle_cell, handle = _unused_handle(rng, platform, False, used)
        facts = CreatorFacts(name, i + 1, platform, handle, _nickname(rng, False))
        followers, facts.followers = _count_cell(rng, 1, rng.choice(("w", "万", "万粉", "W", "k")))
        price, amount = _price_cell(rng, 1, "CNY", False)
        facts.prices[_default_deliverable(platform)] = amount
        cells = [facts.nickname, rng.choice(PLATFORM_SPELLINGS[platform][:3]), str(handle_cell),
                 str(followers), str(price)]
        lines.append((f"[{9 + i // 60:02d}:{i % 60:02d}] " if stamp else "") + sep.join(cells))
        facts_out.append(facts)
    return lines


CARD_KEYS_ZH = {"nickname": ("昵称", "达人", "博主", "达人昵称"), "platform": ("平台", "投放平台"),
                "handle": ("账号", "ID", "账号ID"), "followers": ("粉丝", "粉丝数", "粉丝量"),
                "price": ("报价", "刊例价", "合作价"), "category": ("领域", "类型")}
CARD_KEYS_EN = {"nickname": ("Name", "Creator", "Talent"), "platform": ("Platform",),
                "handle": ("Handle", "Username"), "followers": ("Followers", "Fans"),
                "price": ("Rate", "Fee"), "category": ("Category", "Niche")}


def _card_lines(rng: random.Random, name: str, english: bool, n: int,
                facts_out: list[CreatorFacts], used: set[tuple[str, str]]) -> list[str]:
    """One card per creator, as a message gives them: a "key: value" line per fact, a
    blank line (or nothing but the next card's first key) between creators."""
    words = CARD_KEYS_EN if english else CARD_KEYS_ZH
    keys = {role: rng.choice(options) for role, options in words.items()}
    colon = rng.choice((": ", ":") if english else ("：", ": ", "："))
    gap = rng.random() < 0.8
    pool = ("tiktok", "instagram", "youtube") if english else (
        "douyin", "xiaohongshu", "bilibili", "kuaishou", "weibo")
    lines: list[str] = []
    if rng.random() < 0.5:
        form = rng.choice(LETTERHEADS_EN if english else LETTERHEADS_ZH)
        lines += [form.format(co=rng.choice(COMPANIES), y=2027, m=rng.randint(1, 12),
                              plat="Multi-platform" if english else "全平台"), ""]
    with_category = rng.random() < 0.5
    for _ in range(n):
        platform = rng.choice(pool)
        handle_cell, handle = _unused_handle(rng, platform, english, used)
        facts = CreatorFacts(name, len(lines) + 1, platform, handle, _nickname(rng, english))
        followers, facts.followers = _count_cell(rng, 1, rng.choice(
            ("k", "K", "M", "grouped") if english else ("w", "万", "W", "grouped", "k")))
        price, amount = _price_cell(rng, 1, "USD" if english else "CNY", english)
        facts.prices[_default_deliverable(platform)] = amount
        card = [(keys["nickname"], facts.nickname),
                (keys["platform"], rng.choice(PLATFORM_SPELLINGS[platform][:3])),
                (keys["handle"], str(handle_cell)), (keys["followers"], str(followers)),
                (keys["price"], str(price))]
        if with_category:
            facts.category = rng.choice(CATEGORIES_EN if english else CATEGORIES_ZH)
            card.append((keys["category"], facts.category))
        lines += [f"{key}{colon}{value}" for key, value in card]
        if gap:
            lines.append("")
        facts_out.append(facts)
    return lines


def _stacked_sheet(rng: random.Random, name: str, platforms: list[str], currency: str, n: int,
                   facts_out: list[CreatorFacts], used: set[tuple[str, str]]) -> list[list[object]]:
    """Tables of several platforms pasted one under the other on one sheet, each under a
    group row naming its platform (【抖音】), the header sometimes repeated."""
    rows = _title_rows(rng, False, None, 2027)
    cols = [c for c in _plan_columns(rng, False, platforms, None, False, currency)
            if c.role != "profile_url"]
    if not any(c.role == "handle" for c in cols):
        cols.insert(1, _Column("handle", rng.choice(ZH["handle"])))
    header = [c.header for c in cols]
    rows.append(header)
    for k, platform in enumerate(platforms):
        if k and rng.random() < 0.5:
            rows.append([])
        rows.append([rng.choice(("【{}】", "{}达人", "— {} —", "{}")).format(
            rng.choice(PLATFORM_SPELLINGS[platform][:2]))])
        if k and rng.random() < 0.5:
            rows.append(list(header))
        for i in range(max(2, n // len(platforms))):
            handle_cell, handle = _unused_handle(rng, platform, False, used)
            facts = CreatorFacts(sheet=name, row=len(rows) + 1, platform=platform, handle=handle,
                                 nickname=_nickname(rng, False))
            rows.append([i + 1 if c.role == "seq" else _cell_for(rng, c, facts, False, "", "",
                                                                   handle_cell) for c in cols])
            facts_out.append(facts)
    return rows


def name_says_nothing(name: str) -> bool:
    return name in ("Sheet1", "达人列表", "名单", "Roster", "List", "资源表")


def generate(seed: int, *, rows: tuple[int, int] = (4, 14)) -> GeneratedList:
    """One list: 1-3 sheets, English or Chinese, CNY or USD, the facts of every creator row."""
    rng = random.Random(seed)
    english = rng.random() < 0.3
    currency = "USD" if english and rng.random() < 0.7 else "CNY"
    pool = [p for p in PLATFORMS if (p in ("tiktok", "instagram", "youtube")) == english] \
        if rng.random() < 0.85 else list(PLATFORMS)
    facts: list[CreatorFacts] = []
    used: set[tuple[str, str]] = set()
    sheets: list[tuple[str, list[list[object]]]] = []
    mode = rng.choice(("column", "column", "per_sheet", "title", "links", "wide", "chat",
                       "stacked", "cards"))
    if mode == "cards":
        name = f"list_{seed:04d}"
        lines = _card_lines(rng, name, english, rng.randint(*rows), facts, used)
        return GeneratedList(seed=seed, name=name, sheets=[], facts=facts, chat=lines)
    if mode == "stacked" and not english:
        chosen = rng.sample([p for p in pool if p in PLATFORM_SPELLINGS], min(len(pool), rng.randint(2, 3)))
        name = rng.choice(("达人列表", "Sheet1", "汇总"))
        sheets.append((name, _stacked_sheet(rng, name, chosen, currency, rng.randint(*rows), facts,
                                            used)))
        mode = "done"
    if mode == "chat" and not english:
        name = f"list_{seed:04d}"
        lines = _chat_lines(rng, name, rng.randint(*rows), facts, used)
        return GeneratedList(seed=seed, name=name, sheets=[], facts=facts, chat=lines)
    if mode in ("wide", "chat", "stacked") and english:
        mode = "column"
    if mode == "done":
        pass
    elif mode == "wide" and not english:
        chosen = rng.sample([p for p in pool if p in PLATFORM_SPELLINGS], min(len(pool), rng.randint(2, 3)))
        name = rng.choice(("达人列表", "全平台资源", "Sheet1"))
        sheets.append((name, _wide_sheet(rng, name, chosen, rng.randint(*rows), facts, used)))
    elif mode == "per_sheet":
        chosen = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        for p in chosen:
            name = rng.choice(SHEET_NAMES[p])
            sheets.append((name, _sheet(rng, name, english, [p], p, False, currency,
                                        rng.randint(*rows), facts, used)))
    else:
        platforms = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
        name = rng.choice(("Sheet1", "达人列表", "名单", "资源表") if not english else ("Sheet1", "Roster", "List"))
        if mode == "title":
            platforms = platforms[:1]
        sheet_platform = platforms[0] if mode == "title" else None
        sheets.append((name, _sheet(rng, name, english, platforms, sheet_platform, mode == "column",
                                    currency, rng.randint(*rows), facts, used)))
    if rng.random() < 0.2:
        sheets.append(("说明" if not english else "Notes",
                       [[rng.choice(NOTES_EN if english else NOTES_ZH)], ["联系人：王小姐" if not english else "Contact: Jane"]]))
    name = f"list_{seed:04d}"
    # a text file has no sheet name to carry the platform
    csv = len(sheets) == 1 and mode not in ("per_sheet", "wide", "done") and rng.random() < 0.1
    if csv:  # a text file has one sheet, named after the file
        sheets = [(name, sheets[0][1])]
        for f in facts:
            f.sheet = name
    return GeneratedList(seed=seed, name=name, sheets=sheets, facts=facts, csv=csv)
