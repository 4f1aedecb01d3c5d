"""The Budget tab: how much is left this period and what is already promised, at one
glance; the campaigns against their allocations in colour; the ledger; payments; charts.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.services.budget import (
    ALLOCATED,
    COMMITTED,
    RESERVE,
    SPENT,
    MoneyLine,
    PeriodMoney,
    period_money,
    records,
)
from kol_desk.services.budget_settings import near_percent, set_near_percent
from kol_desk.ui.budget.dialogs import DrillDownDialog, MovementDialog, PeriodDialog
from kol_desk.ui.budget.models import (
    FIGURE_OF_COLUMN,
    NEAR_COLOUR,
    OVER_COLOUR,
    campaign_columns,
    line_columns,
)
from kol_desk.ui.budget.pages import ChartsPage, PaymentsPage
from kol_desk.ui.common.empty_state import EmptyStack, EmptyState
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.common.summary_strip import Figure, SummaryStrip
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.common.workers import JobControl, start_job
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_exact, money_short, money_text

# Campaigns named in the summary line; the table shows them all in colour.
NAMED_CAMPAIGNS = 4


def name_some(names: list[str]) -> str:
    shown = "、".join(names[:NAMED_CAMPAIGNS])
    if len(names) <= NAMED_CAMPAIGNS:
        return shown
    return tr("{names} and {count} more", names=shown, count=len(names) - NAMED_CAMPAIGNS)


def figure_title(figure: str) -> str:
    return {ALLOCATED: tr("Allocated"), COMMITTED: tr("Committed"), SPENT: tr("Spent"),
            RESERVE: tr("Reserve used")}.get(figure, tr("Remaining"))


def budget_figures(p: PeriodMoney, left_colour: str) -> list[Figure]:
    def figure(caption: str, amount: Decimal, colour: str | None = None, key: str | None = None) -> Figure:
        return Figure(caption, money_short(amount, p.currency), money_exact(amount, p.currency), colour, key)

    # A click on a figure with a key lists the records behind it (BudgetTab.drill).
    return [figure(tr("Left this period"), p.left, left_colour), figure(tr("Budget"), p.total),
            figure(tr("Allocated"), p.allocated, key=ALLOCATED),
            figure(tr("Promised"), p.committed, key=COMMITTED),
            figure(tr("Spent"), p.spent, key=SPENT),
            # remaining in the allocations: allocated − promised − spent (PeriodMoney.remaining)
            figure(tr("Remaining"), p.remaining, OVER_COLOUR if p.remaining < 0 else None, "remaining"),
            figure(tr("Reserve left"), p.reserve_left, key=RESERVE)]


class BudgetTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.today = date.today  # tests pin the day
        self._periods: list[PeriodMoney] = []
        self._stale = False

        self.period_box = QComboBox()
        self.period_box.setMinimumContentsLength(24)
        self.new_period_button = QPushButton(tr("New period…"))
        self.allocate_button = QPushButton(tr("Allocate…"))
        self.transfer_button = QPushButton(tr("Move money…"))
        self.reserve_button = QPushButton(tr("Draw on reserve…"))
        self.export_button = QPushButton(tr("Export…"))
        with_icons((self.new_period_button, "add"), (self.allocate_button, "allocate"),
                   (self.transfer_button, "transfer"), (self.reserve_button, "reserve"),
                   (self.export_button, "export"))
        self.new_period_button.clicked.connect(self.new_period)
        self.allocate_button.clicked.connect(lambda: self.open_movement("allocate"))
        self.transfer_button.clicked.connect(lambda: self.open_movement("transfer"))
        self.reserve_button.clicked.connect(lambda: self.open_movement("reserve"))
        self.export_button.clicked.connect(self.export)

        self.summary = SummaryStrip()
        self.summary.activated.connect(self.drill_period)
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        # The strip above shows the figures large; the sentence says how they relate.
        self.headline.setStyleSheet("QLabel { padding: 4px 2px 0 2px; }")
        self.headline.linkActivated.connect(self.drill_period)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.linkActivated.connect(self.drill_period)

        self.model = RowTableModel(campaign_columns(self.currency), self)
        self.table = table_view(self.model, stretch=0)
        self.table.doubleClicked.connect(self._drill_cell)
        self.legend = QLabel(tr("Red: over allocation · orange: near it. Double-click a figure to see its records."))
        self.legend.setStyleSheet("color: #757575;")
        # A workspace setting (travels with the data), so the whole team sees one colour.
        self.near_box = QSpinBox()
        self.near_box.setRange(50, 100)
        self.near_box.setSuffix(" %")
        self.near_box.setValue(int(near_percent(context.workspace)))
        self.near_box.setEnabled(not context.read_only)
        self.near_box.valueChanged.connect(self.set_near_percent)

        self.ledger_model = RowTableModel(line_columns(self.currency), self)
        self.ledger_table = table_view(self.ledger_model, stretch=2)
        self.payments_page = PaymentsPage(context, lambda: self.today())
        self.charts_page = ChartsPage(context, lambda: self.today())

        campaigns_page = QWidget()
        campaigns_layout = QVBoxLayout(campaigns_page)
        # The table holds a handful of campaigns: the allocation and spend-over-time charts
        # share the page with it, so the tab shows a picture without a click.
        self.overview_charts = ChartsPage(context, lambda: self.today(), charts=("allocation", "over_time"))
        overview = self.overview = QSplitter(Qt.Orientation.Vertical)
        overview.setChildrenCollapsible(False)
        overview.addWidget(self.table)
        overview.addWidget(self.overview_charts)
        overview.setStretchFactor(0, 0)
        overview.setStretchFactor(1, 1)
        campaigns_layout.addWidget(overview, 1)
        legend_bar = QHBoxLayout()
        legend_bar.addWidget(self.legend, 1)
        legend_bar.addWidget(QLabel(tr("Orange from")))
        legend_bar.addWidget(self.near_box)
        campaigns_layout.addLayout(legend_bar)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(campaigns_page, tr("Campaigns"))
        self.pages.addTab(self.payments_page, tr("Payments"))
        self.pages.addTab(self.ledger_table, tr("Allocation ledger"))
        self.pages.addTab(self.charts_page, tr("Charts"))

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Budget period:")))
        top.addWidget(self.period_box, 1)
        for button in (self.new_period_button, self.allocate_button, self.transfer_button,
                       self.reserve_button, self.export_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        self.empty = EmptyState(
            tr("No budget period yet"),
            tr("The budget tab keeps the KOL budget of a quarter or a year: what is allocated to "
               "each campaign, promised to creators, paid, and what is left. Start with a period."),
            actions=(), extra=[("new", tr("New budget period…"))])
        self.empty.action_requested.connect(lambda key: self.new_period() if key == "new" else None)
        self.stack = EmptyStack(self.pages, self.empty)
        layout.addWidget(self.stack, 1)
        self.period_box.currentIndexChanged.connect(self._show_period)
        context.events.changed.connect(self._on_changed)
        self.refresh()

    # -- data ------------------------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        if not change.touches(Change.BUDGET, Change.CAMPAIGNS):
            return
        if self.isVisible():
            self.refresh()
        else:  # e.g. a board move: read again when the tab is next shown
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @property
    def period(self) -> PeriodMoney | None:
        index = self.period_box.currentIndex()
        return self._periods[index] if 0 <= index < len(self._periods) else None

    def currency(self) -> str:
        return self.period.currency if self.period else "CNY"

    def refresh(self) -> None:
        self._stale = False
        current = self.period.period_id if self.period else None
        self._periods = period_money(self.context.workspace, self.today())
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for period in self._periods:
            self.period_box.addItem(f"{period.name} ({period.start_date} – {period.end_date})",
                                    period.period_id)
        index = self.period_box.findData(current) if current is not None else -1
        if index < 0:  # default: the period holding today, else the newest
            today = self.today()
            index = next((i for i, p in enumerate(self._periods)
                          if p.start_date <= today <= p.end_date), 0)
        self.period_box.setCurrentIndex(index)
        self.period_box.blockSignals(False)
        self._show_period()

    def _show_period(self, _index: int = 0) -> None:
        p = self.period
        has = p is not None
        writable = not self.context.read_only
        for button in (self.allocate_button, self.transfer_button, self.reserve_button):
            button.setEnabled(has and writable)
        self.new_period_button.setEnabled(writable)
        self.export_button.setEnabled(has)
        self.payments_page.set_period(p)
        self.charts_page.set_period(p)
        self.overview_charts.set_period(p)
        if p is None:
            self.model.set_rows([])
            self.ledger_model.set_rows([])
            self.headline.setText("")
            self.details.setText("")
            self.summary.set_figures([])
            self.stack.show_empty(True)
            return
        self.stack.show_empty(False)
        self.model.set_rows(p.campaigns)
        # the table as tall as its rows (up to eight), the charts take the rest
        rows = min(len(p.campaigns), 8)
        wanted = self.table.horizontalHeader().height() + rows * self.table.verticalHeader().defaultSectionSize() + 6
        self.overview.setSizes([wanted, max(200, self.overview.height() - wanted)])
        self.ledger_model.set_rows(p.records(ALLOCATED))
        def money(value: Decimal) -> str:
            return money_text(value, p.currency)

        left_colour = OVER_COLOUR if p.left < 0 else "#2e7d32"
        self.summary.set_figures(budget_figures(p, left_colour))
        self.headline.setText(tr(
            "<b>Left this period: <span style='color:{colour}'>{left}</span></b> of {total} · "
            "<a href='committed'>promised {committed}</a> · <a href='spent'>spent {spent}</a>",
            colour=left_colour, left=money(p.left), total=money(p.total),
            committed=money(p.committed), spent=money(p.spent)))
        over = [c.name for c in p.campaigns if c.level == "over"]
        near = [c.name for c in p.campaigns if c.level == "near"]
        parts = [tr("<a href='allocated'>Allocated {allocated}</a>, {unallocated} not yet allocated, "
                    "remaining in allocations {remaining}",
                    allocated=money(p.allocated), unallocated=money(p.unallocated),
                    remaining=money(p.remaining)),
                 tr("<a href='reserve'>reserve {left} left</a> of {reserve}",
                    left=money(p.reserve_left), reserve=money(p.reserve))]
        if over:
            parts.append(f"<span style='color:{OVER_COLOUR}'>"
                         + tr("over: {names}", names=name_some(over)) + "</span>")
        if near:
            parts.append(f"<span style='color:{NEAR_COLOUR}'>"
                         + tr("near: {names}", names=name_some(near)) + "</span>")
        self.details.setText(" · ".join(parts))

    def set_near_percent(self, percent: int) -> None:
        set_near_percent(self.context.workspace, Decimal(percent))
        self.context.events.announce(Change.BUDGET)

    # -- drill-down ------------------------------------------------------------------

    def records_behind(self, figure: str, campaign_id: int | None = None) -> list[MoneyLine]:
        p = self.period
        if p is None:
            return []

        def listed(one: str) -> list[MoneyLine]:
            return records(self.context.workspace, p.period_id, one, campaign_id, self.today())

        if figure == "remaining":
            # Remaining = allocated − committed − spent: the same records, signed.
            return listed(ALLOCATED) + [dataclasses.replace(line, amount=-line.amount)
                                        for line in listed(COMMITTED) + listed(SPENT)]
        return listed(figure)

    def drill(self, figure: str, campaign_id: int | None = None, name: str | None = None) -> DrillDownDialog:
        title = figure_title(figure)
        if name:
            title = f"{title} · {name}"
        elif self.period:
            title = f"{title} · {self.period.name}"
        dialog = DrillDownDialog(title, self.records_behind(figure, campaign_id), self.currency(), self)
        dialog.open()
        return dialog

    def drill_period(self, figure: str) -> None:
        self.drill(figure)

    def _drill_cell(self, index: QModelIndex) -> None:
        figure = FIGURE_OF_COLUMN.get(index.column())
        if figure is None:
            return
        row = self.model.row_object(index.row())
        self.drill(figure, row.campaign_id, row.name)

    # -- actions ---------------------------------------------------------------------

    def new_period(self) -> PeriodDialog:
        dialog = PeriodDialog(self.context, self.today(), self)
        dialog.accepted.connect(lambda: self.context.events.announce(Change.BUDGET))
        dialog.open()
        return dialog

    def open_movement(self, mode: str, campaign_id: int | None = None,
                      amount: Decimal | None = None) -> MovementDialog | None:
        if self.period is None:
            return None
        dialog = MovementDialog(self.context, self.period.period_id, mode, self.today(), self,
                                campaign_id=campaign_id, amount=amount)
        dialog.accepted.connect(lambda: self.context.events.announce(Change.BUDGET))
        dialog.open()
        return dialog

    def export(self) -> None:
        """File → Export → Budget… and the tab's Export button: the selected period."""
        p = self.period
        if p is None:
            QMessageBox.information(self, tr("Export budget"), tr("No budget period yet."))
            return
        from kol_desk.exporting.budget import default_file_name

        suggested = str(Path.home() / default_file_name(p.name, self.today()))
        path, _filter = QFileDialog.getSaveFileName(self, tr("Export budget"), suggested,
                                                    tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_to(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        p = self.period
        if p is None:
            return
        workspace, period_id, today = self.context.workspace, p.period_id, self.today()

        def work(control: JobControl) -> Path:
            from kol_desk.exporting.budget import export_budget

            return export_budget(workspace, period_id, path, today=today,
                                 progress=control.progress)

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, tr("Export budget"), str(error))

        def done(result: object) -> None:
            self.last_export = result
            window = self.window()
            status = getattr(window, "statusBar", None)
            if callable(status):
                status().showMessage(tr("Saved {path}", path=result), 8000)

        start_job(work, done, failed, parent=self, title=tr("Exporting budget…"))
