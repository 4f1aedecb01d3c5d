"""The Creators tab: search-as-you-type over every platform account."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.ui.context import AppContext
from kol_desk.ui.creators.table_model import CreatorTableModel

SEARCH_DELAY_MS = 150


class CreatorsTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search nickname, handle, note or tag…"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.model = CreatorTableModel(context.workspace, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 110, 160, 100, 80, 110, 90, 80)):
            header.resizeSection(column, width)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        # Debounced type-ahead: typing never waits for a query.
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        context.events.changed.connect(lambda _area: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.model.reload(self.search.text())
        self.count_label.setText(tr("{n} accounts", n=f"{self.model.total:,}"))
