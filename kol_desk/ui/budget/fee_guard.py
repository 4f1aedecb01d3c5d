"""Asking before a fee takes a campaign over its allocation.

The board calls ``confirm_fee`` before it saves an agreed fee::

    if not confirm_fee(self, context, collaboration_id=card_id, new_fee=fee):
        return  # the user cancelled; keep the old fee

It returns True when the fee may be saved: there is no over-allocation, or the user
agreed anyway, or drew the difference from the reserve (that draw is written at once,
as its own ledger entry, and announced with events.announce(Change.BUDGET)).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.services import budget_ledger
from kol_desk.services.budget_checks import (
    SAME,
    AllocationWarning,
    InvoiceChoice,
    check_fee_against_allocation,
)
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_text

AGREE, DRAW, CANCEL = "agree", "draw", "cancel"


class OverAllocationDialog(QDialog):
    """Tells how far over the fee goes and offers: draw on the reserve, agree anyway,
    or cancel. ``choice`` holds what the user picked."""

    def __init__(self, context: AppContext, warning: AllocationWarning, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.warning, self.today = context, warning, today
        self.choice = CANCEL
        self.setWindowTitle(tr("Over the campaign's allocation"))
        w = warning

        def money(value: Decimal) -> str:
            return money_text(value, warning.currency)

        self.text = QLabel(tr(
            "Agreeing this fee takes “{campaign}” to {used} promised and paid, "
            "{over} over its allocation of {allocated}.",
            campaign=w.campaign, used=money(w.used_after), over=money(w.over_by),
            allocated=money(w.allocated)))
        self.text.setWordWrap(True)
        if w.period_id is None:
            reserve = tr("No budget period covers this campaign, so there is no reserve to draw on.")
        else:
            reserve = tr("The reserve of {period} has {left} left.", period=w.period or "",
                         left=money(w.reserve_left))
        self.reserve_text = QLabel(reserve)
        self.reserve_text.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.draw_button = QPushButton(tr("Draw {amount} from the reserve and agree",
                                          amount=money(w.over_by)))
        self.draw_button.setEnabled(w.reserve_covers and not context.read_only)
        self.agree_button = QPushButton(tr("Agree anyway"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setDefault(True)
        self.draw_button.clicked.connect(self._draw)
        self.agree_button.clicked.connect(lambda: self._finish(AGREE))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.draw_button)
        buttons.addStretch(1)
        buttons.addWidget(self.agree_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.reserve_text)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def _draw(self) -> None:
        w = self.warning
        assert w.period_id is not None
        try:
            budget_ledger.draw_from_reserve(
                self.context.workspace, w.period_id, w.campaign_id, w.over_by, self.today,
                tr("Fee agreed over the allocation of {campaign}", campaign=w.campaign))
        except KnownError as exc:
            self.error_label.setText(str(exc))
            return
        self.context.events.announce(Change.BUDGET)
        self._finish(DRAW)


def confirm_fee(parent: QWidget | None, context: AppContext, *, new_fee: Decimal,
                collaboration_id: int | None = None, campaign_id: int | None = None,
                tax_included: bool | None = None, tax_rate: float | None = None,
                today: date | None = None, invoice_type: InvoiceChoice = SAME) -> bool:
    """True when the fee may be saved (see the module docstring)."""
    day = today or date.today()
    warning = check_fee_against_allocation(
        context.workspace, new_fee=new_fee, collaboration_id=collaboration_id,
        campaign_id=campaign_id, tax_included=tax_included, tax_rate=tax_rate, today=day,
        invoice_type=invoice_type)
    if warning is None:
        return True
    dialog = OverAllocationDialog(context, warning, day, parent)
    dialog.exec()
    return dialog.choice in (AGREE, DRAW)
