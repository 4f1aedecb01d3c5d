"""What the column mapping of one sheet lacks, shown above its columns: essential facts
not found (in red), guessed columns to check, and unused columns that hold data, each
with one click to use it. An import must never look complete when it is not."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kol_desk.i18n import tr
from kol_desk.importing import ParsedSheet
from kol_desk.importing.columns import LOW_CONFIDENCE
from kol_desk.importing.pipeline import missing_fields, sheet_columns
from kol_desk.importing.reader import column_letter

RED = "#c62828"
AMBER = "#b26a00"


class MappingStatus(QWidget):
    """``assign(column, field key)`` is called when the user takes a suggestion."""

    def __init__(self, labels: dict[str, str], assign: Callable[[int, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = labels  # field key → English label (translated when shown)
        self.assign = assign
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.guessed = QLabel()
        self.guessed.setWordWrap(True)
        self.guessed.setStyleSheet(f"color: {AMBER};")
        self.unused_label = QLabel()
        self.unused_label.setWordWrap(True)
        self.buttons_host = QWidget()
        self.buttons = QHBoxLayout(self.buttons_host)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.missing, self.guessed, self.unused_label, self.buttons_host):
            layout.addWidget(widget)
        self.use_buttons: dict[int, QPushButton] = {}

    def label(self, key: str) -> str:
        return tr(self.labels.get(key, key))

    def show_sheet(self, sheet: ParsedSheet | None) -> None:
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.use_buttons = {}
        missing = missing_fields(sheet) if sheet is not None else []
        self.missing.setText(tr("Not found in this sheet: {fields}. Choose the column that holds "
                                "them below, or these rows come in without them.",
                                fields=", ".join(self.label(f) for f in missing)) if missing else "")
        self.missing.setVisible(bool(missing))
        guesses = []
        unused = []
        for column, header, mapping in sheet_columns(sheet) if sheet is not None else []:
            where = f"{column_letter(column)} “{header}”"
            if mapping is not None and sheet is not None \
                    and sheet.confidence.get(column, 1.0) < LOW_CONFIDENCE:
                guesses.append(f"{where} → {self.label(mapping.key)}")
            if mapping is None and sheet is not None and column in sheet.unused_data:
                unused.append(where)
                self._use_button(column, where, sheet.unused_data[column])
        self.guessed.setText(tr("Guessed, please check: {columns}", columns="; ".join(guesses))
                             if guesses else "")
        self.guessed.setVisible(bool(guesses))
        self.unused_label.setText(tr("Not used, but holding data: {columns}",
                                     columns=", ".join(unused)) if unused else "")
        self.unused_label.setVisible(bool(unused))
        self.buttons.addStretch(1)
        self.buttons_host.setVisible(bool(unused))

    def _use_button(self, column: int, where: str, key: str) -> None:
        if key:
            text = tr("Use {column} as {field}", column=where, field=self.label(key))
        else:
            text = tr("Choose a field for {column}…", column=where)
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: self.assign(column, key))
        self.buttons.addWidget(button)
        self.use_buttons[column] = button
