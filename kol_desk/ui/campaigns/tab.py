"""The Campaigns tab: every campaign with its cards per stage and its fees."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from kol_desk.domain import STAGE_LABELS, Stage
from kol_desk.i18n import tr
from kol_desk.metrics import format_money
from kol_desk.services.campaigns import CampaignOverview, campaign_overviews
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.context import AppContext
from kol_desk.ui.labels import objective_label


def _dates(c: CampaignOverview) -> str:
    if c.start_date is None:
        return ""
    end = c.end_date.isoformat() if c.end_date else "…"
    return f"{c.start_date.isoformat()} – {end}"


def _stage(stage: Stage) -> Column:
    return Column(
        title=STAGE_LABELS[stage],
        text=lambda c: str(c.stage_counts.get(stage, 0)),
        sort_key=lambda c: c.stage_counts.get(stage, 0),
        numeric=True,
    )


COLUMNS = [
    Column("Campaign", lambda c: c.name),
    Column("Brand", lambda c: c.brand or ""),
    Column("Objective", lambda c: objective_label(c.objective)),
    Column("Dates", _dates, sort_key=lambda c: c.start_date),
    Column("Cards", lambda c: str(c.active_cards), sort_key=lambda c: c.active_cards, numeric=True),
    _stage(Stage.NEGOTIATING),
    _stage(Stage.PUBLISHED),
    _stage(Stage.PAID),
    Column("Agreed fees", lambda c: format_money(c.agreed_fees, c.currency),
           sort_key=lambda c: c.agreed_fees, numeric=True),
    Column("Budget", lambda c: format_money(c.budget, c.currency),
           sort_key=lambda c: c.budget, numeric=True),
]


class CampaignsTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.summary = QLabel()
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        context.events.changed.connect(lambda _area: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        overviews = campaign_overviews(self.context.workspace)
        self.model.set_rows(overviews)
        cards = sum(c.active_cards for c in overviews)
        self.summary.setText(tr("{campaigns} campaigns · {cards} collaborations",
                                campaigns=len(overviews), cards=cards))
