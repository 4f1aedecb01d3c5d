"""The value grammar: counts, rates, prices, handles, dates, platforms."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kol_desk.importing.errors import ValueProblem
from kol_desk.importing.values import (
    Price,
    Unit,
    normalise_handle,
    normalise_platform,
    parse_count,
    parse_date,
    parse_price,
    parse_rate,
    platform_from_url,
)


@pytest.mark.parametrize(("raw", "unit", "want"), [
    ("12.3w", None, 123_000), ("12.3W", None, 123_000), ("1.2万", None, 12_000),
    ("12.35万", None, 123_500), ("约5万", None, 50_000), ("1,234,567", None, 1_234_567),
    ("０.８亿", None, 80_000_000), ("3.4k", None, 3_400), ("345K", None, 345_000),
    ("1.2M", None, 1_200_000), ("2 mil", None, 2_000_000), ("１２３４５", None, 12_345),
    ("about 3k", None, 3_000), ("~12k", None, 12_000), ("10w+", None, 100_000),
    (12.35, 10_000, 123_500), ("35.6", 10_000, 356_000), ("1.2w", 10_000, 12_000),
    (1874.0, None, 1874), (7, None, 7), (" 8,900 ", None, 8_900), ("2.5千", None, 2_500),
    ("-", None, None), ("#N/A", None, None), ("", None, None), (None, None, None),
])
def test_parse_count(raw: object, unit: int | None, want: int | None) -> None:
    assert parse_count(raw, unit) == want


@pytest.mark.parametrize("raw", ["-2+3", "lots", "1,23", "12..3w", "=1+1", True, dt.date(2026, 1, 1),
                                 -5])
def test_parse_count_refuses(raw: object) -> None:
    with pytest.raises(ValueProblem):
        parse_count(raw)


@pytest.mark.parametrize(("raw", "percent", "want"), [
    ("3.2%", False, "0.032"), ("3.2％", False, "0.032"), (0.032, False, "0.032"),
    ("2.7", False, "0.027"), (2.7, False, "0.027"), (0.8, True, "0.008"), ("0.8", True, "0.008"),
    ("4.43%", True, "0.0443"), ("5‰", False, "0.005"), ("-", False, None), ("#N/A", False, None),
])
def test_parse_rate(raw: object, percent: bool, want: str | None) -> None:
    got = parse_rate(raw, percent)
    assert got == (Decimal(want) if want is not None else None)


def _p(lo: int | None, hi: int | None) -> tuple[Decimal | None, Decimal | None]:
    return (Decimal(lo) if lo is not None else None, Decimal(hi) if hi is not None else None)


@pytest.mark.parametrize(("raw", "unit", "lo", "hi", "currency"), [
    ("¥5,000", None, 5000, 5000, "CNY"), ("￥5000", None, 5000, 5000, "CNY"),
    ("5000元", None, 5000, 5000, "CNY"), ("5000-8000", None, 5000, 8000, "CNY"),
    ("5000~8000", None, 5000, 8000, "CNY"), ("5000～8000", None, 5000, 8000, "CNY"),
    ("5000至8000", None, 5000, 8000, "CNY"), ("5000–8000", None, 5000, 8000, "CNY"),
    ("5000 to 8000", None, 5000, 8000, "CNY"), ("5-8k", None, 5000, 8000, "CNY"),
    ("1-2万", None, 10000, 20000, "CNY"), ("5k", None, 5000, 5000, "CNY"),
    ("1.2万", None, 12000, 12000, "CNY"), ("3000/条", None, 3000, 3000, "CNY"),
    ("3000元/篇", None, 3000, 3000, "CNY"), ("$1,200", None, 1200, 1200, "USD"),
    ("US$1,200", None, 1200, 1200, "USD"), ("1200 USD", None, 1200, 1200, "USD"),
    ("800-1,200", Unit(currency="USD"), 800, 1200, "USD"), ("RMB 3000", None, 3000, 3000, "CNY"),
    ("5000起", None, 5000, None, "CNY"), ("5k+", None, 5000, None, "CNY"),
    ("from 5000", None, 5000, None, "CNY"), ("5000以上", None, 5000, None, "CNY"),
    ("1.5", Unit(10_000, "CNY"), 15000, 15000, "CNY"), (2.5, Unit(10_000), 25000, 25000, "CNY"),
    ("$500 per post", None, 500, 500, "USD"),
])
def test_parse_price(raw: object, unit: Unit | None, lo: int, hi: int | None, currency: str
                     ) -> None:
    price = parse_price(raw, unit)
    assert (price.min, price.max) == _p(lo, hi)
    assert price.currency == currency
    assert not price.unknown


@pytest.mark.parametrize("raw", ["面议", "私聊", "待定", "TBD", "Upon request", "N/A", "-", "", None,
                                 "#N/A", "面议（含税）"])
def test_parse_price_unknown(raw: object) -> None:
    price = parse_price(raw)
    assert price.unknown and price.min is None and price.max is None


def test_parse_price_tax_notes() -> None:
    assert parse_price("5000（含税）").tax_included is True
    assert parse_price("5000 不含税").tax_included is False
    assert parse_price("$800 excl. tax").tax_included is False
    assert parse_price("5000").tax_included is None
    assert parse_price("5000", default_tax_included=True).tax_included is True


@pytest.mark.parametrize("raw", ["5000/面议", "8000-5000", "¥5000 USD", "cheap", "=1+1", "5000元3000"])
def test_parse_price_refuses(raw: str) -> None:
    with pytest.raises(ValueProblem):
        parse_price(raw)


@pytest.mark.parametrize(("raw", "want"), [
    (" @Abc ", "abc"), ("＠ＡＢＣ１", "abc1"), ("abc\u3000", "abc"), (99991234567.0, "99991234567"),
    ("x\u200by", "xy"), ("@ Spaced", "spaced"), ("NAME\n", "name"), ("\u00a0@Nbsp", "nbsp"),
    ("@SUM(1+1)", "sum(1+1)"), (None, ""), (12345, "12345"),
])
def test_normalise_handle(raw: object, want: str) -> None:
    assert normalise_handle(raw) == want


@pytest.mark.parametrize(("raw", "want"), [
    (dt.datetime(2026, 11, 5), dt.date(2026, 11, 5)), (dt.date(2026, 11, 5), dt.date(2026, 11, 5)),
    ("2026/11/11", dt.date(2026, 11, 11)), ("2026-11-20", dt.date(2026, 11, 20)),
    ("2026年11月3日", dt.date(2026, 11, 3)), ("11月11日", dt.date(2026, 11, 11)),
    ("11/11", dt.date(2026, 11, 11)), ("待定", None), ("TBD", None), ("", None),
])
def test_parse_date(raw: object, want: dt.date | None) -> None:
    assert parse_date(raw, 2026) == want


def test_parse_date_problems() -> None:
    with pytest.raises(ValueProblem):
        parse_date("11月11日", None)
    with pytest.raises(ValueProblem):
        parse_date("2026/13/40", None)
    with pytest.raises(ValueProblem):
        parse_date("下旬", 2026)


@pytest.mark.parametrize(("raw", "want"), [
    ("抖音", "douyin"), (" 抖音", "douyin"), ("Douyin", "douyin"), ("小红书 ", "xiaohongshu"),
    ("红书", "xiaohongshu"), ("XHS", "xiaohongshu"), ("RED", "xiaohongshu"), ("微博", "weibo"),
    ("B站", "bilibili"), ("哔哩哔哩", "bilibili"), ("bilibili", "bilibili"), ("快手", "kuaishou"),
    ("视频号", "wechat_channels"), ("WeChat Channels", "wechat_channels"), ("公众号", "wechat_oa"),
    ("WeChat Official Account", "wechat_oa"), ("TikTok", "tiktok"), ("IG", "instagram"),
    ("ins", "instagram"), ("YouTube", "youtube"), ("YT", "youtube"), ("X", "x"),
    ("Twitter", "x"), ("其他", "other"), ("", None),
])
def test_normalise_platform(raw: str, want: str | None) -> None:
    assert normalise_platform(raw) == want


def test_unknown_platform_is_a_problem() -> None:
    with pytest.raises(ValueProblem):
        normalise_platform("得物")


@pytest.mark.parametrize(("url", "want"), [
    ("https://www.xiaohongshu.com/user/profile/abc", "xiaohongshu"),
    ("https://space.bilibili.com/123", "bilibili"), ("https://v.douyin.com/xyz", "douyin"),
    ("www.youtube.com/@someone", "youtube"), ("https://x.com/a", "x"),
    ("https://example.com/a", None), ("", None),
])
def test_platform_from_url(url: str, want: str | None) -> None:
    assert platform_from_url(url) == want


# ---------------------------------------------------------------------------- properties

_WAN_UNITS = {"w": 10_000, "W": 10_000, "万": 10_000}


def _spellings(n: int) -> list[tuple[str, int]]:
    """Ways lists write n, each with the value it stands for (rounded spellings included)."""
    fw = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
    out = [(str(n), n), (f"{n:,}", n), (str(n).translate(fw), n), (f"约{n}", n), (f" {n} ", n)]
    hundreds = (n + 50) // 100  # integer rounding, so the expectation is exact
    out.append((f"{hundreds // 10}.{hundreds % 10}k", hundreds * 100))
    for word, unit in _WAN_UNITS.items():
        assert unit == 10_000
        out.append((f"{hundreds // 100}.{hundreds % 100:02d}{word}", hundreds * 100))
    return out


@given(st.integers(min_value=0, max_value=10**10))
def test_count_spellings_round_trip(n: int) -> None:
    for text, want in _spellings(n):
        assert parse_count(text) == want, text


@given(st.text(max_size=12))
def test_count_never_crashes(text: str) -> None:
    try:
        value = parse_count(text)
    except ValueProblem:
        return
    assert value is None or value >= 0


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_rate_percent_text(value: Decimal) -> None:
    assert parse_rate(f"{value}%") == value / 100


@given(st.text(max_size=12))
def test_rate_never_crashes(text: str) -> None:
    with contextlib.suppress(ValueProblem):
        parse_rate(text)


@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=10**8),
       st.sampled_from(["-", "~", "～", "至", "–", "—", " to "]),
       st.sampled_from(["", "¥", "$", "RMB "]), st.sampled_from(["", "/条", "/post"]))
def test_price_ranges(a: int, b: int, sep: str, mark: str, suffix: str) -> None:
    lo, hi = min(a, b), max(a, b)
    price = parse_price(f"{mark}{lo:,}{sep}{hi:,}{suffix}")
    assert price.min == lo and price.max == hi
    assert price.min <= price.max


@given(st.text(max_size=16))
def test_price_never_crashes(text: str) -> None:
    try:
        price = parse_price(text)
    except ValueProblem:
        return
    assert isinstance(price, Price)
    if price.min is not None and price.max is not None:
        assert price.min <= price.max
    assert price.unknown == (price.min is None)


@pytest.mark.parametrize(("text", "low", "high", "tax"), [
    ("5000元起", 5000, None, None), ("5000+税", 5000, 5000, False), ("每条5000", 5000, 5000, None),
    ("5000元/条/不含税", 5000, 5000, False), ("5000元 (含6%税)", 5000, 5000, True),
    ("5000～8000", 5000, 8000, None), ("0.5-0.8万", 5000, 8000, None),
])
def test_more_price_spellings(text: str, low: int, high: int | None, tax: bool | None) -> None:
    price = parse_price(text)
    assert (price.min, price.max, price.tax_included) == (low, high, tax)


@pytest.mark.parametrize(("text", "count"), [
    ("12.3W粉丝数", 123_000), ("粉丝：5w", 50_000), ("Followers: 1.2M", 1_200_000),
    ("１２万", 120_000), ("3.2K粉", 3200), ("近10万", 100_000),
])
def test_counts_with_words_around_them(text: str, count: int) -> None:
    assert parse_count(text) == count


def test_poa_is_a_price_on_request() -> None:
    assert parse_price("POA").unknown
