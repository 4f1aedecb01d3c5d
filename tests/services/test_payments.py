"""Payment plans, tax rounding, marking paid and the payments-due list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from kol_desk.models import Activity, Payment
from kol_desk.services import payments
from kol_desk.services.budget_checks import check_fee_against_allocation
from kol_desk.services.payments import PaymentError, fee_tax, split_fee
from kol_desk.store.database import Workspace
from tests.budget_scenario import build

D = Decimal


def test_tax_is_rounded_half_up_once_and_the_last_part_takes_the_rest() -> None:
    fee = fee_tax(D("1000.50"), False, 0.13)
    assert (fee.tax, fee.gross) == (D("130.07"), D("1130.57"))  # 130.065, half-up
    deposit, balance = split_fee(fee, D("0.5"))
    assert (deposit.amount, deposit.tax_amount) == (D("500.25"), D("65.03"))
    assert (balance.amount, balance.tax_amount) == (D("500.25"), D("65.04"))
    assert deposit.gross + balance.gross == fee.gross
    included = fee_tax(D("1000.50"), True, 0.13)
    assert (included.tax, included.gross) == (D("0.00"), D("1000.50"))
    # 0.06 stored as a float stays exactly 6 %: 8,333.33 x 0.06 = 499.9998 -> 500.00.
    assert fee_tax(D("8333.33"), False, 0.06).tax == D("500.00")
    [full] = split_fee(fee_tax(D("99.99"), False, 0.06), None, balance_due=date(2026, 12, 1))
    assert (full.kind, full.amount, full.tax_amount, full.due_date) == (
        "full", D("99.99"), D("6.00"), date(2026, 12, 1))


def test_plan_must_add_up_and_keeps_paid_payments(workspace: Workspace) -> None:
    s = build(workspace)
    with pytest.raises(PaymentError, match=r"add up to 1000\.49"):
        payments.set_payment_plan(workspace, s.a2, [("balance", D("500.24"), None)])
    # Replanning the open balance of A2 into two parts keeps the paid deposit and its tax.
    payments.set_payment_plan(workspace, s.a2, [("balance", D("250.00"), date(2026, 12, 1)),
                                                ("balance", D("250.25"), date(2026, 12, 15))])
    rows = payments.payments_of(workspace, collaboration_id=s.a2)
    assert [(r.amount, r.tax_amount, r.paid) for r in rows] == [
        (D("500.25"), D("65.03"), True), (D("250.00"), D("32.50"), False),
        (D("250.25"), D("32.54"), False)]
    assert sum((r.gross for r in rows), D(0)) == D("1130.57")


def test_mark_paid_records_date_method_invoice_and_logs(workspace: Workspace) -> None:
    s = build(workspace)
    payments.mark_paid(workspace, s.a1_balance, date(2026, 11, 27), " 对公转账 ", "FP-009")
    [row] = [r for r in payments.payments_of(workspace, collaboration_id=s.a1) if r.payment_id == s.a1_balance]
    assert (row.paid_on, row.method, row.invoice_no) == (date(2026, 11, 27), "对公转账", "FP-009")
    with pytest.raises(PaymentError, match=r"already marked paid on 2026-11-27"):
        payments.mark_paid(workspace, s.a1_balance, date(2026, 11, 28), None, None)
    payments.mark_unpaid(workspace, s.a1_balance)
    with workspace.session() as session:
        assert session.get(Payment, s.a1_balance).paid_on is None  # type: ignore[union-attr]
        actions = session.scalars(select(Activity.action).where(Activity.entity == "payment")).all()
    assert actions.count("paid") == 4 and actions.count("unpaid") == 1


def test_payments_due_this_week_and_overdue(workspace: Workspace) -> None:
    s = build(workspace)
    # Thursday 2026-11-26: A1's balance (due Wed 25th) is overdue; A2's (1 Dec) is next week.
    due = payments.payments_due(workspace, date(2026, 11, 26))
    assert [(d.row.payment_id, d.status, d.days) for d in due] == [(s.a1_balance, "overdue", 1)]
    # Monday 2026-11-30: A2's balance, due Tuesday, is due this week.
    due = payments.payments_due(workspace, date(2026, 11, 30))
    assert [(d.row.payment_id, d.status) for d in due] == [
        (s.a1_balance, "overdue"), (s.a2_balance, "this_week")]
    assert due[1].row.gross == D("565.29") and due[1].row.creator == "Momo"
    payments.mark_paid(workspace, s.a1_balance, date(2026, 11, 30), "微信", None)
    assert [d.row.payment_id for d in payments.payments_due(workspace, date(2026, 11, 30))] == [s.a2_balance]


def test_over_allocation_check(workspace: Workspace) -> None:
    s = build(workspace)
    # B: 38,000 allocated, 35,000 used (B1 20,000 + B3 15,000). 24,000 for B1 -> 39,000.
    warning = check_fee_against_allocation(workspace, collaboration_id=s.b1, new_fee=D("24000"))
    assert warning is not None
    assert (warning.allocated, warning.used_before, warning.used_after, warning.over_by) == (
        D("38000.00"), D("35000.00"), D("39000.00"), D("1000.00"))
    assert warning.period_id == s.period_id and warning.reserve_left == D("7000.00")
    assert warning.reserve_covers
    assert check_fee_against_allocation(workspace, collaboration_id=s.b1, new_fee=D("23000")) is None
    # A tax-exclusive fee counts with its tax: 22,700 + 6 % = 24,062 > 23,000 room.
    assert check_fee_against_allocation(workspace, collaboration_id=s.b1, new_fee=D("22700"),
                                        tax_included=False) is not None
    # A new card for C (never allocated): any fee is over, the reserve of its period offered.
    new = check_fee_against_allocation(workspace, campaign_id=s.c, new_fee=D("10"))
    assert new is not None and new.over_by == D("2010.00") and new.period_id == s.period_id
    # Lowering C1's fee does not warn even though C stays over.
    assert check_fee_against_allocation(workspace, collaboration_id=s.c1, new_fee=D("1500")) is None
