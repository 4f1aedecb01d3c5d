from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kol_desk.validation import (
    Invalid,
    clean_text,
    parse_count,
    parse_date,
    parse_money,
    parse_percent,
    parse_score,
    parse_url,
)


@pytest.mark.parametrize(("text", "value"), [
    ("5000", Decimal("5000.00")), ("¥5,000.5", Decimal("5000.50")), ("５０００元", Decimal("5000.00")),
    ("", None), ("  ", None),
])
def test_money_accepts(text: str, value: Decimal | None) -> None:
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["5000.123", "-1", "abc", "1e400", "NaN", "Infinity", "1" * 20])
def test_money_refuses(text: str) -> None:
    with pytest.raises(Invalid):
        parse_money(text)


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trips_any_two_decimal_amount(amount: Decimal) -> None:
    assert parse_money(f"{amount:,.2f}") == amount


def test_counts_percentages_scores_dates_urls() -> None:
    assert parse_count("1,234,567") == 1234567
    with pytest.raises(Invalid):
        parse_count("12.5")
    assert parse_percent("3.2%") == Decimal("0.032")
    with pytest.raises(Invalid):
        parse_percent("120")
    assert parse_score("4") == 4
    with pytest.raises(Invalid):
        parse_score("6")
    assert parse_date("2026年11月11日") == date(2026, 11, 11)
    with pytest.raises(Invalid):
        parse_date("2026-02-30")
    assert parse_url("www.xiaohongshu.com/user/1") == "https://www.xiaohongshu.com/user/1"
    with pytest.raises(Invalid):
        parse_url("javascript:alert(1)")


def test_text_loses_control_and_direction_characters_but_keeps_emoji() -> None:
    assert clean_text("  小鱼\u202e🐟\x00 ") == "小鱼🐟"
    with pytest.raises(Invalid):
        clean_text("x" * 30_000)
