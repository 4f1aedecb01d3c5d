"""Paste rows: text copied from a chat, a web page's table or another spreadsheet becomes
a list in the import wizard, read by the same steps as a file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.importing.paste import save_pasted
from kol_desk.paths import data_dir


class PasteDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Paste rows"))
        self.resize(720, 420)
        hint = QLabel(tr("Paste rows copied from a chat, a web page or another spreadsheet, "
                         "with or without a header row. Cells may be separated by tabs, "
                         "commas, bars or several spaces."))
        hint.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(tr("e.g. 小桃子，抖音，taozi01，12.3万，5000元/条"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self._changed()

    def _changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self.text.toPlainText().strip()))

    def saved(self) -> Path:
        """The pasted rows as a text file in the data folder (kept with the imports)."""
        stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
        return save_pasted(self.text.toPlainText(), data_dir() / "pasted", stamp)
