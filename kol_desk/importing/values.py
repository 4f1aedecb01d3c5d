"""The value grammar of agency lists: counts, rates, prices, handles, dates, platforms.

Every parser takes a raw cell (whatever the reader produced: str, int, float, date,
None) and either returns a normalised value, returns None for "nothing there" (blank,
'-', a spreadsheet error such as #N/A), or raises ``ValueProblem`` with a readable
reason. They never guess: '5000/面议' is a problem, not 5000.

String parsers are memoised because the same spellings ('面议', '12.3w', '抖音') repeat
thousands of times in a large list; that keeps a 50k-row import close to the speed of
reading the cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import urlsplit

from kol_desk.importing.errors import ValueProblem

__all__ = [
    "Price",
    "Unit",
    "clean_text",
    "find_platform",
    "is_error_value",
    "normalise_handle",
    "normalise_platform",
    "parse_count",
    "parse_date",
    "parse_price",
    "parse_rate",
    "platform_from_url",
]

# Removed before anything else: they are invisible in Excel but break equality.
_INVISIBLE = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u202f\u2007"}

ERROR_CODES = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "#N/A N/A"}
)
# Cells that say "no value" in every column kind.
_NOTHING = frozenset(
    {"-", "--", "---", "—", "——", "–", "/", "n/a", "na", "none", "null", "nil", "暂无", "无", "空",
     "?", "？", "…", "..."}
)

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Unit:
    """What a header says about the numbers below it: 粉丝(万) → multiplier 10,000;
    报价(USD) → currency USD; 互动率(%) → percent."""

    multiplier: int = 1
    currency: str | None = None
    percent: bool = False


@dataclass(frozen=True, slots=True)
class Price:
    """A quoted price. Exact prices have min == max; an open price ('5000起') has max None;
    an unknown one (面议, TBD, blank) has both None and ``unknown`` True."""

    min: Decimal | None
    max: Decimal | None
    currency: str
    unknown: bool = False
    tax_included: bool | None = None
    raw: str = ""


def _nfkc(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw.translate(_INVISIBLE)).strip()


_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean_text(raw: object) -> str | None:
    """Display text of a cell: outer whitespace and invisible characters stripped,
    everything inside (emoji, line breaks) kept. Numbers print without a trailing .0."""
    if type(raw) is str:
        text = raw
    elif raw is None:
        return None
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    elif isinstance(raw, dt.datetime) and raw.time() == dt.time():
        text = raw.date().isoformat()
    else:
        text = str(raw)
    text = text.strip()
    # the ASCII test is a cheap way to skip the search on most Latin cells
    if text and not text.isascii() and _INVISIBLE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text).strip()
    return text or None


def is_error_value(raw: object) -> bool:
    return isinstance(raw, str) and raw.strip().upper() in ERROR_CODES


def _to_decimal(value: int | float) -> Decimal:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem("not a finite number")
        # repr() gives the shortest text that round-trips, so 0.0068 stays 0.0068
        return Decimal(repr(value))
    return Decimal(value)


# Beyond these a cell is garbage, not data (found by fuzzing): 1e30 made quantize raise
# InvalidOperation, and 1e20 yuan would overflow the money column at commit.
_MAX_COUNT = Decimal(10) ** 15
_MAX_MONEY = Decimal(10) ** 14


def _round_int(value: Decimal) -> int:
    if abs(value) >= _MAX_COUNT:
        raise ValueProblem("the number is too large to be real")
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(value: Decimal) -> Decimal:
    if abs(value) >= _MAX_MONEY:
        raise ValueProblem("the amount is too large to be real")
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------- counts

_MULTIPLIERS: dict[str, int] = {
    "w": 10_000, "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000,
    "千": 1_000, "k": 1_000, "thousand": 1_000, "百万": 1_000_000, "千万": 10_000_000,
    "m": 1_000_000, "mil": 1_000_000, "mn": 1_000_000, "million": 1_000_000,
    "b": 1_000_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000,
}
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _MULTIPLIERS), key=len, reverse=True))
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_COUNT_RE = re.compile(rf"({_NUMBER})\s*({_UNIT_ALT})?")
_GROUPED_RE = re.compile(r"(?<![\d.])\d{1,3}(?:([,' ])\d{3})(?:\1\d{3})*(?:\.\d+)?(?![\d,'])")
_APPROX_PREFIX = re.compile(r"^(?:约|大约|大概|近|将近|about|approx\.?|approximately|around|circa|ca\.|~|≈|±)\s*")
_APPROX_SUFFIX = re.compile(r"\s*(?:\+|以上|左右|多|\bplus)$")


def _ungroup(text: str) -> str:
    """'1,234,567' → '1234567'. A comma anywhere else is left so that the caller fails."""
    for m in _GROUPED_RE.finditer(text):
        if m.group(1):
            text = text.replace(m.group(0), m.group(0).replace(m.group(1), ""), 1)
    return text


def parse_count(raw: object, unit: int | None = None) -> int | None:
    """A follower / view / interaction count. ``unit`` is the header's multiplier
    (粉丝(万) → 10,000); it applies only to numbers without a unit of their own."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem("a yes/no value, not a count")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and unit in (None, 1) and raw.is_integer():
            if raw < 0:
                raise ValueProblem("a count cannot be negative")
            if raw >= _MAX_COUNT:
                raise ValueProblem("the number is too large to be real")
            return int(raw)
        value = _to_decimal(raw) * (unit or 1)
        if value < 0:
            raise ValueProblem("a count cannot be negative")
        return _round_int(value)
    if isinstance(raw, str):
        return _parse_count_text(raw, unit)
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise ValueProblem("a date or time, not a count")
    raise ValueProblem("not a count")


@lru_cache(maxsize=65536)
def _parse_count_text(raw: str, unit: int | None) -> int | None:
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text.upper() in ERROR_CODES:
        return None
    text = _APPROX_SUFFIX.sub("", _APPROX_PREFIX.sub("", text))
    text = _ungroup(text)
    m = _COUNT_RE.fullmatch(text)
    if m is None:
        raise ValueProblem("not a number of followers/views that I can read")
    number, word = m.groups()
    multiplier = _MULTIPLIERS[word] if word else (unit or 1)
    try:
        value = Decimal(number) * multiplier
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise ValueProblem("not a number") from None
    return _round_int(value)


# ---------------------------------------------------------------------------- rates

_RATE_RE = re.compile(rf"({_NUMBER})\s*(%|‰|percent|pct)?")


def parse_rate(raw: object, header_is_percent: bool = False) -> Decimal | None:
    """An engagement rate as a fraction (0.032 for 3.2 %).

    '3.2%' is always a percentage. A bare number is a percentage when the header says %
    (互动率(%)); otherwise one below 1 is already a fraction and one of 1 or more is a
    percentage, since no creator has an engagement rate of 100 % or more."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem("a yes/no value, not a rate")
    if isinstance(raw, int | float):
        return _bare_rate(_to_decimal(raw), header_is_percent)
    if isinstance(raw, str):
        return _parse_rate_text(raw, header_is_percent)
    raise ValueProblem("a date or time, not a rate")


def _bare_rate(value: Decimal, header_is_percent: bool) -> Decimal:
    if value < 0:
        raise ValueProblem("a rate cannot be negative")
    if header_is_percent or value >= 1:
        return value / 100
    return value


@lru_cache(maxsize=16384)
def _parse_rate_text(raw: str, header_is_percent: bool) -> Decimal | None:
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text.upper() in ERROR_CODES:
        return None
    text = _APPROX_PREFIX.sub("", text)
    m = _RATE_RE.fullmatch(text)
    if m is None:
        raise ValueProblem("not a rate that I can read (expected e.g. 3.2% or 0.032)")
    value = Decimal(m.group(1))
    sign = m.group(2)
    if sign == "‰":
        return value / 1000
    if sign:
        return value / 100
    return _bare_rate(value, header_is_percent)


# ---------------------------------------------------------------------------- prices

# Longest first so that 'us$' wins over '$' and '不含税' over '含税'.
_CURRENCY_MARKS: list[tuple[str, str]] = sorted(
    [("us$", "USD"), ("usd", "USD"), ("美元", "USD"), ("美金", "USD"), ("hk$", "HKD"),
     ("hkd", "HKD"), ("港币", "HKD"), ("港元", "HKD"), ("s$", "SGD"), ("sgd", "SGD"),
     ("rmb", "CNY"), ("cny", "CNY"), ("人民币", "CNY"), ("元", "CNY"), ("块", "CNY"),
     ("¥", "CNY"), ("€", "EUR"), ("eur", "EUR"), ("£", "GBP"), ("gbp", "GBP"), ("$", "USD")],
    key=lambda item: len(item[0]), reverse=True,
)
_TAX_NOTES: list[tuple[re.Pattern[str], bool]] = [
    (re.compile(r"不含税|未税|不含票|税费另计|excl\.?\s*(?:of\s*)?(?:tax|vat)|excluding\s*(?:tax|vat)"
                r"|(?:tax|vat)\s*excl(?:\.|uded)?|\+\s*(?:tax|vat)|plus\s*(?:tax|vat)"), False),
    (re.compile(r"含税|含票|税后|incl\.?\s*(?:of\s*)?(?:tax|vat)|including\s*(?:tax|vat)"
                r"|(?:tax|vat)\s*incl(?:\.|uded)?"), True),
]
_UNKNOWN_WORDS = ("面议", "私聊", "私信", "待定", "询价", "另议", "详询", "咨询", "商议", "协商", "可议",
                  "tbd", "tba", "tbc", "upon request", "on request", "negotiable", "ask", "contact",
                  "dm", "enquire", "inquire", "n/a", "pending")
_PER_POST = re.compile(
    r"\s*(?:/|每|per\s*|a\s*)(?:条|篇|个|次|支|期|post|video|piece|deliverable|reel|story)\s*$"
)
_OPEN_SUFFIX = re.compile(r"\s*(?:起|\+|以上|起步|up|and\s*up|or\s*more)$")
_OPEN_PREFIX = re.compile(r"^(?:from|starting\s*(?:at|from)|min\.?|>=|≥|>)\s*")
_AMOUNT = rf"({_NUMBER})\s*(k|千|w|万|m|mil)?"
_AMOUNT_RE = re.compile(_AMOUNT)
_RANGE_RE = re.compile(rf"{_AMOUNT}\s*(?:-|~|〜|至|到|–|—|to)\s*{_AMOUNT}")
_PRICE_UNITS = {"k": 1_000, "千": 1_000, "w": 10_000, "万": 10_000, "m": 1_000_000,
                "mil": 1_000_000}
_BRACKETS = re.compile(r"[()\[\]【】]")


_NO_UNIT = Unit()


def parse_price(raw: object, header_unit: Unit | None = None, *,
                default_currency: str = "CNY", default_tax_included: bool | None = None
                ) -> Price:
    """A price cell. ``header_unit`` carries what the column header said (报价/万元,
    (USD)); ``default_currency`` and ``default_tax_included`` are what the list says
    elsewhere (a title such as 报价单位：元（含税）) for cells that say nothing."""
    unit = header_unit or _NO_UNIT
    currency = unit.currency or default_currency
    if raw is None:
        return Price(None, None, currency, unknown=True, raw="")
    if isinstance(raw, bool):
        raise ValueProblem("a yes/no value, not a price")
    if isinstance(raw, int | float):
        return _parse_price_number(raw, unit.multiplier, currency, default_tax_included)
    if isinstance(raw, str):
        price = _parse_price_text(raw, unit.multiplier, currency)
        if price.tax_included is None and default_tax_included is not None and not price.unknown:
            price = Price(price.min, price.max, price.currency, False, default_tax_included,
                          price.raw)
        return price
    raise ValueProblem("a date or time, not a price")


@lru_cache(maxsize=65536)
def _parse_price_number(raw: int | float, multiplier: int, currency: str,
                        tax: bool | None) -> Price:
    value = _to_decimal(raw) * multiplier
    if value < 0:
        raise ValueProblem("a price cannot be negative")
    value = _money(value)
    return Price(value, value, currency, tax_included=tax, raw=clean_text(raw) or "")


@lru_cache(maxsize=65536)
def _parse_price_text(raw: str, multiplier: int, currency: str) -> Price:
    shown = raw.translate(_INVISIBLE).strip()
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text.upper() in ERROR_CODES:
        return Price(None, None, currency, unknown=True, raw=shown)
    tax: bool | None = None
    for pattern, included in _TAX_NOTES:
        if pattern.search(text):
            tax = included if tax is None else tax
            text = pattern.sub(" ", text)
    text = _BRACKETS.sub(" ", text).strip(" ,;，；:：")
    has_digit = any(ch.isdigit() for ch in text)
    if not text or text in _NOTHING:
        return Price(None, None, currency, unknown=True, tax_included=tax, raw=shown)
    if any(word in text for word in _UNKNOWN_WORDS):
        if has_digit:
            raise ValueProblem("mixes a number with a 'negotiable' note; enter one or the other")
        return Price(None, None, currency, unknown=True, tax_included=tax, raw=shown)
    if not has_digit:
        raise ValueProblem("not a price that I can read")
    found: set[str] = set()
    for mark, code in _CURRENCY_MARKS:
        if mark in text:
            found.add(code)
            # a placeholder, not a space: '5000元3000' must fail, not become 50003000
            text = text.replace(mark, "\x00")
    if len(found) > 1:
        raise ValueProblem("names more than one currency")
    if found:
        currency = found.pop()
    text = _PER_POST.sub("", text.strip()).strip(" \x00")
    text = " ".join(text.split())
    open_ended = False
    for pattern in (_OPEN_PREFIX, _OPEN_SUFFIX):
        text, n = pattern.subn("", text)
        open_ended = open_ended or n > 0
    text = _ungroup(text.strip())
    m = _RANGE_RE.fullmatch(text)
    if m is not None and not open_ended:
        lo_num, lo_unit, hi_num, hi_unit = m.groups()
        # '5-8k' and '1-2万': a unit written once applies to both ends
        hi = _amount(hi_num, hi_unit, multiplier)
        lo = _amount(lo_num, lo_unit or hi_unit, multiplier)
        if lo > hi:
            raise ValueProblem("a price range whose lower end is above its upper end")
        return Price(lo, hi, currency, tax_included=tax, raw=shown)
    m = _AMOUNT_RE.fullmatch(text)
    if m is None:
        raise ValueProblem("not a price that I can read")
    value = _amount(m.group(1), m.group(2), multiplier)
    return Price(value, None if open_ended else value, currency, tax_included=tax, raw=shown)


def _amount(number: str, word: str | None, multiplier: int) -> Decimal:
    return _money(Decimal(number) * (_PRICE_UNITS[word] if word else multiplier))


# ---------------------------------------------------------------------------- handles

def normalise_handle(raw: object) -> str:
    """The key half of an account id: NFKC, invisible characters gone, outer whitespace
    stripped, one leading @ removed, lower case. '' when the cell is empty."""
    if raw is None or isinstance(raw, bool):
        return ""
    if isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else repr(raw)
    elif isinstance(raw, int):
        text = str(raw)
    else:
        text = str(raw)
    return _normalise_handle_text(text)


def _normalise_handle_text(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII alone; skipping it halves a large import
        text = text.strip()
        if text.startswith("@"):
            text = text[1:].strip()
        return text.lower()
    return _normalise_handle_unicode(text)


@lru_cache(maxsize=65536)
def _normalise_handle_unicode(text: str) -> str:
    text = _nfkc(text)
    if text.startswith("@"):
        text = text[1:].strip()
    return text.lower()


# ---------------------------------------------------------------------------- dates

_NO_DATE = frozenset({"待定", "待确认", "未定", "未确定", "暂定", "tbd", "tba", "tbc", "待排期",
                      "随时", "anytime", "open", "pending"})
_YMD_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MD_RE = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_TIME_TAIL = re.compile(r"[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def parse_date(raw: object, default_year: int | None = None) -> dt.date | None:
    """A schedule date. Real date cells are taken as they are; text such as '2026/11/11',
    '2026-11-20' or '11月11日' is read, the last with ``default_year``; 待定/TBD → None."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        return _parse_date_text(raw, default_year)
    raise ValueProblem("not a date (a plain number or time)")


@lru_cache(maxsize=4096)
def _parse_date_text(raw: str, default_year: int | None) -> dt.date | None:
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text in _NO_DATE or text.upper() in ERROR_CODES:
        return None
    text = _TIME_TAIL.sub("", text)
    m = _YMD_RE.fullmatch(text)
    if m is not None:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = _MD_RE.fullmatch(text)
        if m is None:
            raise ValueProblem("not a date that I can read (expected e.g. 2026/11/11 or 11月11日)")
        if default_year is None:
            raise ValueProblem("a date without a year, and the list does not say which year")
        year, month, day = default_year, int(m.group(1)), int(m.group(2))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem("not a real calendar date") from None


# ---------------------------------------------------------------------------- platforms

_PLATFORM_ALIASES: dict[str, tuple[str, ...]] = {
    "douyin": ("抖音", "douyin", "dy", "抖音短视频"),
    "xiaohongshu": ("小红书", "红书", "小红薯", "xhs", "red", "rednote", "xiaohongshu"),
    "weibo": ("微博", "新浪微博", "weibo", "sinaweibo"),
    "bilibili": ("b站", "哔哩哔哩", "哔站", "小破站", "bilibili", "bili"),
    "kuaishou": ("快手", "kuaishou", "ks"),
    "wechat_channels": ("视频号", "微信视频号", "wechatchannels", "channels", "weixinchannels"),
    "wechat_oa": ("公众号", "微信公众号", "服务号", "订阅号", "wechatofficialaccount", "wechatoa",
                  "officialaccount", "weixinmp"),
    "tiktok": ("tiktok", "tik tok"),
    "instagram": ("instagram", "ig", "ins", "insta"),
    "youtube": ("youtube", "yt", "油管"),
    "x": ("x", "twitter", "推特", "xtwitter", "x(twitter)"),
    "other": ("other", "others", "其他", "其它"),
}
_ALIAS_TO_PLATFORM: dict[str, str] = {
    re.sub(r"[\s_.\-·/()]", "", alias): key
    for key, aliases in _PLATFORM_ALIASES.items() for alias in aliases
}
_CJK_ALIASES = [(a, k) for a, k in _ALIAS_TO_PLATFORM.items() if not a.isascii() and k != "other"]
# Latin aliases of three letters or more, matched as whole words inside longer text.
_LATIN_WORD_RE = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(
        (re.escape(a) for a, k in _ALIAS_TO_PLATFORM.items()
         if a.isascii() and len(a) >= 3 and k != "other" and a not in {"red", "ins", "channels"}),
        key=len, reverse=True)) + r")(?![a-z])"
)


def find_platform(text: str) -> str | None:
    """The one platform a longer text (a sheet name, a title) talks about, or None when
    it names none or several ('Instagram & TikTok')."""
    low = _nfkc(text).lower()
    found = {k for a, k in _CJK_ALIASES if a in low}
    found.update(_ALIAS_TO_PLATFORM[m.group(1)] for m in _LATIN_WORD_RE.finditer(low))
    # 视频号 cells often read 微信视频号, which also contains no other alias; but 公众号
    # and 视频号 together mean "WeChat", too vague to pick one.
    return found.pop() if len(found) == 1 else None


def normalise_platform(raw: object) -> str | None:
    """A platform cell → one of the platform keys of ``kol_desk.domain.Platform``.
    None for an empty cell; ``ValueProblem`` for a word that names no known platform."""
    if type(raw) is str:
        return _normalise_platform_text(raw)
    text = clean_text(raw)
    return None if text is None else _normalise_platform_text(text)


@lru_cache(maxsize=1024)
def _normalise_platform_text(raw: str) -> str | None:
    text = clean_text(raw)
    if text is None:
        return None
    key = re.sub(r"[\s_.\-·/()]", "", _nfkc(text).lower())
    if key in _ALIAS_TO_PLATFORM:
        return _ALIAS_TO_PLATFORM[key]
    found = find_platform(text)
    if found is not None:
        return found
    if text.startswith(("http://", "https://")):
        by_url = platform_from_url(text)
        if by_url is not None:
            return by_url
    raise ValueProblem("not a platform I know (e.g. 抖音, 小红书, B站, YouTube)")


_HOSTS: list[tuple[str, str]] = [
    ("douyin.com", "douyin"), ("iesdouyin.com", "douyin"), ("xiaohongshu.com", "xiaohongshu"),
    ("xhslink.com", "xiaohongshu"), ("weibo.com", "weibo"), ("weibo.cn", "weibo"),
    ("bilibili.com", "bilibili"), ("b23.tv", "bilibili"), ("kuaishou.com", "kuaishou"),
    ("gifshow.com", "kuaishou"), ("chenzhongtech.com", "kuaishou"),
    ("channels.weixin.qq.com", "wechat_channels"), ("mp.weixin.qq.com", "wechat_oa"),
    ("tiktok.com", "tiktok"), ("instagram.com", "instagram"), ("instagr.am", "instagram"),
    ("youtube.com", "youtube"), ("youtu.be", "youtube"), ("x.com", "x"), ("twitter.com", "x"),
]


def platform_from_url(url: str | None) -> str | None:
    """The platform of a profile link, from its host name; None when unknown."""
    if not url:
        return None
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        host = (urlsplit(text).hostname or "").lower()
    except ValueError:
        return None
    for domain, key in _HOSTS:
        if host == domain or host.endswith("." + domain):
            return key
    return None
