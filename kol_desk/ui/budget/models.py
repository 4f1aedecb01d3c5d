"""Table columns of the Budget tab (all over ``RowTableModel``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kol_desk.i18n import tr
from kol_desk.labels import payment_kind_label
from kol_desk.metrics import DASH, format_rate
from kol_desk.services.budget import LEVEL_LABELS, CampaignMoney, MoneyLine
from kol_desk.services.payments import DuePayment, PaymentRow
from kol_desk.ui.common.row_model import Column
from kol_desk.ui.money import money_text

OVER_COLOUR = "#c62828"
NEAR_COLOUR = "#e65100"
LEVEL_COLOURS = {"over": OVER_COLOUR, "near": NEAR_COLOUR}




# The column index of each drillable figure in CAMPAIGN_COLUMNS.
FIGURE_OF_COLUMN = {1: "allocated", 2: "committed", 3: "spent", 4: "remaining"}


def _level_colour(row: CampaignMoney) -> str | None:
    return LEVEL_COLOURS.get(row.level)


def _money(column: Column, attr: str, currency: Callable[[], str]) -> Column:
    """The title comes from ``column`` (so the string scan sees it)."""
    return Column(column.title, lambda c: money_text(getattr(c, attr), currency()),
                  sort_key=lambda c: getattr(c, attr), numeric=True, colour=_level_colour,
                  tooltip=lambda _c: tr("Double-click to see the records behind this figure"))



def campaign_columns(currency: Callable[[], str]) -> list[Column]:
    return [
        Column("Campaign", lambda c: c.name, colour=_level_colour),
        _money(Column("Allocated", str), "allocated", currency),
        _money(Column("Committed", str), "committed", currency),
        _money(Column("Spent", str), "spent", currency),
        _money(Column("Remaining", str), "remaining", currency),
        Column("Used", lambda c: format_rate(c.used / c.allocated) if c.allocated else DASH,
               sort_key=lambda c: c.used / c.allocated if c.allocated else None, numeric=True,
               colour=_level_colour),
        Column("Status", lambda c: tr(LEVEL_LABELS[c.level]), colour=_level_colour),
    ]


def line_columns(currency: Callable[[], str]) -> list[Column]:
    return [
        Column("Date", lambda m: m.day.isoformat() if m.day else DASH, sort_key=lambda m: m.day),
        Column("Campaign", lambda m: m.campaign or tr("(no campaign)")),
        Column("What", lambda m: _what(m)),
        Column("Amount", lambda m: money_text(m.amount, currency()), sort_key=lambda m: m.amount,
               numeric=True, colour=lambda m: OVER_COLOUR if m.amount < 0 else None),
        Column("Reference", lambda m: tr("Transfer") if m.figure in ("allocated", "reserve") and m.reference else m.reference),
    ]


def _what(line: MoneyLine) -> str:
    if line.figure == "reserve":
        return tr("From the reserve: {reason}", reason=line.what)
    return line.what


def _kind(row: PaymentRow) -> str:
    return payment_kind_label(row.kind)


def payment_columns() -> list[Column]:
    return [
        Column("Campaign", lambda p: p.campaign),
        Column("Creator", lambda p: p.creator),
        Column("Kind", _kind),
        Column("Due", lambda p: p.due_date.isoformat() if p.due_date else DASH, sort_key=lambda p: p.due_date),
        Column("Amount", lambda p: money_text(p.amount, p.currency), sort_key=lambda p: p.amount, numeric=True),
        Column("Tax", lambda p: money_text(p.tax_amount, p.currency) if p.tax_amount else DASH,
               sort_key=lambda p: p.tax_amount, numeric=True),
        Column("Total", lambda p: money_text(p.gross, p.currency), sort_key=lambda p: p.gross, numeric=True),
        Column("Paid on", lambda p: p.paid_on.isoformat() if p.paid_on else tr("Unpaid"),
               sort_key=lambda p: p.paid_on),
        Column("Method", lambda p: p.method or ""),
        Column("Invoice", lambda p: p.invoice_no or ""),
    ]


def _due_text(due: DuePayment) -> str:
    if due.status == "overdue":
        return tr("Overdue {days} d", days=due.days)
    return tr("Due today") if due.days == 0 else tr("Due in {days} d", days=due.days)


def due_columns() -> list[Column]:
    def wrap(column: Column) -> Column:
        sort = column.sort_key or column.text
        return Column(column.title, lambda d: column.text(d.row), sort_key=lambda d: sort(d.row),
                      numeric=column.numeric,
                      colour=lambda d: OVER_COLOUR if d.status == "overdue" else None)

    base = [c for c in payment_columns() if c.title not in ("Paid on", "Method", "Invoice")]
    status = Column("When", _due_text, sort_key=lambda d: -d.days if d.status == "overdue" else d.days,
                    colour=lambda d: OVER_COLOUR if d.status == "overdue" else None)
    return [status, *[wrap(c) for c in base]]


def row_of(model: Any, row: int) -> Any:
    return model.row_object(row)
