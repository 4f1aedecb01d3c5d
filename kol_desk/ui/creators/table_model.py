"""The creator list: platform accounts, fetched from SQL one page at a time as the
user scrolls, sorted and searched in SQL, so 100k creators open instantly."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kol_desk.i18n import tr
from kol_desk.metrics import format_count, format_rate
from kol_desk.services.creators import AccountRow, count_accounts, fetch_accounts
from kol_desk.store.database import Workspace
from kol_desk.ui.common.row_model import ROW_ROLE
from kol_desk.ui.labels import platform_label, risk_label, tier_label

Index = QModelIndex | QPersistentModelIndex
PAGE = 200

# (header, sort key in the service, how to show a row)
COLUMNS: list[tuple[str, str | None]] = [
    ("Nickname", "nickname"),
    ("Platform", "platform"),
    ("Handle", "handle"),
    ("Followers", "followers"),
    ("Tier", "followers"),
    ("Engagement rate", "engagement_rate"),
    ("Category", "category"),
    ("City", "city"),
    ("Risk", None),
]
NUMERIC = {3, 5}


def _cell(row: AccountRow, column: int) -> str:
    match column:
        case 0:
            return row.nickname
        case 1:
            return platform_label(row.platform)
        case 2:
            return row.handle
        case 3:
            return format_count(row.followers)
        case 4:
            return tier_label(row.tier)
        case 5:
            return format_rate(row.engagement_rate)
        case 6:
            return row.category or ""
        case 7:
            return row.city or ""
        case _:
            return tr("Blacklisted") if row.blacklisted else (
                "" if row.risk_level == "none" else risk_label(row.risk_level))


class CreatorTableModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._rows: list[AccountRow] = []
        self._total = 0
        self._search = ""
        self._sort = "followers"
        self._descending = True

    @property
    def total(self) -> int:
        return self._total

    def reload(self, search: str | None = None) -> None:
        if search is not None:
            self._search = search
        self.beginResetModel()
        self._total = count_accounts(self._workspace, self._search)
        self._rows = fetch_accounts(self._workspace, 0, PAGE, self._search, self._sort, self._descending)
        self.endResetModel()

    def row_at(self, row: int) -> AccountRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = fetch_accounts(
            self._workspace, len(self._rows), PAGE, self._search, self._sort, self._descending
        )
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if index.column() in NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 8:
            if row.blacklisted or row.risk_level == "high":
                return QBrush(QColor("#c62828"))
            if row.risk_level != "none":
                return QBrush(QColor("#ef6c00"))
        if role == ROW_ROLE:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
