"""``kol-desk --smoke-test``: start, show the main window, print what it shows as one JSON
line, and quit. A packaged build (wheel, desktop bundle) runs it to prove that Qt, its
plugins, the translations, the icon, the style sheet and the fonts were all found."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kol_desk import __version__
from kol_desk.paths import RESOURCES
from kol_desk.ui.main_window import MainWindow


def report(app: QApplication, window: MainWindow) -> dict[str, object]:
    return {
        "version": __version__,
        "platform": QGuiApplication.platformName(),
        "visible": window.isVisible(),
        "title": window.windowTitle(),
        "tabs": [window.tabs.tabText(i) for i in range(window.tabs.count())],
        "icon": not app.windowIcon().isNull(),
        "style_sheet": bool(app.styleSheet()),
        "chinese_fonts": QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese),
        "resources": str(RESOURCES),
        "frozen": bool(getattr(sys, "frozen", False)),
    }


def quit_when_shown(app: QApplication, window: MainWindow) -> None:
    """Once the event loop has shown ``window``, prints the report and quits."""

    def done() -> None:
        print(json.dumps(report(app, window), ensure_ascii=False), flush=True)
        app.quit()

    QTimer.singleShot(0, done)
