"""What one collaboration and one payment cost: the single definition behind every money
figure (Campaigns list, Budget tab, Reports, the workbooks, the command line).

- A collaboration's cost is what its agreed fee costs the budget: the fee, plus the tax
  when the fee is tax-exclusive (``payments.fee_tax``). Every sum of fees, every cost
  metric (CPM, CPE, ROI ...) and every commitment calls ``collaboration_cost``, so the
  day cost means net cost (rebates, service and platform fees) it changes here only.
- A payment costs its amount plus its tax (``payment_cost``); spent is the sum of the
  payments made, whatever the card's stage (a deposit paid before a card was dropped
  was still paid).
- Committed is, per collaboration not dropped, its cost minus what has been paid for
  it, never below zero (``still_owed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Subquery, case, func, select

from kol_desk.domain import Stage
from kol_desk.models import Payment

PAYMENT = Payment.__table__
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_of(tax_rate: float | Decimal | None) -> Decimal:
    """The stored float rate as an exact Decimal (0.06 stays 0.06, not 0.0599999…)."""
    return ZERO if tax_rate is None else Decimal(str(tax_rate))


@dataclass(frozen=True)
class FeeTax:
    fee: Decimal  # as agreed
    tax_included: bool
    rate: Decimal
    tax: Decimal  # added on top; 0 when the fee includes tax

    @property
    def gross(self) -> Decimal:
        """What the fee costs the budget."""
        return self.fee + self.tax


def fee_tax(fee: Decimal, tax_included: bool | None, tax_rate: float | Decimal | None) -> FeeTax:
    rate = rate_of(tax_rate)
    included = tax_included is not False  # unknown counts as included (the usual quote)
    tax = ZERO if included else cents(fee * rate)
    return FeeTax(cents(fee), included, rate, tax)


def collaboration_cost(fee: Decimal | None, tax_included: bool | None,
                       tax_rate: float | Decimal | None) -> Decimal | None:
    """What an agreed fee costs the budget (None without a fee)."""
    if fee is None:
        return None
    if tax_included is not False:  # fee_tax adds nothing: skip building it (10k cards a report)
        return cents(fee)
    return fee_tax(fee, tax_included, tax_rate).gross


def payment_cost(amount: Decimal | None, tax: Decimal | None) -> Decimal:
    return (amount or ZERO) + (tax or ZERO)


def still_owed(cost: Decimal | None, paid: Decimal) -> Decimal:
    """What a card with this cost still commits after ``paid`` (never below zero)."""
    if cost is None:
        return ZERO
    return max(cost - paid, ZERO)


def paid_per_card() -> Subquery:
    """Per collaboration: paid amounts and tax, and the earliest unpaid due date."""
    # The Core table, not the mapped class: the report export never configures the mappers.
    payment = PAYMENT.c
    paid = payment.paid_on.is_not(None)
    return (select(payment.collaboration_id,
                   func.sum(case((paid, payment.amount))).label("paid_amount"),
                   func.sum(case((paid, payment.tax_amount))).label("paid_tax"),
                   func.min(case((payment.paid_on.is_(None), payment.due_date))).label("first_due"))
            .group_by(payment.collaboration_id).subquery())


@dataclass
class CardMoney:
    """Sums over cards: their cost (agreed fees, tax added where exclusive), what was paid
    and what is still committed."""

    cost: Decimal = ZERO
    spent: Decimal = ZERO
    committed: Decimal = ZERO
    cards: int = 0

    def add(self, stage: str, fee: Decimal | None, tax_included: bool | None,
            tax_rate: float | Decimal | None, paid_amount: Decimal | None,
            paid_tax: Decimal | None) -> None:
        paid = payment_cost(paid_amount, paid_tax)
        self.spent += paid
        if stage == Stage.DROPPED.value:
            return
        self.cards += 1
        cost = collaboration_cost(fee, tax_included, tax_rate)
        if cost is not None:
            self.cost += cost
            self.committed += still_owed(cost, paid)
