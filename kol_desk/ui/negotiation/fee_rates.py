"""The workspace's platform fee rates (one per channel), which a card takes when its
channel is chosen. Stored with the data, so the whole team prices deals alike."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from kol_desk.domain import CHANNEL_LABELS, Channel
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.services.deal_cost import platform_fee_rates, set_platform_fee_rates
from kol_desk.store.database import Workspace
from kol_desk.ui.common.fields import ValidatedField, percent_field
from kol_desk.validation import Invalid


class PlatformFeeDialog(QDialog):
    def __init__(self, workspace: Workspace, read_only: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(tr("Platform fees"))
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
            set_platform_fee_rates(self.workspace, rates)
        except (Invalid, KnownError) as exc:
            self.message.setText(str(exc))
            return
        super().accept()
