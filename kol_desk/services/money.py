"""What one collaboration and one payment cost: the single definition behind every money
figure (Campaigns list, Budget tab, Reports, the workbooks, the command line).

- A collaboration's cost is what leaves the account for it (cash out): its net cost
  (services/deal_cost: fee − rebate + service fee + platform fee) plus the VAT the
  invoice adds on top when the fee is tax-exclusive (``fee_tax``). Every sum of fees,
  every cost metric (CPM, CPE, ROI ...) and every commitment calls
  ``collaboration_cost``, so budget, payments and reports agree to the cent: a payment
  records exactly this money.
- The invoice type (domain.InvoiceType) decides the VAT:
  unstated (NULL) or ordinary (普票): a tax-exclusive fee costs fee + VAT, a tax-included
  fee costs the fee; the VAT is part of the cost.
  special (专票): the same money is paid, but the buyer deducts the VAT in its VAT return.
  The budget still counts what is paid (the refund does not return to the campaign's
  budget line); the deductible VAT (``FeeTax.deductible``) and the cost after deduction
  are shown beside it, labelled as such, never summed into budget figures.
  none (不开票): no invoice, so no VAT is added to a tax-exclusive fee (the "price without
  invoice" of agency lists); nothing is deductible.
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

from kol_desk.domain import InvoiceType, Stage
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
    tax: Decimal  # added on top; 0 when the fee includes tax or no invoice is issued
    invoice_type: str | None = None  # domain.InvoiceType value; None when unstated
    deductible: Decimal = ZERO  # the VAT a special invoice lets the buyer deduct

    @property
    def gross(self) -> Decimal:
        """What the fee costs the budget: the money paid out."""
        return self.fee + self.tax

    @property
    def adds_tax(self) -> bool:
        """Whether payments carry a tax amount on top of the fee."""
        return not self.tax_included and self.invoice_type != InvoiceType.NONE

    @property
    def after_deduction(self) -> Decimal:
        """What the deal costs once the deductible VAT is reclaimed (not a budget figure)."""
        return self.gross - self.deductible


def fee_tax(fee: Decimal, tax_included: bool | None, tax_rate: float | Decimal | None,
            invoice_type: str | None = None) -> FeeTax:
    rate = rate_of(tax_rate)
    included = tax_included is not False  # unknown counts as included (the usual quote)
    tax = ZERO if included or invoice_type == InvoiceType.NONE else cents(fee * rate)
    deductible = ZERO
    if invoice_type == InvoiceType.SPECIAL:
        # The invoice's VAT: on top of a tax-exclusive fee, inside a tax-included one.
        deductible = tax if not included else cents(fee * rate / (1 + rate))
    return FeeTax(cents(fee), included, rate, tax, invoice_type, deductible)


def collaboration_cost(fee: Decimal | None, tax_included: bool | None,
                       tax_rate: float | Decimal | None,
                       invoice_type: str | None = None) -> Decimal | None:
    """What an agreed fee costs the budget: the money paid out (None without a fee)."""
    if fee is None:
        return None
    if tax_included is not False or invoice_type == InvoiceType.NONE:
        return cents(fee)  # fee_tax adds nothing: skip building it (10k cards a report)
    return fee_tax(fee, tax_included, tax_rate, invoice_type).gross


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
            tax_rate: float | Decimal | None, invoice_type: str | None,
            paid_amount: Decimal | None, paid_tax: Decimal | None) -> None:
        paid = payment_cost(paid_amount, paid_tax)
        self.spent += paid
        if stage == Stage.DROPPED.value:
            return
        self.cards += 1
        cost = collaboration_cost(fee, tax_included, tax_rate, invoice_type)
        if cost is not None:
            self.cost += cost
            self.committed += still_owed(cost, paid)
