"""File → Restore… and the start-up safety dialogs, used as a person uses them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from kol_desk.app import Application
from kol_desk.models import Creator
from kol_desk.paths import backups_dir
from kol_desk.preferences import Preferences
from kol_desk.store.backup import backup_before, list_backups
from kol_desk.store.migrate import open_workspace
from kol_desk.ui.common import workers
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.dialogs.restore import RestoreDialog
from kol_desk.ui.main_window import MainWindow


def _creators(context: AppContext) -> int:
    from sqlalchemy import func, select

    with context.workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(Creator)) or 0)


def _jobs_done(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not workers._running, timeout=60_000)


def _click_when_shown(name: str, button_text: str, seen: list[str], tries: int = 500) -> None:
    """Click ``button_text`` on the message box ``name`` once it is shown (modal). Gives
    up after ``tries`` × 20 ms so that a box that never came cannot leak into other tests."""

    def attempt(left: int) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.objectName() == name and widget.isVisible():
                for button in widget.findChildren(QPushButton):
                    if button.text().replace("&", "") == button_text:
                        seen.append(widget.text() + "\n" + widget.informativeText())
                        button.click()
                        return
        if left:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(0, lambda: attempt(tries))


def test_restore_dialog_lists_backups_and_restores_one(qtbot: QtBot, main_window: MainWindow,
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    context = main_window.context
    before = _creators(context)
    backup = backup_before(context.workspace, "before-import", tmp_path / "b")
    assert backup is not None
    with context.workspace.transaction() as session:
        session.add(Creator(nickname="added after the backup", search_text="x"))
    dialog = RestoreDialog(context, tmp_path / "b", main_window)
    qtbot.addWidget(dialog)
    QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=30_000)
    dialog.show()
    model: QAbstractItemModel = dialog.model
    shown = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Before an import" in shown and f"{before:,}" in shown and "Good" in shown
    assert any(h == "Creators" for h in headers)
    dialog.grab().save(str(tmp_path / "restore-dialog.png"))

    refreshed: list[Change] = []
    context.events.changed.connect(refreshed.append)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        dialog.restore_button.click()
    assert _creators(context) == before
    assert refreshed == [Change.ALL]
    assert dialog.result_ is not None and dialog.result_.safety_backup is not None
    # The state before the restore is a backup of its own, listed next time.
    assert len(list_backups(tmp_path / "b", context.workspace.name)) == 2
    _jobs_done(qtbot)  # the tabs refresh in the background after "all" changed


def test_restore_dialog_in_read_only_mode_cannot_restore(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    backup_before(context.workspace, "manual", tmp_path / "b")
    context.read_only = True
    dialog = RestoreDialog(context, tmp_path / "b")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=30_000)
    assert not dialog.restore_button.isEnabled()
    assert "read-only" in dialog.empty.text()


def test_backup_now_makes_a_listed_backup(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.backup_action.trigger()
    _jobs_done(qtbot)
    backups = list_backups(backups_dir(), main_window.context.workspace.name)
    assert [b.reason for b in backups] == ["manual"]
    assert "Backed up to" in main_window.statusBar().currentMessage()


@pytest.fixture
def application(qtbot: QtBot) -> Iterator[Application]:
    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    app = Application(qt_app, Preferences())
    yield app
    _jobs_done(qtbot)
    if app.window is not None:
        app.window.close()
        app.window.context.workspace.dispose()
        app.window.deleteLater()
    if app.guard is not None:
        app.guard.release()


HOLDER = """
import sys, time
from pathlib import Path
from kol_desk.store.lock import WorkspaceLock
lock = WorkspaceLock.acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def held_workspace(isolated_folders: Path) -> Iterator[Path]:
    path = isolated_folders / "shared.sqlite"
    ws = open_workspace(path)
    with ws.transaction() as session:
        session.add(Creator(nickname="已有", search_text="已有"))
    ws.dispose()
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    yield path
    child.kill()
    child.wait()


def test_a_second_window_is_offered_read_only_and_does_not_write(
        qtbot: QtBot, application: Application, held_workspace: Path) -> None:
    seen: list[str] = []
    before = held_workspace.read_bytes()
    _click_when_shown("InUseDialog", "Open read-only", seen)
    window = application.open(str(held_workspace))
    assert window is not None and seen and "already open in another KOL Desk window" in seen[0]
    assert window.context.read_only and window.context.workspace.read_only
    assert window.windowTitle().endswith("(read-only)")
    assert _creators(window.context) == 1
    _jobs_done(qtbot)
    # Read once the window let go of it: reading a file SQLite has open drops its locks.
    window.close()
    window.context.workspace.dispose()
    assert held_workspace.read_bytes() == before
    assert not list_backups(backups_dir(), "shared")  # nothing written anywhere


def test_a_second_window_can_switch_to_the_first(qtbot: QtBot, application: Application,
                                                 held_workspace: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    told: list[str] = []
    _click_when_shown("InUseDialog", "Switch to that window", seen)
    # The holder here is a bare process without a window, so it cannot answer: the user
    # is told where to look instead of being left with nothing.
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    assert application.open(str(held_workspace)) is None
    assert application.switched_away and application.window is None
    assert seen and told and "did not answer" in told[0]


def _damage(path: Path) -> bytes:
    data = path.read_bytes()
    damaged = data[: len(data) // 2]
    path.write_bytes(damaged)
    return damaged


def test_a_damaged_workspace_is_detected_and_the_latest_good_backup_offered(
        qtbot: QtBot, application: Application, isolated_folders: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = isolated_folders / "mine.sqlite"
    ws = open_workspace(path)
    with ws.transaction() as session:
        session.add(Creator(nickname="保住的", search_text="保住的"))
    backup_before(ws, "startup")
    ws.dispose()
    damaged = _damage(path)
    seen: list[str] = []
    told: list[str] = []
    _click_when_shown("DamagedDialog", "Restore the backup", seen)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    window = application.open(str(path))
    assert told and "The damaged file is kept as" in told[0]
    assert window is not None
    assert "mine.sqlite" in seen[0] and "damaged" in seen[0]
    assert _creators(window.context) == 1
    aside = list(isolated_folders.glob("mine.sqlite.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged


def test_a_damaged_workspace_without_backups_is_refused_and_left_alone(
        qtbot: QtBot, application: Application, isolated_folders: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = isolated_folders / "lonely.sqlite"
    open_workspace(path).dispose()
    damaged = _damage(path)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    assert application.open(str(path)) is None
    assert shown and "lonely.sqlite" in shown[0]
    assert path.read_bytes() == damaged


def test_start_up_makes_a_backup_in_the_background(qtbot: QtBot, application: Application,
                                                   isolated_folders: Path) -> None:
    path = isolated_folders / "daily.sqlite"
    ws = open_workspace(path)
    with ws.transaction() as session:
        session.add(Creator(nickname="a", search_text="a"))
    ws.dispose()
    window = application.open(str(path))
    assert window is not None and not window.context.read_only
    qtbot.waitUntil(lambda: bool(list_backups(backups_dir(), "daily")), timeout=60_000)
    _jobs_done(qtbot)
    backups = list_backups(backups_dir(), "daily")
    assert [(b.reason, b.counts["creators"]) for b in backups] == [("startup", 1)]
    with sqlite3.connect(backups[0].path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_opening_the_same_workspace_again_keeps_the_lock(qtbot: QtBot, application: Application,
                                                         isolated_folders: Path) -> None:
    path = isolated_folders / "again.sqlite"
    open_workspace(path).dispose()
    assert application.open(str(path)) is not None
    _jobs_done(qtbot)
    assert application.open(str(path)) is not None  # no "already open" dialog from ourselves
    assert application.guard is not None and application.guard.lock is not None

