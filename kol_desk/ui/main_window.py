"""The main window: four tabs, the menus, and a status bar with where the data lives."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.paths import backups_dir, data_dir
from kol_desk.services.overview import Counts, workspace_counts, workspace_name
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.common.lazy_tabs import install_page
from kol_desk.ui.common.workers import Job, start_job
from kol_desk.ui.context import AppContext, Change

if TYPE_CHECKING:
    from kol_desk.ui.budget.tab import BudgetTab
    from kol_desk.ui.campaigns.tab import CampaignsTab
    from kol_desk.ui.creators.tab import CreatorsTab
    from kol_desk.ui.reports.tab import ReportsTab

log = logging.getLogger(__name__)
TAB_CREATORS, TAB_CAMPAIGNS, TAB_BUDGET, TAB_REPORTS = range(4)
PREF_LAST_TABS = "last_tab_by_workspace"


def _workspace_filter() -> str:
    return tr("KOL Desk workspace (*.sqlite *.db);;All files (*)")


class MainWindow(QMainWindow):
    # Asks the application to open another workspace (a path or URL) in a new window.
    open_workspace_requested = Signal(str)
    # Asks the application to rebuild the window, e.g. after a language change.
    rebuild_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("MainWindow")
        self.setMinimumSize(720, 480)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # Each tab is built (and loads its data) the first time it is shown, so start-up
        # costs only the tab the user sees; until then an empty placeholder holds its place.
        self._built: dict[int, QWidget] = {}
        for title in (tr("Creators"), tr("Campaigns"), tr("Budget"), tr("Reports")):
            self.tabs.addTab(QWidget(), title)
        self.setCentralWidget(self.tabs)

        self.location_label = QLabel()
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel()
        self._counts: Counts | None = None
        self._counting: Job | None = None  # the newest count; an older one's answer is dropped
        self.statusBar().addWidget(self.location_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

        self._build_menus()
        self._restore_state()
        self.tab(self.tabs.currentIndex())
        self.tabs.currentChanged.connect(self._tab_changed)
        context.events.changed.connect(self.update_status)
        self.update_title()
        self.update_status()

    # -- tabs --------------------------------------------------------------------------
    def tab(self, index: int) -> QWidget:
        """The tab at ``index``, built now if it was not shown yet."""
        built = self._built.get(index)
        if built is not None:
            return built
        built = self._make_tab(index)
        self._built[index] = built
        install_page(self.tabs, index, built)
        return built

    def _make_tab(self, index: int) -> QWidget:
        if index == TAB_CREATORS:
            from kol_desk.ui.creators.tab import CreatorsTab

            return CreatorsTab(self.context)
        if index == TAB_CAMPAIGNS:
            from kol_desk.ui.campaigns.tab import CampaignsTab

            return CampaignsTab(self.context)
        if index == TAB_BUDGET:
            from kol_desk.ui.budget.tab import BudgetTab

            return BudgetTab(self.context)
        from kol_desk.ui.reports.tab import ReportsTab

        return ReportsTab(self.context)

    @property
    def creators_tab(self) -> CreatorsTab:
        return cast("CreatorsTab", self.tab(TAB_CREATORS))

    @property
    def campaigns_tab(self) -> CampaignsTab:
        return cast("CampaignsTab", self.tab(TAB_CAMPAIGNS))

    @property
    def budget_tab(self) -> BudgetTab:
        return cast("BudgetTab", self.tab(TAB_BUDGET))

    @property
    def reports_tab(self) -> ReportsTab:
        return cast("ReportsTab", self.tab(TAB_REPORTS))

    def _tab_changed(self, index: int) -> None:
        self.tab(index)
        tabs = self._last_tabs()
        tabs.pop(self.context.workspace.display_location, None)
        tabs[self.context.workspace.display_location] = index
        # the newest few workspaces only: the preferences file stays small
        self.context.preferences.set(PREF_LAST_TABS, dict(list(tabs.items())[-20:]))

    # -- menus -------------------------------------------------------------------------
    def _action(
        self, text: str, slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addAction(self._action(tr("&New workspace…"), self.new_workspace, QKeySequence.StandardKey.New))
        file_menu.addAction(self._action(tr("&Open workspace…"), self.open_workspace, QKeySequence.StandardKey.Open))
        file_menu.addAction(self._action(tr("Open the &demo workspace"), self.open_demo))
        self._add_team_actions(file_menu)
        file_menu.addSeparator()
        self.import_action = self._action(tr("&Import agency list…"), self.import_agency_list, "Ctrl+I")
        with_icons((self.import_action, "import"))
        file_menu.addAction(self.import_action)
        export_menu = file_menu.addMenu(tr("&Export"))
        self.export_creators_action = self._action(tr("Creators…"), self.export_creators)
        self.export_report_action = self._action(tr("Report…"), self.export_report, "Ctrl+E")
        self.export_budget_action = self._action(tr("Budget…"), self.export_budget)
        for action in (self.export_creators_action, self.export_report_action, self.export_budget_action):
            export_menu.addAction(action)
        file_menu.addSeparator()
        self.backup_action = self._action(tr("&Backup now"), self.backup_now)
        self.restore_action = self._action(tr("&Restore…"), self.restore_backup)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(tr("&Settings…"), self.show_settings, QKeySequence.StandardKey.Preferences))
        file_menu.addSeparator()
        file_menu.addAction(self._action(tr("&Quit"), self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu(tr("&Edit"))
        undo = self.context.undo_stack.createUndoAction(self, tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.context.undo_stack.createRedoAction(self, tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action(tr("&Find creator"), self.find_creator, QKeySequence.StandardKey.Find))
        self.negotiate_action = self._action(tr("&Negotiate…"), self.negotiate, "Ctrl+Shift+N")
        edit_menu.addAction(self.negotiate_action)
        edit_menu.addAction(self._action(tr("Negotiation sheet for the selected accounts…"), self.shortlist_sheet))
        edit_menu.addAction(self._action(tr("Platform fees and rebates…"), self.edit_platform_fees))

        view_menu = bar.addMenu(tr("&View"))
        for index, name in enumerate((tr("Creators"), tr("Campaigns"), tr("Budget"), tr("Reports"))):
            view_menu.addAction(self._action(name, partial(self.tabs.setCurrentIndex, index), f"Ctrl+{index + 1}"))
        view_menu.addSeparator()
        view_menu.addAction(self._action(tr("&Refresh"), self.refresh_all, QKeySequence.StandardKey.Refresh))
        view_menu.addAction(self._action(tr("&Activity"), self.show_activity, "Ctrl+Shift+A"))

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(self._action(tr("Open the &data folder"), self.open_data_folder))
        help_menu.addAction(self._action(tr("&About KOL Desk"), self.show_about))

    def _add_team_actions(self, menu: QMenu) -> None:
        from kol_desk.ui.dialogs import connect

        menu.addSeparator()
        self.connect_team_action = self._action(tr("Connect to &team database…"), partial(connect.connect_to_team, self))
        self.copy_to_team_action = self._action(tr("&Copy this workspace to a team database…"), partial(connect.copy_to_team_database, self))
        self.save_local_copy_action = self._action(tr("Save a &local copy…"), partial(connect.save_local_copy_as, self))
        self.copy_to_team_action.setEnabled(self.context.workspace.is_sqlite)
        for action in (self.connect_team_action, self.copy_to_team_action, self.save_local_copy_action):
            menu.addAction(action)
        from kol_desk.ui.dialogs.activity import TeamRefresher

        # A colleague's moves and edits (team database), or a `kol-desk import` run beside
        # this window (local file), appear without restarting.
        self.team_refresher = TeamRefresher(self.context, parent=self)

    def show_activity(self) -> None:
        from kol_desk.ui.dialogs.activity import ActivityDialog

        ActivityDialog(self.context.workspace, self).exec()

    # -- state -------------------------------------------------------------------------
    def _restore_state(self) -> None:
        prefs = self.context.preferences
        geometry = prefs.get("window_geometry")
        restored = False
        if isinstance(geometry, str):
            restored = self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        if not restored:
            self.resize(1280, 800)
        # The tab last shown for this workspace: a new one (or the demo's first visit)
        # opens on Creators, where its first list goes.
        tab = self._last_tabs().get(self.context.workspace.display_location, TAB_CREATORS)
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def _last_tabs(self) -> dict[str, object]:
        tabs = self.context.preferences.get(PREF_LAST_TABS)
        return tabs if isinstance(tabs, dict) else {}

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry = bytes(self.saveGeometry().data())
        self.context.preferences.set("window_geometry", base64.b64encode(geometry).decode("ascii"))
        super().closeEvent(event)

    def update_title(self) -> None:
        name = workspace_name(self.context.workspace)
        suffix = tr(" (read-only)") if self.context.read_only else ""
        self.setWindowTitle(tr("KOL Desk — {name}", name=name) + suffix)

    def update_status(self, change: Change = Change.ALL) -> None:
        self.location_label.setText(tr("Database: {location}", location=self.context.workspace.display_location))
        # Creators and accounts only change with creator data; recounting 100k of them on
        # every board move would hold up the move (unless a recount is still under way:
        # its answer is dropped for this newer one). Counted on a worker: at 100k creators
        # the counts cost start-up and every edit ~25 ms of the GUI thread.
        recount = change.touches(Change.CREATORS) or self._counting is not None
        keep = None if recount else self._counts
        workspace = self.context.workspace
        job = self._counting = start_job(
            lambda _control: workspace_counts(workspace, keep),
            lambda counts: self._show_counts(job, counts),
            lambda error: self._counts_failed(job, error), owner=self)

    def _counts_failed(self, job: Job, error: BaseException) -> None:
        log.warning("status bar counts: %s", error)
        if job is self._counting:
            self._counting = None

    def _show_counts(self, job: Job, counts: Counts) -> None:
        if job is not self._counting:
            return
        self._counts, self._counting = counts, None
        self.counts_label.setText(tr(
            "{creators} creators · {accounts} accounts · {campaigns} campaigns · {collaborations} collaborations",
            creators=f"{counts.creators:,}", accounts=f"{counts.accounts:,}",
            campaigns=f"{counts.campaigns:,}", collaborations=f"{counts.collaborations:,}"))

    def refresh_all(self) -> None:
        self.context.events.announce(Change.ALL)

    # -- actions -----------------------------------------------------------------------
    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("New workspace"), str(data_dir() / "workspace.sqlite"), _workspace_filter())
        if path:
            self.open_workspace_requested.emit(path)

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open workspace"), str(data_dir()), _workspace_filter())
        if path:
            self.open_workspace_requested.emit(path)

    def open_demo(self) -> None:
        self.open_workspace_requested.emit("demo:")

    def run_start_action(self, key: str) -> None:
        """A tab's empty state asks for the next step (``ui.common.empty_state``)."""
        from kol_desk.ui.common import empty_state
        from kol_desk.ui.dialogs import connect

        actions: dict[str, Callable[[], object]] = {
            empty_state.IMPORT: self.import_agency_list, empty_state.DEMO: self.open_demo,
            empty_state.TEAM: partial(connect.connect_to_team, self)}
        actions[key]()

    def import_agency_list(self) -> None:
        from kol_desk.ui.importing.wizard import ImportWizard

        if self.context.read_only:
            QMessageBox.information(self, tr("Import agency list"), tr(
                "This workspace is open read-only; nothing can be imported into it."))
            return
        self.import_wizard = ImportWizard(self.context, self)
        self.import_wizard.imported.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.import_wizard.open()

    def export_creators(self) -> None:
        from kol_desk.ui.reports.export_actions import export_creators

        search = getattr(self.creators_tab, "search", None)
        export_creators(self, self.context, search.text() if search is not None else "",
                        on_done=lambda message: self.statusBar().showMessage(message, 8000))

    def export_report(self) -> None:
        # The workbook covers the scope picked in the Reports tab (all campaigns by default).
        self.reports_tab.export_report()

    def export_budget(self) -> None:
        # The Budget tab owns the export (the selected period, worker thread, progress).
        self.budget_tab.export()

    def backup_now(self) -> None:
        from kol_desk.store.backup import backup_before
        from kol_desk.ui.common.workers import start_job

        path = self.context.workspace.path
        if path is None:
            QMessageBox.information(self, tr("Backup"), tr(
                "This workspace is on a database server; back it up with the server's own tools."))
            return

        def done(target: object) -> None:
            self.statusBar().showMessage(tr("Backed up to {path}", path=str(target)), 8000)

        def failed(error: BaseException) -> None:
            QMessageBox.critical(self, tr("Backup failed"), str(error))

        workspace = self.context.workspace
        # backup_before rotates too (the last 10 + one per week), like every automatic one.
        start_job(lambda _control: backup_before(workspace, "manual", backups_dir()), done,
                  failed, parent=self, title=tr("Backing up…"))

    def restore_backup(self) -> None:
        from kol_desk.ui.dialogs.restore import RestoreDialog

        if self.context.workspace.path is None:
            QMessageBox.information(self, tr("Restore a backup"), tr(
                "This workspace is on a database server; restore it with the server's own tools."))
            return
        dialog = RestoreDialog(self.context, backups_dir(), self)
        if dialog.exec() and dialog.result_ is not None:
            self.update_title()
            self.statusBar().showMessage(tr("Restored the backup from {when}", when=dialog.result_
                                            .restored.created.astimezone().strftime("%Y-%m-%d %H:%M")), 8000)

    def find_creator(self) -> None:
        self.tabs.setCurrentIndex(TAB_CREATORS)
        self.creators_tab.search.setFocus()
        self.creators_tab.search.selectAll()

    def negotiate(self) -> None:
        """The negotiation desk for the creator list's current account: search, pick, Ctrl+Shift+N."""
        self.tabs.setCurrentIndex(TAB_CREATORS)
        if self.creators_tab.negotiate() is None:
            self.statusBar().showMessage(tr("Pick an account in the Creators list first."), 5000)

    def shortlist_sheet(self) -> None:
        from kol_desk.ui.negotiation.sheet import sheet_for_accounts

        self.tabs.setCurrentIndex(TAB_CREATORS)
        ids = [r.account_id for r in self.creators_tab.selected_rows() if r.account_id is not None]
        if not ids:
            self.statusBar().showMessage(tr("Pick an account in the Creators list first."), 5000)
            return
        sheet_for_accounts(self, self.context.workspace, ids)

    def edit_platform_fees(self) -> None:
        from kol_desk.ui.negotiation.fee_rates import PlatformFeeDialog

        PlatformFeeDialog(self.context.workspace, self.context.read_only, self).exec()

    def show_settings(self) -> None:
        from kol_desk.ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.context.preferences, self, workspace=self.context.workspace,
                                read_only=self.context.read_only)
        if dialog.exec() and dialog.language_changed:
            self.rebuild_requested.emit()
        elif dialog.tiers_changed:
            self.context.events.announce(Change.ALL)  # every list and report shows tiers

    def show_about(self) -> None:
        from kol_desk.ui.dialogs.about import AboutDialog

        AboutDialog(self.context.workspace.display_location, self).exec()

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))
