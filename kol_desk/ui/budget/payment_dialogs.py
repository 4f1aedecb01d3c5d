"""Marking a payment paid (undoable), and planning a collaboration's payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from kol_desk.i18n import tr
from kol_desk.labels import payment_kind_label
from kol_desk.services import payments
from kol_desk.services.conflicts import ListChanged
from kol_desk.services.money import FeeTax, cents
from kol_desk.services.payments import PaymentRow
from kol_desk.ui.budget.dialogs import _Form, _required
from kol_desk.ui.common.fields import date_field, percent_field, text_field
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_text
from kol_desk.validation import Invalid


class MarkPaidCommand(QUndoCommand):
    """Edit → Undo takes a "paid" back (the activity log keeps both steps)."""

    def __init__(self, context: AppContext, row: PaymentRow, paid_on: date, method: str | None,
                 invoice_no: str | None) -> None:
        super().__init__(tr("Mark paid: {creator}", creator=row.creator))
        self.context, self.payment_id = context, row.payment_id
        self.paid_on, self.method, self.invoice_no = paid_on, method, invoice_no

    def redo(self) -> None:
        payments.mark_paid(self.context.workspace, self.payment_id, self.paid_on, self.method,
                           self.invoice_no)
        self.context.events.announce(Change.BUDGET)

    def undo(self) -> None:
        payments.mark_unpaid(self.context.workspace, self.payment_id)
        self.context.events.announce(Change.BUDGET)


class MarkPaidDialog(_Form):
    def __init__(self, context: AppContext, row: PaymentRow, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Mark payment paid"), parent)
        self.context, self.row = context, row
        self.form.addRow(QLabel(tr("{creator} · {campaign} · {kind} · {amount}",
                                   creator=row.creator, campaign=row.campaign,
                                   kind=payment_kind_label(row.kind),
                                   amount=money_text(row.gross, row.currency))))
        self.paid_on = date_field()
        self.paid_on.set_text(today.isoformat())
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(["对公转账", "支付宝", "微信", tr("Bank transfer"), tr("Cash")])
        self.invoice = text_field(tr("Invoice number (发票号)"), max_length=100)
        self.form.addRow(tr("Paid on"), self.paid_on)
        self.form.addRow(tr("Method"), self.method)
        self.form.addRow(tr("Invoice"), self.invoice)

    def save(self) -> None:
        paid_on = _required(self.paid_on, tr("Paid on"), date)
        if self.row.paid:
            raise Invalid(tr("This payment is already marked paid."))
        # The undo stack runs redo() at once: that is the write.
        self.context.undo_stack.push(MarkPaidCommand(
            self.context, self.row, paid_on, self.method.currentText(),
            self.invoice.value()))


class PaymentPlanDialog(_Form):
    """Deposit + balance, or one full payment, for a collaboration's agreed fee; the open
    part is replanned, paid payments stay."""

    def __init__(self, context: AppContext, collaboration_id: int, fee: FeeTax, paid: Decimal,
                 currency: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Payment plan"), parent)
        self.context, self.collaboration_id, self.fee = context, collaboration_id, fee
        self.paid, self.currency = paid, currency
        # What this dialog replans: refused on save if a colleague replanned or paid since.
        self.shown = payments.unpaid_plan(payments.payments_of(context.workspace,
                                                               collaboration_id=collaboration_id))
        fee_text = (tr("{fee} including tax", fee=money_text(fee.fee, currency)) if fee.tax_included
                    else tr("{fee}, no invoice: no tax", fee=money_text(fee.fee, currency))
                    if not fee.adds_tax else tr("{fee} + tax {tax} = {gross}", fee=money_text(fee.fee, currency),
                            tax=money_text(fee.tax, currency),
                            gross=money_text(fee.gross, currency)))
        self.form.addRow(QLabel(title))
        self.form.addRow(tr("Agreed fee"), QLabel(fee_text))
        if paid:
            self.form.addRow(tr("Already paid"), QLabel(money_text(paid, currency)))
        self.deposit = percent_field(tr("empty = one full payment"))
        self.deposit_due = date_field()
        self.balance_due = date_field()
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.form.addRow(tr("Deposit (%)"), self.deposit)
        self.form.addRow(tr("Deposit due"), self.deposit_due)
        self.form.addRow(tr("Balance due"), self.balance_due)
        self.form.addRow(tr("Plan"), self.preview)
        for field in (self.deposit, self.deposit_due, self.balance_due):
            field.edit.textChanged.connect(self._show_preview)
        self._show_preview()

    def _parts(self) -> list[payments.PlanPart]:
        share = self.deposit.value()
        open_amount = self.fee.fee - self.paid_net()
        if open_amount <= 0:
            raise Invalid(tr("The fee is paid in full; nothing to plan."))
        if share is None or share == 0 or share == 1:  # a fraction (validation.parse_percent)
            return [("full" if not self.paid_net() else "balance", open_amount,
                     self.balance_due.value() or self.deposit_due.value())]
        deposit = cents(open_amount * share)
        return [("deposit", deposit, self.deposit_due.value()),
                ("balance", open_amount - deposit, self.balance_due.value())]

    def paid_net(self) -> Decimal:
        rows = payments.payments_of(self.context.workspace, collaboration_id=self.collaboration_id)
        return sum((r.amount for r in rows if r.paid), Decimal(0))

    def _show_preview(self) -> None:
        try:
            paid_tax = sum((r.tax_amount for r in payments.payments_of(
                self.context.workspace, collaboration_id=self.collaboration_id) if r.paid), Decimal(0))
            lines = payments.plan_lines(self.fee, self._parts(), paid_tax)
        except Invalid as exc:
            self.preview.setText(str(exc))
            return
        self.preview.setText("\n".join(
            tr("{kind}: {amount} + tax {tax}, due {due}", kind=payment_kind_label(line.kind),
               amount=money_text(line.amount, self.currency),
               tax=money_text(line.tax_amount, self.currency),
               due=line.due_date.isoformat() if line.due_date else "—")
            for line in lines))

    def save(self) -> None:
        try:
            payments.set_payment_plan(self.context.workspace, self.collaboration_id,
                                      self._parts(), self.shown)
        except ListChanged:
            # Their plan becomes the one this dialog replaces: a second OK is a choice made
            # knowing it.
            self.shown = payments.unpaid_plan(payments.payments_of(
                self.context.workspace, collaboration_id=self.collaboration_id))
            plan = "\n".join(tr("{kind}: {amount}, due {due}", kind=payment_kind_label(kind),
                                 amount=money_text(amount, self.currency),
                                 due=due.isoformat() if due else "—")
                              for kind, amount, due in self.shown) or tr("nothing open")
            raise Invalid(tr("Not saved: a colleague changed this payment plan while the dialog "
                             "was open. It now reads:\n{plan}\nPress OK to replace it with "
                             "yours.", plan=plan)) from None
        self.context.events.announce(Change.BUDGET)
