"""The header vocabulary: which column of an agency list holds which fact.

Headers are matched after normalising width, case, spaces and brackets, and a unit in
the header (粉丝(万), 报价/万元, Rate (USD), 互动率(%)) is taken off first and returned
separately. A header matches a field by exact wording, by containing a wording (Chinese)
or by containing its words (English); the longest wording wins, so 账号名称 is a nickname
although it contains 账号, and 互动率 is a rate although it contains 互动. Cost-side columns
(CPE, CPM, 底价, 返点...) are matched as IGNORE first and never become a price.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from kol_desk.importing.values import Unit, strip_platforms

__all__ = [
    "DEFAULT_DELIVERABLE",
    "Field",
    "HeaderMatch",
    "HeaderScores",
    "default_deliverable",
    "header_scores",
    "match_header",
    "price_channel",
    "split_unit",
    "unit_word",
]


class Field(StrEnum):
    NICKNAME = "nickname"
    PLATFORM = "platform"
    HANDLE = "handle"
    PROFILE_URL = "profile_url"
    FOLLOWERS = "followers"
    AVG_VIEWS = "avg_views"
    AVG_INTERACTIONS = "avg_interactions"
    ENGAGEMENT_RATE = "engagement_rate"
    PRICE = "price"
    CATEGORY = "category"
    CITY = "city"
    AGENCY = "agency"
    CONTACT = "contact"
    SCHEDULE = "schedule"
    NOTES = "notes"
    REBATE = "rebate"  # the agency's rebate (返点), a share of the price
    SERVICE_FEE = "service_fee"  # the agency's service fee (服务费), an amount or a share
    DISCOUNT = "discount"  # 折扣: 8折 / 80% of the list price
    TAX = "tax"  # whether prices include tax (含税/不含税), or the tax rate added
    CURRENCY = "currency"  # the currency of the row's prices (币种: USD, CNY)
    SEQ = "seq"  # row numbers: recognised so they are not mistaken for data, then ignored
    IGNORE = "ignore"  # cost-side and computed columns, kept in ``extra`` only


_WORDINGS: dict[Field, tuple[str, ...]] = {
    Field.NICKNAME: ("达人昵称", "昵称", "博主名称", "博主昵称", "博主", "账号名称", "达人名称", "达人",
                     "kol", "koc", "kol名称", "kol昵称", "up主", "up主名称", "up主昵称", "主播", "主播名称",
                     "红人", "红人昵称", "网红", "作者", "作者昵称", "名称", "姓名", "达人名字", "账号昵称",
                     "creator", "creator name", "name", "influencer", "influencer name",
                     "channel", "channel name", "account name", "display name", "talent", "talent name",
                     "nickname", "kol name", "full name"),
    Field.PLATFORM: ("平台", "渠道", "媒体", "媒体平台", "投放平台", "所属平台", "合作平台", "平台名称",
                     "platform", "social platform", "network", "social network", "main platform",
                     "social media", "channel"),
    Field.HANDLE: ("账号id", "账号", "id", "uid", "小红书号", "红书号", "抖音号", "快手号", "微博id",
                   "b站uid", "视频号id", "用户id", "达人id", "达人账号", "平台id", "平台账号", "用户名",
                   "handle", "username", "user name", "user id", "account id", "account",
                   "ins id", "tiktok id", "creator id", "social handle", "profile id", "mid"),
    Field.PROFILE_URL: ("主页链接", "主页", "链接", "个人主页", "主页地址", "账号链接", "达人主页", "主页url",
                        "profile", "profile link", "profile url", "link", "url", "homepage",
                        "channel url", "channel link", "page link"),
    Field.FOLLOWERS: ("粉丝数", "粉丝量", "粉丝", "粉丝数量", "粉丝总数", "粉丝总量", "粉丝量级", "全网粉丝",
                      "订阅数", "订阅", "关注数", "followers", "follower count", "followers count",
                      "subs", "subscribers", "fans", "audience size", "audience", "total followers",
                      "fan count", "follower", "no of followers", "reach"),
    Field.AVG_VIEWS: ("平均播放", "平均播放量", "播放量", "均播", "场均播放", "平均阅读", "阅读量",
                      "平均观看", "avg views", "average views", "views", "avg. views", "avg plays"),
    Field.AVG_INTERACTIONS: ("赞评藏", "平均赞评藏", "平均互动", "互动量", "平均互动量", "赞藏评", "赞评转",
                             "转评赞", "赞藏", "赞藏量", "点赞", "平均点赞", "互动数", "avg interactions", "avg engagement", "engagements",
                             "interactions", "avg likes"),
    Field.ENGAGEMENT_RATE: ("互动率", "平均互动率", "赞粉比", "engagement rate", "er", "eng rate",
                            "eng. rate", "engagement", "avg er", "engagement %"),
    Field.PRICE: ("报价", "价格", "刊例价", "刊例", "合作价格", "合作价", "合作报价", "参考报价", "费用",
                  "一口价", "执行价", "报价金额", "收费", "单价", "rate", "fee", "price", "quote",
                  "rate card", "pricing", "cost", "price per post", "rate per post"),
    Field.CATEGORY: ("领域", "类型", "分区", "标签", "垂类", "内容类型", "类别", "分类", "赛道", "内容方向",
                     "内容领域", "所属领域", "内容标签", "达人类型", "账号类型", "内容垂类",
                     "niche", "category", "vertical", "tags", "tag", "genre", "content type",
                     "topic", "content category", "content"),
    Field.CITY: ("所在地", "城市", "地区", "地域", "所在城市", "ip属地", "常驻城市", "所在地区", "常驻地",
                 "location", "city", "country", "region", "based in", "based", "base"),
    Field.AGENCY: ("机构", "mcn", "mcn机构", "所属机构", "所属mcn", "经纪公司", "签约机构", "agency",
                   "management", "mgmt"),
    Field.CONTACT: ("微信", "联系方式", "联系人", "电话", "手机", "邮箱", "vx", "wx", "email", "e-mail",
                    "mail", "wechat", "contact", "phone", "对接人", "商务微信", "manager"),
    Field.SCHEDULE: ("档期", "可排期", "排期", "可约档期", "发布时间", "schedule", "availability",
                     "available date", "available from"),
    Field.NOTES: ("备注", "说明", "其他说明", "notes", "note", "remark", "remarks", "comments", "comment"),
    Field.REBATE: ("返点", "返点比例", "返点率", "返佣", "返佣比例", "rebate", "rebate %", "kickback"),
    Field.SERVICE_FEE: ("服务费", "服务费比例", "代理服务费", "机构服务费", "service fee", "agency fee",
                        "management fee", "handling fee"),
    Field.DISCOUNT: ("折扣", "折扣率", "折扣比例", "优惠折扣", "discount", "discount rate"),
    Field.TAX: ("是否含税", "含税", "税点", "税率", "含税情况", "发票", "开票", "tax", "vat",
                "tax included", "incl tax", "invoice"),
    Field.CURRENCY: ("币种", "货币", "结算币种", "报价币种", "currency", "ccy"),
    Field.SEQ: ("序号", "编号", "排名", "no", "no.", "#", "rank", "index", "序"),
    Field.IGNORE: ("cpm", "cpe", "cpv", "cpc", "cpa", "roi", "底价", "内部", "成本", "成本价", "返点后",
                   "折后", "到手", "佣金", "commission", "结算",
                   "margin", "利润", "毛利", "采购价", "净价", "internal", "net cost", "cost per",
                   "net rate", "floor", "预估", "estimated", "占比", "性别", "年龄",
                   "gender", "age", "平台服务费", "platform fee"),
}

_DELIVERABLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("video", ("视频笔记", "video note", "video post")),  # Xiaohongshu's video notes
    ("live", ("直播", "live", "livestream", "stream")),
    ("repost", ("转发", "repost", "retweet", "share", "转推")),
    ("custom", ("定制", "custom", "dedicated", "专属")),
    ("story", ("快拍", "限时动态", "story", "stories", "ig story", "insta story")),
    ("image_post", ("图文", "笔记", "图片", "image", "photo", "picture", "carousel", "feed post",
                    "static", "post", "posts")),
    ("video", ("视频", "短视频", "video", "vlog", "reel", "integrated", "integration", "shorts")),
)

DEFAULT_DELIVERABLE: dict[str, str] = {
    "douyin": "video", "bilibili": "video", "youtube": "video", "tiktok": "video",
    "kuaishou": "video", "wechat_channels": "video", "xiaohongshu": "image_post",
    "weibo": "image_post", "instagram": "image_post", "wechat_oa": "image_post",
    "x": "image_post",
}


def default_deliverable(platform: str | None) -> str:
    """What a generic 报价/Rate column prices on this platform. Without a platform we say
    video: it is what most unlabelled quotes in Chinese lists are for."""
    return DEFAULT_DELIVERABLE.get(platform or "", "video")


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    field: Field
    score: float  # 0.5 (weak, contains a wording) .. 1.0 (exact wording)
    unit: Unit
    deliverable: str | None  # price columns: a deliverable named in the header, else None


_PUNCT_RE = re.compile(r"[\s_\-·:：/()\[\]{}【】<>《》'\"“”‘’|,，.。、*#@?？!！~]+")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_BRACKET_RE = re.compile(r"[(\[【{]([^)\]】}]*)[)\]】}]")
_UNIT_WORDS: dict[str, Unit] = {
    "万": Unit(10_000), "w": Unit(10_000), "万人": Unit(10_000), "万粉": Unit(10_000),
    "千": Unit(1_000), "k": Unit(1_000), "亿": Unit(100_000_000), "m": Unit(1_000_000),
    "mil": Unit(1_000_000), "million": Unit(1_000_000), "百万": Unit(1_000_000),
    "万元": Unit(10_000, "CNY"), "w元": Unit(10_000, "CNY"), "千元": Unit(1_000, "CNY"),
    "元": Unit(1, "CNY"), "rmb": Unit(1, "CNY"), "cny": Unit(1, "CNY"), "¥": Unit(1, "CNY"),
    "人民币": Unit(1, "CNY"), "元/条": Unit(1, "CNY"), "元/篇": Unit(1, "CNY"),
    "usd": Unit(1, "USD"), "$": Unit(1, "USD"), "us$": Unit(1, "USD"), "美元": Unit(1, "USD"),
    "美金": Unit(1, "USD"), "hkd": Unit(1, "HKD"), "sgd": Unit(1, "SGD"), "eur": Unit(1, "EUR"),
    "€": Unit(1, "EUR"), "gbp": Unit(1, "GBP"), "£": Unit(1, "GBP"),
    "%": Unit(percent=True), "‰": Unit(percent=True), "percent": Unit(percent=True),
    "'000": Unit(1_000), "'000s": Unit(1_000), "000s": Unit(1_000), "000": Unit(1_000),
    "thousand": Unit(1_000), "thousands": Unit(1_000), "millions": Unit(1_000_000),
    "mn": Unit(1_000_000), "mm": Unit(1_000_000), "万个": Unit(10_000), "w+": Unit(10_000),
    "千人": Unit(1_000), "亿人": Unit(100_000_000), "k+": Unit(1_000),
    "$usd": Unit(1, "USD"), "usd$": Unit(1, "USD"), "万rmb": Unit(10_000, "CNY"),
    "元/次": Unit(1, "CNY"), "元/篇/条": Unit(1, "CNY"), "￥": Unit(1, "CNY"),
}
_UNIT_PREFIX_RE = re.compile(r"^(?:单位|unit|units|in|计)\s*[:：]?\s*")
# A unit written after the words, without brackets: 'Followers in K', '粉丝数 单位：万',
# 'Fee, USD', 'Followers (000s)' already handled by the brackets.
_TRAILING_UNIT_RE = re.compile(r"(?:^|[\s,，;；])(?:单位\s*[:：]?\s*|unit\s*[:：]?\s*|in\s+)?"
                               r"([^\s,，;；]+)$")


# A multiplier glued to Chinese words: '粉丝w', '粉丝数万', '万粉丝' is not split (rare, and
# 万 starts words such as 万能).
_GLUED_UNIT_RE = re.compile(r"(?<=[\u4e00-\u9fff])(w|万|千|万元|元)$")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace("\n", " ").strip()


def _key(text: str) -> str:
    return _PUNCT_RE.sub("", text)


def _unit_of(fragment: str) -> Unit | None:
    word = _UNIT_PREFIX_RE.sub("", fragment.strip()).replace(" ", "")
    return _UNIT_WORDS.get(word)


def unit_word(text: str) -> Unit | None:
    """The unit a cell of its own names ('万', '(元)', 'USD', '%'), or None."""
    word = _norm(text).strip("()（）[]【】")
    return _unit_of(word) if word else None


def split_unit(header: str) -> tuple[str, Unit]:
    """'粉丝(万)' → ('粉丝', Unit(10000)); 'Rate (USD)' → ('rate', USD); '报价/万元' → ('报价', ...).
    The label comes back normalised (NFKC, lower case)."""
    text = _norm(header)
    unit = Unit()
    for m in _BRACKET_RE.finditer(text):
        found = _unit_of(m.group(1))
        if found is not None:
            unit = found
            text = text.replace(m.group(0), " ")
    if unit == Unit():
        head, sep, tail = text.rpartition("/")
        found = _unit_of(tail) if sep and head.strip() else None
        if found is not None:
            unit, text = found, head
        elif text.endswith(("%", "‰")) and len(text) > 1:
            unit, text = Unit(percent=True), text[:-1]
        elif (trail := _TRAILING_UNIT_RE.search(text)) is not None and trail.start() > 0 \
                and (found := _unit_of(trail.group(1))) is not None:
            unit, text = found, text[:trail.start()]
        elif (glued := _GLUED_UNIT_RE.search(text)) is not None and glued.start() > 0:
            unit, text = _UNIT_WORDS[glued.group(1)], text[:glued.start()]
    return " ".join(text.replace("单位", " ").split()).strip(" ,，:：") or text, unit


def _wording_table() -> list[tuple[Field, str, frozenset[str]]]:
    table = []
    for field, words in _WORDINGS.items():
        for word in words:
            table.append((field, _key(word), frozenset(_TOKEN_RE.findall(word))))
    return table


_TABLE = _wording_table()


def _score(label: str, key: str, tokens: set[str], word_key: str, word_tokens: frozenset[str]
           ) -> float:
    if not word_key:
        return 1.0 if label.strip() in ("#", "no.") else 0.0
    return wording_score(key, tokens, word_key, word_tokens)


def wording_key(text: str) -> str:
    """A header or wording reduced for comparison (no spaces, brackets or punctuation)."""
    return _key(text)


def wording_tokens(text: str) -> frozenset[str]:
    return frozenset(_TOKEN_RE.findall(text))


def wording_score(key: str, tokens: set[str] | frozenset[str], word_key: str,
                  word_tokens: frozenset[str]) -> float:
    """How well a header (its key and Latin tokens) matches one known wording, 0 to 1.
    Shared by the agency-list and the results vocabularies."""
    if key == word_key:
        return 1.0
    if word_key.isascii():
        # English wordings match whole words only: 'er' must not hit 'Followers'
        if word_tokens and word_tokens <= tokens:
            return 0.5 + 0.45 * len(word_key) / max(len(key), 1)
        return 0.0
    if word_key in key:
        return 0.5 + 0.45 * len(word_key) / len(key)
    return 0.0


@dataclass(frozen=True, slots=True)
class HeaderScores:
    """How well a header names each field (0..1), with its unit and deliverable."""

    scores: dict[Field, float]
    unit: Unit
    deliverable: str | None

    def best(self) -> tuple[Field, float] | None:
        found = [(s, f) for f, s in self.scores.items() if f is not Field.IGNORE]
        if not found:
            return None
        s, f = max(found, key=lambda item: item[0])
        return f, s

    @property
    def ignored(self) -> bool:
        """A cost-side or computed column (CPE, 返点, 底价): never a price, even when the
        rest of its header reads like one."""
        cost = self.scores.get(Field.IGNORE, 0.0)
        if not cost:
            return False
        best = self.best()
        return best is None or cost >= best[1] or best[0] is Field.PRICE


# What follows a platform's name in a header for the account on it: 抖音号, 微博ID, IG账号.
_ACCOUNT_WORDS = frozenset({"号", "id", "账号", "账号id", "号码", "handle", "username", "uid", "帐号"})


@lru_cache(maxsize=4096)
def header_scores(header: str) -> HeaderScores:
    """Every field a header could name, scored; empty when it names none we know."""
    label, unit = split_unit(header)
    if not label:
        return HeaderScores({}, unit, None)
    scores: dict[Field, float] = {}
    bare = strip_platforms(label).strip()
    # '抖音粉丝' is read as '粉丝', and '微信视频号视频' as '视频' (not as 微信, a contact)
    for text in (bare or label,):
        key = _key(text)
        tokens = set(_TOKEN_RE.findall(text))
        for field, word_key, word_tokens in _TABLE:
            s = _score(text, key, tokens, word_key, word_tokens)
            if s > scores.get(field, 0.0):
                scores[field] = s
    if bare != label and _key(bare) in _ACCOUNT_WORDS:
        scores[Field.HANDLE] = max(scores.get(Field.HANDLE, 0.0), 0.95)  # 抖音号, YouTube ID
    other = max((v for f, v in scores.items() if f not in (Field.PRICE, Field.PLATFORM)),
                default=0.0)
    if other < 0.7 and price_channel(label) is not None:
        # '星图价', '平台下单价', 'Platform order rate': a price for one channel, never
        # the platform column although it names a platform's marketplace ('Direct
        # contact' stays a contact)
        scores[Field.PRICE] = max(scores.get(Field.PRICE, 0.0), 0.8)
        scores.pop(Field.PLATFORM, None)
    deliverable = _deliverable(label)
    if deliverable is not None:
        # '图文', 'Reel', '直播坑位费': a deliverable names a price column even without 报价
        scores[Field.PRICE] = max(scores.get(Field.PRICE, 0.0),
                                  0.75 if unit.currency is not None else 0.6)
    return HeaderScores(scores, unit, deliverable)


@lru_cache(maxsize=4096)
def match_header(header: str) -> HeaderMatch | None:
    """The field a header names best, or None when it names none we know."""
    found = header_scores(header)
    if found.ignored:
        return HeaderMatch(Field.IGNORE, found.scores[Field.IGNORE], found.unit, None)
    best = found.best()
    if best is None:
        return None
    field, score = best
    deliverable = found.deliverable if field is Field.PRICE else None
    return HeaderMatch(field, score, found.unit, deliverable)


_DIRECT_RE = re.compile(r"非报备|不报备|未报备|水下|私单|direct|organic|non[- ]?platform")
_REGISTERED_RE = re.compile(r"报备|蒲公英|星图|花火|微任务|互选|磁力聚星|平台下单|平台单|下单价|平台价|"
                            r"官方下单|platform order|via platform|branded content|paid partnership")


@lru_cache(maxsize=4096)  # asked once per price of every row: a list repeats its headers
def price_channel(header: str) -> str | None:
    """'报备' when a price column is for an order through the platform's marketplace
    (报备, 蒲公英, 星图, 花火), '非报备' for a direct deal (水下), None when it does not say."""
    text = _norm(header)
    if _DIRECT_RE.search(text):
        return "非报备"
    if _REGISTERED_RE.search(text):
        return "报备"
    return None


def _deliverable(label: str) -> str | None:
    label = label.replace("视频号", " ")  # WeChat Channels is a platform, not a video price
    label = re.sub(r"\b(?:per|a|each)\s+post\b", " ", label)  # 'Rate per post' names no kind
    for deliverable, words in _DELIVERABLE_WORDS:
        for word in words:
            if word.isascii():
                if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", label):
                    return deliverable
            elif word in label:
                return deliverable
    if re.search(r"\d+\s*(?:s|秒|min|分钟)", label):  # Douyin length tiers: 1-20s, 21-60s
        return "video"
    return None
