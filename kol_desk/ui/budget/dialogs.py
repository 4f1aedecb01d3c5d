"""Budget dialogs: a new period, a movement on the allocation ledger (allocate, transfer,
draw on the reserve), and the records behind a figure (drill-down)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.services import budget_ledger
from kol_desk.services.budget import MoneyLine
from kol_desk.ui.budget.models import line_columns
from kol_desk.ui.common.fields import ValidatedField, date_field, money_field, text_field
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.context import AppContext
from kol_desk.ui.money import money_text
from kol_desk.validation import Invalid

T = TypeVar("T")

ERROR_STYLE = "color: #c62828;"


class _Form(QDialog):
    """A form whose OK runs ``save()``; a refused save shows its reason in the dialog."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.form = QFormLayout()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def submit(self) -> bool:
        try:
            self.save()
        except (Invalid, KnownError) as exc:
            self.error_label.setText(str(exc))
            return False
        self.accept()
        return True

    def save(self) -> None:
        raise NotImplementedError


def _required(field: ValidatedField, name: str, kind: type[T]) -> T:
    """The field's value, of the type its validator gives (a money field a Decimal, a date
    field a date), or ``Invalid`` naming the field when it is empty."""
    value = field.value()
    if value is None or value == "":
        raise Invalid(tr("{field} is required.", field=name))
    assert isinstance(value, kind), f"{name}: {type(value).__name__}"
    return value


class PeriodDialog(_Form):
    """A new budget period: a year or a quarter, its total and flexible reserve."""

    def __init__(self, context: AppContext, today: date, parent: QWidget | None = None) -> None:
        super().__init__(tr("New budget period"), parent)
        self.context = context
        self.period_id: int | None = None
        quarter = (today.month - 1) // 3
        start = date(today.year, quarter * 3 + 1, 1)
        end = date(today.year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)
        self.name = text_field()
        self.name.set_text(f"{today.year} Q{quarter + 1}")
        self.kind = QComboBox()
        for key, label in (("quarter", tr("Quarter")), ("year", tr("Year")), ("other", tr("Other"))):
            self.kind.addItem(label, key)
        self.start = date_field()
        self.start.set_text(start.isoformat())
        self.end = date_field()
        self.end.set_text(date.fromordinal(end.toordinal() - 1).isoformat())
        self.total = money_field("500000")
        self.reserve = money_field("50000")
        self.currency = QComboBox()
        self.currency.addItems(["CNY", "USD", "EUR", "HKD"])
        self.form.addRow(tr("Name"), self.name)
        self.form.addRow(tr("Kind"), self.kind)
        self.form.addRow(tr("Starts"), self.start)
        self.form.addRow(tr("Ends"), self.end)
        self.form.addRow(tr("Total KOL budget"), self.total)
        self.form.addRow(tr("Flexible reserve (part of the total)"), self.reserve)
        self.form.addRow(tr("Currency"), self.currency)

    def save(self) -> None:
        self.period_id = budget_ledger.create_period(
            self.context.workspace, _required(self.name, tr("Name"), str), self.kind.currentData(),
            _required(self.start, tr("Starts"), date), _required(self.end, tr("Ends"), date),
            _required(self.total, tr("Total KOL budget"), Decimal),
            self.reserve.value() or Decimal(0), self.currency.currentText())


def movement_title(mode: str) -> str:
    if mode == "transfer":
        return tr("Move money between campaigns")
    if mode == "reserve":
        return tr("Draw on the reserve")
    return tr("Allocate to a campaign")


class MovementDialog(_Form):
    """One ledger movement. ``mode`` is "allocate", "transfer" or "reserve"."""

    def __init__(self, context: AppContext, period_id: int, mode: str, today: date,
                 parent: QWidget | None = None, *, campaign_id: int | None = None,
                 amount: Decimal | None = None, reason: str = "") -> None:
        super().__init__(movement_title(mode), parent)
        self.context, self.period_id, self.mode = context, period_id, mode
        self.entry_ids: list[int] = []
        choices = budget_ledger.campaigns_to_allocate(context.workspace)
        self.source = QComboBox()
        self.target = QComboBox()
        for choice in choices:
            self.source.addItem(choice.name, choice.campaign_id)
            self.target.addItem(choice.name, choice.campaign_id)
        if campaign_id is not None:
            self.target.setCurrentIndex(max(self.target.findData(campaign_id), 0))
        self.amount = money_field()
        if amount is not None:
            self.amount.set_text(str(amount))
        self.day = date_field()
        self.day.set_text(today.isoformat())
        self.reason = text_field(tr("Why? (kept in the ledger)"))
        self.reason.set_text(reason)
        if mode == "transfer":
            self.form.addRow(tr("From campaign"), self.source)
            self.form.addRow(tr("To campaign"), self.target)
        else:
            self.form.addRow(tr("Campaign"), self.target)
        self.form.addRow(tr("Amount"), self.amount)
        self.form.addRow(tr("Date"), self.day)
        self.form.addRow(tr("Reason"), self.reason)

    def save(self) -> None:
        ws = self.context.workspace
        amount = _required(self.amount, tr("Amount"), Decimal)
        day = _required(self.day, tr("Date"), date)
        reason = self.reason.value() or ""
        target = self.target.currentData()
        if target is None:
            raise Invalid(tr("Create a campaign first."))
        if self.mode == "allocate":
            self.entry_ids = [budget_ledger.allocate(ws, self.period_id, target, amount, day, reason)]
        elif self.mode == "reserve":
            self.entry_ids = [budget_ledger.draw_from_reserve(ws, self.period_id, target, amount, day, reason)]
        else:
            transfer_id = budget_ledger.transfer(ws, self.period_id, self.source.currentData(), target,
                                                 amount, day, reason)
            self.entry_ids = budget_ledger.entries_of_transfer(ws, transfer_id)


class DrillDownDialog(QDialog):
    """The records that make up one figure; their sum is the figure."""

    def __init__(self, title: str, lines: list[MoneyLine], currency: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 420)
        self.model = RowTableModel(line_columns(lambda: currency), self)
        self.model.set_rows(sorted(lines, key=lambda m: (m.day or date.min, m.campaign)))
        self.table = table_view(self.model, stretch=2)
        self.table.resizeColumnsToContents()
        total = sum((line.amount for line in lines), Decimal(0))
        self.total_label = QLabel(tr("{count} records, total {total}", count=len(lines),
                                     total=money_text(total, currency)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        layout.addWidget(self.table)
        layout.addWidget(self.total_label)
        layout.addWidget(buttons)
