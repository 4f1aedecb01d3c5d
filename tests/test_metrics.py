from __future__ import annotations

from decimal import Decimal

from kol_desk import metrics


def test_cost_metrics_on_a_hand_computed_case() -> None:
    cost = Decimal("5000.00")
    assert metrics.cpm(cost, 250_000) == Decimal("20")
    assert metrics.cpv(cost, 100_000) == Decimal("0.05")
    assert metrics.cpe(cost, 2_000) == Decimal("2.5")
    assert metrics.cpc(cost, 500) == Decimal("10")
    assert metrics.cpa(cost, 40) == Decimal("125")
    assert metrics.roi(Decimal("12000"), cost) == Decimal("1.4")
    assert metrics.roas(Decimal("12000"), cost) == Decimal("2.4")
    assert metrics.cac(cost, 25) == Decimal("200")


def test_zero_or_missing_denominators_are_dashes_not_zero() -> None:
    cost = Decimal("5000")
    assert metrics.cpm(cost, 0) is None
    assert metrics.cpe(cost, None) is None
    assert metrics.roi(Decimal("100"), Decimal("0")) is None
    assert metrics.roi(None, cost) is None
    assert metrics.format_money(None) == metrics.DASH
    assert metrics.format_rate(None) == metrics.DASH


def test_engagements_sum_only_the_parts_a_platform_reports() -> None:
    assert metrics.engagements(likes=100, comments=20, shares=5) == 125
    assert metrics.engagements(likes=100, danmaku=30, coins=7) == 137
    assert metrics.engagements() is None


def test_engagement_rate_states_its_denominator() -> None:
    assert metrics.engagement_rate(50, 1000, 10_000) == metrics.EngagementRate(Decimal("0.05"), "views")
    assert metrics.engagement_rate(50, None, 10_000) == metrics.EngagementRate(Decimal("0.005"), "followers")
    assert metrics.engagement_rate(50, 0, 0) == metrics.EngagementRate(None, None)


def test_formatting() -> None:
    assert metrics.format_money(Decimal("1234.5")) == "¥1,234.50"
    assert metrics.format_money(Decimal("99.999"), "USD") == "$100.00"
    assert metrics.format_money(Decimal("-2000")) == "-¥2,000.00"
    assert metrics.format_money(Decimal("-0.001")) == "¥0.00"
    assert metrics.format_rate(Decimal("0.032")) == "3.20%"
    assert metrics.format_count(1234567) == "1,234,567"
