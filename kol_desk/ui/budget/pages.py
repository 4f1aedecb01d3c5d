"""The Budget tab's inner pages: payments (due list, plans, marking paid) and charts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.services import payments
from kol_desk.services.budget import PeriodMoney, one_period
from kol_desk.services.payments import DuePayment, PaymentRow
from kol_desk.ui.budget.models import due_columns, payment_columns
from kol_desk.ui.budget.payment_dialogs import MarkPaidDialog, PaymentPlanDialog
from kol_desk.ui.common.chart_view import ChartView
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.context import AppContext

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _table(model: RowTableModel, stretch: int) -> QTableView:
    table = table_view(model, stretch)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    return table


class PaymentsPage(QWidget):
    def __init__(self, context: AppContext, today: Callable[[], date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.today = context, today
        self._stale = True
        self.due_model = RowTableModel(due_columns(), self)
        self.due_table = _table(self.due_model, stretch=2)  # the creator's name
        self.due_table.doubleClicked.connect(lambda _i: self.mark_selected_due())
        self.due_title = QLabel()
        self.mark_due_button = QPushButton(tr("Mark paid…"))
        self.mark_due_button.clicked.connect(self.mark_selected_due)

        self.campaign_box = QComboBox()
        self.collab_box = QComboBox()
        self.plan_button = QPushButton(tr("Plan payments…"))
        self.plan_button.clicked.connect(self.plan_selected)
        self.payment_model = RowTableModel(payment_columns(), self)
        self.payment_table = _table(self.payment_model, stretch=1)
        self.payment_table.doubleClicked.connect(lambda _i: self.mark_selected_payment())
        self.mark_button = QPushButton(tr("Mark paid…"))
        self.mark_button.clicked.connect(self.mark_selected_payment)
        self.campaign_box.currentIndexChanged.connect(lambda _i: self._show_campaign())
        with_icons((self.mark_due_button, "paid"), (self.mark_button, "paid"),
                   (self.plan_button, "calendar"))

        due_bar = QHBoxLayout()
        due_bar.addWidget(self.due_title, 1)
        due_bar.addWidget(self.mark_due_button)
        plan_bar = QHBoxLayout()
        plan_bar.addWidget(QLabel(tr("Campaign:")))
        plan_bar.addWidget(self.campaign_box, 1)
        plan_bar.addWidget(QLabel(tr("Collaboration:")))
        plan_bar.addWidget(self.collab_box, 1)
        plan_bar.addWidget(self.plan_button)
        plan_bar.addWidget(self.mark_button)
        layout = QVBoxLayout(self)
        layout.addLayout(due_bar)
        layout.addWidget(self.due_table, 2)
        layout.addLayout(plan_bar)
        layout.addWidget(self.payment_table, 3)

    def set_period(self, period: PeriodMoney | None) -> None:
        """Lists the period's campaigns; the payments are read when the page shows (the
        due list spans every campaign: thousands of rows at 100k creators)."""
        current = self.campaign_box.currentData()
        self.campaign_box.blockSignals(True)
        self.campaign_box.clear()
        for campaign in period.campaigns if period else []:
            self.campaign_box.addItem(campaign.name, campaign.campaign_id)
        self.campaign_box.setCurrentIndex(max(self.campaign_box.findData(current), 0))
        self.campaign_box.blockSignals(False)
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> None:
        self._stale = False
        due = payments.payments_due(self.context.workspace, self.today())
        self.due_model.set_rows(due)
        overdue = sum(1 for d in due if d.status == "overdue")
        self.due_title.setText(tr("Payments due: {overdue} overdue, {week} this week (all campaigns)",
                                  overdue=overdue, week=len(due) - overdue))
        self._show_campaign()

    def _show_campaign(self) -> None:
        campaign_id = self.campaign_box.currentData()
        ws = self.context.workspace
        rows = payments.payments_of(ws, campaign_id=campaign_id) if campaign_id is not None else []
        self.payment_model.set_rows(rows)
        self.collab_box.clear()
        for fee in payments.fees_of_campaign(ws, campaign_id) if campaign_id is not None else []:
            self.collab_box.addItem(fee.creator, fee)
        self.plan_button.setEnabled(self.collab_box.count() > 0 and not self.context.read_only)

    def _selected(self, table: QTableView, model: RowTableModel) -> object | None:
        rows = table.selectionModel().selectedRows()
        return model.row_object(rows[0].row()) if rows else None

    def mark_selected_due(self) -> None:
        due = self._selected(self.due_table, self.due_model)
        if isinstance(due, DuePayment):
            self.open_mark_paid(due.row)

    def mark_selected_payment(self) -> None:
        row = self._selected(self.payment_table, self.payment_model)
        if isinstance(row, PaymentRow) and not row.paid:
            self.open_mark_paid(row)

    def open_mark_paid(self, row: PaymentRow) -> MarkPaidDialog:
        dialog = MarkPaidDialog(self.context, row, self.today(), self)
        dialog.open()
        return dialog

    def plan_selected(self) -> PaymentPlanDialog | None:
        fee = self.collab_box.currentData()
        if fee is None:
            return None
        paid = sum((r.gross for r in payments.payments_of(
            self.context.workspace, collaboration_id=fee.collaboration_id) if r.paid),
            start=Decimal(0))
        dialog = PaymentPlanDialog(self.context, fee.collaboration_id, fee.fee, paid, fee.currency,
                                   f"{fee.creator} · {fee.campaign}", self)
        dialog.open()
        return dialog


class ChartsPage(QWidget):
    """Four charts of the period; drawn when the page is first shown (matplotlib is not
    loaded at start-up) and again when the data changes while it is visible."""

    def __init__(self, context: AppContext, today: Callable[[], date],
                 parent: QWidget | None = None,
                 charts: tuple[str, ...] = ("allocation", "over_time", "by_platform", "by_tier")) -> None:
        """``charts``: which of the four, in a grid two wide."""
        super().__init__(parent)
        self.context, self.today = context, today
        self.period: PeriodMoney | None = None
        self._stale = True
        self.allocation = ChartView()
        self.over_time = ChartView()
        self.by_platform = ChartView()
        self.by_tier = ChartView()
        self._shown = charts
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, view in enumerate(self.views):
            grid.addWidget(view, index // 2, index % 2)

    @property
    def views(self) -> list[ChartView]:
        return [getattr(self, name) for name in self._shown]

    def set_period(self, period: PeriodMoney | None) -> None:
        self.period = period
        self._stale = True
        if self.isVisible():
            self.draw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.draw()

    def draw(self) -> None:
        self._stale = False
        period, today, workspace = self.period, self.today(), self.context.workspace
        empty = tr("No budget period yet.") if period is None else tr("Nothing to chart yet.")
        if period is None:
            for view in self.views:
                view.set_builder(None, empty)
            return

        # The charts need every payment and fee of the period: read once, by whichever
        # chart's worker comes first.
        lock = threading.Lock()
        loaded: list[PeriodMoney | None] = []

        def detailed() -> PeriodMoney | None:
            with lock:
                if not loaded:
                    loaded.append(one_period(workspace, period.period_id, today))
                return loaded[0]

        def by_tier() -> Figure | None:
            from kol_desk.charts.budget import spend_by
            from kol_desk.services.tiers import tier_of, tier_thresholds

            thresholds = tier_thresholds(workspace)
            full = detailed()
            return None if full is None else spend_by(full, "tier", lambda line: tier_of(
                line.followers, line.platform, line.tier_override, thresholds))

        def by_platform() -> Figure | None:
            from kol_desk.charts.budget import spend_by

            full = detailed()
            return None if full is None else spend_by(full, "platform", lambda _line: None)

        def allocation() -> Figure | None:
            from kol_desk.charts.budget import allocation_bars

            return allocation_bars(period)

        def over_time() -> Figure | None:
            from kol_desk.charts.budget import spend_over_time

            full = detailed()
            return None if full is None else spend_over_time(full, today)

        nothing = tr("Nothing spent or committed yet.")
        builders = {"allocation": (allocation, empty), "over_time": (over_time, empty),
                    "by_platform": (by_platform, nothing), "by_tier": (by_tier, nothing)}
        for name in self._shown:
            getattr(self, name).set_builder(*builders[name])
