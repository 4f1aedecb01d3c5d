"""The Budget tab: each period's allocated, committed, spent and remaining money."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.metrics import format_money
from kol_desk.services.budget import PeriodMoney, period_money
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.context import AppContext

RED = "#c62828"


def _money_column(title: str, attr: str) -> Column:
    return Column(title, lambda c: format_money(getattr(c, attr)),
                  sort_key=lambda c: getattr(c, attr), numeric=True,
                  colour=(lambda c: RED if c.remaining < 0 else None) if attr == "remaining" else None)


COLUMNS = [
    Column("Campaign", lambda c: c.name),
    _money_column("Allocated", "allocated"),
    _money_column("Committed", "committed"),
    _money_column("Spent", "spent"),
    _money_column("Remaining", "remaining"),
]


class BudgetTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._periods: list[PeriodMoney] = []
        self.period_box = QComboBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Budget period:")))
        top.addWidget(self.period_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.period_box.currentIndexChanged.connect(self._show_period)
        context.events.changed.connect(lambda _area: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self._periods = period_money(self.context.workspace)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for period in self._periods:
            self.period_box.addItem(f"{period.name} ({period.start_date} – {period.end_date})")
        self.period_box.blockSignals(False)
        self._show_period(0)

    def _show_period(self, index: int) -> None:
        if not 0 <= index < len(self._periods):
            self.model.set_rows([])
            self.summary.setText(tr("No budget period yet."))
            return
        p = self._periods[index]
        self.model.set_rows(p.campaigns)
        self.summary.setText(tr(
            "Total {total} · allocated {allocated} · committed {committed} · spent {spent} · "
            "remaining {remaining} · reserve {reserve_left} left of {reserve}",
            total=format_money(p.total, p.currency), allocated=format_money(p.allocated, p.currency),
            committed=format_money(p.committed, p.currency), spent=format_money(p.spent, p.currency),
            remaining=format_money(p.remaining, p.currency),
            reserve_left=format_money(p.reserve_left, p.currency),
            reserve=format_money(p.reserve, p.currency)))
