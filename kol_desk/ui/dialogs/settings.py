"""The settings dialog: the interface language (this person's) and the tier thresholds
(the workspace's, shared with everyone who opens it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from kol_desk.errors import BadInputError
from kol_desk.i18n import LANGUAGES, current_language, set_language, tr
from kol_desk.preferences import Preferences
from kol_desk.store.database import Workspace


class SettingsDialog(QDialog):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None, *,
                 workspace: Workspace | None = None, read_only: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self.preferences = preferences
        self.language_changed = False
        self.tiers_changed = False
        self.language_box = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(list(LANGUAGES).index(current_language()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(tr("Language:"), self.language_box)
        note = QLabel(tr("The window is rebuilt in the new language when you press OK."))
        note.setWordWrap(True)
        layout.addRow(note)
        self.tiers = None
        if workspace is not None:
            from kol_desk.ui.dialogs.tier_settings import TierThresholdsBox

            self.tiers = TierThresholdsBox(workspace, read_only)
            layout.addRow(self.tiers)
        layout.addRow(buttons)

    def accept(self) -> None:
        if self.tiers is not None and self.tiers.changed():
            try:
                self.tiers.save()
            except BadInputError as error:
                QMessageBox.warning(self, tr("Tier thresholds"), str(error))
                return
            self.tiers_changed = True
        language = str(self.language_box.currentData())
        if language != current_language():
            self.preferences.set("language", language)
            set_language(language)
            self.language_changed = True
        super().accept()
