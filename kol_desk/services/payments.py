"""Payments of a collaboration: the plan (deposit 定金 / balance 尾款 / full), tax, marking
a payment paid, and the payments-due list across campaigns.

Tax and rounding (one rule, everywhere):
- ``Collaboration.tax_rate`` is a fraction (0.06 = 6 %). A tax-included fee (含税) already
  holds the tax: it costs exactly the fee and no tax amount is added. A tax-exclusive
  fee (不含税) costs fee + tax, where tax = fee x rate rounded half-up to the cent, once,
  on the whole fee; without an invoice (invoice type "none") no tax is added. A special
  invoice's VAT is paid like any other (services/money: budget counts what is paid).
- A plan splits the fee into parts; each part's tax is its amount x rate rounded
  half-up, except the last part, which takes what is left of the fee's tax, so the parts
  always add up to the fee and its tax to the cent.
- What a payment costs the budget is ``amount + tax_amount`` (tax_amount empty = 0).
The fee's tax itself (``fee_tax``) lives in ``services.money`` with the other cost rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select

from kol_desk.domain import PaymentKind
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.models import Campaign, Collaboration, Creator, Payment, PlatformAccount
from kol_desk.services import activity
from kol_desk.services.conflicts import check_list_unchanged
from kol_desk.services.deal_cost import cost_of
from kol_desk.services.money import ZERO, FeeTax, cents, fee_tax
from kol_desk.store.database import Workspace
from kol_desk.store.team import text_order


class PaymentError(KnownError):
    """A plan or payment the user asked for cannot be recorded (the message says why)."""


@dataclass(frozen=True)
class PlanLine:
    kind: str  # PaymentKind value
    amount: Decimal
    tax_amount: Decimal
    due_date: date | None

    @property
    def gross(self) -> Decimal:
        return self.amount + self.tax_amount


def split_fee(
    fee: FeeTax, deposit_share: Decimal | None, deposit_due: date | None = None,
    balance_due: date | None = None,
) -> list[PlanLine]:
    """The usual plans: ``deposit_share`` None is one full payment; 0.3 is 30 % deposit
    (rounded half-up to the cent) and the rest as balance."""
    if deposit_share is None or deposit_share <= 0 or deposit_share >= 1:
        return [PlanLine(PaymentKind.FULL.value, fee.fee, fee.tax, balance_due or deposit_due)]
    deposit = cents(fee.fee * deposit_share)
    return plan_lines(fee, [(PaymentKind.DEPOSIT.value, deposit, deposit_due),
                            (PaymentKind.BALANCE.value, fee.fee - deposit, balance_due)])


PlanPart = tuple[str, Decimal, date | None]  # kind, amount before tax, due date


def plan_lines(fee: FeeTax, parts: list[PlanPart],
               tax_already_planned: Decimal = ZERO) -> list[PlanLine]:
    """Tax for each part by the rounding rule above (the last part takes the remainder).
    ``tax_already_planned`` is the tax of parts already paid, which the remainder excludes."""
    lines = []
    tax_left = fee.tax - tax_already_planned
    for number, (kind, amount, due) in enumerate(parts):
        last = number == len(parts) - 1
        tax = ZERO if not fee.adds_tax else (tax_left if last else cents(amount * fee.rate))
        tax_left -= tax
        lines.append(PlanLine(kind, cents(amount), tax, due))
    return lines


# -- reading -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PaymentRow:
    payment_id: int
    collaboration_id: int
    campaign_id: int
    campaign: str
    currency: str
    creator: str
    platform: str
    kind: str
    amount: Decimal
    tax_amount: Decimal
    due_date: date | None
    paid_on: date | None
    method: str | None
    invoice_no: str | None
    version: int

    @property
    def gross(self) -> Decimal:
        return self.amount + self.tax_amount

    @property
    def paid(self) -> bool:
        return self.paid_on is not None


def _payment_query() -> Select[*tuple[Any, ...]]:
    # Plain columns, not Payment objects: the due list can hold thousands of rows.
    return (
        select(Payment.id, Payment.collaboration_id, Collaboration.campaign_id, Campaign.name,
               Campaign.currency, func.coalesce(PlatformAccount.nickname, Creator.nickname),
               PlatformAccount.platform, Payment.kind, Payment.amount,
               func.coalesce(Payment.tax_amount, ZERO), Payment.due_date, Payment.paid_on, Payment.method, Payment.invoice_no,
               Payment.version)
        .join(Collaboration, Collaboration.id == Payment.collaboration_id)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
    )


def payments_of(workspace: Workspace, *, collaboration_id: int | None = None,
                campaign_id: int | None = None) -> list[PaymentRow]:
    query = _payment_query()
    if collaboration_id is not None:
        query = query.where(Payment.collaboration_id == collaboration_id)
    if campaign_id is not None:
        query = query.where(Collaboration.campaign_id == campaign_id)
    query = query.order_by(Payment.due_date.is_(None), Payment.due_date, Payment.id)
    with workspace.session() as session:
        return [PaymentRow(*r) for r in session.execute(query).all()]


@dataclass(frozen=True)
class DuePayment:
    row: PaymentRow
    status: str  # "overdue" | "this_week"
    days: int  # days overdue (positive) or until due (zero or positive)


def week_end(today: date) -> date:
    """The Sunday closing today's week (weeks run Monday to Sunday, as in China)."""
    return today + timedelta(days=6 - today.weekday())


def payments_due(workspace: Workspace, today: date) -> list[DuePayment]:
    """Unpaid payments across all campaigns that are overdue or due by Sunday, oldest first."""
    query = _payment_query().where(
        Payment.paid_on.is_(None), Payment.due_date.is_not(None),
        Payment.due_date <= week_end(today), Campaign.archived_at.is_(None),
    ).order_by(Payment.due_date, Payment.id)
    with workspace.session() as session:
        rows = [PaymentRow(*r) for r in session.execute(query).all()]
    result = []
    for row in rows:
        assert row.due_date is not None
        if row.due_date < today:
            result.append(DuePayment(row, "overdue", (today - row.due_date).days))
        else:
            result.append(DuePayment(row, "this_week", (row.due_date - today).days))
    return result


# -- writing -----------------------------------------------------------------------------

def _log(session: object, action: str, payment: Payment, summary: str) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    # Through the activity log, so the entry names the user like every other change.
    activity.record(session, action, "payment", payment.id, summary=summary,
                    details={"collaboration_id": payment.collaboration_id,
                             "amount": str(payment.amount), "kind": payment.kind})


def _in_order(parts: Iterable[PlanPart]) -> list[PlanPart]:
    # One order for plans read from rows and from objects, so equal plans compare equal.
    return sorted(parts, key=lambda p: (p[2] is None, p[2] or date.min, p[0], p[1]))


def unpaid_plan(rows: list[PaymentRow]) -> list[PlanPart]:
    """The unpaid part of a card's payments (:func:`payments_of` rows), as its plan dialog
    replaces it."""
    return _in_order((r.kind, r.amount, r.due_date) for r in rows if not r.paid)


def set_payment_plan(workspace: Workspace, collaboration_id: int,
                     parts: list[PlanPart], shown: list[PlanPart] | None = None) -> list[int]:
    """Replace the collaboration's unpaid payments by ``parts`` (kind, amount before tax,
    due date). Paid payments stay as they are: they are history. The paid and planned
    amounts must add up to the agreed fee exactly. Returns the new payment ids.
    ``shown``: the unpaid plan (:func:`unpaid_plan`) the user replaced; refused
    (:class:`ListChanged`) if a colleague changed or paid a part of it since."""
    with workspace.transaction() as session:
        collab = session.get(Collaboration, collaboration_id)
        if collab is None:
            raise PaymentError(tr("Collaboration {id} no longer exists; refresh.", id=collaboration_id))
        if collab.agreed_fee is None:
            raise PaymentError(tr("Agree a fee before planning its payments."))
        check_list_unchanged(
            _in_order((p.kind, p.amount, p.due_date) for p in collab.payments if p.paid_on is None),
            None if shown is None else _in_order(shown), tr("the payment plan of this card"))
        fee = fee_tax(cost_of(collab) or ZERO, collab.tax_included, collab.tax_rate, collab.invoice_type)
        paid = [p for p in collab.payments if p.paid_on is not None]
        paid_amount = sum((p.amount for p in paid), ZERO)
        paid_tax = sum((p.tax_amount or ZERO for p in paid), ZERO)
        planned = sum((cents(amount) for _k, amount, _d in parts), ZERO)
        if any(amount <= 0 for _k, amount, _d in parts):
            raise PaymentError(tr("Each payment needs an amount above zero."))
        if paid_amount + planned != fee.fee:
            raise PaymentError(tr(
                "The payments add up to {total} (paid {paid}), but the agreed fee is {fee}; "
                "change the amounts so they match.", total=paid_amount + planned, paid=paid_amount,
                fee=fee.fee))
        for payment in [p for p in collab.payments if p.paid_on is None]:
            collab.payments.remove(payment)
        created = []
        for line in plan_lines(fee, parts, paid_tax):
            payment = Payment(kind=line.kind, amount=line.amount,
                              tax_amount=None if not fee.adds_tax else line.tax_amount,
                              due_date=line.due_date)
            collab.payments.append(payment)
            created.append(payment)
        session.flush()
        return [p.id for p in created]


def mark_paid(workspace: Workspace, payment_id: int, paid_on: date, method: str | None,
              invoice_no: str | None) -> None:
    """Record a payment as made; one transaction, logged in the activity list."""
    with workspace.transaction() as session:
        payment = session.get(Payment, payment_id)
        if payment is None:
            raise PaymentError(tr("Payment {id} no longer exists; refresh the list.", id=payment_id))
        if payment.paid_on is not None:
            raise PaymentError(tr("This payment was already marked paid on {day}.", day=payment.paid_on))
        payment.paid_on = paid_on
        payment.method = (method or "").strip() or None
        payment.invoice_no = (invoice_no or "").strip() or None
        session.flush()
        _log(session, "paid", payment, f"{payment.kind} {payment.amount} paid on {paid_on}")


def mark_unpaid(workspace: Workspace, payment_id: int) -> None:
    """Undo a mistaken "paid" (Edit → Undo); the activity log keeps both steps."""
    with workspace.transaction() as session:
        payment = session.get(Payment, payment_id)
        if payment is None:
            raise PaymentError(tr("Payment {id} no longer exists; refresh the list.", id=payment_id))
        payment.paid_on = None
        payment.method = None
        payment.invoice_no = None
        session.flush()
        _log(session, "unpaid", payment, f"{payment.kind} {payment.amount} marked unpaid")


@dataclass(frozen=True)
class CollabFee:
    collaboration_id: int
    creator: str
    campaign: str
    currency: str
    fee: FeeTax


def fees_of_campaign(workspace: Workspace, campaign_id: int) -> list[CollabFee]:
    """The campaign's collaborations with an agreed fee (not dropped), for planning."""
    query = (
        select(Collaboration, Creator.nickname, PlatformAccount.nickname, Campaign.name,
               Campaign.currency)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
        .where(Collaboration.campaign_id == campaign_id, Collaboration.agreed_fee.is_not(None),
               Collaboration.stage != "dropped")
        .order_by(text_order(Creator.nickname))
    )
    with workspace.session() as session:
        return [CollabFee(c.id, account or creator, name, currency,
                          fee_tax(cost_of(c) or ZERO, c.tax_included, c.tax_rate, c.invoice_type))
                for c, creator, account, name, currency in session.execute(query).all()
                if c.agreed_fee is not None]
