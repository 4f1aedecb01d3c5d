"""What a quote's price is, and an account's lowest, latest and median quote: one
definition for the creator page, its agencies-disagree warning, the creator list and the
creator export.

- **A price is a range.** An exact price is low == high; "from 5,000" has no high end;
  a range stays a range everywhere it is shown ("¥17,980–23,374"), never its midpoint.
- **One tax basis: tax included (含税).** A quote marked tax-exclusive (不含税) is shown
  and compared with VAT at ``QUOTE_VAT`` (6 %) added to both ends; a quote that says
  nothing counts as tax-included, the usual list price — the rule of an agreed fee
  (``payments.fee_tax``).
- **After its discount.** A quote that states a discount (折扣, ``discount_pct``: 九折 is
  10) is compared at the price after that discount — what would be paid — so a ¥10,000
  list price at 八折 is cheaper than a plain ¥9,000; the quote itself still shows the
  list price and its discount.
- **Per channel.** A price through the platform's marketplace (报备: 星图, 蒲公英, …)
  carries the platform's fee, a direct one (非报备) does not: they are compared apart,
  as different deliverables are.
- **Latest**: the newest quote (by date, then by when it was recorded), its whole range.
- **Lowest**: the quote with the lowest low end, its whole range.
- **Median**: the median of the low ends to the median of the high ends (a "from" quote's
  high end is its low end).
- One number is needed only to sort, for an expected CPE and for the fair-price model:
  the middle of the range (``Price.midpoint``); the model takes it on the tax basis
  after the discount (``quote_level``), and an agreed fee on the same basis
  (``fee_level``, at the card's own tax rate).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from kol_desk.i18n import tr
from kol_desk.metrics import format_money
from kol_desk.services.money import cents, fee_tax

QUOTE_VAT = Decimal("0.06")


@dataclass(frozen=True)
class Price:
    low: Decimal
    high: Decimal | None  # None: "from low"
    currency: str = "CNY"

    @property
    def midpoint(self) -> Decimal:
        return self.low if self.high is None else cents((self.low + self.high) / 2)

    @property
    def top(self) -> Decimal:
        return self.low if self.high is None else self.high


def on_basis(low: Decimal | None, high: Decimal | None, tax_included: bool | None,
             currency: str = "CNY", discount_pct: float | Decimal | None = None,
             rate: float | Decimal | None = QUOTE_VAT) -> Price | None:
    """A stored quote's price after its discount, tax included (None when it has no
    price); ``rate``: an agreed fee's own tax rate, where the card states one."""
    if low is None:
        return None
    paid = 1 - Decimal(str(discount_pct)) / 100 if discount_pct else None

    def gross(value: Decimal) -> Decimal:
        if paid is not None:
            value = cents(value * paid)
        return fee_tax(value, tax_included, rate).gross

    return Price(gross(low), None if high is None else gross(high), currency)


@lru_cache(maxsize=1 << 16)  # a pure function of the stored quote; the view reads the same ones again
def quote_level(low: Decimal | None, high: Decimal | None, tax_included: bool | None,
                discount_pct: float | Decimal | None) -> Decimal | None:
    """One number for a quote where a model needs one: the middle of its range on the tax
    basis, less the discount it states (percent off: 九折 = 10). None without a price."""
    if low is None:
        return None
    if tax_included is not False and not discount_pct:
        # on_basis adds nothing to a tax-included price: skip it (the negotiation view
        # reads a few hundred quotes per open, the backtest every quote).
        return Price(low, high).midpoint
    price = on_basis(low, high, tax_included, discount_pct=discount_pct)
    assert price is not None
    return price.midpoint


def fee_level(fee: Decimal, tax_included: bool | None, rate: float | Decimal | None) -> Decimal:
    """An agreed fee on the same basis as ``quote_level``: tax included, at the card's own
    rate (as the card's cost counts it)."""
    price = on_basis(fee, fee, tax_included, rate=rate)
    assert price is not None
    return price.low


@dataclass(frozen=True)
class Dated:
    """A priced quote with what orders it in time."""

    price: Price
    quoted_on: date
    order: int  # the quote's id: later recorded, later


def latest(quotes: Iterable[Dated]) -> Price | None:
    newest = max(quotes, key=lambda q: (q.quoted_on, q.order), default=None)
    return newest.price if newest else None


def lowest(quotes: Iterable[Dated]) -> Price | None:
    cheapest = min(quotes, key=lambda q: (q.price.low, q.price.top), default=None)
    return cheapest.price if cheapest else None


def median(quotes: Iterable[Dated]) -> Price | None:
    prices = [q.price for q in quotes]
    if not prices:
        return None
    low = cents(Decimal(statistics.median(p.low for p in prices)))
    high = cents(Decimal(statistics.median(p.top for p in prices)))
    return Price(low, None if high == low and all(p.high is None for p in prices) else high,
                 prices[0].currency)


def price_text(price: Price | None, dash: str = "—",
               money: Callable[[Decimal, str], str] = format_money) -> str:
    """¥5,000 / ¥17,980–23,374 / from ¥5,000: the display of a range, the currency
    written once. ``money`` writes one amount: exact cents (``format_money``) for exports
    and tooltips; the screen passes ``ui.money.money_text`` (no ".00" on whole amounts)."""
    if price is None:
        return dash
    low = money(price.low, price.currency)
    if price.high is None:
        return tr("from {price}", price=low)
    if price.high == price.low:
        return low
    high = money(price.high, price.currency)
    symbol_end = next((i for i, ch in enumerate(high) if ch.isdigit()), 0)
    return f"{low}–{high[symbol_end:]}"
