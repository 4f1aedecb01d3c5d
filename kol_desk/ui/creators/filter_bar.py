"""The search box and the filters above the creator list, and saved filter sets.

Typing waits a moment before asking the database (debounced type-ahead), so a fast
typist never waits for a query per key.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import PLATFORM_LABELS, TIER_LABELS
from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.services.creators import FilterChoices, filter_choices
from kol_desk.services.saved_filters import (
    delete_filter,
    load_filter,
    save_filter,
    saved_filter_names,
)
from kol_desk.ui.common.fields import ValidatedField, count_field, money_field, percent_field
from kol_desk.ui.context import AppContext
from kol_desk.validation import Invalid

SEARCH_DELAY_MS = 150



RISK_CHOICES = [("", N_("Any risk")), ("none", N_("No risk")), ("risky", N_("Risky or blacklisted")),
                ("blacklisted", N_("Blacklisted")), ("not_blacklisted", N_("Not blacklisted"))]


def _parse_rating(text: str) -> float | None:
    """The internal rating is a number (Reports computes it); blank is no limit."""
    folded = text.strip()
    if not folded:
        return None
    try:
        value = float(folded)
    except ValueError:
        raise Invalid(tr("Not a number: {text}", text=folded)) from None
    if not 0 <= value < 1000:
        raise Invalid(tr("Not a number: {text}", text=folded))
    return value


def _combo(all_text: str, items: list[tuple[Any, str]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_text, None)
    for value, label in items:
        combo.addItem(label, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _select(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value) if value is not None else 0
    combo.setCurrentIndex(max(index, 0))


class FilterBar(QWidget):
    """Emits ``changed`` (debounced) whenever the search or a filter changes."""

    changed = Signal()
    mode_changed = Signal(bool)  # True: one row per creator

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._loading = False
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search nickname, pinyin, handle, note or tag…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.mode = QComboBox()
        self.mode.addItem(tr("One row per account"), False)
        self.mode.addItem(tr("One row per creator"), True)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setText(tr("Filters"))
        self.saved = QComboBox()
        self.saved.setMinimumContentsLength(10)
        self.save_button = QPushButton(tr("Save filters…"))
        self.delete_button = QPushButton(tr("Delete"))
        self.count_label = QLabel()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.mode)
        top.addWidget(self.toggle)
        # The saved filter sets follow the filters; the count sits in the tab's tool row
        # (at 1280 px beside the creator page, one row cannot hold both).
        self.saved.setToolTip(tr("Saved filters"))
        for widget in (self.saved, self.save_button, self.delete_button):
            top.addWidget(widget)
        self.saved_widgets: list[QWidget] = [self.count_label]

        self.panel = QWidget()
        self._build_panel()
        self.panel.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.panel)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed.emit)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.toggle.toggled.connect(self._show_panel)
        self.mode.currentIndexChanged.connect(lambda _i: self.mode_changed.emit(bool(self.mode.currentData())))
        self.saved.activated.connect(self._apply_saved)
        self.save_button.clicked.connect(self.save_current)
        self.delete_button.clicked.connect(self.delete_current)
        self._choices_stale = True
        self.reload_choices()

    def _show_panel(self, shown: bool) -> None:
        if shown and self._choices_stale:
            self._fill_choices()
        self.panel.setVisible(shown)

    def _build_panel(self) -> None:
        self.platform = _combo(tr("All platforms"), [(k.value, tr(v)) for k, v in PLATFORM_LABELS.items()])
        self.tier = _combo(tr("All tiers"), [(k.value, tr(v)) for k, v in TIER_LABELS.items()])
        self.category = _combo(tr("All categories"), [])
        self.city = _combo(tr("All cities"), [])
        self.agency = _combo(tr("All agencies"), [])
        self.tag = _combo(tr("All tags"), [])
        self.risk = _combo(tr("Any risk"), [(k, tr(v)) for k, v in RISK_CHOICES[1:]])
        self.never = QCheckBox(tr("Never worked with"))
        self.followers_min, self.followers_max = count_field(tr("min")), count_field(tr("max"))
        self.er_min, self.er_max = percent_field(tr("min %")), percent_field(tr("max %"))
        self.price_min, self.price_max = money_field(tr("min ¥")), money_field(tr("max ¥"))
        self.rating_min = ValidatedField(_parse_rating, tr("min"))
        self.clear_button = QPushButton(tr("Clear filters"))
        grid = QGridLayout(self.panel)
        grid.setContentsMargins(0, 4, 0, 4)
        for column, combo in enumerate((self.platform, self.tier, self.category, self.city,
                                        self.agency, self.tag, self.risk)):
            grid.addWidget(combo, 0, column)
        ranges: list[tuple[str, ValidatedField, ValidatedField | None]] = [
                  (tr("Followers"), self.followers_min, self.followers_max),
                  (tr("Engagement rate"), self.er_min, self.er_max),
                  (tr("Latest quote"), self.price_min, self.price_max),
                  (tr("Rating ≥"), self.rating_min, None)]
        row = QHBoxLayout()
        for label, low, high in ranges:
            row.addWidget(QLabel(label))
            row.addWidget(low)
            low.edit.setMaximumWidth(90)
            if high is not None:
                row.addWidget(QLabel("–"))
                row.addWidget(high)
                high.edit.setMaximumWidth(90)
        row.addWidget(self.never)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        grid.addLayout(row, 1, 0, 1, 7)
        for combo in (self.platform, self.tier, self.category, self.city, self.agency, self.tag, self.risk):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.never.toggled.connect(self._filters_changed)
        for field in (self.followers_min, self.followers_max, self.er_min, self.er_max,
                      self.price_min, self.price_max, self.rating_min):
            field.edit.textChanged.connect(self._filters_changed)
        self.clear_button.clicked.connect(self.clear)

    def reload_choices(self) -> None:
        """Refills the saved filter sets now, and the lists that come from the data
        (categories, cities, agencies, tags) now if the panel is open, else when it opens:
        at 100k creators they cost a noticeable part of start-up."""
        self._choices_stale = True
        if self.toggle.isChecked():
            self._fill_choices()
        self._loading = True
        try:
            current_saved = self.saved.currentText()
            self.saved.clear()
            self.saved.addItem(tr("Saved filters…"))
            self.saved.addItems(saved_filter_names(self.context.workspace))
            self.saved.setCurrentIndex(max(self.saved.findText(current_saved), 0))
            # Never squeezed below its own "Saved filters…" (ten characters' minimum cut it);
            # a long saved name may still be elided, its whole name is in the list.
            metrics = self.saved.fontMetrics()
            self.saved.setMinimumWidth(metrics.horizontalAdvance(tr("Saved filters…")) + 32)
            self.delete_button.setEnabled(self.saved.currentIndex() > 0)
        finally:
            self._loading = False

    def _fill_choices(self) -> None:
        choices: FilterChoices = filter_choices(self.context.workspace)
        self._choices_stale = False
        self._loading = True
        try:
            for combo, items in ((self.category, [(c, c) for c in choices.categories]),
                                 (self.city, [(c, c) for c in choices.cities]),
                                 (self.agency, [(a, n) for a, n in choices.agencies]),
                                 (self.tag, [(t, t) for t in choices.tags])):
                current = combo.currentData()
                while combo.count() > 1:
                    combo.removeItem(1)
                for value, label in items:
                    combo.addItem(label, value)
                _select(combo, current)
        finally:
            self._loading = False

    def _filters_changed(self, *_args: object) -> None:
        if not self._loading:
            active = len(self.current_filter().with_search("").to_json())
            self.toggle.setText(tr("Filters ({n})", n=active) if active else tr("Filters"))
            self._timer.start()

    @staticmethod
    def _value(field: ValidatedField) -> Any:
        # A refused value filters nothing; the field already says why next to it.
        return field.value() if field.is_valid() else None

    def current_filter(self) -> CreatorFilter:
        def one(combo: QComboBox) -> tuple[Any, ...]:
            value = combo.currentData()
            return () if value is None else (value,)

        er_min, er_max = self._value(self.er_min), self._value(self.er_max)
        return CreatorFilter(
            search=self.search.text(), platforms=one(self.platform), tiers=one(self.tier),
            categories=one(self.category), cities=one(self.city), agency_ids=one(self.agency),
            tags=one(self.tag), risk=self.risk.currentData() or "",
            never_worked_with=self.never.isChecked(),
            followers_min=self._value(self.followers_min), followers_max=self._value(self.followers_max),
            engagement_min=float(er_min) if er_min is not None else None,
            engagement_max=float(er_max) if er_max is not None else None,
            price_min=self._value(self.price_min), price_max=self._value(self.price_max),
            rating_min=self._value(self.rating_min),
        )

    def set_filter(self, flt: CreatorFilter) -> None:
        if self._choices_stale:
            self._fill_choices()
        self._loading = True
        try:
            self.search.setText(flt.search)
            for combo, values in ((self.platform, flt.platforms), (self.tier, flt.tiers),
                                  (self.category, flt.categories), (self.city, flt.cities),
                                  (self.agency, flt.agency_ids), (self.tag, flt.tags)):
                _select(combo, values[0] if values else None)
            _select(self.risk, flt.risk or None)
            self.never.setChecked(flt.never_worked_with)
            self.followers_min.set_text(str(flt.followers_min) if flt.followers_min is not None else "")
            self.followers_max.set_text(str(flt.followers_max) if flt.followers_max is not None else "")
            self.er_min.set_text(f"{flt.engagement_min * 100:g}" if flt.engagement_min is not None else "")
            self.er_max.set_text(f"{flt.engagement_max * 100:g}" if flt.engagement_max is not None else "")
            self.price_min.set_text(str(flt.price_min) if flt.price_min is not None else "")
            self.price_max.set_text(str(flt.price_max) if flt.price_max is not None else "")
            self.rating_min.set_text(f"{flt.rating_min:g}" if flt.rating_min is not None else "")
        finally:
            self._loading = False
        self._filters_changed()
        if not flt.with_search("").is_empty:
            self.toggle.setChecked(True)

    def clear(self) -> None:
        self.set_filter(CreatorFilter(search=self.search.text()))

    # -- saved filter sets -----------------------------------------------------------
    def _apply_saved(self, index: int) -> None:
        self.delete_button.setEnabled(index > 0)
        if index <= 0:
            return
        flt = load_filter(self.context.workspace, self.saved.itemText(index))
        if flt is not None:
            self.set_filter(flt)

    def save_current(self, name: str | None = None) -> None:
        if not name:
            name, ok = QInputDialog.getText(self, tr("Save filters"), tr("Name of this filter set:"),
                                            text=self.saved.currentText() if self.saved.currentIndex() > 0 else "")
            if not ok or not name.strip():
                return
        save_filter(self.context.workspace, name.strip(), self.current_filter())
        self.reload_choices()
        self.saved.setCurrentIndex(max(self.saved.findText(name.strip()), 0))
        self.delete_button.setEnabled(True)

    def delete_current(self) -> None:
        if self.saved.currentIndex() <= 0:
            return
        name = self.saved.currentText()
        answer = QMessageBox.question(self, tr("Delete filter set"),
                                      tr("Delete the saved filter set “{name}”?", name=name))
        if answer == QMessageBox.StandardButton.Yes:
            delete_filter(self.context.workspace, name)
            self.saved.setCurrentIndex(0)
            self.reload_choices()
