"""Starting the GUI: the Qt application, language, style, and the window per workspace."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

# First: once PySide6 is imported (by us, or by whoever imported us), its __feature__
# hook reads the source of every module imported after it; see there.
import kol_desk.ui.feature_hook  # noqa: F401  (installs itself)

# isort: split
from PySide6.QtCore import QLocale, QThreadPool, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from kol_desk import __version__
from kol_desk.errors import KnownError
from kol_desk.i18n import current_language, set_language, system_language, tr
from kol_desk.paths import (
    CJK_FALLBACK_FAMILY,
    CJK_FALLBACK_FONT,
    RESOURCES,
    backups_dir,
    default_database,
    demo_database,
)
from kol_desk.preferences import Preferences
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from kol_desk.ui.common import error_report
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow
from kol_desk.ui.startup import StartupGuard

log = logging.getLogger(__name__)
DEMO = "demo:"
# Tried in order; Qt falls back per character, so Latin text keeps the first family that
# has it and Chinese text the first CJK family installed.
UI_FONTS = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "Microsoft YaHei",
            "PingFang SC", "Source Han Sans SC", "WenQuanYi Micro Hei", CJK_FALLBACK_FAMILY]


def ensure_chinese_font() -> None:
    """Where the system has no font for Chinese (a bare Linux), the one shipped with the
    app is loaded for this process, so the Chinese UI and data never show as boxes."""
    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return
    if QFontDatabase.addApplicationFont(str(CJK_FALLBACK_FONT)) < 0:
        log.warning("no Chinese font on this system, and %s cannot be loaded", CJK_FALLBACK_FONT)


def open_target(target: str | Path, read_only: bool = False) -> Workspace:
    """Open a workspace by path, URL, or ``demo:`` (created with demo data on first use)."""
    if str(target) == DEMO:
        from kol_desk.services.demo import generate_demo

        path = demo_database()
        fresh = not path.exists()
        workspace = open_workspace(path, backups_dir(), read_only=read_only and not fresh)
        if fresh:
            generate_demo(workspace)
        return workspace
    return open_workspace(target, backups_dir(), read_only=read_only)


class Application:
    """Owns the main window and replaces it when the user opens another workspace or
    changes the language."""

    def __init__(self, qt_app: QApplication, preferences: Preferences) -> None:
        self.qt_app = qt_app
        self.preferences = preferences
        self.window: MainWindow | None = None
        self._qt_translators: list[QTranslator] = []
        # Holds the workspace lock (one writer at a time) of the open window.
        self.guard: StartupGuard | None = None
        self.switched_away = False  # the user went to the window that has the file

    def apply_language(self) -> None:
        from kol_desk.ui.qt_translations import install_qt_translations

        install_qt_translations(self.qt_app, current_language(), self._qt_translators)

    def open(self, target: str | Path, read_only: bool = False) -> MainWindow | None:
        from kol_desk.ui.dialogs.connect import after_open, ask_for_target, safe_location

        # A team database may need its password typed (it is never stored in settings).
        asked = ask_for_target(self.window, self.preferences, str(target))
        if asked is None:
            return None
        guard = StartupGuard(self.window, backups_dir(), current=self.guard)
        try:
            opened = guard.open(asked, open_target, read_only)
        except KnownError as exc:
            QMessageBox.critical(self.window, tr("Cannot open the workspace"), str(exc))
            return None
        if opened is None:
            self.switched_away = guard.switched
            return None
        workspace = opened
        if self.guard is not None:
            self.guard.release()
        self.guard = guard
        self.preferences.add_recent_workspace(safe_location(str(target)))
        self.show(workspace)
        after_open(self.window, self.preferences, workspace)
        if self.window is not None:
            guard.after_show(self.window, workspace)
        return self.window

    def show(self, workspace: Workspace) -> MainWindow:
        old = self.window
        if old is not None and old.context.workspace is not workspace:
            old.close()
            old.context.workspace.dispose()
        elif old is not None:
            old.close()
        context = AppContext(workspace, self.preferences, QUndoStack(),
                             read_only=workspace.read_only)
        window = MainWindow(context)
        # Qt deletes the stack, and the undo commands in it, with the window. Left to the
        # garbage collector, a stack freed in the same pass as its Python commands deletes
        # commands whose wrappers the pass has already torn down (a crash in
        # QUndoStack::clear).
        context.undo_stack.setParent(window)
        window.open_workspace_requested.connect(self.open)
        window.rebuild_requested.connect(self.rebuild)
        self.window = window
        window.show()
        if old is not None:
            old.deleteLater()
        return window

    def rebuild(self) -> None:
        if self.window is not None:
            self.apply_language()
            self.show(self.window.context.workspace)


def make_qt_app() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("KOL Desk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("KOL Desk")
    QGuiApplication.setDesktopFileName("kol-desk")
    icon = RESOURCES / "icons" / "kol-desk.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    ensure_chinese_font()
    font = QFont(app.font())
    font.setFamilies(UI_FONTS)
    app.setFont(font)
    style = RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def run_gui(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    preferences = Preferences()
    app = make_qt_app()
    language = args.lang or preferences.get("language") or system_language(QLocale.system().name())
    set_language(language)
    application = Application(app, preferences)
    application.apply_language()
    error_report.install()
    target: str | Path = DEMO if args.demo else (args.db or default_database())
    window = application.open(target)
    if window is None:
        return 0 if application.switched_away else 3
    if getattr(args, "smoke_test", False):
        from kol_desk.ui.smoke import quit_when_shown

        quit_when_shown(app, window)
    code = app.exec()
    # Jobs still running (the start-up check and backup, counts, the look for colleagues'
    # changes, started even as the loop ends) would emit into objects that Python is
    # tearing down and crash the process on its way out.
    QThreadPool.globalInstance().waitForDone()
    return code
