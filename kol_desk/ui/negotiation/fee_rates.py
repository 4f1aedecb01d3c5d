"""The workspace's platform fee rates (one per channel), which a card takes when its
channel is chosen. Stored with the data, so the whole team prices deals alike."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from kol_desk.domain import CHANNEL_LABELS, Channel
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.services.deal_cost import agency_rebates, platform_fee_rates, set_deal_terms
from kol_desk.store.database import Workspace
from kol_desk.ui.common.fields import ValidatedField, percent_field
from kol_desk.validation import Invalid


class PlatformFeeDialog(QDialog):
    def __init__(self, workspace: Workspace, read_only: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(tr("Platform fees and rebates"))
        form = QFormLayout(self)
        note = QLabel(tr("The platform's service fee on an order placed through its marketplace, in percent "
                         "of the creator's price. A card keeps the rate it was agreed at."))
        note.setWordWrap(True)
        form.addRow(note)
        self.rates: dict[Channel, ValidatedField] = {}
        for channel, rate in platform_fee_rates(workspace).items():
            if channel == Channel.DIRECT:
                continue
            field = percent_field()
            field.set_text(f"{rate.normalize():f}")
            self.rates[channel] = field
            form.addRow(tr(CHANNEL_LABELS[channel]), field)
        self.rebates: dict[int, ValidatedField] = {}
        agencies = agency_rebates(workspace)
        if agencies:
            heading = QLabel(tr("Each agency's usual rebate (返点), for its quotes that name none:"))
            heading.setWordWrap(True)
            form.addRow(heading)
        for agency in agencies:
            field = percent_field(tr("none"))
            field.set_text(None if agency.rebate_pct is None else f"{agency.rebate_pct.normalize():f}")
            self.rebates[agency.id] = field
            form.addRow(agency.name, field)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not read_only)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(self.message)
        form.addRow(buttons)

    def accept(self) -> None:
        try:
            # The field gives a fraction (0.05); the setting is kept in percent, as typed.
            rates = {c: ((f.value() or Decimal(0)) * 100).normalize() for c, f in self.rates.items()}
            rebates = {i: None if (v := f.value()) is None else (v * 100).normalize()
                       for i, f in self.rebates.items()}
            set_deal_terms(self.workspace, rates, rebates)
        except (Invalid, KnownError) as exc:
            self.message.setText(str(exc))
            return
        super().accept()
