"""The Reports tab: pick a scope, see the four layers against the KPI targets, tables per
creator / platform / tier / agency with the best and worst cost per result marked,
charts, and the way in for results (typed or imported) and out (the boss workbook).

The report is computed off the GUI thread (``services.reports.build_report``); the
workbook export uses the very same ``Report`` object, so both always agree.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.metrics import format_count, format_rate
from kol_desk.services.report_findings import key_findings
from kol_desk.services.reports import Report, ReportScope, build_report
from kol_desk.ui.common.chart_view import ChartView
from kol_desk.ui.common.empty_state import DEMO, EmptyStack, EmptyState
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.common.summary_strip import Figure, SummaryStrip
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.common.workers import JobControl, start_job
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_exact, money_short, money_text
from kol_desk.ui.reports.models import (
    GROUP_TITLES,
    LAYER_COLUMNS,
    GroupTableModel,
    group_columns,
    layer_lines,
)

CHART_CHOICES = [("creator", N_("Cost per engagement by creator")),
                 ("platform", N_("Reach and engagement by platform")),
                 ("tier", N_("Spend against results by tier")), ("kpi", N_("KPI progress")),
                 ("funnel", N_("Funnel from impressions to orders"))]


def _table(model: RowTableModel, size_on_reset: bool = True) -> QTableView:
    view = table_view(model, size_on_reset=size_on_reset)
    view.setAlternatingRowColors(True)
    return view


def report_figures(report: Report) -> list[Figure]:
    t, currency = report.totals, report.currency

    def money(caption: str, amount: Decimal | None) -> Figure:
        return Figure(caption, money_short(amount, currency), money_exact(amount, currency))

    def count(caption: str, value: int | None) -> Figure:
        return Figure(caption, format_count(value))

    return [count(tr("Posts with results"), t.posts), money(tr("Cost of posts with results"), t.cost_or_none),
            count(tr("Impressions"), t.count("impressions")), count(tr("Engagements"), t.engagements),
            money(tr("CPE"), t.cpe), money(tr("CPM"), t.cpm),
            Figure(tr("ROI"), format_rate(t.roi))]


class ReportsTab(QWidget):
    # Fires on the GUI thread each time a freshly built report is on screen.
    report_ready = Signal(object)
    # The path of a workbook just written.
    exported = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: Report | None = None
        self._generation = 0

        from kol_desk.ui.reports.scope import ScopeBar

        self.scope_bar = ScopeBar(context.workspace)
        self.enter_button = QPushButton(tr("Enter results…"))
        self.import_button = QPushButton(tr("Import results…"))
        self.export_button = QPushButton(tr("Export report…"))
        with_icons((self.enter_button, "results"), (self.import_button, "import"),
                   (self.export_button, "export"))
        for button in (self.enter_button, self.import_button, self.export_button):
            button.setEnabled(not context.read_only or button is self.export_button)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.layer_model = RowTableModel(LAYER_COLUMNS, self)
        self.layer_view = _table(self.layer_model)
        self.layer_view.setSortingEnabled(False)
        # Every column as wide as its title and values (a stretched last column would be
        # squeezed under its title beside the tables at 1280 px); the view scrolls instead.
        self.layer_view.horizontalHeader().setStretchLastSection(False)
        self.group_models: dict[str, GroupTableModel] = {}
        self.group_views: dict[str, QTableView] = {}
        self.tables = QTabWidget()
        tab_titles = {"creator": tr("Per creator"), "platform": tr("Per platform"),
                      "tier": tr("Per tier"), "agency": tr("Per agency"), "campaign": tr("Per campaign")}
        for key, title in GROUP_TITLES.items():
            model = GroupTableModel(group_columns(title), self)
            self.group_models[key] = model
            # Sized when first shown (``_size_current_table``), not on every reset.
            self.group_views[key] = _table(model, size_on_reset=False)
            self.tables.addTab(self.group_views[key], tab_titles[key])
        # The per-campaign table, under the name the main window's tests know.
        self.model = self.group_models["campaign"]
        self.chart_choice = QComboBox()
        for key, text in CHART_CHOICES:
            self.chart_choice.addItem(tr(text), key)
        # Shown beside the tables, the chart starts with the one that reads well small
        # (one bar pair per platform; the per-creator chart needs a tall view).
        self.chart_choice.setCurrentIndex(self.chart_choice.findData("platform"))
        self.chart = ChartView()
        # The chart sits under the tables, in view without a click; its choice shares the
        # row of its Save button, leaving the chart the height.
        self.chart.button_row.insertWidget(0, self.chart_choice, 1)
        charts = self.chart
        # Columns are sized from a sample of rows, which asks the model for ~1,000 cells
        # per table: done for the table on screen, the others when they are first shown.
        self._unsized: set[QTableView] = set()
        self.tables.currentChanged.connect(lambda _i: self._size_current_table())
        self.legend = QLabel(tr("Green: best CPM, CPE or ROI in the table; red: worst."))

        buttons = QHBoxLayout()
        buttons.addWidget(self.enter_button)
        buttons.addWidget(self.import_button)
        # The key figures sit between the ways in and out: the tables keep the height.
        self.summary = SummaryStrip()
        buttons.addWidget(self.summary, 1)
        self.export_status = QLabel()
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons.addWidget(self.export_status)
        buttons.addWidget(self.export_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.tables, 1)
        right_layout.addWidget(self.legend)
        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.setChildrenCollapsible(False)
        right_split.addWidget(right)
        right_split.addWidget(charts)
        right_split.setSizes([500, 400])
        right_split.setStretchFactor(0, 1)
        right_split.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.layer_view)
        split.addWidget(right_split)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([620, 900])
        self.body = split
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope_bar)
        layout.addLayout(buttons)
        layout.addWidget(self.headline)
        self.empty = EmptyState(
            tr("No results yet"),
            tr("Reports show reach, engagement and cost per result (CPM, CPE, ROI) of the posts "
               "in your campaigns, against their KPI targets. Enter or import the results of "
               "published posts to see them here."),
            actions=(DEMO,), extra=[("enter", tr("Enter results…")), ("import_results", tr("Import results…"))])
        self.empty.action_requested.connect(self._empty_action)
        self.stack = EmptyStack(split, self.empty)
        layout.addWidget(self.stack, 1)

        self.scope_bar.changed.connect(lambda _scope: self.refresh())
        self.chart_choice.currentIndexChanged.connect(lambda _i: self._draw_chart())
        self.enter_button.clicked.connect(self.enter_results)
        self.import_button.clicked.connect(self.import_results)
        self.export_button.clicked.connect(self.export_report)
        context.events.changed.connect(self._data_changed)
        self.refresh()

    # -- building the report -------------------------------------------------------------
    def _data_changed(self, change: Change) -> None:
        if change.touches(Change.CAMPAIGNS, Change.CREATORS):
            self.scope_bar.reload_choices()
        self.refresh()

    def scope(self) -> ReportScope:
        return self.scope_bar.scope()

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace, scope = self.context.workspace, self.scope()

        def work(_control: JobControl) -> tuple[Report, list[str]]:
            report = build_report(workspace, scope)
            for key in GROUP_TITLES:
                report.group(key)  # here, not on the GUI thread in _show
            # report.findings keep cents for the workbook; the screen writes amounts as
            # a person does.
            return report, key_findings(report, money=money_text)

        start_job(work, lambda built: self._show(generation, *built),
                  lambda error: self._failed(generation, error), owner=self)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.headline.setText(tr("Could not build the report: {error}", error=error))

    def _show(self, generation: int, report: Report, findings: list[str]) -> None:
        if generation != self._generation:
            return  # a newer scope is being computed
        self.report = report
        self.stack.show_empty(not report.posts)
        self.summary.set_figures(report_figures(report) if report.posts else [])
        # The chart first: it renders on a worker while the tables fill here.
        self._draw_chart()
        self.headline.setText("\n".join(f"{n}. {text}" for n, text in enumerate(findings, start=1)))
        self.layer_model.set_rows(layer_lines(report))
        for key, model in self.group_models.items():
            model.set_rows(report.group(key))
        self._unsized = set(self.group_views.values())
        self._size_current_table()
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the findings may need more lines than before
        self.report_ready.emit(report)

    def _empty_action(self, key: str) -> None:
        if key == "enter":
            self.enter_results()
        elif key == "import_results":
            self.import_results()

    def _size_current_table(self) -> None:
        view = self.tables.currentWidget()
        if isinstance(view, QTableView) and view in self._unsized:
            self._unsized.discard(view)
            view.resizeColumnsToContents()

    def _draw_chart(self) -> None:
        report = self.report
        key = self.chart_choice.currentData()
        if report is None:
            return
        from kol_desk.charts.report_figures import CHARTS

        builder = CHARTS[key]
        self.chart.set_builder(lambda: builder(report),
                               empty_text=tr("No results in this scope yet: enter or import results."))

    # -- actions ---------------------------------------------------------------------
    def enter_results(self) -> None:
        from kol_desk.ui.reports.results_dialog import ResultsDialog

        ids = self.scope_bar.checked_campaigns()
        ResultsDialog(self.context, ids[0] if len(ids) == 1 else None, self).exec()

    def import_results(self) -> None:
        from kol_desk.ui.reports.results_import import import_results_file

        path, _ = QFileDialog.getOpenFileName(self, tr("Import results"), str(Path.home()),
                                              tr("Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)"))
        if path:
            ids = self.scope_bar.checked_campaigns()
            import_results_file(self, self.context, Path(path), ids[0] if len(ids) == 1 else None)

    def export_report(self, path: Path | None = None) -> None:
        """Ask for a file (unless given) and write the boss workbook of the current scope."""
        from kol_desk.exporting.report import write_report

        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, tr("Export report"), str(Path.home() / "KOL-report.xlsx"),
                                                    tr("Excel workbook (*.xlsx)"))
            if not chosen:
                return
            path = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
        workspace, scope = self.context.workspace, self.scope()
        target = path

        def work(control: JobControl) -> Path:
            report = build_report(workspace, scope)
            return write_report(report, target, lambda done, total: control.progress(done, total))

        def done(written: object) -> None:
            self.last_export = written
            self.export_status.setText(tr("Report saved to {path}", path=str(written)))
            self.exported.emit(written)

        def failed(error: BaseException) -> None:
            QMessageBox.critical(self, tr("Export report"), str(error))

        start_job(work, done, failed, parent=self, title=tr("Exporting the report…"))

