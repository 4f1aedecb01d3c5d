"""The Reports tab: results and cost per result for each campaign."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from kol_desk.i18n import tr
from kol_desk.metrics import format_count, format_money
from kol_desk.services.reports import campaign_results
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.context import AppContext


def _count(title: str, attr: str) -> Column:
    return Column(title, lambda r: format_count(getattr(r, attr)),
                  sort_key=lambda r: getattr(r, attr), numeric=True)


def _money(title: str, attr: str) -> Column:
    return Column(title, lambda r: format_money(getattr(r, attr), r.currency),
                  sort_key=lambda r: getattr(r, attr), numeric=True)


COLUMNS = [
    Column("Campaign", lambda r: r.name),
    _count("Posts", "posts"),
    _money("Cost", "cost"),
    _count("Impressions", "impressions"),
    _count("Views", "views"),
    _count("Engagements", "engagements"),
    _count("Orders", "orders"),
    _money("Revenue", "revenue"),
    _money("CPM", "cpm"),
    _money("CPE", "cpe"),
    Column("ROI", lambda r: "—" if r.roi is None else f"{r.roi * 100:.1f}%",
           sort_key=lambda r: r.roi, numeric=True),
]


class ReportsTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.summary = QLabel(tr("Results of published posts (latest snapshot of each post)."))
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        context.events.changed.connect(lambda _area: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(campaign_results(self.context.workspace))
