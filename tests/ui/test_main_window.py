from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from kol_desk import __version__
from kol_desk.app import Application
from kol_desk.i18n import set_language
from kol_desk.preferences import Preferences
from kol_desk.store.backup import list_backups
from kol_desk.store.database import Workspace
from kol_desk.ui.common import workers
from kol_desk.ui.dialogs.about import AboutDialog
from kol_desk.ui.dialogs.settings import SettingsDialog
from kol_desk.ui.main_window import TAB_BUDGET, TAB_REPORTS, MainWindow

HEAVY = ("matplotlib", "openpyxl", "python_calamine", "xlsxwriter", "pandas")
# Ours, but not needed to show the Creators tab: imported when first used.
LATER = ("kol_desk.importing", "kol_desk.services.creator_edit", "kol_desk.services.creator_page",
         "kol_desk.ui.creators.actions", "kol_desk.ui.creators.dialogs", "kol_desk.ui.reports")


def test_the_window_shows_tabs_title_and_status(qtbot: QtBot, main_window: MainWindow) -> None:
    tabs = [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())]
    assert tabs == ["Creators", "Campaigns", "Budget", "Reports"]
    assert main_window.windowTitle() == "KOL Desk — Demo"
    assert str(main_window.context.workspace.path) in main_window.location_label.text()
    # counted by a worker
    qtbot.waitUntil(lambda: main_window.counts_label.text() != "")
    assert main_window.counts_label.text() == "300 creators · 395 accounts · 4 campaigns · 96 collaborations"
    menus = [a.text() for a in main_window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]
    file_items = [a.text() for a in main_window.menuBar().actions()[0].menu().actions() if a.text()]
    for wanted in ("&New workspace…", "&Open workspace…", "&Import agency list…", "&Export",
                   "&Backup now", "&Restore…", "&Quit"):
        assert wanted in file_items


def test_each_tab_shows_real_data(qtbot: QtBot, main_window: MainWindow) -> None:
    qtbot.waitUntil(lambda: main_window.creators_tab.model.is_counted)  # counted by a worker
    assert main_window.creators_tab.model.total == 395
    assert main_window.creators_tab.model.rowCount() > 0
    assert main_window.campaigns_tab.model.rowCount() == 4
    assert main_window.budget_tab.model.rowCount() == 4
    assert "of ¥2,000,000 " in main_window.budget_tab.headline.text()
    # the report is built off the GUI thread; the anniversary campaign has not started, so
    # three campaigns have posts
    qtbot.waitUntil(lambda: main_window.reports_tab.model.rowCount() == 3, timeout=20_000)


def test_only_the_shown_tab_is_built(qtbot: QtBot, main_window: MainWindow) -> None:
    from kol_desk.ui.creators.tab import CreatorsTab

    pages = [type(main_window.tabs.widget(i)) for i in range(main_window.tabs.count())]
    assert pages == [CreatorsTab, QWidget, QWidget, QWidget]
    main_window.tabs.setCurrentIndex(TAB_BUDGET)
    assert main_window.tabs.currentWidget() is main_window.budget_tab
    assert main_window.tabs.tabText(TAB_BUDGET) == "Budget"
    assert type(main_window.tabs.widget(TAB_REPORTS)) is QWidget


def test_start_up_imports_no_spreadsheet_or_chart_library_nor_the_forms(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    # A fresh process: this test run has long imported them for other tests.
    script = f"""
import sys
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from kol_desk.preferences import Preferences
from kol_desk.store.migrate import open_workspace
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow
app = QApplication([])
window = MainWindow(AppContext(open_workspace({str(demo_workspace.path)!r}), Preferences(), QUndoStack()))
window.show()
app.processEvents()
print(sorted(m for m in {HEAVY!r} if m in sys.modules))
print(sorted(m for m in {LATER!r} if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=300, cwd=Path(__file__).resolve().parents[2],
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.stdout.strip().splitlines()[-2:] == ["[]", "[]"]


def test_charts_are_warmed_up_after_the_window_shows(demo_workspace: Workspace, tmp_path: Path) -> None:
    # A fresh process, as above: matplotlib stays out of start-up, then a worker loads it
    # (and the chart fonts) while the app is idle, so the first chart does not wait.
    script = f"""
import sys, time
from pathlib import Path
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from kol_desk.charts import render
from kol_desk.preferences import Preferences
from kol_desk.store.migrate import open_workspace
from kol_desk.ui import startup
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow
app = QApplication([])
workspace = open_workspace({str(demo_workspace.path)!r})
window = MainWindow(AppContext(workspace, Preferences(), QUndoStack()))
window.show()
app.processEvents()
print("matplotlib" in sys.modules)
startup.CHARTS_WARM_UP_DELAY_MS = 0
startup.StartupGuard(None, Path({str(tmp_path / "backups")!r})).after_show(window, workspace)
deadline = time.monotonic() + 120
while render._families is None and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
print(render._families is not None)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=300, cwd=Path(__file__).resolve().parents[2],
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.stdout.split() == ["False", "True"]


def test_geometry_and_last_tab_are_remembered(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.resize(780, 600)
    main_window.tabs.setCurrentIndex(TAB_BUDGET)
    main_window.close()
    again = MainWindow(main_window.context)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == TAB_BUDGET
    assert (again.width(), again.height()) == (780, 600)


def test_switching_the_language_rebuilds_the_window_in_chinese(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    app = Application(QApplication.instance(), Preferences())  # type: ignore[arg-type]
    window = app.show(demo_workspace)
    qtbot.addWidget(window)

    def choose_chinese() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.language_box.setCurrentIndex(dialog.language_box.findData("zh_CN"))
        dialog.accept()

    QTimer.singleShot(0, choose_chinese)
    window.show_settings()
    rebuilt = app.window
    assert rebuilt is not None and rebuilt is not window
    qtbot.addWidget(rebuilt)
    assert rebuilt.windowTitle() == "KOL Desk — Demo"
    assert [rebuilt.tabs.tabText(i) for i in range(4)] == ["达人", "项目", "预算", "报表"]
    qtbot.waitUntil(lambda: rebuilt.counts_label.text().startswith("300 位达人"))
    assert Preferences().get("language") == "zh_CN"
    rebuilt.grab().save(str(Path(demo_workspace.path).with_name("zh.png")))  # type: ignore[arg-type]
    set_language("en")


def test_about_shows_version_and_database(qtbot: QtBot, main_window: MainWindow) -> None:
    dialog = AboutDialog(main_window.context.workspace.display_location, main_window)
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.location)))
    assert __version__ in texts and str(main_window.context.workspace.path) in texts


def test_backup_now_writes_a_copy_in_the_data_folder(
    qtbot: QtBot, main_window: MainWindow, isolated_folders: Path
) -> None:
    main_window.backup_now()
    backups = isolated_folders / "backups"
    # The message comes once the worker has finished and the copy is in place.
    qtbot.waitUntil(lambda: "Backed up to" in main_window.statusBar().currentMessage(), timeout=10000)
    assert any(backups.glob("*-manual*.sqlite"))


def test_opening_a_damaged_file_says_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: object
) -> None:
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"garbage" * 100)
    shown: list[str] = []
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    try:
        app = Application(QApplication.instance(), Preferences())  # type: ignore[arg-type]
        assert app.open(bad) is None
    finally:
        mp.undo()
    assert shown and str(bad) in shown[0]
    assert bad.read_bytes() == b"garbage" * 100
    _ = QDialog


def test_a_first_start_opens_the_demo_in_a_new_data_folder(qtbot: QtBot, isolated_folders: Path) -> None:
    # What `kol-desk --demo` does on a machine that never ran KOL Desk.
    assert not isolated_folders.exists()
    app = Application(QApplication.instance(), Preferences())  # type: ignore[arg-type]
    window = app.open("demo:")
    assert window is not None
    qtbot.addWidget(window)
    assert window.windowTitle() == "KOL Desk — Demo"
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("300 creators"))
    assert (isolated_folders / "demo.sqlite").exists()
    # The start-up check and backup run in the background; they find the new demo healthy.
    qtbot.waitUntil(lambda: bool(list_backups(isolated_folders / "backups", "demo")), timeout=60_000)
    qtbot.waitUntil(lambda: not workers._running, timeout=60_000)
    assert [b.reason for b in list_backups(isolated_folders / "backups", "demo")] == ["startup"]
    window.close()
    window.context.workspace.dispose()
