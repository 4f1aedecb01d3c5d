"""The creator page, beside the list: who this is, what they cost, whether we worked
with them and how it went, and whether they are safe -- at a glance, on a call."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.labels import (
    channel_label,
    deliverable_label,
    platform_label,
    quote_source_label,
    risk_label,
    stage_label,
    tier_label,
)
from kol_desk.metrics import DASH, format_count, format_rate
from kol_desk.services.quote_prices import Price
from kol_desk.store.database import Workspace
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.money import money_range, money_text, price_exact, price_shown

if TYPE_CHECKING:
    from kol_desk.services.creator_page import (
        AccountInfo,
        CreatorPage,
        HistoryItem,
        QuoteInfo,
        QuoteSummary,
    )

RED_BOX = "background:#fdecea; color:#b71c1c; padding:6px; border-radius:4px;"
ORANGE_BOX = "background:#fff4e5; color:#8a4b00; padding:6px; border-radius:4px;"


def _quote_price(q: QuoteInfo) -> str:
    if q.price_unknown or q.price_min is None:
        return tr("Negotiable")
    if q.price_max is None:
        return tr("from {price}", price=money_text(q.price_min, q.currency))
    return money_range(q.price_min, q.price_max, q.currency)


def _discount(q: QuoteInfo) -> str:
    return DASH if not q.discount_pct else tr("{pct}% off", pct=f"{q.discount_pct:g}")


def _also_written(a: AccountInfo) -> str:
    return "、".join(a.spellings)


def _handle_tip(a: AccountInfo) -> str | None:
    if not a.spellings:
        return None
    return tr("Also written as: {spellings}", spellings=", ".join(a.spellings))


def _compared_tip() -> str:
    return tr("Compared after each quote's discount, tax included (6 % VAT added to a "
              "tax-exclusive quote); platform-order and direct prices are compared apart.")


def _middle(price: Price | None) -> Decimal | None:
    return price.midpoint if price else None


def _source(q: QuoteInfo) -> str:
    kind = quote_source_label(q.source_kind)
    return f"{q.agency} · {kind}" if q.agency else kind


def _deliverable(q: QuoteInfo) -> str:
    return deliverable_label(q.deliverable) + (f" {q.video_length}" if q.video_length else "")


def quote_about(q: QuoteInfo) -> str:
    """One line naming a quote: account, deliverable, price, source and date."""
    return " · ".join((f"{platform_label(q.platform)} {q.handle}", _deliverable(q),
                       _quote_price(q), _source(q), q.quoted_on.isoformat()))


def _score(item: HistoryItem) -> str:
    scores = [s for s in (item.score_brand_fit, item.score_creative, item.score_message) if s is not None]
    return " / ".join(str(s) for s in scores) if scores else DASH


ACCOUNT_COLUMNS = [
    Column("Platform", lambda a: platform_label(a.platform)),
    Column("Handle", lambda a: a.handle, tooltip=_handle_tip,
           header_tip=lambda: tr("As the platform matches it: half-width, without @, in the "
                                 "platform's case")),
    Column("Followers", lambda a: format_count(a.followers), lambda a: a.followers, numeric=True),
    Column("Tier", lambda a: tier_label(a.tier)),
    Column("Avg. engagements", lambda a: format_count(a.avg_engagements), lambda a: a.avg_engagements, numeric=True),
    Column("Engagement rate", lambda a: format_rate(a.engagement_rate), lambda a: a.engagement_rate, numeric=True),
    Column("Profile link", lambda a: a.profile_url or "", tooltip=lambda a: a.profile_url or None),
    # the raw text of each list that wrote the handle otherwise (handle_spellings)
    Column("Also written as", _also_written, tooltip=_handle_tip),
]
SUMMARY_COLUMNS = [
    Column("Account", lambda s: f"{platform_label(s.platform)} {s.handle}"),
    Column("Deliverable", lambda s: deliverable_label(s.deliverable) + (f" {s.video_length}" if s.video_length else "")),
    Column("Channel", lambda s: channel_label(s.channel)),
    # Compared after discount on one tax basis (services/quote_prices.py), which the
    # headers name and their tooltips explain; the exact range on hover.
    Column("Lowest (after discount, incl. tax)", lambda s: price_shown(s.lowest), lambda s: _middle(s.lowest),
           numeric=True, tooltip=lambda s: price_exact(s.lowest), header_tip=_compared_tip),
    Column("Latest (after discount, incl. tax)", lambda s: price_shown(s.latest), lambda s: _middle(s.latest),
           numeric=True, tooltip=lambda s: price_exact(s.latest), header_tip=_compared_tip),
    Column("Median (after discount, incl. tax)", lambda s: price_shown(s.median), lambda s: _middle(s.median),
           numeric=True, tooltip=lambda s: price_exact(s.median), header_tip=_compared_tip),
    Column("No. of quotes", lambda s: str(s.count), lambda s: s.count, numeric=True),
]
QUOTE_COLUMNS = [
    Column("Date", lambda q: q.quoted_on.isoformat(), lambda q: q.quoted_on),
    Column("Account", lambda q: f"{platform_label(q.platform)} {q.handle}"),
    Column("Deliverable", _deliverable),
    Column("Price", _quote_price, lambda q: q.value, numeric=True,
           header_tip=lambda: tr("The price as quoted, before its discount")),
    Column("Discount", _discount, lambda q: q.discount_pct or 0, numeric=True),
    Column("Channel", lambda q: channel_label(q.channel)),
    Column("Source", _source),
    Column("Tax", lambda q: DASH if q.tax_included is None else (tr("incl.") if q.tax_included else tr("excl."))),
]
HISTORY_COLUMNS = [
    Column("Campaign", lambda h: h.campaign),
    Column("Account", lambda h: f"{platform_label(h.platform)} {h.handle}"),
    Column("Stage", lambda h: stage_label(h.stage)),
    Column("Posted", lambda h: h.post_date.isoformat() if h.post_date else DASH, lambda h: h.post_date),
    Column("Fee", lambda h: money_text(h.fee, h.currency),
           lambda h: h.fee, numeric=True,
           tooltip=lambda h: None if h.fee_agreed else tr("Quoted; no fee agreed yet")),
    Column("CPE", lambda h: money_text(h.cpe, h.currency),
           lambda h: h.cpe, numeric=True),
    Column("CPM", lambda h: money_text(h.cpm, h.currency),
           lambda h: h.cpm, numeric=True),
    Column("Scores", _score, tooltip=lambda _h: tr("Brand fit / creative / message, 1–5")),
]


def _table(model: RowTableModel) -> QTableView:
    view = table_view(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setAlternatingRowColors(True)
    return view


class CreatorPanel(QWidget):
    """Shows one creator; the buttons ask the tab to act (it owns undo and refresh).

    Its sections (five tables, the results view) are built when the first creator is
    shown: until then the panel only asks for a selection, and building them (and
    importing what fills them) with the window's style sheet costs ~0.1 s of start-up."""

    edit_requested = Signal()
    risk_requested = Signal()
    delete_requested = Signal()
    restore_requested = Signal()
    add_account_requested = Signal()
    edit_account_requested = Signal(int)
    remove_account_requested = Signal(int)
    edit_quote_requested = Signal(int)  # a quote id
    remove_quote_requested = Signal(int)
    negotiate_requested = Signal(int)  # an account id: the selected account, else the first

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.page: CreatorPage | None = None
        self.read_only = False
        self.empty = QLabel(tr("Select a creator to see their accounts, quotes and history."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.empty)

    def _build_body(self) -> QWidget:
        from kol_desk.ui.dialogs.activity import COLUMNS as CHANGE_COLUMNS
        from kol_desk.ui.reports.past_results import PastResultsView

        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.risk_box = QLabel()
        self.risk_box.setWordWrap(True)
        self.blacklist_box = QLabel()
        self.blacklist_box.setWordWrap(True)
        self.edit_button = QPushButton(tr("Edit…"))
        self.risk_button = QPushButton(tr("Risk…"))
        self.delete_button = QPushButton(tr("Delete"))
        self.restore_button = QPushButton(tr("Restore"))
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.risk_button, self.delete_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.negotiate_button = QPushButton(tr("Negotiate…"))
        with_icons((self.edit_button, "edit"), (self.delete_button, "trash"),
                   (self.negotiate_button, "negotiate"))
        self.negotiate_button.setToolTip(tr("Fair price, comparables and quotes by agency (Ctrl+Shift+N)"))
        self.negotiate_button.clicked.connect(self._negotiate)
        buttons.addWidget(self.negotiate_button)
        self.edit_button.clicked.connect(self.edit_requested.emit)
        self.risk_button.clicked.connect(self.risk_requested.emit)
        self.delete_button.clicked.connect(self.delete_requested.emit)
        self.restore_button.clicked.connect(self.restore_requested.emit)

        self.details = QFormLayout()
        self.details.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        details_box = QWidget()
        details_box.setLayout(self.details)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(details_box)

        self.accounts_model = RowTableModel(ACCOUNT_COLUMNS, self)
        self.accounts_view = _table(self.accounts_model)
        self.add_account_button = QPushButton(tr("Add account…"))
        self.edit_account_button = QPushButton(tr("Edit account…"))
        self.remove_account_button = QPushButton(tr("Remove account"))
        account_buttons = QHBoxLayout()
        for button in (self.add_account_button, self.edit_account_button, self.remove_account_button):
            account_buttons.addWidget(button)
        account_buttons.addStretch(1)
        accounts = QWidget()
        accounts_layout = QVBoxLayout(accounts)
        accounts_layout.addWidget(self.accounts_view)
        accounts_layout.addLayout(account_buttons)
        self.add_account_button.clicked.connect(self.add_account_requested.emit)
        self.edit_account_button.clicked.connect(lambda: self._with_account(self.edit_account_requested.emit))
        self.remove_account_button.clicked.connect(lambda: self._with_account(self.remove_account_requested.emit))
        self.accounts_view.doubleClicked.connect(lambda _i: self._with_account(self.edit_account_requested.emit))

        self.summary_model = RowTableModel(SUMMARY_COLUMNS, self)
        self.quotes_model = RowTableModel(QUOTE_COLUMNS, self)
        self.quote_warning = QLabel()
        self.quote_warning.setWordWrap(True)
        self.quote_warning.setStyleSheet(ORANGE_BOX)
        quotes = QWidget()
        quotes_layout = QVBoxLayout(quotes)
        quotes_layout.addWidget(self.quote_warning)
        quotes_layout.addWidget(_table(self.summary_model), 1)
        quotes_layout.addWidget(QLabel(tr("Every quote received")))
        self.quotes_view = _table(self.quotes_model)
        quotes_layout.addWidget(self.quotes_view, 2)
        # A price a list gave wrongly is corrected (or removed) where it is seen.
        self.edit_quote_button = QPushButton(tr("Edit quote…"))
        self.remove_quote_button = QPushButton(tr("Remove quote"))
        quote_buttons = QHBoxLayout()
        for button in (self.edit_quote_button, self.remove_quote_button):
            quote_buttons.addWidget(button)
        quote_buttons.addStretch(1)
        quotes_layout.addLayout(quote_buttons)
        self.edit_quote_button.clicked.connect(lambda: self._with_quote(self.edit_quote_requested.emit))
        self.remove_quote_button.clicked.connect(lambda: self._with_quote(self.remove_quote_requested.emit))
        self.quotes_view.doubleClicked.connect(lambda _i: self._with_quote(self.edit_quote_requested.emit))
        self.quotes_view.selectionModel().selectionChanged.connect(lambda _s, _d: self._update_quote_buttons())

        self.history_model = RowTableModel(HISTORY_COLUMNS, self)
        self.history_empty = QLabel(tr("No collaborations yet."))
        # The Reports tab's results view: results, cost per result, scores and the
        # internal rating they add up to.
        self.past_results = PastResultsView(self.workspace)
        self.changes_model = RowTableModel(CHANGE_COLUMNS, self)
        self.changes_empty = QLabel(tr("No changes recorded yet."))
        self.history_table = _table(self.history_model)
        self.changes_table = _table(self.changes_model)
        for empty in (self.history_empty, self.changes_empty):  # under their heading
            empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        history = self.history_split = QSplitter(Qt.Orientation.Vertical)
        for heading, parts in (
            (tr("Collaborations"), (self.history_empty, self.history_table)),
            (tr("Past results"), (self.past_results,)),
            (tr("Changes (who did what, when)"), (self.changes_empty, self.changes_table)),
        ):
            section = QWidget()
            section_layout = QVBoxLayout(section)
            section_layout.setContentsMargins(0, 0, 0, 0)
            section_layout.addWidget(QLabel(f"<b>{_html(heading)}</b>"))
            for part in parts:
                section_layout.addWidget(part)
            history.addWidget(section)

        self.sections = QTabWidget()
        # Narrower than the main tabs: all four fit the side panel, counts included.
        self.sections.setStyleSheet("QTabBar::tab { padding: 5px 8px; min-width: 0; }")
        self.sections.addTab(scroll, tr("Profile"))
        self.sections.addTab(accounts, tr("Accounts"))
        self.sections.addTab(quotes, tr("Quotes"))
        self.sections.addTab(history, tr("History"))

        widget = QWidget()
        body = QVBoxLayout(widget)
        body.setContentsMargins(0, 0, 0, 0)
        for part in (self.title, self.subtitle, self.risk_box, self.blacklist_box):
            body.addWidget(part)
        body.addLayout(buttons)
        body.addWidget(self.sections, 1)
        self._layout.addWidget(widget)
        return widget

    def _negotiate(self) -> None:
        if self.accounts_view.selectionModel().selectedRows() or self.accounts_model.rowCount() == 1:
            self._with_account(self.negotiate_requested.emit)
        elif self.accounts_model.rowCount():
            self.negotiate_requested.emit(self.accounts_model.row_object(0).id)

    def _with_account(self, emit: Callable[[int], None]) -> None:
        rows = self.accounts_view.selectionModel().selectedRows()
        if rows:
            account: AccountInfo = self.accounts_model.row_object(rows[0].row())
            emit(account.id)
        elif self.accounts_model.rowCount() == 1:
            emit(self.accounts_model.row_object(0).id)

    def selected_quote(self) -> QuoteInfo | None:
        rows = self.quotes_view.selectionModel().selectedRows()
        if len(rows) != 1:
            return None
        quote: QuoteInfo = self.quotes_model.row_object(rows[0].row())
        return quote

    def _with_quote(self, emit: Callable[[int], None]) -> None:
        quote = self.selected_quote()
        if quote is not None and self.edit_quote_button.isEnabled():
            emit(quote.id)

    def _update_quote_buttons(self) -> None:
        """Enabled for one selected quote of a creator that can be edited."""
        can = (self.page is not None and not self.page.deleted and not self.read_only
               and self.selected_quote() is not None)
        for button in (self.edit_quote_button, self.remove_quote_button):
            button.setEnabled(can)

    def quote_shown(self, quote_id: int) -> QuoteInfo | None:
        """The quote as the page shows it (its account, source), for dialogs and undo."""
        quotes = self.page.quotes if self.page is not None else []
        return next((q for q in quotes if q.id == quote_id), None)

    @property
    def creator_id(self) -> int | None:
        return self.page.id if self.page else None

    def show_creator(self, creator_id: int | None) -> None:
        self.page = None
        if creator_id is not None:
            from kol_desk.services.creator_page import load_creator_page

            self.page = load_creator_page(self.workspace, creator_id)
        if self.page is not None and self.body is None:
            self.body = self._build_body()
        self.empty.setVisible(self.page is None)
        if self.body is not None:
            self.body.setVisible(self.page is not None)
        if self.page is not None:
            self._fill(self.page)

    def refresh(self) -> None:
        self.show_creator(self.creator_id)

    def _fill(self, p: CreatorPage) -> None:
        from kol_desk.services.activity import creator_history

        badge = f" · {tr('Virtual idol')}" if p.is_virtual else ""
        self.title.setText(f"<span style='font-size:16pt; font-weight:600'>{_html(p.nickname)}</span>"
                           + (f" <span style='color:#666'>{_html(p.real_name)}</span>" if p.real_name else ""))
        tier = tier_label(p.tier) + (f" ({tr('set by hand')})" if p.tier_overridden else "")
        parts = [tier, p.category or "", p.city or "", p.agency or tr("no agency")]
        rating = tr("rating {value}", value=f"{p.rating:.1f}") if p.rating is not None else ""
        self.subtitle.setText(" · ".join(x for x in [*parts, rating] if x) + badge)
        if p.risk_level != "none":
            self.risk_box.setText(tr("Risk: {level} — {reason} ({date})", level=risk_label(p.risk_level),
                                     reason=p.risk_reason or DASH,
                                     date=p.risk_date.isoformat() if p.risk_date else DASH))
            self.risk_box.setStyleSheet(RED_BOX if p.risk_level == "high" else ORANGE_BOX)
        self.risk_box.setVisible(p.risk_level != "none")
        self.blacklist_box.setText(tr("Blacklisted: {reason}", reason=p.blacklist_reason or DASH))
        self.blacklist_box.setStyleSheet(RED_BOX)
        self.blacklist_box.setVisible(p.blacklisted)
        self.delete_button.setVisible(not p.deleted)
        self.restore_button.setVisible(p.deleted)
        for button in (self.edit_button, self.risk_button, self.add_account_button,
                       self.edit_account_button, self.remove_account_button, self.delete_button):
            button.setEnabled(not p.deleted and not self.read_only)
        self.restore_button.setEnabled(not self.read_only)

        while self.details.rowCount():
            self.details.removeRow(0)
        contact = " · ".join(x for x in (p.contact_phone, p.contact_wechat, p.contact_email) if x)
        rows = [
            (tr("Contact"), contact or DASH),
            (tr("Agency"), p.agency or DASH),
            *[(tr("Agency contact"), c) for c in p.agency_contacts],
            (tr("Tags"), "、".join(p.tags) or DASH),
            (tr("Brand fit"), str(p.brand_fit_score) if p.brand_fit_score else DASH),
            (tr("Notes"), p.notes or DASH),
        ]
        for label, value in rows:
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(label, text)

        self.accounts_model.set_rows(p.accounts)
        self.summary_model.set_rows(p.quote_summaries)
        self.quotes_model.set_rows(p.quotes)
        self._update_quote_buttons()  # the reset dropped the selection
        warnings = [_agency_warning(s) for s in p.quote_summaries if s.agencies_differ]
        self.quote_warning.setText("\n".join(warnings))
        self.quote_warning.setVisible(bool(warnings))
        self.history_model.set_rows(p.history)
        self.history_empty.setVisible(not p.history)
        self.history_table.setVisible(bool(p.history))
        self.past_results.show_creator(p.id)
        changes = creator_history(self.workspace, p.id)
        self.changes_model.set_rows(changes)
        self.changes_empty.setVisible(not changes)
        self.changes_table.setVisible(bool(changes))
        self.sections.setTabText(2, tr("Quotes ({n})", n=len(p.quotes)))
        self.sections.setTabText(3, tr("History ({n})", n=len(p.history)))
        self._share_history([len(p.history), self.past_results.model.rowCount(), len(changes)])

    def _share_history(self, rows: list[int]) -> None:
        """Each history section as tall as its rows ask (up to eight), an empty one a line:
        the sizes of the creator shown before would hide this one's collaborations."""
        weights = [min(n, 8) + 2 if n else 1 for n in rows]
        total = max(self.history_split.height(), 300)
        self.history_split.setSizes([total * w // sum(weights) for w in weights])


def _agency_warning(summary: QuoteSummary) -> str:
    prices = ", ".join(f"{name} {price_shown(price)}" for name, price in summary.agency_prices.items())
    return tr("Agencies quote {account} {deliverable} differently: {prices}",
              account=f"{platform_label(summary.platform)} {summary.handle}",
              deliverable=deliverable_label(summary.deliverable), prices=prices)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
