"""A table model over a Python list of row objects, for the smaller tables.

Sorting happens on the list (tens of milliseconds even for large lists, where a
QSortFilterProxyModel takes seconds; see PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kol_desk.i18n import tr

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_ANSWERED_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
                             Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
                             ROW_ROLE, SORT_ROLE})

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str  # English source text; translated when shown
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    numeric: bool = False
    colour: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str | None] | None = None
    header_tip: Callable[[], str] | None = None  # explains the column (its marks, its order)


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        # The user's last header click, kept for new rows: the header's arrow must keep
        # telling the truth after a refresh. None: the rows' own order.
        self._order: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = self._in_order(list(rows))
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(self.columns[section].title)
        tip = self.columns[section].header_tip
        if role == Qt.ItemDataRole.ToolTipRole and tip is not None:
            return tip()
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for a dozen roles per cell on every paint; answer the rest at once.
        if role not in _ANSWERED_ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            colour = column.colour(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            key = column.sort_key or column.text
            return key(row)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Column -1 (no arrow, see tables.table_view): keep the order rows are given in.
        self._order = (column, order) if 0 <= column < len(self.columns) else None
        if self._order is None:
            return
        self.layoutAboutToBeChanged.emit()
        self._rows = self._in_order(self._rows)
        self.layoutChanged.emit()

    def _in_order(self, rows: list[Any]) -> list[Any]:
        if self._order is None:
            return rows
        column, order = self._order
        spec = self.columns[column]
        key = spec.sort_key or spec.text
        known = [r for r in rows if key(r) is not None]
        unknown = [r for r in rows if key(r) is None]
        known.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        # Rows without a value stay at the bottom in both directions.
        return known + unknown
