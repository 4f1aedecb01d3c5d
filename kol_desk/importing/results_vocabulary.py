"""The header vocabulary of results workbooks: our own results template, marketers' hand
made sheets, and the back-end exports of the platforms (Douyin 巨量星图, Xiaohongshu
蒲公英, Bilibili 花火, Weibo 微任务, Kuaishou 磁力聚星, WeChat Channels 互选), which name the
same facts differently again (播放量 / 阅读量 / 观看次数, 点赞 / 获赞, 收藏 / 藏, 弹幕, 投币 ...).

Matching works like the agency vocabulary (``vocabulary.py``): headers are normalised
(NFKC, lower case, no punctuation) and a unit in the header (播放量(万)) is split off
with ``vocabulary.split_unit``; an exact wording scores 1.0, a wording contained in the
header less, the longest wording wins. Rate columns (完播率, 互动率, CTR) and cost columns
are recognised as IGNORE so that 点赞率 never becomes a like count.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from kol_desk.importing.values import Unit
from kol_desk.importing.vocabulary import split_unit, wording_key, wording_score, wording_tokens

__all__ = ["COUNT_FIELDS", "IDENTITY_FIELDS", "ResultField", "ResultMatch", "match_result_header"]


class ResultField(StrEnum):
    NICKNAME = "nickname"
    PLATFORM = "platform"
    HANDLE = "handle"
    POST_URL = "post_url"
    TAKEN_ON = "taken_on"
    IMPRESSIONS = "impressions"
    VIEWS = "views"
    LIKES = "likes"
    COMMENTS = "comments"
    SHARES = "shares"
    SAVES = "saves"
    DANMAKU = "danmaku"
    COINS = "coins"
    CLICKS = "clicks"
    PROMO_USES = "promo_uses"
    ORDERS = "orders"
    REVENUE = "revenue"
    NEW_FOLLOWERS = "new_followers"
    COMMUNITY_JOINS = "community_joins"
    NEW_CUSTOMERS = "new_customers"
    SCORE_BRAND_FIT = "score_brand_fit"
    SCORE_CREATIVE = "score_creative"
    SCORE_MESSAGE = "score_message"
    IGNORE = "ignore"


IDENTITY_FIELDS = frozenset({ResultField.HANDLE, ResultField.POST_URL, ResultField.NICKNAME})
COUNT_FIELDS = (ResultField.IMPRESSIONS, ResultField.VIEWS, ResultField.LIKES,
                ResultField.COMMENTS, ResultField.SHARES, ResultField.SAVES, ResultField.DANMAKU,
                ResultField.COINS, ResultField.CLICKS, ResultField.PROMO_USES, ResultField.ORDERS,
                ResultField.NEW_FOLLOWERS, ResultField.COMMUNITY_JOINS, ResultField.NEW_CUSTOMERS)

_WORDINGS: dict[ResultField, tuple[str, ...]] = {
    ResultField.NICKNAME: ("达人昵称", "昵称", "达人", "博主", "博主昵称", "达人名称", "账号名称", "作者",
                           "up主", "主播", "kol", "creator", "creator name", "influencer", "name",
                           "account name", "talent"),
    ResultField.PLATFORM: ("平台", "渠道", "投放平台", "platform", "channel"),
    ResultField.HANDLE: ("账号", "账号id", "达人id", "抖音号", "小红书号", "红书号", "快手号", "微博id",
                         "b站uid", "uid", "视频号id", "作者id", "handle", "username", "account",
                         "account id", "user id", "creator id"),
    ResultField.POST_URL: ("作品链接", "笔记链接", "视频链接", "内容链接", "发布链接", "帖子链接", "文章链接",
                           "稿件链接", "链接", "post url", "post link", "content url", "video url",
                           "url", "link"),
    ResultField.TAKEN_ON: ("数据日期", "统计日期", "数据截止日期", "截止日期", "数据时间", "统计时间", "采集日期",
                           "日期", "date", "as of", "snapshot date", "data date", "report date"),
    ResultField.IMPRESSIONS: ("曝光", "曝光量", "曝光数", "曝光次数", "展现量", "展示量", "展现", "impressions",
                              "impression", "reach"),
    ResultField.VIEWS: ("播放", "播放量", "播放数", "播放次数", "阅读", "阅读量", "阅读数", "观看", "观看量",
                        "观看次数", "观看人数", "浏览量", "views", "view", "plays", "video views",
                        "reads"),
    ResultField.LIKES: ("点赞", "点赞数", "点赞量", "获赞", "赞", "likes", "like"),
    ResultField.COMMENTS: ("评论", "评论数", "评论量", "comments", "comment"),
    ResultField.SHARES: ("分享", "分享数", "分享量", "转发", "转发数", "转发量", "shares", "share",
                         "reposts", "retweets"),
    ResultField.SAVES: ("收藏", "收藏数", "收藏量", "saves", "save", "favorites", "bookmarks"),
    ResultField.DANMAKU: ("弹幕", "弹幕数", "danmaku", "bullet comments"),
    ResultField.COINS: ("投币", "投币数", "硬币", "coins"),
    ResultField.CLICKS: ("点击", "点击量", "点击数", "点击次数", "组件点击", "链接点击", "进店", "clicks",
                         "click", "link clicks"),
    ResultField.PROMO_USES: ("券码使用", "优惠码使用", "口令使用", "核销", "券核销", "使用优惠码", "promo uses",
                             "promo code uses", "code uses", "coupon uses", "redemptions"),
    ResultField.ORDERS: ("订单", "订单数", "订单量", "成交订单", "成交单量", "成交单数", "转化数", "购买数",
                         "orders", "order", "conversions", "purchases"),
    ResultField.REVENUE: ("成交金额", "销售额", "gmv", "成交额", "营收", "收入", "带货金额", "revenue", "sales",
                          "sales amount"),
    ResultField.NEW_FOLLOWERS: ("涨粉", "涨粉数", "新增粉丝", "品牌涨粉", "新增关注", "new followers",
                                "followers gained", "follows"),
    ResultField.COMMUNITY_JOINS: ("入群", "入群数", "进群", "社群加入", "加群", "community joins",
                                  "group joins", "joined community"),
    ResultField.NEW_CUSTOMERS: ("新客", "新客数", "新增客户", "拉新", "new customers"),
    ResultField.SCORE_BRAND_FIT: ("品牌契合度", "契合度", "调性契合", "brand fit"),
    ResultField.SCORE_CREATIVE: ("创意质量", "内容质量", "创意", "creative", "creative quality"),
    ResultField.SCORE_MESSAGE: ("信息准确度", "卖点准确", "信息传达", "message", "message accuracy"),
    ResultField.IGNORE: ("完播率", "互动率", "点赞率", "点击率", "转化率", "ctr", "cvr", "cpm", "cpe", "cpc",
                         "cpa", "roi", "roas", "费用", "报价", "价格", "cost", "fee", "price", "序号", "no",
                         "备注", "notes", "粉丝", "粉丝数", "followers", "rate", "发布日期", "发布时间",
                         "post date", "published"),
}


@dataclass(frozen=True, slots=True)
class ResultMatch:
    field: ResultField
    score: float
    unit: Unit


_TABLE = [(f, wording_key(w), wording_tokens(w)) for f, words in _WORDINGS.items() for w in words]


@lru_cache(maxsize=2048)
def match_result_header(header: str) -> ResultMatch | None:
    """The result field a header names, or None."""
    label, unit = split_unit(header)
    key = wording_key(label)
    if not key:
        return None
    tokens = wording_tokens(label)
    best: tuple[float, int, ResultField] | None = None
    for field, word_key, word_tokens in _TABLE:
        if not word_key:
            continue
        score = wording_score(key, tokens, word_key, word_tokens)
        # On equal scores the longer wording is the more specific one (点赞率 over 点赞).
        candidate = (score, len(word_key), field)
        if score > 0 and (best is None or candidate[:2] > best[:2]):
            best = candidate
    if best is None:
        return None
    return ResultMatch(best[2], best[0], unit)
