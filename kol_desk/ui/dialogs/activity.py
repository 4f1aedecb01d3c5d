"""The Activity view (who did what, when) and the refresher that lets a window notice a
colleague's changes on a team database."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import KnownError
from kol_desk.i18n import items, tr
from kol_desk.labels import RECORD_FIELDS_UNSHOWN, record_field_label, stage_label
from kol_desk.metrics import DASH
from kol_desk.services import activity
from kol_desk.services.activity import ActivityLine
from kol_desk.store.database import Workspace
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.workers import start_job
from kol_desk.ui.context import AppContext, Change

log = logging.getLogger(__name__)


def entity_label(entity: str) -> str:
    return {
        "creators": tr("creator"), "campaigns": tr("campaign"), "collaborations": tr("card"),
        "payments": tr("payment"), "payment": tr("payment"),
        "platform_accounts": tr("account"), "quotes": tr("quote"), "agencies": tr("agency"), "budget_periods": tr("budget period"),
        "budget_entries": tr("budget line"), "import_batches": tr("import"),
    }.get(entity, entity)


def describe(line: ActivityLine) -> str:
    """One entry as a sentence in the reader's language."""
    thing = entity_label(line.entity)
    name = line.summary or (f"#{line.entity_id}" if line.entity_id is not None else "")
    details = line.details or {}
    if line.action == "create":
        return tr("Added {thing} {name}", thing=thing, name=name)
    if line.action == "edit":
        # Named as the forms name them; bookkeeping an older entry may still list is left out.
        fields = items([record_field_label(line.entity, str(f)) for f in details.get("fields", [])
                        if f not in RECORD_FIELDS_UNSHOWN])
        return tr("Edited {thing} {name}: {fields}", thing=thing, name=name, fields=fields or DASH)
    if line.action == "delete":
        return tr("Deleted {thing} {name}", thing=thing, name=name)
    if line.action == "move":
        return tr("Moved {thing} {name} from {source} to {target}", thing=thing, name=name,
                  source=stage_label(details.get("from")), target=stage_label(details.get("to")))
    if line.action == "import":
        return tr("Imported {name}", name=name)
    if line.action == "payment":
        return tr("Recorded a payment on {name}", name=name)
    if line.action == "paid":
        return tr("Marked a payment paid: {name}", name=name)
    if line.action == "unpaid":
        return tr("Marked a payment unpaid: {name}", name=name)
    return f"{line.action} {thing} {name}"


COLUMNS = [
    Column("When", lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M"), sort_key=lambda r: r.at),
    Column("Who", lambda r: r.user or DASH),
    Column("What", describe),
]


class ActivityDialog(QDialog):
    """The team's recent changes, newest first, optionally for one person."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(tr("Activity"))
        self.resize(760, 480)
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.who = QComboBox()
        self.who.addItem(tr("Everyone"), None)
        self.who.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.reload)
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Show:")))
        top.addWidget(self.who)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.loading = False
        self.reload()

    def reload(self) -> None:
        user = self.who.currentData()
        workspace = self.workspace
        self.loading = True
        self.status.setText(tr("Loading…"))

        def load(_control: Any) -> tuple[list[ActivityLine], list[str]]:
            return activity.recent(workspace, user=user), activity.users(workspace)

        start_job(load, self._loaded, self._failed, parent=self)

    def _loaded(self, result: object) -> None:
        assert isinstance(result, tuple)
        lines: list[ActivityLine] = result[0]
        users: list[str] = result[1]
        self.model.set_rows(lines)
        known = {self.who.itemData(i) for i in range(self.who.count())}
        self.who.blockSignals(True)
        for name in users:
            if name not in known:
                self.who.addItem(name, name)
        self.who.blockSignals(False)
        self.status.setText(tr("{count} changes shown", count=len(lines)) if lines
                            else tr("No changes recorded yet."))
        self.loading = False

    def _failed(self, error: BaseException) -> None:
        self.status.setText(tr("Cannot read the activity: {reason}", reason=str(error)))
        self.loading = False


class TeamRefresher(QObject):
    """Notices changes made outside this window: a colleague's on a team database at
    once when the server notifies their commit (LISTEN/NOTIFY), and on any workspace
    (a `kol-desk import` beside the window on a local file) when the window comes back
    to the front and every ``interval`` seconds; it compares the activity stamp and
    tells the tabs to refresh when it moved."""

    changed = Signal()

    def __init__(self, context: AppContext, interval: int = 20, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.stamp: int | None = None
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval * 1000)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # A signal, not an application-wide event filter: a filter in Python would
            # run for every event of every widget.
            app.applicationStateChanged.connect(self._state_changed)
        self.feed: activity.ChangeFeed | None = None
        if not context.workspace.is_sqlite:
            self._listen()
        # This window's own writes move the stamp too; they are shown already, so the
        # stamp is read again after each of them without refreshing every tab.
        self._absorb = False
        context.events.changed.connect(self._own_change)
        if context.workspace.is_sqlite:
            self._read_now()
        else:
            self.check()
        self.timer.start()

    def _listen(self) -> None:
        try:
            self.feed = activity.ChangeFeed(self.context.workspace)
        except KnownError as exc:  # the poll still refreshes, only later
            log.warning("%s", exc)
            return
        self.notifier = QSocketNotifier(self.feed.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._notified)
        self.destroyed.connect(self.feed.close)

    def _notified(self) -> None:
        assert self.feed is not None
        try:
            wrote = self.feed.colleagues_wrote()
        except KnownError as exc:  # the server went away: the poll takes over
            log.warning("%s", exc)
            self.notifier.setEnabled(False)
            self.feed.close()
            self.feed = None
            return
        if wrote:
            self.check()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()

    def _own_change(self, _change: Change) -> None:
        if self.context.workspace.is_sqlite and not self._busy:
            self._read_now()
            return
        self._absorb = True
        self.check()

    def _read_now(self) -> None:
        """A local file answers in a millisecond (one primary-key maximum): read here,
        instead of starting a job for every save."""
        try:
            self.stamp = activity.change_stamp(self.context.workspace)
        except KnownError as exc:  # the next check tries again
            log.warning("%s", exc)

    def check(self) -> None:
        if self._busy:
            return
        self._busy = True
        workspace = self.context.workspace
        start_job(lambda _control: activity.change_stamp(workspace), self._stamped, self._failed,
                  owner=self)

    def _stamped(self, stamp: object) -> None:
        self._busy = False
        assert isinstance(stamp, int)
        previous, self.stamp = self.stamp, stamp
        if self._absorb:
            self._absorb = False
        elif previous is not None and stamp != previous:
            self.context.events.announce(Change.ALL)
            self.changed.emit()

    def _failed(self, _error: BaseException) -> None:
        self._busy = False  # the server is away for a moment; the next check tries again
