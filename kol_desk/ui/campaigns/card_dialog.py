"""The card in detail: everything a collaboration holds, on one dialog with tabs.

Plain fields are saved together with Save (one undoable edit); lists (deliverables,
review rounds, counter-offers, result snapshots) are saved as soon as a line is added.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, stage_label
from kol_desk.services import board as board_service
from kol_desk.services import collaboration as card_service
from kol_desk.services.collaboration import CardDetail, DeliverableLine, ReviewLine
from kol_desk.services.conflicts import ListChanged
from kol_desk.services.deal_cost import describe, fields_breakdown
from kol_desk.ui.budget.fee_guard import confirm_fee
from kol_desk.ui.campaigns.card_form import FormField, build_sections
from kol_desk.ui.campaigns.card_sections import (
    DeliverablesSection,
    HistorySection,
    QuotesSection,
    ResultsSection,
    ReviewSection,
)
from kol_desk.ui.campaigns.undo import AddedRecordCommand, EditCardCommand, ReplaceLinesCommand
from kol_desk.ui.common.fields import ValidatedField
from kol_desk.ui.common.save_guard import save_guarded
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_text
from kol_desk.validation import Invalid


class CardDialog(QDialog):
    def __init__(self, context: AppContext, card_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.card_id = context, card_id
        self.detail: CardDetail = card_service.load_card(context.workspace, card_id)
        self.setWindowTitle(tr("Card: {name}", name=self.detail.nickname))
        self.resize(1000, 660)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("card_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        self.breakdown = QLabel()
        self.breakdown.setStyleSheet("color: #555;")
        self.sections = build_sections()
        self.fields: dict[str, FormField] = {
            f.name: f for fields in self.sections.values() for f in fields}
        self._channel_box().currentIndexChanged.connect(self._channel_chosen)
        self.tabs = QTabWidget()
        currency = self.detail.currency
        self.quotes = QuotesSection(currency, self._add_counter_offer)
        self.deliverables = DeliverablesSection(self._set_deliverables)
        self.reviews = ReviewSection(self._set_reviews)
        self.results = ResultsSection(currency, self._add_results)
        self.history = HistorySection()
        for title, fields in self.sections.items():
            page = self._form_page(fields)
            if title == "Deal":
                page = self._with(page, self.quotes)
            elif title == "Post":
                page = self._with(page, self.reviews)
            self.tabs.addTab(page, tr(title))
            if title == "Deal":
                self.tabs.addTab(self.deliverables, tr("Deliverables"))
        self.tabs.addTab(self.results, tr("Results"))
        self.tabs.addTab(self.history, tr("Stage history"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not context.read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._show(self.detail)
        context.events.changed.connect(self._data_changed)

    def _data_changed(self, change: Change) -> None:
        if not self.isVisible() or not change.touches(Change.CAMPAIGNS):
            return
        try:
            unsaved = bool(self.changes())
        except Invalid:
            unsaved = True
        try:
            self.detail = card_service.load_card(self.context.workspace, self.card_id)
        except KnownError as exc:  # deleted elsewhere
            self.message.setText(str(exc))
            return
        # An undo elsewhere shows up here, unless the user is in the middle of typing.
        self._show(self.detail, fields=not unsaved)

    # -- layout ----------------------------------------------------------------------
    def _form_page(self, fields: list[FormField]) -> QWidget:
        inner = QWidget()
        form = QFormLayout(inner)
        for field in fields:
            if field.label:
                form.addRow(tr(field.label), field.widget)
            else:
                form.addRow("", field.widget)
        if any(f.name == "agreed_fee" for f in fields):
            form.addRow(self.breakdown)  # the deal's net cost, part by part (as saved)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        return scroll

    def _with(self, first: QWidget, second: QWidget) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.addWidget(first, 3)
        row.addWidget(second, 2)
        return page

    # -- showing ---------------------------------------------------------------------
    def reload(self, fields: bool = False) -> None:
        self.detail = card_service.load_card(self.context.workspace, self.card_id)
        self._show(self.detail, fields=fields)

    def labels(self) -> dict[str, str]:
        """Field names as the form shows them (a check box carries its own text)."""
        return {name: tr(f.label) if f.label or not isinstance(f.widget, QCheckBox)
                else f.widget.text() for name, f in self.fields.items()}

    def _show(self, detail: CardDetail, fields: bool = True) -> None:
        extra = []
        if detail.risk_override_reason:
            extra.append(tr("Added despite a risk flag: {reason}", reason=detail.risk_override_reason))
        if detail.boss_decision:
            extra.append(tr("Boss: {decision} {comment}",
                            decision=tr("approved") if detail.boss_decision == "approved" else tr("rejected"),
                            comment=detail.boss_comment or ""))
        quoted, agreed = detail.fields["quoted_fee"], detail.fields["agreed_fee"]
        fee = tr("quote {quote} · agreed {agreed}", quote=money_text(quoted, detail.currency),
                 agreed=money_text(agreed, detail.currency))
        parts = fields_breakdown(detail.fields)
        if parts is not None:  # the budget's figure: what is paid out
            fee += " · " + tr("cost {total} paid out", total=money_text(parts.total, detail.currency))
            if parts.deductible_vat:
                fee += " · " + tr("{after} after deductible VAT",
                                  after=money_text(parts.after_deduction, detail.currency))
        self.heading.setToolTip(describe(parts, detail.currency) if parts is not None else "")
        self.breakdown.setText(describe(parts, detail.currency) if parts is not None else "")
        # Handles are kept as the lists spell them, with or without the "@".
        handle = detail.handle if detail.handle.startswith("@") else f"@{detail.handle}"
        self.heading.setText(
            f"<b>{detail.nickname}</b> · {platform_label(detail.platform)} {handle} · "
            f"{detail.campaign} · {stage_label(detail.stage)} · {fee}"
            + "".join(f"<br>{line}" for line in extra))
        if fields:
            self.loaded = detail.loaded  # the version the form's values come from
            for name, field in self.fields.items():
                field.show(detail.fields[name])
        self.quotes.show_lines(detail.quotes)
        self.deliverables.show_lines(detail.deliverables)
        self.reviews.show_lines(detail.review_rounds)
        self.results.show_lines(detail.results)
        self.history.show_lines(detail.history)

    # -- saving ----------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """The fields whose typed value differs from the stored one; raises Invalid."""
        changed = {}
        for name, field in self.fields.items():
            value = field.read()
            if value != self.detail.fields[name]:
                changed[name] = value
        return changed

    def save(self) -> bool:
        try:
            changes = self.changes()
        except Invalid as exc:
            self.message.setText(tr("Please fix: {reason}", reason=str(exc)))
            return False
        if not changes:
            self.message.setText(tr("Nothing changed."))
            return True
        if not self._fee_confirmed(changes):
            self.message.setText(tr("Not saved: the agreed fee was not confirmed."))
            return False
        try:
            result = save_guarded(self, lambda: card_service.update_card(
                self.context.workspace, self.card_id, changes, loaded=self.loaded), self.labels())
        except KnownError as exc:
            self.message.setText(str(exc))
            return False
        if result is None:  # the colleague's version was kept
            self.reload(fields=True)
            return True
        self.context.undo_stack.push(EditCardCommand(
            self.context, self.card_id, result.written, result.previous,
            tr("Edit card {name}", name=self.detail.nickname), result.version))
        text = tr("Saved.")
        if result.over_budget is not None:
            used, limit = result.over_budget
            text = tr("Saved. Warning: this campaign now has {used} agreed, over its budget of "
                      "{limit}.", used=money_text(used, self.detail.currency),
                      limit=money_text(limit, self.detail.currency))
        self.message.setText(text)
        self.reload(fields=True)
        return True

    def _channel_chosen(self) -> None:
        """A platform order takes the workspace's fee rate for it, unless one is typed."""
        from kol_desk.domain import Channel
        from kol_desk.services.deal_cost import platform_fee_rates

        channel = self._channel_box().currentData()
        rate_field = self.fields["platform_fee_pct"]
        rate_edit = rate_field.widget
        assert isinstance(rate_edit, ValidatedField)
        if channel and not rate_edit.edit.text().strip():
            rate = platform_fee_rates(self.context.workspace)[Channel(channel)]
            rate_field.show(float(rate))

    def _combo(self, name: str) -> QComboBox:
        box = self.fields[name].widget
        assert isinstance(box, QComboBox)
        return box

    def _channel_box(self) -> QComboBox:
        box = self.fields["channel"].widget
        assert isinstance(box, QComboBox)
        return box

    def _fee_confirmed(self, changes: dict[str, Any]) -> bool:
        """The Budget area's guard: asks before a fee takes the campaign over its
        allocation (and can draw on the reserve)."""
        fee = changes.get("agreed_fee")
        if fee is None or not board_service.campaign_has_allocation(
                self.context.workspace, self.detail.campaign_id):
            return True
        fields = self.detail.fields
        net = fields_breakdown({**fields, **changes})  # the budget counts the net cost
        return confirm_fee(self, self.context, new_fee=net.net if net else fee, collaboration_id=self.card_id,
                           tax_included=changes.get("tax_included", fields["tax_included"]),
                           tax_rate=changes.get("tax_rate", fields["tax_rate"]),
                           invoice_type=changes.get("invoice_type", fields["invoice_type"]))

    def _set_deliverables(self, lines: list[DeliverableLine]) -> None:
        self._replace(card_service.set_deliverables, lines, self.deliverables.model.rows,
                      tr("Change deliverables"))

    def _set_reviews(self, lines: list[ReviewLine]) -> None:
        self._replace(card_service.set_review_rounds, lines, self.reviews.model.rows,
                      tr("Change review rounds"))

    def _replace(self, setter: Any, lines: list[Any], shown: list[Any], text: str) -> None:
        try:
            previous = setter(self.context.workspace, self.card_id, lines, shown)
        except ListChanged as exc:
            self.message.setText(str(exc))
            self.reload()
            return
        except KnownError as exc:
            self.message.setText(str(exc))
            return
        self.context.undo_stack.push(ReplaceLinesCommand(
            self.context, setter, self.card_id, lines, previous, text))
        self.reload()

    def _add_counter_offer(self, amount: Decimal, on: date, note: str | None) -> None:
        workspace, card = self.context.workspace, self.card_id

        def add() -> int:
            return card_service.add_counter_offer(workspace, card, amount, on, note)

        self._add_record(add, lambda i: card_service.delete_counter_offer(workspace, i),
                         tr("Add counter-offer"))

    def _add_results(self, taken_on: date, values: dict[str, Any]) -> None:
        workspace, card = self.context.workspace, self.card_id

        def add() -> int:
            return card_service.add_result_snapshot(workspace, card, taken_on, values)

        self._add_record(add, lambda i: card_service.delete_result_snapshot(workspace, i),
                         tr("Add results snapshot"))

    def _add_record(self, add: Any, remove: Any, text: str) -> None:
        try:
            record_id = add()
        except KnownError as exc:
            self.message.setText(str(exc))
            return
        self.context.undo_stack.push(AddedRecordCommand(self.context, record_id, add, remove, text))
        self.reload()
