"""The negotiation desk for one account and deliverable: the fair price in one line with
its evidence, every source's quote as net cost, comparables and their chart, expected
results at the price on the table, and one step to record what was agreed.

Opened from the creator page's Negotiate button or Ctrl+Shift+N on the Creators list.
The facts are read in one short call (~50 ms at 100k creators); the chart is drawn on a
worker (ChartView) after the window shows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import CHANNEL_LABELS, DELIVERABLE_LABELS
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, stage_label, tier_label
from kol_desk.metrics import DASH
from kol_desk.services import negotiation, pricing
from kol_desk.services.pricing import STEP_TEXT, NegotiationFacts, Range, fair_price_reason
from kol_desk.ui.common.chart_view import ChartView
from kol_desk.ui.common.fields import money_field
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_text
from kol_desk.ui.negotiation.tables import history_columns, route_columns
from kol_desk.validation import Invalid

NOTE_STYLE = "color: #555;"
CHART_DELAY_MS = 250


def _money(value: Decimal | None, currency: str) -> str:
    return money_text(value, currency) if value is not None else DASH


def _span(r: Range | None, currency: str | None = None) -> str:
    if r is None:
        return DASH
    if currency is not None:
        return f"{_money(r.low, currency)}–{_money(r.high, currency)}"
    return f"{r.low:,}–{r.high:,}"


class NegotiationView(QDialog):
    """Non-modal: it stays open beside the app during a call."""

    recorded = Signal()

    def __init__(self, context: AppContext, account_id: int, deliverable: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Kept when closed and reused for the next account (open_negotiation): its chart
        # may still be drawing on a worker.
        self.context = context
        self.account_id = account_id
        self.facts: NegotiationFacts | None = None
        self.resize(1100, 760)
        self._build()
        self.deliverable.currentIndexChanged.connect(lambda _i: self.reload())
        self.show_account(account_id, deliverable)

    def show_account(self, account_id: int, deliverable: str | None = None) -> None:
        self.account_id = account_id
        self.price.set_text("")
        kind = deliverable or pricing.default_deliverable(self.context.workspace, account_id)
        self.deliverable.blockSignals(True)
        self.deliverable.setCurrentIndex(max(0, self.deliverable.findData(kind)))
        self.deliverable.blockSignals(False)
        self.reload()

    # -- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deliverable = QComboBox()
        for key, label in DELIVERABLE_LABELS.items():
            self.deliverable.addItem(tr(label), key.value)
        self.price = money_field(tr("the price on the table"))
        self.price.setToolTip(tr("Leave empty to use the cheapest latest quote."))
        self.price.edit.editingFinished.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(tr("Deliverable")))
        top.addWidget(self.deliverable)
        top.addWidget(QLabel(tr("Price on the table")))
        top.addWidget(self.price)

        self.fair = QLabel()
        self.fair.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setStyleSheet(NOTE_STYLE)

        self.routes = RowTableModel(route_columns("CNY", None), self)
        self.history = RowTableModel(history_columns("CNY"), self)
        self.routes_view = table_view(self.routes)
        self.history_view = table_view(self.history, stretch=1)
        self.peers_text = QLabel()
        self.peers_text.setWordWrap(True)
        self.peers_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.expected_text = QLabel()
        self.expected_text.setWordWrap(True)
        self.chart = ChartView()
        # The chart starts a moment after the figures show, once per settled change:
        # drawing on a worker competes for the interpreter with the opening view, and
        # typing a price or stepping through accounts would start one drawing per step.
        self._chart_timer = QTimer(self)
        self._chart_timer.setSingleShot(True)
        self._chart_timer.setInterval(CHART_DELAY_MS)
        self._chart_timer.timeout.connect(self._draw_chart)

        grid = QGridLayout()
        grid.addWidget(QLabel(f"<b>{escape(tr('Quotes by source, as net cost'))}</b>"), 0, 0)
        grid.addWidget(self.routes_view, 1, 0)
        grid.addWidget(QLabel(f"<b>{escape(tr('Price history'))}</b>"), 2, 0)
        grid.addWidget(self.history_view, 3, 0)
        grid.addWidget(QLabel(f"<b>{escape(tr('Comparables'))}</b>"), 0, 1)
        grid.addWidget(self.peers_text, 1, 1)
        grid.addWidget(self.chart, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.fair)
        layout.addWidget(self.reason)
        layout.addWidget(self.evidence)
        layout.addLayout(grid, 1)
        layout.addWidget(self.expected_text)
        layout.addLayout(self._record_row())

    def _record_row(self) -> QHBoxLayout:
        self.amount = money_field(tr("amount"))
        self.amount.setMinimumWidth(110)  # the crowded row squeezed it to "a…"
        self.card = QComboBox()
        # the row is crowded: keep room for "(no card)" or a campaign's name and stage
        self.card.setMinimumContentsLength(16)
        self.card.setToolTip(tr("The campaign card this price belongs to"))
        self.make_fee = QCheckBox(tr("Make it the card's agreed fee"))
        # the quote's terms, as agency lists state them (quotes.discount_pct, .channel)
        self.discount = QDoubleSpinBox()
        self.discount.setRange(0, 99)
        self.discount.setDecimals(1)
        self.discount.setSuffix(" %")
        self.discount.setSpecialValueText(tr("no discount"))
        self.discount.setToolTip(tr("Discount off this price, percent (九折 is 10 %)"))
        self.channel = QComboBox()
        self.channel.addItem(tr("Channel not stated"), None)
        for key, label in CHANNEL_LABELS.items():
            self.channel.addItem(tr(label), key.value)
        self.channel.setToolTip(tr("Through the platform's marketplace (报备) or direct (非报备)"))
        self.counter_button = QPushButton(tr("Record counter-offer"))
        self.agreed_button = QPushButton(tr("Record agreed price"))
        self.sheet_button = QPushButton(tr("Negotiation sheet…"))
        self.fees_button = QPushButton(tr("Platform fees and rebates…"))
        self.fees_button.setToolTip(tr("The platform fee rate per channel, for this workspace"))
        self.fees_button.clicked.connect(self.edit_fee_rates)
        self.counter_button.clicked.connect(lambda: self.record(negotiation.COUNTER))
        self.agreed_button.clicked.connect(lambda: self.record(negotiation.AGREED))
        self.sheet_button.clicked.connect(self.save_sheet)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Record")))
        for part in (self.amount, self.discount, self.channel, self.card, self.make_fee,
                     self.counter_button, self.agreed_button):
            row.addWidget(part)
        row.addStretch(1)
        row.addWidget(self.fees_button)
        row.addWidget(self.sheet_button)
        for button in (self.counter_button, self.agreed_button):
            button.setEnabled(not self.context.read_only)
        return row

    # -- facts -------------------------------------------------------------------------
    def reload(self) -> None:
        price: Decimal | None = None
        if self.price.edit.text().strip():
            try:
                price = self.price.value()
            except Invalid:
                return  # the field shows why
        kind = self.deliverable.currentData()
        try:
            self.facts = pricing.negotiation_facts(self.context.workspace, self.account_id, kind, price)
        except KnownError as exc:  # e.g. the account was deleted meanwhile
            self.facts = None
            self.reason.setText(str(exc))
            return
        self._show(self.facts)

    def _show(self, f: NegotiationFacts) -> None:
        s, c = f.subject, f.currency
        followers = f"{s.followers:,}" if s.followers is not None else DASH
        self.setWindowTitle(tr("Negotiate: {name}", name=s.nickname))
        self.title.setText(f"<span style='font-size:15pt; font-weight:600'>{escape(s.nickname)}</span> "
                           + escape(" · ".join(x for x in (platform_label(s.platform), "@" + s.handle.lstrip("@"),
                                                           tr("{n} followers", n=followers), tier_label(s.tier),
                                                           s.category or "") if x)))
        e = f.estimate
        if e is None:
            self.fair.setText(f"<span style='font-size:14pt'>{escape(tr('Not enough data'))}</span>")
        else:
            self.fair.setText("<span style='font-size:14pt'>" + escape(tr(
                "Ask {ask} · Target {target} · Walk away {walk}", ask=_money(e.ask, c),
                target=_money(e.target, c), walk=_money(e.walk_away, c))) + "</span>")
        self.fair.setToolTip(f.evidence)
        self.reason.setText(fair_price_reason(f, money_text))
        self.evidence.setText(f.evidence)
        cheapest = f.routes[0].net if f.routes else None
        self.routes.columns = route_columns(c, cheapest)
        self.routes.set_rows(f.routes)
        self.history.columns = history_columns(c)
        self.history.set_rows(list(reversed(f.history)))
        self._show_peers(f)
        self._show_expected(f)
        self._chart_timer.start()
        self._fill_cards(c)

    def chart_pending(self) -> bool:
        """The chart of the figures shown is yet to start drawing."""
        return self._chart_timer.isActive()

    def _draw_chart(self) -> None:
        from kol_desk.charts.pricing import chart_labels, price_figure

        f = self.facts
        if f is None:
            return
        labels = chart_labels(f)  # here: the worker must not read the UI language
        self.chart.set_builder(lambda: price_figure(f, labels), empty_text=tr("No prices to chart yet."))

    def _show_peers(self, f: NegotiationFacts) -> None:
        p, c = f.peers, f.currency
        if not p.count:
            self.peers_text.setText(tr("No comparable account has a price for this deliverable yet."))
            return
        lines = [
            tr("{n} accounts: {rule}.", n=p.count, rule=tr(STEP_TEXT[p.step.key])),
            tr("Price P25 {q1} · median {median} · P75 {q3}; {per10k} per 10k followers.",
               q1=_money(p.q1, c), median=_money(p.median, c), q3=_money(p.q3, c), per10k=_money(p.per_10k, c)),
            tr("{agreed} agreed fee(s) among their prices; achieved CPE {cpe}, CPM {cpm} over {n} deal(s) "
               "with results.", agreed=p.agreed, cpe=_money(p.cpe, c), cpm=_money(p.cpm, c), n=p.results),
        ]
        if f.position is not None and f.price is not None:
            lines.append(tr("The price on the table, {price}, is above {pct}% of them.",
                            price=_money(f.price, c), pct=round(f.position * 100)))
        self.peers_text.setText("<br>".join(escape(x) for x in lines))
        self.peers_text.setToolTip(tr("Each comparable's price is its agreed fee, else its latest quotes "
                                      "times the usual discount ({pct}% off).", pct=round((1 - f.discount) * 100)))

    def _show_expected(self, f: NegotiationFacts) -> None:
        x, c = f.expected, f.currency
        if x is None:
            self.expected_text.setText(tr("Expected results: no past results of this account or its comparables."))
            return
        source = tr("from this account's {n} past deal(s)", n=x.n) if x.source == "own" else \
            tr("from {n} comparable deal(s), per follower, scaled to this account", n=x.n)
        self.expected_text.setText(tr(
            "Expected at {price}: views {views} (typical {mid}), engagements {engs}, CPE {cpe} — {source}.",
            price=_money(f.price or (f.estimate.target if f.estimate else None), c), views=_span(x.views),
            mid=f"{x.views.mid:,}" if x.views else DASH, engs=_span(x.engagements), cpe=_span(x.cpe, c),
            source=source))
        self.expected_text.setToolTip(tr("Low–high: the lower and upper quartiles (the middle half)."))

    def _fill_cards(self, currency: str) -> None:
        self.card.clear()
        self.card.addItem(tr("(no card)"), None)
        for card in negotiation.open_cards(self.context.workspace, self.account_id):
            fee = f" · {_money(card.agreed_fee, card.currency)}" if card.agreed_fee is not None else ""
            self.card.addItem(f"{card.campaign} · {stage_label(card.stage)}{fee}", card.id)
        if self.card.count() > 1:
            self.card.setCurrentIndex(1)

    # -- actions -----------------------------------------------------------------------
    def record(self, kind: str) -> None:
        try:
            amount = self.amount.value()
        except Invalid:
            return
        if amount is None or self.facts is None:
            self.amount.edit.setFocus()
            return
        card = self.card.currentData()
        try:
            negotiation.record_price(
                self.context.workspace, self.account_id, self.facts.subject.deliverable, amount, kind,
                date.today(), currency=self.facts.currency, collaboration_id=card,
                set_card_fee=kind == negotiation.AGREED and card is not None and self.make_fee.isChecked(),
                discount_pct=self.discount.value() or None, channel=self.channel.currentData())
        except KnownError as exc:
            QMessageBox.warning(self, tr("Not recorded"), str(exc))
            return
        self.amount.set_text("")
        self.discount.setValue(0)
        for area in (Change.CREATORS, Change.CAMPAIGNS, Change.BUDGET):
            self.context.events.announce(area)
        self.recorded.emit()
        self.reload()

    def edit_fee_rates(self) -> None:
        from kol_desk.ui.negotiation.fee_rates import PlatformFeeDialog

        if PlatformFeeDialog(self.context.workspace, self.context.read_only, self).exec():
            self.reload()

    def save_sheet(self) -> None:
        from kol_desk.ui.negotiation.sheet import save_sheet

        if self.facts is not None:
            save_sheet(self, [self.facts])


def open_negotiation(context: AppContext, account_id: int, parent: QWidget | None = None,
                     reuse: NegotiationView | None = None) -> NegotiationView:
    """Show the desk for the account: in ``reuse`` (the window already open) when given."""
    if reuse is None:
        view = NegotiationView(context, account_id, parent=parent)
        view.show()
        return view
    reuse.show_account(account_id)
    if reuse.isVisible():
        reuse.raise_()  # it may be behind the main window
    reuse.show()
    return reuse

