"""Money as a person writes it on screen: "¥4,000" (cents only when there are some),
ranges with one symbol ("¥4,000–5,000"), and, where a column is narrow, "¥12.5万" in
Chinese or "¥125K" in English with the exact amount (``metrics.format_money``) on hover.
Exports and the exact tooltips keep ``format_money``'s two decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kol_desk.i18n import current_language
from kol_desk.metrics import DASH, format_money
from kol_desk.services.quote_prices import Price, price_text

_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}
_CENT = Decimal("0.01")


def _symbol(currency: str) -> str:
    return _SYMBOLS.get(currency, currency + " ")


def _digits(amount: Decimal) -> str:
    rounded = abs(Decimal(amount)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{rounded:,.0f}" if rounded == rounded.to_integral_value() else f"{rounded:,.2f}"


def money_text(amount: Decimal | None, currency: str = "CNY") -> str:
    """Whole amounts without ".00"; an amount with cents keeps both decimals."""
    if amount is None:
        return DASH
    sign = "-" if Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP) < 0 else ""
    return f"{sign}{_symbol(currency)}{_digits(amount)}"


def money_edit_text(amount: Decimal | None) -> str:
    """An amount in an edit field: as typed, without grouping and without ".00" on a
    whole amount ("2100", "2100.50")."""
    if amount is None:
        return ""
    rounded = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{rounded:.0f}" if rounded == rounded.to_integral_value() else f"{rounded:.2f}"


def money_range(low: Decimal | None, high: Decimal | None, currency: str = "CNY") -> str:
    """"¥4,000–5,000"; one amount when both ends agree or the top is unknown."""
    if low is None:
        return money_text(high, currency)
    if high is None or high == low:
        return money_text(low, currency)
    return f"{money_text(low, currency)}–{_digits(high) if high >= 0 else money_text(high, currency)}"


_UNITS = {"zh_CN": [(Decimal(100_000_000), "亿"), (Decimal(10_000), "万")],
          "en": [(Decimal(1_000_000), "M"), (Decimal(1_000), "K")]}


def money_short(amount: Decimal | None, currency: str = "CNY") -> str:
    """For narrow places: 万 / 亿 in Chinese, K / M in English, from a hundred thousand up (below, the whole amount is short enough)."""
    value = abs(Decimal(amount)) if amount is not None else Decimal(0)
    if amount is None or value < 100_000:
        return money_text(amount, currency)
    size, suffix = next(unit for unit in _UNITS.get(current_language(), _UNITS["en"]) if value >= unit[0])
    shown = (value / size).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    digits = f"{shown:,.0f}" if shown == shown.to_integral_value() or shown >= 100 else f"{shown:,.1f}"
    return f"{'-' if amount < 0 else ''}{_symbol(currency)}{digits}{suffix}"


def money_exact(amount: Decimal | None, currency: str = "CNY") -> str:
    """The exact amount, for a tooltip: two decimals, as in the exports."""
    return format_money(amount, currency)


def price_shown(price: Price | None, dash: str = DASH) -> str:
    """A quote's price (``quote_prices.price_text``) as the screen writes it: "¥4,000–5,000",
    "from ¥5,000"; ``price_exact`` gives the same with cents for the tooltip."""
    return price_text(price, dash, money=money_text)


def price_exact(price: Price | None) -> str | None:
    """The exact price for a tooltip (None: no tooltip for a missing price)."""
    return None if price is None else price_text(price)


def price_short(price: Price | None, dash: str = DASH) -> str:
    """For a narrow column (the creator list's quotes): each end as ``money_short`` writes
    it, "¥33.1万–43万"; the exact price belongs in the tooltip (``price_exact``)."""
    return price_text(price, dash, money=money_short)
