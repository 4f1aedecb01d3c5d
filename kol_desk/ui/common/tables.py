"""Table views over a RowTableModel: sorted by clicking a header (the order kept when the
rows are refreshed), columns sized once per refresh from the header and a sample of rows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from kol_desk.ui.common.row_model import RowTableModel

# ResizeToContents measures up to 1,000 rows at every layout pass (the payments-due list
# holds thousands at 100k creators: 600k data() calls at start-up); the widest of these
# many rows is as good a guess, and the user can still drag a column wider.
WIDTH_SAMPLE_ROWS = 60


def table_view(model: RowTableModel, stretch: int | None = None,
               size_on_reset: bool = True) -> QTableView:
    """``size_on_reset`` False: the caller sizes the columns (``resizeColumnsToContents``)
    when it wants, e.g. when a hidden table is first shown."""
    table = QTableView()
    table.setModel(model)
    # No arrow until the user picks a column: the rows come in the order their service
    # chose (e.g. by spend), which an arrow on the first column would misstate.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(WIDTH_SAMPLE_ROWS)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if size_on_reset:
        model.modelReset.connect(table.resizeColumnsToContents)
    return table


class NoFocusFrame(QStyledItemDelegate):
    """Paints cells without the focus frame of the current cell. In a table that selects
    whole rows the selection already shows where the keyboard is, and a frame around the
    empty text of a check-box cell looks like a stray empty box beside the box."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus
