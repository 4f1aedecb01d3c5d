"""The app's own small line icons (resources/icons/<name>.svg) for its main actions:
the same look on every system, where the desktop's icon theme may have none."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QAbstractButton

from kol_desk.paths import RESOURCES


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(RESOURCES / "icons" / f"{name}.svg"))


def with_icons(*pairs: tuple[QAbstractButton | QAction, str]) -> None:
    """Gives each button or action its icon by name."""
    for widget, name in pairs:
        widget.setIcon(icon(name))
