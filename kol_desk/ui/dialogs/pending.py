"""A placeholder message for menu entries whose feature has not landed yet."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from kol_desk.i18n import tr


def explain_pending(parent: QWidget, feature: str) -> None:
    QMessageBox.information(parent, feature, tr("{feature} is not available in this version yet.", feature=feature))
