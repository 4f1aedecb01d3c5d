"""Create or edit a campaign: name, brand/product, objective, dates, currency, budget,
KPI targets, owner, notes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import OBJECTIVE_LABELS
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.services.campaigns import CampaignInput
from kol_desk.ui.common.fields import count_field, date_field, money_field, text_field
from kol_desk.ui.money import money_edit_text
from kol_desk.validation import Invalid, clean_text

CURRENCIES = ["CNY", "USD", "EUR", "HKD"]


class CampaignDialog(QDialog):
    """``value()`` is the campaign as typed, once the dialog is accepted."""

    def __init__(self, parent: QWidget | None = None, initial: CampaignInput | None = None,
                 title: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or tr("New campaign"))
        self.setMinimumWidth(460)
        self.name = text_field(tr("e.g. 2027 Spring launch"), max_length=200)
        self.brand = text_field(max_length=200)
        self.product = text_field(max_length=200)
        self.objective = QComboBox()
        for key, label in OBJECTIVE_LABELS.items():
            self.objective.addItem(tr(label), key.value)
        self.start, self.end = date_field(), date_field()
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.budget = money_field()
        self.kpi_impressions, self.kpi_engagements = count_field(), count_field()
        self.kpi_clicks, self.kpi_orders = count_field(), count_field()
        self.kpi_revenue = money_field()
        self.owner = text_field(max_length=100)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(80)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Brand"), self.brand)
        form.addRow(tr("Product"), self.product)
        form.addRow(tr("Objective"), self.objective)
        form.addRow(tr("Start date"), self.start)
        form.addRow(tr("End date"), self.end)
        form.addRow(tr("Currency"), self.currency)
        form.addRow(tr("Planned budget"), self.budget)
        hint = QLabel(tr("The money actually available is what the Budget tab allocates."))
        hint.setStyleSheet("color: #757575;")
        hint.setWordWrap(True)
        form.addRow("", hint)
        form.addRow(tr("Target impressions"), self.kpi_impressions)
        form.addRow(tr("Target engagements"), self.kpi_engagements)
        form.addRow(tr("Target clicks"), self.kpi_clicks)
        form.addRow(tr("Target orders"), self.kpi_orders)
        form.addRow(tr("Target revenue"), self.kpi_revenue)
        form.addRow(tr("Owner"), self.owner)
        form.addRow(tr("Notes"), self.notes)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._value: CampaignInput | None = None
        if initial is not None:
            self.show_value(initial)

    def show_value(self, data: CampaignInput) -> None:
        self.name.set_text(data.name)
        self.brand.set_text(data.brand)
        self.product.set_text(data.product)
        self.objective.setCurrentIndex(max(self.objective.findData(data.objective), 0))
        self.start.set_text(data.start_date.isoformat() if data.start_date else "")
        self.end.set_text(data.end_date.isoformat() if data.end_date else "")
        self.currency.setCurrentText(data.currency)
        self.budget.set_text(money_edit_text(data.budget))
        for field, value in ((self.kpi_impressions, data.kpi_impressions),
                             (self.kpi_engagements, data.kpi_engagements),
                             (self.kpi_clicks, data.kpi_clicks), (self.kpi_orders, data.kpi_orders)):
            field.set_text("" if value is None else str(value))
        self.kpi_revenue.set_text(money_edit_text(data.kpi_revenue))
        self.owner.set_text(data.owner)
        self.notes.setPlainText(data.notes or "")

    def read(self) -> CampaignInput:
        """The typed campaign; raises Invalid or KnownError with the reason."""
        data = CampaignInput(
            name=self.name.value(), brand=self.brand.value() or None,
            product=self.product.value() or None, objective=self.objective.currentData(),
            start_date=self.start.value(), end_date=self.end.value(),
            currency=self.currency.currentText().strip().upper(), budget=self.budget.value(),
            kpi_impressions=self.kpi_impressions.value(),
            kpi_engagements=self.kpi_engagements.value(), kpi_clicks=self.kpi_clicks.value(),
            kpi_orders=self.kpi_orders.value(), kpi_revenue=self.kpi_revenue.value(),
            owner=self.owner.value() or None, notes=clean_text(self.notes.toPlainText()) or None,
        )
        data.validate()
        return data

    def _accept(self) -> None:
        try:
            self._value = self.read()
        except (Invalid, KnownError) as exc:
            self.error.setText(tr("Please fix: {reason}", reason=str(exc)))
            return
        self.accept()

    def value(self) -> CampaignInput | None:
        return self._value
