"""The card's lists: deliverables, review rounds, quotes and counter-offers, result
snapshots and the stage history. Each is a table over a Qt model with a small form
underneath; changes go out through ``on_change`` as undoable commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import DELIVERABLE_LABELS
from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.labels import deliverable_label, quote_source_label, stage_label
from kol_desk.metrics import DASH, format_count
from kol_desk.services.collaboration import (
    RESULT_FIELDS,
    DeliverableLine,
    HistoryLine,
    QuoteLine,
    ResultLine,
    ReviewLine,
)
from kol_desk.ui.common.fields import (
    ValidatedField,
    count_field,
    date_field,
    money_field,
    text_field,
)
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.money import money_range, money_text
from kol_desk.validation import Invalid


def _day(value: date | None) -> str:
    return value.isoformat() if value else DASH


def make_table(columns: list[Column], parent: QWidget) -> tuple[RowTableModel, QTableView]:
    model = RowTableModel(columns, parent)
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return model, view


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #c62828;")
    label.setWordWrap(True)
    return label


DELIVERABLE_COLUMNS = [
    Column("Type", lambda d: deliverable_label(d.kind)),
    Column("Count", lambda d: str(d.count), numeric=True),
    Column("Video length", lambda d: d.video_length or ""),
    Column("Draft due", lambda d: _day(d.draft_due), sort_key=lambda d: d.draft_due),
    Column("Post due", lambda d: _day(d.post_due), sort_key=lambda d: d.post_due),
    Column("Done", lambda d: _day(d.done_on), sort_key=lambda d: d.done_on),
]


class DeliverablesSection(QWidget):
    def __init__(self, on_change: Callable[[list[DeliverableLine]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self.model, self.table = make_table(DELIVERABLE_COLUMNS, self)
        self.kind = QComboBox()
        for key, label in DELIVERABLE_LABELS.items():
            self.kind.addItem(tr(label), key.value)
        self.count = count_field("1")
        self.length = text_field(tr("e.g. 21–60s"), max_length=20)
        self.draft_due, self.post_due = date_field(), date_field()
        self.add_button = QPushButton(tr("Add deliverable"))
        self.done_button = QPushButton(tr("Mark selected done today"))
        self.remove_button = QPushButton(tr("Remove selected"))
        self.error = _error_label()
        form = QGridLayout()
        for col, (label, widget) in enumerate(((tr("Type"), self.kind), (tr("Count"), self.count),
                                               (tr("Video length"), self.length),
                                               (tr("Draft due"), self.draft_due),
                                               (tr("Post due"), self.post_due))):
            form.addWidget(QLabel(label), 0, col)
            form.addWidget(widget, 1, col)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.done_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.done_button.clicked.connect(self._done)

    def show_lines(self, lines: list[DeliverableLine]) -> None:
        self.model.set_rows(lines)

    def _selected(self) -> set[int]:
        return {i.row() for i in self.table.selectionModel().selectedRows()}

    def _add(self) -> None:
        try:
            line = DeliverableLine(self.kind.currentData(), self.count.value() or 1,
                                   self.length.value() or None, self.draft_due.value(),
                                   self.post_due.value())
        except Invalid as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self._on_change([*self.model.rows, line])

    def _remove(self) -> None:
        gone = self._selected()
        if gone:
            self._on_change([d for i, d in enumerate(self.model.rows) if i not in gone])

    def _done(self) -> None:
        chosen = self._selected()
        if chosen:
            today = date.today()
            self._on_change([DeliverableLine(d.kind, d.count, d.video_length, d.draft_due,
                                             d.post_due, today) if i in chosen else d
                             for i, d in enumerate(self.model.rows)])


REVIEW_COLUMNS = [
    Column("Round", lambda r: str(r.round_no), numeric=True),
    Column("Submitted", lambda r: _day(r.submitted_on)),
    Column("Approved", lambda r: _day(r.approved_on)),
    Column("Feedback", lambda r: r.feedback or ""),
]


class ReviewSection(QWidget):
    def __init__(self, on_change: Callable[[list[ReviewLine]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self.model, self.table = make_table(REVIEW_COLUMNS, self)
        self.submitted, self.approved = date_field(), date_field()
        self.feedback = text_field(tr("What the brand asked to change"), max_length=2000)
        self.add_button = QPushButton(tr("Add review round"))
        self.error = _error_label()
        form = QGridLayout()
        for col, (label, widget) in enumerate(((tr("Submitted"), self.submitted),
                                               (tr("Approved"), self.approved),
                                               (tr("Feedback"), self.feedback))):
            form.addWidget(QLabel(label), 0, col)
            form.addWidget(widget, 1, col)
        form.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.add_button)
        self.add_button.clicked.connect(self._add)

    def show_lines(self, lines: list[ReviewLine]) -> None:
        self.model.set_rows(lines)

    def _add(self) -> None:
        try:
            line = ReviewLine(len(self.model.rows) + 1, self.submitted.value(),
                              self.feedback.value() or None, self.approved.value())
        except Invalid as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self._on_change([*self.model.rows, line])


def quote_columns(currency: str) -> list[Column]:
    def price(q: QuoteLine) -> str:
        if q.price_min is None:
            return tr("on request")
        return money_range(q.price_min, q.price_max, currency)

    return [
        Column("Date", lambda q: q.quoted_on.isoformat(), sort_key=lambda q: q.quoted_on),
        Column("Deliverable", lambda q: deliverable_label(q.deliverable)),
        Column("Price", price, sort_key=lambda q: q.price_min, numeric=True),
        Column("Source", lambda q: tr("Counter-offer") if q.counter_offer else (q.agency or quote_source_label(q.source))),
        Column("Notes", lambda q: q.notes or ""),
    ]


class QuotesSection(QWidget):
    """Every quote for the account (history) and this negotiation's counter-offers."""

    def __init__(self, currency: str, on_add: Callable[[Any, date, str | None], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_add = on_add
        self.model, self.table = make_table(quote_columns(currency), self)
        self.amount: ValidatedField = money_field()
        self.on = date_field()
        self.on.set_text(date.today().isoformat())
        self.note = text_field(tr("Who offered what"), max_length=2000)
        self.add_button = QPushButton(tr("Add counter-offer"))
        self.error = _error_label()
        # Amount and date on one row, the note under them with the button: in the half of
        # the dialog beside the deal, four in a row left the amount and the note a few
        # characters each.
        form = QGridLayout()
        for col, (label, widget) in enumerate(((tr("Amount"), self.amount), (tr("Date"), self.on))):
            form.addWidget(QLabel(label), 0, col)
            form.addWidget(widget, 1, col)
        form.addWidget(QLabel(tr("Negotiation note")), 2, 0, 1, 2)
        form.addWidget(self.note, 3, 0, 1, 2)
        form.addWidget(self.add_button, 3, 2)
        form.setColumnStretch(0, 1)
        form.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("Quotes and counter-offers")))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.add_button.clicked.connect(self._add)

    def show_lines(self, lines: list[QuoteLine]) -> None:
        self.model.set_rows(lines)

    def _add(self) -> None:
        try:
            amount, on = self.amount.value(), self.on.value()
            note = self.note.value() or None
        except Invalid as exc:
            self.error.setText(str(exc))
            return
        if amount is None or on is None:
            self.error.setText(tr("A counter-offer needs an amount and a date."))
            return
        self.error.clear()
        self.amount.set_text("")
        self.note.set_text("")
        self._on_add(amount, on, note)


RESULT_LABELS = {
    "impressions": N_("Impressions"), "views": N_("Views"), "likes": N_("Likes"), "comments": N_("Comments"),
    "shares": N_("Shares"), "saves": N_("Saves"), "clicks": N_("Clicks"), "promo_uses": N_("Promo-code uses"),
    "orders": N_("Orders"), "revenue": N_("Revenue"), "new_followers": N_("New followers"),
}


def _count_of(name: str) -> Callable[[ResultLine], str]:
    return lambda r: format_count(r.values[name])


def result_columns(currency: str) -> list[Column]:
    columns = [Column("Taken on", lambda r: r.taken_on.isoformat(), sort_key=lambda r: r.taken_on)]
    for name in RESULT_FIELDS:
        if name == "revenue":
            columns.append(Column("Revenue", lambda r: money_text(r.values["revenue"], currency),
                                  numeric=True))
        else:
            columns.append(Column(RESULT_LABELS[name], _count_of(name), numeric=True))
    return columns


class ResultsSection(QWidget):
    """Snapshots in time (T+7, T+21...); a new one never overwrites an earlier one."""

    def __init__(self, currency: str, on_add: Callable[[date, dict[str, Any]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_add = on_add
        self.model, self.table = make_table(result_columns(currency), self)
        self.taken_on = date_field()
        self.taken_on.set_text(date.today().isoformat())
        self.values: dict[str, ValidatedField] = {
            name: money_field() if name == "revenue" else count_field() for name in RESULT_FIELDS}
        self.add_button = QPushButton(tr("Add snapshot"))
        self.error = _error_label()
        form = QGridLayout()
        form.addWidget(QLabel(tr("Taken on")), 0, 0)
        form.addWidget(self.taken_on, 1, 0)
        for i, (name, field) in enumerate(self.values.items(), start=1):
            form.addWidget(QLabel(tr(RESULT_LABELS[name])), 2 * (i // 6), i % 6)
            form.addWidget(field, 2 * (i // 6) + 1, i % 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.add_button)
        self.add_button.clicked.connect(self._add)

    def show_lines(self, lines: list[ResultLine]) -> None:
        self.model.set_rows(lines)

    def _add(self) -> None:
        try:
            taken_on = self.taken_on.value()
            values = {name: field.value() for name, field in self.values.items()}
        except Invalid as exc:
            self.error.setText(str(exc))
            return
        if taken_on is None or all(v is None for v in values.values()):
            self.error.setText(tr("A snapshot needs a date and at least one number."))
            return
        self.error.clear()
        for field in self.values.values():
            field.set_text("")
        self._on_add(taken_on, {k: v for k, v in values.items() if v is not None})


HISTORY_COLUMNS = [
    Column("When", lambda h: h.changed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
           sort_key=lambda h: h.changed_at),
    Column("From", lambda h: stage_label(h.from_stage) if h.from_stage else tr("(added)")),
    Column("To", lambda h: stage_label(h.to_stage)),
    Column("By", lambda h: h.changed_by or ""),
    Column("Override reason", lambda h: h.override_reason or ""),
]


class HistorySection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.table = make_table(HISTORY_COLUMNS, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_lines(self, lines: list[HistoryLine]) -> None:
        self.model.set_rows(lines)
