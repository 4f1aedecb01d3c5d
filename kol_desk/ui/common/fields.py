"""Form fields that check their value as the user types and say why it is refused,
right next to the field (rules in ``kol_desk.validation``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.validation import (
    Invalid,
    clean_text,
    parse_count,
    parse_date,
    parse_money,
    parse_percent,
    parse_score,
    parse_url,
)

ERROR_STYLE = "color: #c62828;"


class ValidatedField(QWidget):
    """A line edit with a parser; ``value()`` is the parsed value, ``error`` the reason
    it is refused (empty when valid)."""

    validity_changed = Signal(bool)

    def __init__(self, parser: Callable[[str], Any], placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parser = parser
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMaxLength(20_000)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        self.error = ""
        self.edit.textChanged.connect(self._check)

    def _check(self, text: str) -> None:
        was_valid = not self.error
        try:
            self._parser(text)
            self.error = ""
        except Invalid as exc:
            self.error = str(exc)
        self.message.setText(self.error)
        self.message.setVisible(bool(self.error))
        if was_valid != (not self.error):
            self.validity_changed.emit(not self.error)

    def is_valid(self) -> bool:
        return not self.error

    def value(self) -> Any:
        """The parsed value; raises ``Invalid`` when the text is refused."""
        return self._parser(self.edit.text())

    def set_text(self, text: str | None) -> None:
        self.edit.setText(text or "")


def money_field(placeholder: str = "") -> ValidatedField:
    return ValidatedField(parse_money, placeholder)


def count_field(placeholder: str = "") -> ValidatedField:
    return ValidatedField(parse_count, placeholder)


def percent_field(placeholder: str = "") -> ValidatedField:
    return ValidatedField(parse_percent, placeholder)


def score_field(placeholder: str = "1–5") -> ValidatedField:
    return ValidatedField(parse_score, placeholder)


class DateField(ValidatedField):
    """A date typed (2026-11-11, 2026/11/11, 11月11日 …) or picked from a calendar; empty
    until one is given, with a placeholder that no one can take for a date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parse_date, tr("YYYY-MM-DD"), parent)
        self.pick_button = QToolButton()
        self.pick_button.setText("▾")
        self.pick_button.setToolTip(tr("Pick a date from the calendar"))
        self.pick_button.setAccessibleName(tr("Pick a date from the calendar"))
        self.pick_button.clicked.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.edit)
        row.addWidget(self.edit, 1)
        row.addWidget(self.pick_button)
        # Never narrower than a whole date (or its placeholder): in a row of short fields a
        # date was cut to "6-12-06".
        metrics = self.edit.fontMetrics()
        self.edit.setMinimumWidth(max(metrics.horizontalAdvance(sample) for sample in
                                      ("0000-00-00", self.edit.placeholderText())) + 20)
        layout.insertLayout(0, row)

    def show_calendar(self) -> None:
        calendar = self.calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar.setGridVisible(True)
        try:
            shown = self.value()
        except Invalid:
            shown = None
        if shown is not None:
            calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.show()

    def _picked(self, day: QDate) -> None:
        self.edit.setText(day.toString("yyyy-MM-dd"))
        if self.calendar is not None:
            self.calendar.close()
            self.calendar = None


def date_field() -> DateField:
    return DateField()


def url_field(placeholder: str = "https://") -> ValidatedField:
    return ValidatedField(parse_url, placeholder)


def text_field(placeholder: str = "", max_length: int = 500) -> ValidatedField:
    return ValidatedField(lambda t: clean_text(t, max_length=max_length, multiline=False), placeholder)
