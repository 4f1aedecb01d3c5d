"""The creator list: accounts or creators, fetched from SQL one page at a time as the
user scrolls, sorted and filtered in SQL, so 100k creators open instantly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kol_desk.domain import DELIVERABLE_LABELS, Deliverable
from kol_desk.i18n import tr
from kol_desk.metrics import DASH, format_count, format_money, format_rate
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.services.creators import AccountRow, count_accounts, fetch_accounts
from kol_desk.store.database import Workspace
from kol_desk.ui.common.row_model import ROW_ROLE
from kol_desk.ui.labels import platform_label, risk_label, tier_label

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
RED, ORANGE = "#c62828", "#ef6c00"


@dataclass(frozen=True)
class ListColumn:
    key: str  # stable id, remembered in the preferences
    title: str  # English; translated when shown
    text: Callable[[AccountRow], str]
    sort: str | None  # the service's sort key
    numeric: bool = False
    shown: bool = True  # shown by default


def _quote_text(row: AccountRow, deliverable: str) -> str:
    quote = row.latest_quotes.get(deliverable)
    if quote is None:
        return DASH
    low, high = quote
    if high is None:
        return tr("from {price}", price=format_money(low))
    return format_money(low) if low == high else f"{format_money(low)}–{format_money(high)}"


def _risk_text(row: AccountRow) -> str:
    if row.blacklisted:
        return tr("Blacklisted")
    return "" if row.risk_level == "none" else risk_label(row.risk_level)


def _platforms_text(row: AccountRow) -> str:
    return " · ".join(platform_label(p) for p in row.platforms) or DASH


def _last_text(row: AccountRow) -> str:
    if row.last_collaboration is None:
        return DASH
    return f"{row.last_collaboration.isoformat()} {row.last_campaign or ''}".strip()


def _cpe_text(row: AccountRow) -> str:
    value = row.expected_cpe
    return DASH if value is None else format_money(value)


def N_(text: str) -> str:
    """Marks a column title for the translation scan; translated when shown."""
    return text


_VISIBLE_QUOTES = {Deliverable.IMAGE_POST, Deliverable.VIDEO}

COLUMNS: list[ListColumn] = [
    ListColumn("nickname", N_("Nickname"), lambda r: r.nickname, "nickname"),
    ListColumn("platform", N_("Platform"), _platforms_text, "platform"),
    ListColumn("handle", N_("Handle"), lambda r: r.handle or DASH, "handle"),
    ListColumn("followers", N_("Followers"), lambda r: format_count(r.followers), "followers", True),
    ListColumn("tier", N_("Tier"), lambda r: tier_label(r.tier), "tier"),
    ListColumn("engagement_rate", N_("Engagement rate"), lambda r: format_rate(r.engagement_rate),
               "engagement_rate", True),
    ListColumn("category", N_("Category"), lambda r: r.category or "", "category"),
    ListColumn("city", N_("City"), lambda r: r.city or "", "city"),
    *[ListColumn(f"quote:{d.value}", DELIVERABLE_LABELS[d],
                 lambda r, key=d.value: _quote_text(r, key),  # type: ignore[misc]
                 f"quote:{d.value}", True, d in _VISIBLE_QUOTES) for d in Deliverable],
    ListColumn("expected_cpe", N_("Expected CPE"), _cpe_text, "expected_cpe", True),
    ListColumn("rating", N_("Rating"), lambda r: DASH if r.rating is None else f"{r.rating:.1f}", "rating", True),
    ListColumn("agency", N_("Agency"), lambda r: r.agency or "", "agency"),
    ListColumn("risk", N_("Risk"), _risk_text, "risk"),
    ListColumn("last_collaboration", N_("Last collaboration"), _last_text, "last_collaboration"),
]
COLUMN_KEYS = [c.key for c in COLUMNS]


def column_title(column: ListColumn) -> str:
    if column.key.startswith("quote:"):
        return tr("Quote: {deliverable}", deliverable=tr(column.title))
    return tr(column.title)


class CreatorTableModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._rows: list[AccountRow] = []
        self._total = 0
        self._filter = CreatorFilter()
        self._by_creator = False
        self._sort = "followers"
        self._descending = True
        self._loaded = False
        self.on_sort: Callable[[], None] | None = None

    # -- what is shown -----------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def by_creator(self) -> bool:
        return self._by_creator

    @property
    def filter(self) -> CreatorFilter:
        return self._filter

    def set_query(self, flt: CreatorFilter, by_creator: bool | None = None) -> None:
        self._filter = flt
        if by_creator is not None:
            self._by_creator = by_creator
        self.reload()

    def reload(self, search: str | None = None) -> None:
        if search is not None:
            self._filter = self._filter.with_search(search)
        self.beginResetModel()
        self._total = count_accounts(self._workspace, filters=self._filter, by_creator=self._by_creator)
        self._rows = self._fetch(0)
        self._loaded = True
        self.endResetModel()

    def query_for(self, flt: CreatorFilter) -> Callable[[], tuple[int, list[AccountRow]]]:
        """The count and first page for ``flt``, as a function a worker thread can run
        (it touches no Qt object); hand its result to ``apply``."""
        workspace, by_creator, sort, descending = self._workspace, self._by_creator, self._sort, self._descending

        def run() -> tuple[int, list[AccountRow]]:
            total = count_accounts(workspace, filters=flt, by_creator=by_creator)
            rows = fetch_accounts(workspace, 0, PAGE, sort=sort, descending=descending,
                                  filters=flt, by_creator=by_creator)
            return total, rows

        return run

    def apply(self, flt: CreatorFilter, total: int, rows: list[AccountRow]) -> None:
        self.beginResetModel()
        self._filter, self._total, self._rows, self._loaded = flt, total, rows, True
        self.endResetModel()

    def _fetch(self, offset: int) -> list[AccountRow]:
        return fetch_accounts(self._workspace, offset, PAGE, sort=self._sort,
                              descending=self._descending, filters=self._filter,
                              by_creator=self._by_creator)

    def row_at(self, row: int) -> AccountRow:
        return self._rows[row]

    def rows_loaded(self) -> int:
        return len(self._rows)

    # -- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = self._fetch(len(self._rows))
        if not more:
            self._total = len(self._rows)  # rows vanished since the count
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section].key == "expected_cpe":
            return tr("Expected CPE = latest quote / average engagements")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.key in {"risk", "nickname"}:
            if row.blacklisted or row.risk_level == "high":
                return QBrush(QColor(RED))
            if row.risk_level != "none":
                return QBrush(QColor(ORANGE))
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "expected_cpe" and row.latest_quote_deliverable:
            return tr("Latest quote {price} ({deliverable}) / {engagements} average engagements",
                      price=format_money(row.latest_quote),
                      deliverable=tr(DELIVERABLE_LABELS[Deliverable(row.latest_quote_deliverable)]),
                      engagements=format_count(row.avg_engagements))
        if role == ROW_ROLE:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key == self._sort and descending == self._descending and self._loaded):
            return  # already so (the view asks again when it starts sorting)
        self._sort = key
        self._descending = descending
        if self.on_sort is not None:
            self.on_sort()  # the tab queries off the GUI thread (sorting 100k can take a while)
        else:
            self.reload()
