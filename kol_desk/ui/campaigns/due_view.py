"""Due this week / overdue across all campaigns, so nothing slips."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.services.board import DueItem, due_items
from kol_desk.ui.campaigns.card_form import N_
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.context import AppContext
from kol_desk.ui.labels import platform_label, stage_label

WHAT = {"draft": N_("Draft"), "post": N_("Post"), "payment": N_("Payment")}

DUE_COLUMNS = [
    Column("Due", lambda i: i.due.isoformat(), sort_key=lambda i: i.due),
    Column("State", lambda i: tr("Overdue") if i.overdue else tr("This week"),
           colour=lambda i: "#c62828" if i.overdue else None),
    Column("What", lambda i: tr(WHAT[i.what])),
    Column("Creator", lambda i: i.nickname),
    Column("Platform", lambda i: platform_label(i.platform)),
    Column("Campaign", lambda i: i.campaign),
    Column("Stage", lambda i: stage_label(i.stage)),
]


class DueView(QWidget):
    """``open_card`` asks the tab to open the card behind a row."""

    open_card = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.today = today
        self.summary = QLabel()
        self.overdue_only = QCheckBox(tr("Overdue only"))
        self.model = RowTableModel(DUE_COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("due_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open_card.emit(
            self.model.row_object(index.row()).collaboration_id))
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.overdue_only)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.overdue_only.toggled.connect(lambda _on: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        items: list[DueItem] = due_items(self.context.workspace, today=self.today)
        overdue = sum(1 for i in items if i.overdue)
        self.summary.setText(tr("{overdue} overdue · {week} due in the next 7 days",
                                overdue=overdue, week=len(items) - overdue))
        if self.overdue_only.isChecked():
            items = [i for i in items if i.overdue]
        self.model.set_rows(items)
