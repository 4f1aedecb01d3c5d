"""What a column's values look like, as evidence for which fact it holds.

A header says what a column should hold; the values say what it does hold. For every
field this gives the share of a column's sampled values that fit it (platform names,
links, handles, names, counts, rates, prices, dates, categories, cities), so that the
joint assignment in ``columns.py`` can refuse a header word the values contradict and
can recognise a column whose header it does not know.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from kol_desk.importing.errors import ValueProblem
from kol_desk.importing.terms import parse_discount, parse_share, parse_tax
from kol_desk.importing.values import (
    clean_text,
    looks_like_url,
    parse_count,
    parse_currency,
    parse_date,
    parse_price,
    parse_rate,
    platform_from_url,
    platform_named,
    split_platform_handle,
)
from kol_desk.importing.vocabulary import Field

__all__ = ["ColumnShape", "sniff_column"]

SAMPLE_ROWS = 80

_HANDLE_RE = re.compile(r"^@?[a-z0-9][a-z0-9._\-]{1,39}$", re.IGNORECASE)
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_COUNT_UNIT_RE = re.compile(r"\d\s*(?:w|万|萬|k|千|m|亿|mil|million)", re.IGNORECASE)
_PRICE_MARK_RE = re.compile(r"[¥￥$€£]|元|rmb|usd|cny|面议|私聊|询价|待定|negotiable|tbd|起|含税|/条|/篇|"
                            r"\d\s*[-~～至—–]\s*\d", re.IGNORECASE)
_RATE_MARK_RE = re.compile(r"\d\s*[%％‰]")
# Words that name a creator's content field or a place; a column of them is a category or a city.
def _words(text: str) -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in text.split())


_CATEGORY_WORDS = _words(
    "美妆 护肤 彩妆 美食 探店 母婴 亲子 育儿 穿搭 时尚 服饰 旅行 旅游 数码 科技 3c 健身 运动 家居 家装 宠物 萌宠 搞笑 "
    "剧情 知识 教育 财经 汽车 游戏 二次元 动漫 音乐 舞蹈 颜值 生活 vlog 情感 影视 读书 摄影 手工 三农 户外 医疗 "
    "健康 职场 beauty skincare makeup food travel tech fitness lifestyle gaming fashion "
    "parenting home pets comedy music dance education finance auto sports health diy "
    "photography art books")
_CITY_WORDS = _words(
    "北京 上海 广州 深圳 杭州 成都 重庆 武汉 南京 西安 长沙 厦门 苏州 天津 郑州 青岛 沈阳 大连 昆明 合肥 福州 济南 "
    "哈尔滨 长春 南宁 贵阳 南昌 太原 石家庄 宁波 无锡 东莞 佛山 珠海 海口 三亚 乌鲁木齐 兰州 拉萨 香港 澳门 台北 "
    "london paris berlin tokyo seoul singapore sydney melbourne toronto vancouver dubai "
    "bangkok jakarta manila madrid rome milan amsterdam shanghai beijing "
    "los_angeles new_york hong_kong san_francisco miami chicago uk us usa china japan korea")


# Kinds of value that name their field on their own, in the order they are checked.
_CLEAR_SHAPES = ((Field.PROFILE_URL, 0.8), (Field.PLATFORM, 0.9), (Field.CITY, 0.8),
                 (Field.CATEGORY, 0.8), (Field.SCHEDULE, 0.9))


@dataclass(slots=True)
class ColumnShape:
    """Shares (0..1) of a column's sampled, non-empty values that fit each kind."""

    n: int = 0
    distinct: float = 0.0  # distinct values / values
    fits: dict[Field, float] = field(default_factory=dict)
    count_units: float = 0.0  # values with a count unit written in them (12.3w, 3.4k)
    price_marks: float = 0.0  # values only a price has (¥, 面议, ranges)
    rate_marks: float = 0.0  # values with a % sign
    numbers: float = 0.0  # numeric cells
    link_platform: str | None = None  # the one platform all links belong to

    def fit(self, f: Field) -> float:
        return self.fits.get(f, 0.0)

    def looks_like(self) -> str | None:
        """The field key the values alone point to, when they clearly do."""
        for f, need in _CLEAR_SHAPES:
            if self.fit(f) >= need:
                return f.value
        if self.price_marks >= 0.5:
            return Field.PRICE.value
        if self.count_units >= 0.5:
            return Field.FOLLOWERS.value
        return None


def _ok(convert: object, raw: object) -> bool:
    try:
        return convert(raw) is not None  # type: ignore[operator]
    except ValueProblem:
        return False


def _text_kind(text: str) -> tuple[bool, bool, bool]:
    """(name-like, handle-like, url-like) for one text cell."""
    url = looks_like_url(text)
    handle = (not url and bool(_HANDLE_RE.match(text)) and not text.replace(".", "").isdigit()) \
        or (text.isdigit() and 5 <= len(text) <= 15)
    name = not url and not text.isdigit() and (bool(_CJK_RE.search(text)) or " " in text.strip()
                                              or text.isalpha())
    return name, handle, url


def sniff_column(values: Sequence[object]) -> ColumnShape:
    """The shape of one column from its sampled cells (None and '' are skipped)."""
    cells = [v for v in values if v is not None and v != "" and not isinstance(v, bool)]
    shape = ColumnShape(n=len(cells))
    if not cells:
        return shape
    n = len(cells)
    texts = [clean_text(v) or "" for v in cells]
    norm = [unicodedata.normalize("NFKC", t).lower() for t in texts]
    shape.distinct = len(set(norm)) / n
    counts = {k: 0 for k in ("platform", "url", "handle", "name", "count", "rate", "price",
                             "date", "category", "city", "text", "share", "tax", "currency")}
    platforms: set[str | None] = set()
    for raw, text, low in zip(cells, texts, norm, strict=True):
        if isinstance(raw, dt.date | dt.datetime):
            counts["date"] += 1
            continue
        if isinstance(raw, int | float):
            shape.numbers += 1
            counts["count"] += raw >= 0
            counts["price"] += raw >= 0
            counts["rate"] += 0 <= raw <= 100
            counts["share"] += 0 <= raw <= 100
            if float(raw).is_integer() and 5 <= len(str(int(raw))) <= 15:
                counts["handle"] += 1  # a numeric account id (Bilibili UID, 小红书号)
            continue
        counts["text"] += 1
        name, handle, url = _text_kind(unicodedata.normalize("NFKC", text))
        counts["name"] += name
        counts["handle"] += handle
        if url:
            counts["url"] += 1
            platforms.add(platform_from_url(text))
        if not url and (platform_named(text) is not None
                        or split_platform_handle(text) is not None):  # '抖音 taozi01'
            counts["platform"] += 1
        if _COUNT_UNIT_RE.search(low):
            shape.count_units += 1
        if _PRICE_MARK_RE.search(low):
            shape.price_marks += 1
        if _RATE_MARK_RE.search(low):
            shape.rate_marks += 1
        counts["count"] += _ok(parse_count, text)
        counts["rate"] += _ok(parse_rate, text) and _plausible_rate(low)
        counts["price"] += _price_like(text)
        counts["share"] += _ok(parse_share, text) or _ok(parse_discount, text)
        counts["tax"] += _ok(parse_tax, text)
        counts["currency"] += _ok(parse_currency, text)
        counts["date"] += _ok(lambda t: parse_date(t, 2000), text)
        counts["category"] += low in _CATEGORY_WORDS or any(w in _CATEGORY_WORDS
                                                            for w in re.split(r"[/、,，|\s]+", low))
        counts["city"] += low in _CITY_WORDS or low.rstrip("市省") in _CITY_WORDS
    for attr in ("numbers", "count_units", "price_marks", "rate_marks"):
        setattr(shape, attr, getattr(shape, attr) / n)
    share = {k: v / n for k, v in counts.items()}
    if len(platforms) == 1:
        shape.link_platform = next(iter(platforms))
    shape.fits = _fits(shape, share)
    return shape


def _plausible_rate(text: str) -> bool:
    if _RATE_MARK_RE.search(text):
        return True
    try:
        return float(text) <= 100
    except ValueError:
        return False


def _price_like(text: str) -> bool:
    try:
        parse_price(text)
    except ValueProblem:
        return False
    return True


def _fits(shape: ColumnShape, share: dict[str, float]) -> dict[Field, float]:
    distinct = shape.distinct if shape.n >= 4 else 1.0
    text_only = share["text"]
    # a count column is numbers or counts with units; one with price marks or % is not
    count = max(0.0, share["count"] - shape.price_marks - shape.rate_marks)
    fits = {
        Field.PLATFORM: share["platform"],
        Field.PROFILE_URL: share["url"],
        Field.HANDLE: max(0.0, share["handle"] - share["platform"]) * min(1.0, distinct + 0.2),
        Field.NICKNAME: max(0.0, share["name"] - share["platform"] - share["category"]
                            - share["city"]) * min(1.0, distinct + 0.2),
        Field.FOLLOWERS: count,
        Field.AVG_VIEWS: count,
        Field.AVG_INTERACTIONS: count,
        Field.ENGAGEMENT_RATE: share["rate"],
        Field.PRICE: max(0.0, share["price"] - shape.rate_marks),
        Field.SCHEDULE: share["date"],
        Field.CATEGORY: max(share["category"], text_only * (1.0 - distinct) * 0.8
                            if share["url"] < 0.2 and share["platform"] < 0.5 else 0.0),
        Field.CITY: share["city"],
        Field.REBATE: share["share"], Field.DISCOUNT: share["share"],
        Field.SERVICE_FEE: max(share["share"], share["price"]), Field.TAX: share["tax"],
        Field.CURRENCY: share["currency"],
        Field.AGENCY: text_only, Field.CONTACT: 1.0, Field.NOTES: 1.0, Field.SEQ: 1.0,
        Field.IGNORE: 1.0,
    }
    return fits
