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
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import urlsplit

from kol_desk.domain import handle_case
from kol_desk.errors import N_
from kol_desk.importing.errors import ValueProblem

__all__ = [
    "CURRENCY_CODES",
    "Price",
    "Unit",
    "clean_text",
    "discount_in_text",
    "find_platform",
    "handle_text",
    "is_error_value",
    "looks_like_url",
    "normalise_handle",
    "normalise_platform",
    "parse_count",
    "parse_currency",
    "parse_date",
    "parse_price",
    "parse_rate",
    "platform_from_url",
    "platform_named",
    "split_platform_handle",
    "strip_platforms",
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
    # a discount written in the cell ('5000 9折', '800 10% off'): percent off the price
    discount_pct: Decimal | None = None

    @property
    def is_exact(self) -> bool:
        return self.min is not None and self.min == self.max


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
            raise ValueProblem(N_("not a finite number"))
        # repr() gives the shortest text that round-trips, so 0.0068 stays 0.0068
        return Decimal(repr(value))
    return Decimal(value)


# Beyond these a cell is garbage, not data (found by fuzzing): 1e30 made quantize raise
# InvalidOperation, and 1e20 yuan would overflow the money column at commit.
_MAX_COUNT = Decimal(10) ** 15
_MAX_MONEY = Decimal(10) ** 14


def _round_int(value: Decimal) -> int:
    if abs(value) >= _MAX_COUNT:
        raise ValueProblem(N_("the number is too large to be real"))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(value: Decimal) -> Decimal:
    if abs(value) >= _MAX_MONEY:
        raise ValueProblem(N_("the amount is too large to be real"))
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
# What lists glue after a count: '12.3万粉', '5w粉丝', '1.2M followers', '35万人'.
_COUNT_WORDS = re.compile(r"\s*(?:个?粉丝(?:数|量)?|粉|人|个|次|播放|阅读|followers?|fans|subs|"
                          r"subscribers|views|plays)$")
_COUNT_LABEL = re.compile(r"^(?:粉丝(?:数|量)?|followers?|fans|subs|subscribers)\s*[:：]?\s*")


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
        raise ValueProblem(N_("a yes/no value, not a count"))
    if isinstance(raw, int | float):
        if isinstance(raw, float) and unit in (None, 1) and raw.is_integer():
            if raw < 0:
                raise ValueProblem(N_("a count cannot be negative"))
            if raw >= _MAX_COUNT:
                raise ValueProblem(N_("the number is too large to be real"))
            return int(raw)
        value = _to_decimal(raw) * (unit or 1)
        if value < 0:
            raise ValueProblem(N_("a count cannot be negative"))
        return _round_int(value)
    if isinstance(raw, str):
        return _parse_count_text(raw, unit)
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise ValueProblem(N_("a date or time, not a count"))
    raise ValueProblem(N_("not a count"))


@lru_cache(maxsize=65536)
def _parse_count_text(raw: str, unit: int | None) -> int | None:
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text.upper() in ERROR_CODES:
        return None
    text = _APPROX_PREFIX.sub("", _COUNT_LABEL.sub("", text))
    text = _APPROX_SUFFIX.sub("", _COUNT_WORDS.sub("", text))
    text = _ungroup(text)
    m = _COUNT_RE.fullmatch(text)
    if m is None:
        raise ValueProblem(N_("not a number of followers/views that I can read"))
    number, word = m.groups()
    multiplier = _MULTIPLIERS[word] if word else (unit or 1)
    try:
        value = Decimal(number) * multiplier
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise ValueProblem(N_("not a number")) from None
    return _round_int(value)


# ---------------------------------------------------------------------------- rates

_RATE_LABEL = re.compile(r"^(?:er|互动率|eng\.?\s*rate|engagement)\s*[:：]?\s*")
_RATE_RE = re.compile(rf"({_NUMBER})\s*(%|‰|percent|pct)?")


def parse_rate(raw: object, header_is_percent: bool = False) -> Decimal | None:
    """An engagement rate as a fraction (0.032 for 3.2 %).

    '3.2%' is always a percentage. A bare number is a percentage when the header says %
    (互动率(%)); otherwise one below 1 is already a fraction and one of 1 or more is a
    percentage, since no creator has an engagement rate of 100 % or more."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem(N_("a yes/no value, not a rate"))
    if isinstance(raw, int | float):
        return _bare_rate(_to_decimal(raw), header_is_percent)
    if isinstance(raw, str):
        return _parse_rate_text(raw, header_is_percent)
    raise ValueProblem(N_("a date or time, not a rate"))


def _bare_rate(value: Decimal, header_is_percent: bool) -> Decimal:
    if value < 0:
        raise ValueProblem(N_("a rate cannot be negative"))
    if header_is_percent or value >= 1:
        return value / 100
    return value


@lru_cache(maxsize=16384)
def _parse_rate_text(raw: str, header_is_percent: bool) -> Decimal | None:
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text.upper() in ERROR_CODES:
        return None
    text = _APPROX_PREFIX.sub("", _RATE_LABEL.sub("", text))
    m = _RATE_RE.fullmatch(text)
    if m is None:
        raise ValueProblem(N_("not a rate that I can read (expected e.g. 3.2% or 0.032)"))
    value = Decimal(m.group(1))
    sign = m.group(2)
    if sign == "‰":
        return value / 1000
    if sign:
        return value / 100
    return _bare_rate(value, header_is_percent)


# ---------------------------------------------------------------------------- discounts

DISCOUNT_PROBLEM = N_("not a discount that I can read (expected e.g. 9折, 85折 or 10% off)")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN = "零〇一二两三四五六七八九"
# 8折, 8.5折, 85折, 八五折, 打九折: the part of the list price that is paid, in tenths
_ZHE_RE = re.compile(rf"(?:打\s*)?({_NUMBER}|[{_CN}]{{1,2}})\s*折(?:扣)?")
# 10% off, off 10%, 减10%, 优惠10%, 立减 10%, -10%: the part taken off
_OFF_RE = re.compile(rf"({_NUMBER})\s*%\s*off\b|\boff\s*({_NUMBER})\s*%|"
                     rf"(?:减|优惠|立减|让利|折让|降)\s*({_NUMBER})\s*%|^-\s*({_NUMBER})\s*%$")


def plain_decimal(value: Decimal) -> Decimal:
    """10 rather than 1E+1: Decimal.normalize() without the exponent of whole numbers."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _zhe(text: str) -> Decimal:
    """The percent off of 8折 (20), 85折 / 8.5折 / 八五折 (15), 九折 (10)."""
    if text[0] in _CN_DIGITS:
        digits = [_CN_DIGITS[ch] for ch in text]
        paid = Decimal(digits[0]) if len(digits) == 1 else Decimal(digits[0] * 10 + digits[1]) / 10
    else:
        value = Decimal(text)
        paid = value / 10 if value >= 10 else value  # 85折 is 8.5折
    if not 0 < paid <= 10:
        raise ValueProblem(DISCOUNT_PROBLEM)
    return plain_decimal((10 - paid) * 10)


def discount_in_text(text: str) -> tuple[Decimal | None, str]:
    """A discount written inside a price or terms cell ('5000 9折', '¥800, 10% off'):
    (percent off, the text without it); (None, text) when there is none. ``text`` is
    already NFKC and lower case."""
    m = _ZHE_RE.search(text)
    if m is not None:
        return _zhe(m.group(1)), (text[:m.start()] + " " + text[m.end():]).strip()
    m = _OFF_RE.search(text)
    if m is not None:
        off = Decimal(next(g for g in m.groups() if g is not None))
        if not 0 <= off < 100:
            raise ValueProblem(DISCOUNT_PROBLEM)
        return plain_decimal(off), (text[:m.start()] + " " + text[m.end():]).strip()
    return None, text


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
    (re.compile(r"不含(?:\d+(?:\.\d+)?\s*%)?税|未税|不含票|税费另计|另加税|\+\s*(?:\d+(?:\.\d+)?\s*%)?税|excl\.?\s*(?:of\s*)?(?:tax|vat)|excluding\s*(?:tax|vat)"
                r"|(?:tax|vat)\s*excl(?:\.|uded)?|\+\s*(?:tax|vat)|plus\s*(?:tax|vat)"), False),
    (re.compile(r"含(?:\d+(?:\.\d+)?\s*%)?税|含票|税后|incl\.?\s*(?:of\s*)?(?:tax|vat)|including\s*(?:tax|vat)"
                r"|(?:tax|vat)\s*incl(?:\.|uded)?"), True),
]
_UNKNOWN_WORDS = ("面议", "私聊", "私信", "待定", "询价", "另议", "详询", "咨询", "商议", "协商", "可议",
                  "tbd", "tba", "tbc", "upon request", "on request", "negotiable", "ask", "contact",
                  "dm", "enquire", "inquire", "n/a", "pending", "poa", "price on application")
_PER_POST = re.compile(
    r"\s*(?:/|每|per\s*|a\s*)(?:条|篇|个|次|支|期|post|video|piece|deliverable|reel|story)\s*$"
)
_PER_POST_PREFIX = re.compile(r"^(?:每条|每篇|每个|每次|每期|单条|单篇|单次)\s*")
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
        raise ValueProblem(N_("a yes/no value, not a price"))
    if isinstance(raw, int | float):
        return _parse_price_number(raw, unit.multiplier, currency, default_tax_included)
    if isinstance(raw, str):
        price = _parse_price_text(raw, unit.multiplier, currency)
        if price.tax_included is None and default_tax_included is not None and not price.unknown:
            price = replace(price, tax_included=default_tax_included)
        return price
    raise ValueProblem(N_("a date or time, not a price"))


@lru_cache(maxsize=65536)
def _parse_price_number(raw: int | float, multiplier: int, currency: str,
                        tax: bool | None) -> Price:
    value = _to_decimal(raw) * multiplier
    if value < 0:
        raise ValueProblem(N_("a price cannot be negative"))
    value = _money(value)
    return Price(value, value, currency, tax_included=tax, raw=clean_text(raw) or "")


@lru_cache(maxsize=65536)
def _parse_price_text(raw: str, multiplier: int, currency: str) -> Price:
    shown = raw.translate(_INVISIBLE).strip()
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text.upper() in ERROR_CODES:
        return Price(None, None, currency, unknown=True, raw=shown)
    if "折" in text or "%" in text:  # '5000 9折', '800 (10% off)': the discount apart
        off, rest = discount_in_text(text)
        if off is not None:
            return replace(_price_of_text(rest, shown, multiplier, currency), discount_pct=off)
    return _price_of_text(text, shown, multiplier, currency)


def _price_of_text(text: str, shown: str, multiplier: int, currency: str) -> Price:
    tax: bool | None = None
    for pattern, included in _TAX_NOTES:
        if pattern.search(text):
            tax = included if tax is None else tax
            text = pattern.sub(" ", text)
    text = _BRACKETS.sub(" ", text).strip(" ,;，；:：/")
    text = _PER_POST_PREFIX.sub("", text)
    has_digit = any(ch.isdigit() for ch in text)
    if not text or text in _NOTHING:
        return Price(None, None, currency, unknown=True, tax_included=tax, raw=shown)
    if any(word in text for word in _UNKNOWN_WORDS):
        if has_digit:
            raise ValueProblem(N_("mixes a number with a 'negotiable' note; enter one or the other"))
        return Price(None, None, currency, unknown=True, tax_included=tax, raw=shown)
    if not has_digit:
        raise ValueProblem(N_("not a price that I can read"))
    found: set[str] = set()
    for mark, code in _CURRENCY_MARKS:
        if mark in text:
            found.add(code)
            # a placeholder, not a space: '5000元3000' must fail, not become 50003000
            text = text.replace(mark, "\x00")
    if len(found) > 1:
        raise ValueProblem(N_("names more than one currency"))
    if found:
        currency = found.pop()
    text = _PER_POST.sub("", text.strip()).strip(" \x00")
    text = " ".join(text.split())
    open_ended = False
    for pattern in (_OPEN_PREFIX, _OPEN_SUFFIX):
        text, n = pattern.subn("", text)
        open_ended = open_ended or n > 0
    text = _ungroup(text.strip(" \x00"))
    m = _RANGE_RE.fullmatch(text)
    if m is not None and not open_ended:
        lo_num, lo_unit, hi_num, hi_unit = m.groups()
        # '5-8k' and '1-2万': a unit written once applies to both ends
        hi = _amount(hi_num, hi_unit, multiplier)
        lo = _amount(lo_num, lo_unit or hi_unit, multiplier)
        if lo > hi:
            raise ValueProblem(N_("a price range whose lower end is above its upper end"))
        return Price(lo, hi, currency, tax_included=tax, raw=shown)
    m = _AMOUNT_RE.fullmatch(text)
    if m is None:
        raise ValueProblem(N_("not a price that I can read"))
    value = _amount(m.group(1), m.group(2), multiplier)
    return Price(value, None if open_ended else value, currency, tax_included=tax, raw=shown)


# The currencies a price may be in (a list's cells, a quote edited by hand).
CURRENCY_CODES = ("CNY", "USD", "HKD", "SGD", "EUR", "GBP", "JPY", "KRW", "AUD", "CAD", "TWD", "MYR")
_CURRENCY_CODES = {code.lower(): code for code in CURRENCY_CODES}


def parse_currency(raw: object) -> str | None:
    """A currency cell: 'USD', '美元', '¥', 'RMB' → the ISO code."""
    text = clean_text(raw)
    if text is None or text.lower() in _NOTHING:
        return None
    low = _nfkc(text).lower()
    if low in _CURRENCY_CODES:
        return _CURRENCY_CODES[low]
    for mark, code in _CURRENCY_MARKS:
        if low == mark:
            return code
    raise ValueProblem(N_("not a currency I know (e.g. CNY, USD, 人民币)"))


def _amount(number: str, word: str | None, multiplier: int) -> Decimal:
    return _money(Decimal(number) * (_PRICE_UNITS[word] if word else multiplier))


# ---------------------------------------------------------------------------- handles

def normalise_handle(raw: object, platform: str | None = None) -> str:
    """The key half of an account id: NFKC (half-width), invisible characters gone, outer
    whitespace stripped, one leading @ removed, in the case ``platform`` compares handles
    in (``domain.handle_case``; lower case when the platform is not known). '' when the
    cell is empty."""
    return handle_case(platform, handle_text(raw))


def handle_text(raw: object) -> str:
    """A handle cell half-width, without invisible characters, outer spaces or its
    leading @, its case kept: the platform decides the case later (``handle_case``)."""
    if raw is None or isinstance(raw, bool):
        return ""
    if isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else repr(raw)
    elif isinstance(raw, int):
        text = str(raw)
    else:
        text = str(raw)
    if text.isascii():  # NFKC leaves ASCII alone; skipping it halves a large import
        text = text.strip()
        return text[1:].strip() if text.startswith("@") else text
    return _handle_text_unicode(text)


@lru_cache(maxsize=65536)
def _handle_text_unicode(text: str) -> str:
    text = _nfkc(text)
    return text[1:].strip() if text.startswith("@") else text


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
    raise ValueProblem(N_("not a date (a plain number or time)"))


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
            raise ValueProblem(N_("not a date that I can read (expected e.g. 2026/11/11 or 11月11日)"))
        if default_year is None:
            raise ValueProblem(N_("a date without a year, and the list does not say which year"))
        year, month, day = default_year, int(m.group(1)), int(m.group(2))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(N_("not a real calendar date")) from None


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
    "tiktok": ("tiktok", "tik tok", "tt", "抖音国际版"),
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
_CJK_ALIASES_LONGEST = sorted(_CJK_ALIASES, key=lambda item: len(item[0]), reverse=True)
# Latin aliases of three letters or more, matched as whole words inside longer text.
_LATIN_WORD_RE = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(
        (re.escape(a) for a, k in _ALIAS_TO_PLATFORM.items()
         if a.isascii() and len(a) >= 3 and k != "other" and a not in {"red", "ins", "channels"}),
        key=len, reverse=True)) + r")(?![a-z])"
)


# 'XHSID', 'DYuid', 'igid': a Latin platform name glued to the id it names.
_GLUED_ID_RE = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(
        (re.escape(a) for a, k in _ALIAS_TO_PLATFORM.items()
         if a.isascii() and len(a) >= 2 and k != "other"), key=len, reverse=True))
    + r")(?=u?id(?![a-z]))")


def strip_platforms(text: str) -> str:
    """The text with every platform name taken out ('抖音粉丝' → '粉丝', 'TikTok Handle' →
    ' handle'), lower case."""
    low = _nfkc(text).lower()
    for alias, _ in _CJK_ALIASES_LONGEST:
        low = low.replace(alias, " ")
    return _SHORT_WORD_RE.sub(" ", _GLUED_ID_RE.sub(" ", _LATIN_WORD_RE.sub(" ", low)))


_SHORT_WORD_RE = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(
        (re.escape(a) for a, k in _ALIAS_TO_PLATFORM.items()
         if a.isascii() and len(a) == 2 and k != "other"), key=len, reverse=True)) + r")(?![a-z])"
)


def find_platform(text: str, *, short_names: bool = False) -> str | None:
    """The one platform a longer text (a sheet name, a title) talks about, or None when
    it names none or several ('Instagram & TikTok'). ``short_names`` also reads two-letter
    abbreviations as words (IG, YT, DY): right for sheet names and headers, too loose for
    titles and sentences."""
    low = _nfkc(text).lower()
    found = {k for a, k in _CJK_ALIASES if a in low}
    found.update(_ALIAS_TO_PLATFORM[m.group(1)] for m in _LATIN_WORD_RE.finditer(low))
    found.update(_ALIAS_TO_PLATFORM[m.group(1)] for m in _GLUED_ID_RE.finditer(low))
    if short_names:
        found.update(_ALIAS_TO_PLATFORM[m.group(1)] for m in _SHORT_WORD_RE.finditer(low))
    # 视频号 cells often read 微信视频号, which also contains no other alias; but 公众号
    # and 视频号 together mean "WeChat", too vague to pick one.
    return found.pop() if len(found) == 1 else None


def platform_named(text: str) -> str | None:
    """The platform a short cell is exactly the name of ('抖音', 'XHS', 'IG'); unlike
    ``normalise_platform`` it finds none inside longer text such as the handle 'tang_xhs'."""
    exact = _ALIAS_TO_PLATFORM.get(re.sub(r"[\s_.\-·/()]", "", _nfkc(text).lower()))
    if exact is not None or len(text) > 24 or re.search(r"[\d_@.]", text):
        return exact
    return find_platform(text, short_names=True)  # 'IG Reels', 'TikTok Shop'


_PLATFORM_PREFIX_RE = re.compile(r"^([^\s:：/|｜@]+)\s*(?:[:：/|｜]\s*|\s+|(?=@))(\S.*)$")


def split_platform_handle(text: str) -> tuple[str, str] | None:
    """'抖音 taozi01', '小红书：yuzi', 'IG @mia' (a platform and an account in one cell, as
    chats write them) → (platform, the account as written); None for anything else."""
    m = _PLATFORM_PREFIX_RE.match(_nfkc(text))
    if m is None:
        return None
    platform = platform_named(m.group(1))
    return (platform, m.group(2).strip()) if platform is not None else None


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
    found = platform_named(text)
    if found is not None:
        return found
    if text.startswith(("http://", "https://")):
        by_url = platform_from_url(text)
        if by_url is not None:
            return by_url
    both = split_platform_handle(text)
    if both is not None:
        return both[0]
    raise ValueProblem(N_("not a platform I know (e.g. 抖音, 小红书, B站, YouTube)"))


_HOSTS: list[tuple[str, str]] = [
    ("douyin.com", "douyin"), ("iesdouyin.com", "douyin"), ("xiaohongshu.com", "xiaohongshu"),
    ("xhslink.com", "xiaohongshu"), ("weibo.com", "weibo"), ("weibo.cn", "weibo"),
    ("bilibili.com", "bilibili"), ("b23.tv", "bilibili"), ("kuaishou.com", "kuaishou"),
    ("gifshow.com", "kuaishou"), ("chenzhongtech.com", "kuaishou"),
    ("channels.weixin.qq.com", "wechat_channels"), ("mp.weixin.qq.com", "wechat_oa"),
    ("tiktok.com", "tiktok"), ("instagram.com", "instagram"), ("instagr.am", "instagram"),
    ("youtube.com", "youtube"), ("youtu.be", "youtube"), ("x.com", "x"), ("twitter.com", "x"),
]


_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/\S*$",
                     re.IGNORECASE)


def looks_like_url(text: str) -> bool:
    """'https://…', 'www.…' or a bare 'instagram.com/name' (as lists paste them)."""
    return bool(_URL_RE.match(text))


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
