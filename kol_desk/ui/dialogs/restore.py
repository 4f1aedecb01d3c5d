"""File → Restore…: the workspace's backups with date, size and what each holds; restoring
one first backs up the current state, so a restore can itself be undone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.store.backup import BackupInfo, list_backups
from kol_desk.store.restore import RestoreResult, restore_backup
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.workers import start_job
from kol_desk.ui.context import AppContext, Change


def reason_label(reason: str) -> str:
    labels = {
        "startup": tr("At start-up"),
        "manual": tr("Backup now"),
        "before-restore": tr("Before a restore"),
        "before-import": tr("Before an import"),
        "before-bulk-delete": tr("Before a bulk delete"),
    }
    if reason.startswith("before-migrate"):
        return tr("Before an upgrade")
    return labels.get(reason, reason)


def _count_text(table: str) -> Callable[[BackupInfo], str]:
    return lambda b: f"{b.counts[table]:,}" if table in b.counts else "—"


def _count_key(table: str) -> Callable[[BackupInfo], int | None]:
    return lambda b: b.counts.get(table)


COLUMNS = [
    Column("Date", lambda b: b.created.astimezone().strftime("%Y-%m-%d %H:%M"),
           sort_key=lambda b: b.created),
    Column("Made", lambda b: reason_label(b.reason)),
    Column("Size", lambda b: f"{b.size / 1_048_576:,.1f} MB", sort_key=lambda b: b.size,
           numeric=True),
    Column("Creators", _count_text("creators"), _count_key("creators"), numeric=True),
    Column("Accounts", _count_text("platform_accounts"), _count_key("platform_accounts"),
           numeric=True),
    Column("Quotes", _count_text("quotes"), _count_key("quotes"), numeric=True),
    Column("Campaigns", _count_text("campaigns"), _count_key("campaigns"), numeric=True),
    Column("Collaborations", _count_text("collaborations"), _count_key("collaborations"),
           numeric=True),
    Column("State", lambda b: tr("Good") if b.ok else tr("Damaged"),
           colour=lambda b: None if b.ok else "#c62828",
           tooltip=lambda b: str(b.problem) if b.problem else None),
]


class RestoreDialog(QDialog):
    def __init__(self, context: AppContext, backup_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RestoreDialog")
        self.setWindowTitle(tr("Restore a backup"))
        self.context = context
        self.backup_dir = backup_dir
        self.result_: RestoreResult | None = None
        path = context.workspace.path
        assert path is not None, "only SQLite workspaces have backups"
        self.database = path
        self.intro = QLabel(tr(
            "Backups of {file} in {folder}. Restoring replaces the workspace with the chosen "
            "backup; the current state is backed up first, so this can be undone.",
            file=path.name, folder=str(backup_dir)))
        self.intro.setWordWrap(True)
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.empty = QLabel(tr("Loading the backups…"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(tr("Restore this backup…"))
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.load()

    def load(self) -> None:
        stem = self.database.stem
        start_job(lambda _c: list_backups(self.backup_dir, stem), self._loaded,
                  self._failed, parent=self)

    def _loaded(self, backups: object) -> None:
        assert isinstance(backups, list)
        self.model.set_rows(backups)
        if backups:
            self.empty.hide()
            self.table.selectRow(0)
        else:
            self.empty.setText(tr("No backups yet. KOL Desk makes one at every start and "
                                  "before every import; File → Backup now makes one at once."))
        self.restore_button.setEnabled(bool(backups) and not self.context.read_only)
        if self.context.read_only:
            self.empty.setText(tr("This workspace is open read-only, so it cannot be restored "
                                  "here."))
            self.empty.show()

    def _failed(self, error: BaseException) -> None:
        QMessageBox.critical(self, tr("Restore a backup"), str(error))

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or self.context.read_only:
            return
        if not backup.ok:
            QMessageBox.warning(self, tr("Restore a backup"), tr(
                "This backup is damaged and cannot be restored: {problem}",
                problem=backup.problem or ""))
            return
        when = backup.created.astimezone().strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(self, tr("Restore a backup"), tr(
            "Replace the workspace with the backup from {when} ({creators} creators)? The "
            "current state is backed up first.", when=when,
            creators=f"{backup.counts.get('creators', 0):,}"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        workspace = self.context.workspace
        target = self.database

        def work(_control: object) -> RestoreResult:
            # Every pooled connection closed first: the file is replaced underneath.
            workspace.engine.dispose()
            return restore_backup(backup.path, target, self.backup_dir)

        self.restore_button.setEnabled(False)
        start_job(work, self._restored, self._restore_failed, parent=self,
                  title=tr("Restoring…"))

    def _restored(self, result: object) -> None:
        assert isinstance(result, RestoreResult)
        self.context.workspace.engine.dispose()
        self.result_ = result
        # The edits on the undo stack belong to the replaced state.
        self.context.undo_stack.clear()
        self.context.events.announce(Change.ALL)
        self.accept()

    def _restore_failed(self, error: BaseException) -> None:
        self.restore_button.setEnabled(True)
        QMessageBox.critical(self, tr("Restore failed"), str(error))
