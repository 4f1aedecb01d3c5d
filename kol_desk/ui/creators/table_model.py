"""The creator list: accounts or creators, sorted and filtered in SQL, so 100k creators
open, search and scroll instantly.

A query shows its first page as soon as SQL has it; the list's ordered account ids
follow from a worker (their number is the count), and the model then has its full
length: any page is fetched by id when the view is about to paint one of its rows (from a
team server on a worker, its cells blank until then), so scrolling to the end reads one
page, not every row above it; data() itself never runs SQL."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from kol_desk.domain import DELIVERABLE_LABELS, Deliverable
from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, risk_label, tier_label
from kol_desk.metrics import DASH, format_count, format_rate
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.services.creators import (
    AccountRow,
    QueryStopped,
    Stop,
    account_ids,
    fetch_accounts,
    fetch_accounts_by_ids,
)
from kol_desk.services.quote_prices import Price, price_text
from kol_desk.store.database import Workspace
from kol_desk.ui.common.row_model import ROW_ROLE
from kol_desk.ui.common.workers import start_job
from kol_desk.ui.money import money_text, price_exact, price_short

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
# A keystroke's first answer is what the table shows (``first_rows``, set by the view from
# its height; this until it knows): reading, joining and formatting 200 rows cost a 1–2
# character search 5× more SQL (a rare term walks 5× further down the sort's index) and
# row building; the rest of the page comes with the ids, by page.
FIRST_ROWS = 40
# Pages of display text kept (10,000 rows); older ones are read again when shown again.
CACHED_PAGES = 50
# Counting waits for a pause in typing: reading all 130k ids takes ~0.5 s of CPU, which
# would otherwise be spent on every keystroke and slow the next one's first page.
COUNT_DELAY_MS = 250
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
    return price_short(Price(*quote))


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
    return money_text(value)



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
                 partial(_quote_text, deliverable=d.value),
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


_ALIGNMENTS = [int((Qt.AlignmentFlag.AlignRight if c.numeric else Qt.AlignmentFlag.AlignLeft)
                    | Qt.AlignmentFlag.AlignVCenter) for c in COLUMNS]
# Columns whose text takes the row's tone (risk colour).
TONED = frozenset(i for i, c in enumerate(COLUMNS) if c.key in {"risk", "nickname"})
_CPE = COLUMN_KEYS.index("expected_cpe")
# column → the deliverable of its latest quote
_QUOTES = {i: c.key.removeprefix("quote:") for i, c in enumerate(COLUMNS) if c.key.startswith("quote:")}
# Roles as plain ints: a view asks for ~10 roles per cell on every repaint, and comparing
# with Qt's enum members costs more than the answer.
_DISPLAY, _ALIGN, _FOREGROUND, _TOOLTIP = (
    int(r.value) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
                           Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole))
_ROW = int(ROW_ROLE)
_ROLES = frozenset({_DISPLAY, _ALIGN, _FOREGROUND, _TOOLTIP, _ROW})


@dataclass(frozen=True)
class ShownRow:
    """A row as the table shows it, worked out once when its page is fetched (data() is
    called for every cell on every repaint)."""

    row: AccountRow
    texts: tuple[str, ...]
    tone: str | None  # the colour of the nickname and risk cells
    cpe_tip: str | None


def tone_legend(tone: str) -> str:
    """What a red or orange nickname means, for its tooltip."""
    return tr("Red: blacklisted or high risk") if tone == RED else tr("Orange: medium or low risk")


def shown_row(row: AccountRow) -> ShownRow:
    tone = (RED if row.blacklisted or row.risk_level == "high"
            else ORANGE if row.risk_level != "none" else None)
    tip = None
    if row.latest_quote_deliverable:
        tip = tr("The middle of the latest quote {price} ({deliverable}, tax included) ÷ "
                 "{engagements} average engagements",
                 price=price_text(row.latest_price),
                 deliverable=tr(DELIVERABLE_LABELS[Deliverable(row.latest_quote_deliverable)]),
                 engagements=format_count(row.avg_engagements))
    return ShownRow(row, tuple(c.text(row) for c in COLUMNS), tone, tip)


@dataclass(frozen=True, eq=False)  # compared by identity: each query is a new one
class ListQuery:
    """One state of the list (filters, mode, order). Its two steps touch no Qt object, so
    they run on a worker thread; the model shows the answers of its newest query only."""

    workspace: Workspace
    filter: CreatorFilter
    by_creator: bool
    sort: str
    descending: bool
    first_rows: int = FIRST_ROWS
    stop: Stop = field(default_factory=Stop)

    def first_page(self) -> list[ShownRow] | None:
        """None: stopped, a newer query made it useless."""
        try:
            rows = fetch_accounts(self.workspace, 0, self.first_rows, sort=self.sort,
                                  descending=self.descending,
                                  filters=self.filter, by_creator=self.by_creator, stop=self.stop)
        except QueryStopped:
            return None
        return [shown_row(r) for r in rows]

    def ids(self) -> list[int] | None:
        try:
            return account_ids(self.workspace, sort=self.sort, descending=self.descending,
                               filters=self.filter, by_creator=self.by_creator, stop=self.stop)
        except QueryStopped:
            return None



def _page_rows(workspace: Workspace, ids: list[int], by_creator: bool) -> list[ShownRow | None]:
    found = {r.account_id: r for r in fetch_accounts_by_ids(workspace, ids, by_creator=by_creator)}
    # A row deleted since the list was read shows empty until the next query.
    return [shown_row(found[i]) if i in found else None for i in ids]

class CreatorTableModel(QAbstractTableModel):
    page_shown = Signal()  # a new query's first rows are in the table
    counted = Signal()  # ... and now all of them: ``total`` is its count
    failed = Signal(str)

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._ids: list[int] = []  # every row's account id, in order, once counted
        self._pages: OrderedDict[int, list[ShownRow | None]] = OrderedDict()
        self._generation = 0  # of ``_pages``: a page read for older ids is dropped
        self._loading: set[int] = set()  # pages being read on a worker
        self._counted = True
        self._filter = CreatorFilter()  # what is shown
        self._by_creator = False
        self._wanted: tuple[CreatorFilter, bool] = (self._filter, False)  # the newest asked for
        self._sort = "followers"
        self._descending = True
        self._loaded = False
        self._newest: ListQuery | None = None
        self._brushes = {RED: QBrush(QColor(RED)), ORANGE: QBrush(QColor(ORANGE))}
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        self._to_count: ListQuery | None = None
        self.first_rows = FIRST_ROWS
        # Letting go of 130k ids and up to 50 pages of rows costs the GUI thread 3–25 ms:
        # that waits for a pause in typing instead of delaying the new rows' paint.
        self._retired: list[object] = []
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        self._release_timer.setInterval(COUNT_DELAY_MS)
        self._release_timer.timeout.connect(self._retired.clear)

    # -- what is shown -----------------------------------------------------------------
    @property
    def total(self) -> int:
        """The count of rows; final once ``is_counted``."""
        return len(self._ids)

    @property
    def is_counted(self) -> bool:
        return self._counted

    @property
    def cached_rows(self) -> int:
        """How many rows' display text is held (a few pages, whatever the total)."""
        return sum(len(page) for page in self._pages.values())

    @property
    def by_creator(self) -> bool:
        return self._by_creator

    @property
    def filter(self) -> CreatorFilter:
        return self._filter

    def new_query(self, flt: CreatorFilter | None = None, by_creator: bool | None = None,
                  first_rows: int | None = None) -> ListQuery:
        """The next query (the newest wins): the filters and mode given, else those last
        asked for, in the current order."""
        wanted_filter, wanted_mode = self._wanted
        self._wanted = (wanted_filter if flt is None else flt,
                        wanted_mode if by_creator is None else by_creator)
        if self._newest is not None:
            self._newest.stop.stop()  # whatever it still runs is wasted work now
        self._newest = ListQuery(self._workspace, *self._wanted, self._sort, self._descending,
                                 first_rows or self.first_rows)
        return self._newest

    def show_first_page(self, query: ListQuery, rows: list[ShownRow]) -> bool:
        """Shows a query's first page (False, and nothing changes, if a newer query was
        asked for since)."""
        if query is not self._newest:
            return False
        self.beginResetModel()
        self._retired.append((self._ids, self._pages))
        self._release_timer.start()
        self._filter, self._by_creator = query.filter, query.by_creator
        self._ids = [r.row.account_id for r in rows if r.row.account_id is not None]
        self._new_pages(OrderedDict({0: list(rows)}) if rows else OrderedDict())
        self._counted = len(rows) < query.first_rows  # a short first page is the whole list
        self._loaded = True
        self.endResetModel()
        self.page_shown.emit()
        if self._counted:
            self.counted.emit()
        return True

    def show_all(self, query: ListQuery, ids: list[int]) -> bool:
        """Gives the shown query its full length."""
        if query is not self._newest:
            return False
        known = len(self._ids)
        if ids[:known] == self._ids:
            if len(ids) > known:
                self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:  # the data changed between the two queries: the ids are the truth
            self.beginResetModel()
            self._ids = ids
            self._new_pages(OrderedDict())
            self.endResetModel()
        self._counted = True
        self.counted.emit()
        return True

    def set_query(self, flt: CreatorFilter, by_creator: bool | None = None) -> None:
        """Runs a query to the end here (small lists, tests); the tab uses ``search``."""
        query = self.new_query(flt, by_creator, PAGE)
        self._first_page_ready(query, query.first_page(), count_now=True)

    def reload(self, search: str | None = None) -> None:
        self.set_query(self._wanted[0] if search is None else self._wanted[0].with_search(search))

    def refresh(self, flt: CreatorFilter | None = None, by_creator: bool | None = None,
                first_rows: int = PAGE) -> None:
        """The first page now (after an edit, so the selection can be found again at
        once), the rest from a worker."""
        query = self.new_query(flt, by_creator, first_rows)
        self._first_page_ready(query, query.first_page())

    def search(self, flt: CreatorFilter | None = None, by_creator: bool | None = None) -> None:
        """Both steps on a worker: typing never waits for SQL."""
        query = self.new_query(flt, by_creator)
        start_job(lambda _control: query.first_page(),
                  lambda rows: self._first_page_ready(query, rows),
                  lambda error: self._failed(query, error), owner=self)

    def _first_page_ready(self, query: ListQuery, rows: list[ShownRow] | None,
                          count_now: bool = False) -> None:
        if rows is None or not self.show_first_page(query, rows) or self._counted:
            return
        if count_now:
            self._ids_ready(query, query.ids())
        else:
            self._to_count = query
            self._count_timer.start()

    def _count(self) -> None:
        query, self._to_count = self._to_count, None
        if query is None or query is not self._newest:
            return
        start_job(lambda _control: query.ids(), lambda ids: self._ids_ready(query, ids),
                  lambda error: self._failed(query, error), owner=self)

    def _ids_ready(self, query: ListQuery, ids: list[int] | None) -> None:
        if ids is not None:
            self.show_all(query, ids)

    def _failed(self, query: ListQuery, error: BaseException) -> None:
        if query is self._newest:
            self.failed.emit(str(error))

    def row_of(self, account_id: int | None) -> int | None:
        """The row showing this account, if the list has it."""
        try:
            return self._ids.index(account_id) if account_id is not None else None
        except ValueError:
            return None

    def row_at(self, row: int) -> AccountRow | None:
        """The row's data for an action on it; its page is read now if it is not held (one
        page by id: the user picked a row, which is usually on screen and held)."""
        if not 0 <= row < len(self._ids):
            return None
        number, offset = divmod(row, PAGE)
        page = self._held(number, offset)
        if page is None:
            page = self._store(number, _page_rows(self._workspace, self._page_ids(number),
                                                  self._by_creator))
        shown = page[offset] if offset < len(page) else None
        return shown.row if shown is not None else None

    def load_rows(self, first: int, last: int) -> None:
        """Hold the pages of rows ``first``–``last`` (the view's, before it paints them): read
        now from a local file (a few milliseconds), on a worker from a team server (its
        rows are repainted when they arrive)."""
        for number in range(max(first, 0) // PAGE, min(last, len(self._ids) - 1) // PAGE + 1):
            offset = min(last, len(self._ids) - 1) - number * PAGE
            if self._held(number, min(offset, PAGE - 1)) is not None:
                continue
            if self._workspace.is_sqlite:
                self._store(number, _page_rows(self._workspace, self._page_ids(number),
                                               self._by_creator))
            else:
                self._request(number)

    def shown(self, row: int) -> ShownRow | None:
        """The row as the table shows it, if its page is held; otherwise None, and the
        page is read on a worker (its rows are repainted when it arrives)."""
        if not 0 <= row < len(self._ids):
            return None
        number, offset = divmod(row, PAGE)
        page = self._held(number, offset)
        if page is None:
            self._request(number)
            return None
        return page[offset]

    def _held(self, number: int, offset: int) -> list[ShownRow | None] | None:
        page = self._pages.get(number)
        if page is None or offset >= len(page):  # not read, or the rest of a first page
            return None
        self._pages.move_to_end(number)
        return page

    def _page_ids(self, number: int) -> list[int]:
        return self._ids[number * PAGE:(number + 1) * PAGE]

    def _new_pages(self, pages: OrderedDict[int, list[ShownRow | None]]) -> None:
        self._pages = pages
        self._generation += 1
        self._loading.clear()

    def _store(self, number: int, page: list[ShownRow | None]) -> list[ShownRow | None]:
        self._pages[number] = page
        self._pages.move_to_end(number)
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def _request(self, number: int) -> None:
        if number in self._loading:
            return
        self._loading.add(number)
        generation, ids = self._generation, self._page_ids(number)
        workspace, by_creator = self._workspace, self._by_creator
        start_job(lambda _control: _page_rows(workspace, ids, by_creator),
                  lambda page: self._page_ready(generation, number, page),
                  lambda error: self._page_failed(generation, number, error), owner=self)

    def _page_ready(self, generation: int, number: int, page: list[ShownRow | None]) -> None:
        if generation != self._generation:
            return  # read for a list that has since been replaced
        self._loading.discard(number)
        self._store(number, page)
        first, last = number * PAGE, min((number + 1) * PAGE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _page_failed(self, generation: int, number: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading.discard(number)
            self.failed.emit(str(error))

    # -- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        # Until counted, more rows are on their way (from the worker, not fetchMore).
        return not parent.isValid() and not self._counted

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section == _CPE:
            return tr("Expected CPE = latest quote / average engagements")
        if role == Qt.ItemDataRole.ToolTipRole and section in TONED:
            return tr("Red: blacklisted or high risk · orange: medium or low risk")
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in _ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self._ids) or not index.isValid():
            return None
        column = index.column()
        if role == _ALIGN:
            return _ALIGNMENTS[column]
        shown = self.shown(row)
        if shown is None:
            return None
        if role == _DISPLAY:
            return shown.texts[column]
        if role == _FOREGROUND:
            return self._brushes[shown.tone] if shown.tone and column in TONED else None
        if role == _TOOLTIP:
            if column == _CPE:
                return shown.cpe_tip
            if column in _QUOTES:  # the list writes 万 / K: the exact price on hover
                quote = shown.row.latest_quotes.get(_QUOTES[column])
                return price_exact(Price(*quote)) if quote is not None else None
            return tone_legend(shown.tone) if shown.tone and column in TONED else None
        return shown.row

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key == self._sort and descending == self._descending and self._loaded):
            return  # already so (the view asks again when it starts sorting)
        self._sort = key
        self._descending = descending
        self.search()  # sorting 100k rows can take a while: off the GUI thread
