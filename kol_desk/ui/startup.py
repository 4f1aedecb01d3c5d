"""Opening a workspace safely: one writer at a time, damaged files detected and never
overwritten, and a health check plus backup after every start.

``Application.open`` hands the opening to a ``StartupGuard``; the guard owns the
workspace lock and the local server through which a second KOL Desk can bring this
window to the front.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from kol_desk.errors import (
    DamagedDatabaseError,
    KnownError,
    NotAWorkspaceError,
    ReadOnlyStoreError,
    WorkspaceInUseError,
)
from kol_desk.i18n import tr
from kol_desk.store.backup import backup_at_start, latest_good_backup
from kol_desk.store.database import Workspace, database_url
from kol_desk.store.lock import WorkspaceLock
from kol_desk.store.restore import is_healthy, restore_backup
from kol_desk.ui.instance import InstanceServer, ask_to_activate

log = logging.getLogger(__name__)
Opener = Callable[..., Workspace]
START_CHECK_DELAY_MS = 2000
CHARTS_WARM_UP_DELAY_MS = 6000


def sqlite_path(target: str | Path) -> Path | None:
    """The database file behind a target (``demo:`` included), None for a server."""
    if str(target) == "demo:":
        from kol_desk.paths import demo_database

        return demo_database()
    url = database_url(target)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    return None


class StartupGuard:
    def __init__(self, parent: QWidget | None, backup_dir: Path,
                 current: StartupGuard | None = None) -> None:
        self.parent = parent
        self.backup_dir = backup_dir
        self.current = current
        self.lock: WorkspaceLock | None = None
        self.server: InstanceServer | None = None
        self.switched = False  # the user chose to go to the window that has it

    # -- opening ---------------------------------------------------------------------
    def open(self, target: str | Path, opener: Opener, read_only: bool = False
             ) -> Workspace | None:
        """The opened workspace, or None when the user chose another way out. Known
        errors the user cannot fix here propagate."""
        path = sqlite_path(target)
        if path is not None and not read_only:
            taken = self._take_lock(path)
            if taken is None:
                return None
            read_only = taken
        try:
            return self._open_or_restore(target, path, opener, read_only)
        except BaseException:
            self.release_if_new()
            raise

    def _take_lock(self, path: Path) -> bool | None:
        """False: we hold the lock; True: open read-only; None: the user gave up."""
        if self.current is not None and self.current.lock is not None \
                and self.current.lock.database.resolve() == path.resolve():
            self.lock, self.current.lock = self.current.lock, None  # same file again
            self.server, self.current.server = self.current.server, None
            return False
        try:
            self.lock = WorkspaceLock.acquire(path)
            return False
        except ReadOnlyStoreError as exc:
            QMessageBox.information(self.parent, tr("Read-only"), str(exc))
            return True
        except WorkspaceInUseError as exc:
            return self._ask_in_use(path, exc)

    def _ask_in_use(self, path: Path, exc: WorkspaceInUseError) -> bool | None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Workspace already open"),
                          str(exc), parent=self.parent)
        box.setObjectName("InUseDialog")
        box.setInformativeText(tr("Switch to that window, or open this workspace read-only "
                                  "here (you can look, search and export, but not change)."))
        switch = box.addButton(tr("Switch to that window"), QMessageBox.ButtonRole.AcceptRole)
        read_only = box.addButton(tr("Open read-only"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(switch)
        box.exec()
        if box.clickedButton() is read_only:
            return True
        if box.clickedButton() is switch:
            self.switched = True
            if not ask_to_activate(path):
                QMessageBox.information(self.parent, tr("Workspace already open"), tr(
                    "The other KOL Desk window did not answer; look for it on your other "
                    "desktops or in the task bar."))
        return None

    def _open_or_restore(self, target: str | Path, path: Path | None, opener: Opener,
                         read_only: bool) -> Workspace | None:
        try:
            return opener(target, read_only=read_only)
        except (DamagedDatabaseError, NotAWorkspaceError) as exc:
            if path is None or read_only or not self.offer_restore(path, str(exc)):
                raise
        return opener(target, read_only=False)

    def offer_restore(self, path: Path, problem: str) -> bool:
        """Offer the latest good backup of ``path``; True when it was restored (the
        damaged file renamed aside, never overwritten)."""
        good = latest_good_backup(self.backup_dir, path.stem)
        if good is None:
            return False
        counts = good.counts
        box = QMessageBox(QMessageBox.Icon.Critical, tr("The workspace is damaged"), problem,
                          parent=self.parent)
        box.setObjectName("DamagedDialog")
        box.setInformativeText(tr(
            "The latest good backup is from {when} ({creators} creators, {campaigns} "
            "campaigns). Restore it? The damaged file is kept next to it, renamed, so "
            "nothing is overwritten.",
            when=good.created.astimezone().strftime("%Y-%m-%d %H:%M"),
            creators=f"{counts.get('creators', 0):,}", campaigns=f"{counts.get('campaigns', 0):,}"))
        restore = box.addButton(tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(restore)
        box.exec()
        if box.clickedButton() is not restore:
            return False
        result = restore_backup(good.path, path, self.backup_dir)
        if result.set_aside is not None:
            QMessageBox.information(self.parent, tr("Backup restored"), tr(
                "The backup was restored. The damaged file is kept as {file}.",
                file=str(result.set_aside)))
        return True

    # -- after the window shows -------------------------------------------------------
    def after_show(self, window: QMainWindow, workspace: Workspace) -> None:
        """Listen for a second KOL Desk, and check and back up the workspace in the
        background (a 200 MB workspace takes about 3 s: never on the GUI thread), once
        the window has had START_CHECK_DELAY_MS to load its first tab: on two cores the
        check would otherwise slow the start-up it follows."""
        if self.lock is not None and self.server is None:
            self.server = InstanceServer(self.lock.database)
        if self.server is not None:
            self.server.activate_requested.connect(lambda: _bring_to_front(window))
        from kol_desk.ui.common.workers import start_job

        def warm_up(_control: object) -> None:
            from kol_desk.charts.render import warm_up

            warm_up()

        # After the start-up check: the first Reports or Budget chart then finds
        # matplotlib and its fonts loaded.
        QTimer.singleShot(CHARTS_WARM_UP_DELAY_MS, window, lambda: start_job(
            warm_up, lambda _r: None, lambda e: log.warning("chart warm-up: %s", e), parent=window))
        if workspace.path is None or workspace.read_only:
            return

        path, backup_dir = workspace.path, self.backup_dir

        def check(_control: object) -> Path | None:
            if not is_healthy(path):
                raise DamagedDatabaseError(tr(
                    "{file} failed SQLite's integrity check: part of it is damaged. Restore "
                    "the latest good backup (File → Restore…); no new backup was made, so "
                    "the good ones are kept.", file=str(path)))
            return backup_at_start(workspace, backup_dir)

        def done(result: object) -> None:
            if result is not None:
                log.info("start-up backup written: %s", result)

        def failed(error: BaseException) -> None:
            # Once the window is closed, its workspace is being closed too (which changes
            # the file under the check): no one to tell, and likely no damage.
            if not window.isVisible():
                log.warning("start-up check after the window closed: %s", error)
            elif isinstance(error, KnownError):
                QMessageBox.warning(window, tr("Start-up check"), str(error))

        QTimer.singleShot(START_CHECK_DELAY_MS, window,
                          lambda: start_job(check, done, failed, parent=window))

    def release_if_new(self) -> None:
        if self.lock is not None and (self.current is None or self.current.lock is not self.lock):
            self.lock.release()
            self.lock = None

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _bring_to_front(window: QMainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
