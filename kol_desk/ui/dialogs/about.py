"""Help → About: the version and where the data lives."""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget
from sqlalchemy import __version__ as sqlalchemy_version

from kol_desk import __version__
from kol_desk.i18n import tr
from kol_desk.paths import data_dir


class AboutDialog(QDialog):
    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("About KOL Desk"))
        title = QLabel(f"<h2>KOL Desk {__version__}</h2>")
        body = QLabel(tr(
            "A local workspace for influencer marketing: creators, campaigns, budget and "
            "reports. Everything stays on this computer; nothing is sent anywhere."))
        body.setWordWrap(True)
        self.location = QLabel(tr("Database: {location}", location=location))
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setWordWrap(True)
        folder = QLabel(tr("Data folder: {folder}", folder=str(data_dir())))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setWordWrap(True)
        versions = QLabel(
            f"Python {sys.version.split()[0]} · PySide6 {pyside_version} · SQLAlchemy {sqlalchemy_version}")
        versions.setStyleSheet("color: palette(mid);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (title, body, self.location, folder, versions, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(460)
