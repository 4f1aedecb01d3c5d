"""Due this week / overdue across all campaigns, so nothing slips."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, stage_label
from kol_desk.services.board import DueItem, due_items
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.common.workers import start_job
from kol_desk.ui.context import AppContext

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
    """``open_card`` asks the tab to open the card behind a row; ``loaded`` tells that
    the rows read off the GUI thread are shown."""

    open_card = Signal(int)
    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.today = today
        self._items: list[DueItem] = []
        self._generation = 0
        self.summary = QLabel()
        self.overdue_only = QCheckBox(tr("Overdue only"))
        self.model = RowTableModel(DUE_COLUMNS, self)
        # The campaign name takes the spare width; a short stage name at the end need not.
        self.table = table_view(self.model, stretch=[c.title for c in DUE_COLUMNS].index("Campaign"))
        self.table.setObjectName("due_table")
        self.table.doubleClicked.connect(lambda index: self.open_card.emit(
            self.model.row_object(index.row()).collaboration_id))
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.overdue_only)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.overdue_only.toggled.connect(lambda _on: self._show_rows())
        self.refresh()

    def refresh(self) -> None:
        """Read what is due on a worker: at 100k creators that is thousands of open
        payments, a few hundred milliseconds the page would otherwise wait for."""
        self._generation += 1
        generation, workspace, today = self._generation, self.context.workspace, self.today
        start_job(lambda _control: due_items(workspace, today=today),
                  lambda items: self._loaded(generation, items),
                  lambda error: self._failed(generation, error), owner=self)

    def _loaded(self, generation: int, items: list[DueItem]) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self._items = items
        overdue = sum(1 for i in items if i.overdue)
        self.summary.setText(tr("{overdue} overdue · {week} due in the next 7 days",
                                overdue=overdue, week=len(items) - overdue))
        self._show_rows()
        self.loaded.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.summary.setText(tr("Could not read what is due: {error}", error=error))

    def _show_rows(self) -> None:
        items = self._items
        if self.overdue_only.isChecked():
            items = [i for i in items if i.overdue]
        self.model.set_rows(items)
