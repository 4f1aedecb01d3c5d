"""Money on screen as a person writes it: no ".00" on whole amounts, cents kept when
there are some, ranges with one symbol, 万 / K where room is short, exact on hover."""

from __future__ import annotations

from decimal import Decimal

from kol_desk.i18n import set_language
from kol_desk.ui.money import money_exact, money_range, money_short, money_text


def test_whole_amounts_drop_the_cents_and_others_keep_both_decimals() -> None:
    assert money_text(Decimal("4000.00")) == "¥4,000"
    assert money_text(Decimal("4000.5")) == "¥4,000.50"
    assert money_text(Decimal("-1200"), "USD") == "-$1,200"
    assert money_text(Decimal("0.004")) == "¥0"
    assert money_text(None) == "—"
    assert money_exact(Decimal("4000")) == "¥4,000.00"


def test_ranges_name_the_currency_once() -> None:
    assert money_range(Decimal(4000), Decimal(5000)) == "¥4,000–5,000"
    assert money_range(Decimal(4000), Decimal(4000)) == "¥4,000"
    assert money_range(Decimal(4000), None) == "¥4,000"
    assert money_range(Decimal("999.5"), Decimal(1200), "EUR") == "€999.50–1,200"


def test_large_figures_are_short_in_each_language() -> None:
    assert money_short(Decimal(99_999)) == "¥99,999"
    assert money_short(Decimal(125_000)) == "¥125K"
    assert money_short(Decimal(2_500_000)) == "¥2.5M"
    set_language("zh_CN")
    assert money_short(Decimal(99_999)) == "¥99,999"
    assert money_short(Decimal(125_000)) == "¥12.5万"
    assert money_short(Decimal(2_000_000)) == "¥200万"
    assert money_short(Decimal(-250_000_000)) == "-¥2.5亿"


def test_a_quotes_price_on_screen_is_compact_and_exact_on_hover() -> None:
    from kol_desk.services.quote_prices import Price
    from kol_desk.ui.money import price_exact, price_shown

    set_language("en")
    assert price_shown(Price(Decimal(4000), Decimal(5000))) == "¥4,000–5,000"
    assert price_exact(Price(Decimal(4000), Decimal(5000))) == "¥4,000.00–5,000.00"
    assert price_shown(Price(Decimal("17980.40"), Decimal(23374))) == "¥17,980.40–23,374"
    assert price_shown(Price(Decimal(5000), None)) == "from ¥5,000"
    assert price_shown(Price(Decimal(5000), Decimal(5000))) == "¥5,000"
    assert price_shown(None) == "—" and price_exact(None) is None
