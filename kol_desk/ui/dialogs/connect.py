"""Connect to team database…: where the shared PostgreSQL is, who you are, and a test.

The password is only ever in memory, or in the system's credential store when the user
asks for that; recent connections are remembered without it. Also the checks the app
makes around opening a workspace: a password to ask for, the person's display name, and
a warning for a SQLite file on a network drive.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from kol_desk.i18n import tr
from kol_desk.preferences import DISPLAY_NAME, Preferences, login_name
from kol_desk.services import activity
from kol_desk.services.transfer import TransferReport
from kol_desk.store.database import Workspace
from kol_desk.store.team import (
    DEFAULT_PORT,
    SSL_MODES,
    ConnectionCheck,
    TeamConnection,
    check_connection,
    credential_store_available,
    forget_password,
    is_team_url,
    network_filesystem,
    recent_connections,
    remember_connection,
    store_password,
    stored_password,
)
from kol_desk.ui.common.workers import start_job


def ssl_label(mode: str) -> str:
    return {
        "prefer": tr("Use SSL when the server offers it"),
        "require": tr("Require SSL"),
        "verify-full": tr("Require SSL and verify the server certificate"),
        "disable": tr("No SSL (only on a trusted office network)"),
    }[mode]


class ConnectDialog(QDialog):
    """Fills a TeamConnection and a password; ``target()`` is the URL to open."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None,
                 initial: TeamConnection | None = None, message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Connect to team database"))
        self.setMinimumWidth(520)
        self.preferences = preferences
        self.last_check: ConnectionCheck | None = None
        self._recent = recent_connections(preferences)

        self.recent_box = QComboBox()
        self.recent_box.addItem(tr("New connection"), None)
        for index, item in enumerate(self._recent):
            self.recent_box.addItem(item.key, index)
        self.recent_box.currentIndexChanged.connect(self._recent_chosen)
        self.host = QLineEdit()
        self.host.setPlaceholderText(tr("e.g. office-server or db.example.com"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setPlaceholderText("kol_desk")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ssl = QComboBox()
        for mode in SSL_MODES:
            self.ssl.addItem(ssl_label(mode), mode)
        self.remember = QCheckBox(tr("Remember the password in the system's credential store"))
        # Enabled while a password is kept for the connection chosen from Recent.
        self.forget_button = QPushButton(tr("Forget the saved password"))
        self.forget_button.setEnabled(False)
        self.forget_button.clicked.connect(self.forget_saved_password)
        if not credential_store_available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(tr(
                "No credential store is available on this computer; you will be asked each time."))
        self.display_name = QLineEdit(str(preferences.get(DISPLAY_NAME) or login_name()))
        self.display_name.setToolTip(tr("Your colleagues see this name next to your changes."))

        self.test_button = QPushButton(tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = QLabel(message)
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("connectionResult")

        form = QFormLayout()
        form.addRow(tr("Recent:"), self.recent_box)
        form.addRow(tr("Server:"), self.host)
        form.addRow(tr("Port:"), self.port)
        form.addRow(tr("Database:"), self.database)
        form.addRow(tr("User:"), self.user)
        form.addRow(tr("Password:"), self.password)
        form.addRow(tr("SSL:"), self.ssl)
        remember_row = QHBoxLayout()
        remember_row.addWidget(self.remember)
        remember_row.addStretch(1)
        remember_row.addWidget(self.forget_button)
        form.addRow("", remember_row)
        form.addRow(tr("Your name:"), self.display_name)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton(tr("Connect"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        note = QLabel(tr(
            "Everyone on the team connects to the same PostgreSQL database. The password is "
            "never saved in KOL Desk's settings."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        if initial is not None:
            self._fill(initial)
        elif self._recent:
            self.recent_box.setCurrentIndex(1)

    def _fill(self, item: TeamConnection) -> None:
        self.host.setText(item.host)
        self.port.setValue(item.port)
        self.database.setText(item.database)
        self.user.setText(item.user)
        index = self.ssl.findData(item.sslmode)
        self.ssl.setCurrentIndex(max(index, 0))
        password = stored_password(item)
        self.password.setText(password or "")
        self.remember.setChecked(password is not None)
        self.forget_button.setEnabled(password is not None)

    def forget_saved_password(self) -> None:
        """Delete the password kept for the connection shown; asked for next time."""
        item = self.connection()
        if forget_password(item):
            self.password.clear()
            self.remember.setChecked(False)
            self.forget_button.setEnabled(False)
            self.result_label.setText(tr("The saved password for {server} is forgotten; you will "
                                         "be asked for it next time.", server=item.key))
        else:
            self.result_label.setText(tr("The system's credential store would not delete the "
                                         "password for {server}; remove it there.", server=item.key))

    def _recent_chosen(self, index: int) -> None:
        data = self.recent_box.itemData(index)
        if isinstance(data, int):
            self._fill(self._recent[data])

    def connection(self) -> TeamConnection:
        return TeamConnection(host=self.host.text().strip(), database=self.database.text().strip(),
                              user=self.user.text().strip(), port=self.port.value(),
                              sslmode=str(self.ssl.currentData()))

    def target(self) -> str:
        """The URL to open, password included (kept in memory only)."""
        return self.connection().url(self.password.text() or None).render_as_string(
            hide_password=False)

    def _missing(self) -> str | None:
        item = self.connection()
        if not item.host:
            return tr("Enter the server's name or address.")
        if not item.database:
            return tr("Enter the database name.")
        if not item.user:
            return tr("Enter the user name.")
        return None

    def test_connection(self) -> None:
        missing = self._missing()
        if missing:
            self.result_label.setText(missing)
            return
        url = make_url(self.target())
        self.test_button.setEnabled(False)
        self.result_label.setText(tr("Connecting…"))
        start_job(lambda _control: check_connection(url), self._tested, self._test_failed,
                  parent=self)

    def _tested(self, check: object) -> None:
        assert isinstance(check, ConnectionCheck)
        self.test_button.setEnabled(True)
        self.last_check = check
        if not check.ok and check.kind == "other":
            text = tr("Connected, but this database holds tables of another program. "
                      "Choose an empty database or a KOL Desk one.")
        elif not check.ok:
            text = tr("Cannot connect: {reason}", reason=check.message)
        elif check.kind == "empty":
            text = tr("Connected to PostgreSQL {version}. The database is empty; KOL Desk "
                      "will set it up.", version=check.server_version or "")
        else:
            text = tr("Connected to PostgreSQL {version}. This is a KOL Desk team database.",
                      version=check.server_version or "")
        self.result_label.setText(text)

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.result_label.setText(tr("Cannot connect: {reason}", reason=str(error)))

    def accept(self) -> None:
        missing = self._missing()
        if missing:
            self.result_label.setText(missing)
            return
        name = self.display_name.text().strip()
        if not name:
            self.result_label.setText(tr("Enter your name; colleagues see it next to your changes."))
            return
        self.preferences.set(DISPLAY_NAME, name[:100])
        item = self.connection()
        remember_connection(self.preferences, item)
        if self.remember.isChecked() and self.password.text():
            store_password(item, self.password.text())
        elif not self.remember.isChecked() and self.forget_button.isEnabled() \
                and not forget_password(item):
            # "Remember" unticked where a password was kept: not remembered any more, or
            # the user learns that the system's store kept it.
            QMessageBox.warning(self, tr("Connect to team database"), tr(
                "The system's credential store would not delete the password for {server}; "
                "remove it there.", server=item.key))
        super().accept()


def ask_for_target(parent: QWidget | None, preferences: Preferences, target: str) -> str | None:
    """Before opening ``target``: a team URL without a usable password opens the connect
    dialog (prefilled) so the user can type it. Returns the target to open, or None."""
    if not is_team_url(target):
        return target
    url = make_url(target)
    if url.password or stored_password(TeamConnection.from_url(url)) is not None:
        return target
    check = check_connection(url)
    if check.ok or not check.needs_password:
        return target  # trust/peer login, or an error open_workspace will explain
    dialog = ConnectDialog(preferences, parent, TeamConnection.from_url(url),
                           tr("Enter the password for {who}.", who=TeamConnection.from_url(url).key))
    return dialog.target() if dialog.exec() else None


def after_open(parent: QWidget | None, preferences: Preferences, workspace: Workspace) -> None:
    """Once a workspace is open: who is working (asked once on a team database), and a
    warning when a SQLite file lies on a network drive."""
    name = preferences.get(DISPLAY_NAME)
    if not name and not workspace.is_sqlite:
        typed, ok = QInputDialog.getText(
            parent, tr("Your name"),
            tr("Your colleagues see this name next to your changes:"), text=login_name())
        if ok and typed.strip():
            name = typed.strip()[:100]
            preferences.set(DISPLAY_NAME, name)
    activity.set_user(workspace, preferences.user_name())
    path = workspace.path
    if path is not None:
        warn_network_drive(parent, path)


def warn_network_drive(parent: QWidget | None, path: Path) -> str | None:
    kind = network_filesystem(path)
    if kind is not None:
        QMessageBox.warning(parent, tr("Workspace on a network drive"), tr(
            "{path} is on a network drive ({kind}). SQLite files are not safe to share this "
            "way: two people writing at once can damage the file. Keep the workspace on your "
            "own disk, or share a team database (File → Connect to team database…).",
            path=str(path), kind=kind))
    return kind


def safe_location(target: str) -> str:
    """A target as it may be remembered: team URLs without their password."""
    if is_team_url(target):
        return make_url(target).render_as_string(hide_password=True).replace(":***@", "@")
    return target


# -- the File menu's team entries ------------------------------------------------------

def connect_to_team(window: Any) -> None:
    """File → Connect to team database…: open it in this window's place."""
    dialog = ConnectDialog(window.context.preferences, window)
    if dialog.exec():
        window.open_workspace_requested.emit(dialog.target())


def copy_to_team_database(window: Any) -> None:
    """File → Copy this workspace to a team database…: into an empty PostgreSQL database."""
    from kol_desk.services.transfer import copy_to_team

    dialog = ConnectDialog(window.context.preferences, window, message=tr(
        "Choose an empty team database; every creator, quote, campaign and its history is "
        "copied into it, then checked."))
    dialog.setWindowTitle(tr("Copy this workspace to a team database"))
    dialog.connect_button.setText(tr("Copy"))
    if not dialog.exec():
        return
    source, target = window.context.workspace, dialog.target()

    def done(report: object) -> None:
        assert isinstance(report, TransferReport)
        answer = QMessageBox.question(window, tr("Copy finished"), tr(
            "{rows} records were copied to {target} and checked: every table has the same "
            "rows as here. Open the team database now?",
            rows=f"{report.rows:,}", target=report.target))
        if answer == QMessageBox.StandardButton.Yes:
            window.open_workspace_requested.emit(target)

    start_job(lambda control: copy_to_team(source, target, control.progress), done,
              partial(_failed, window, tr("Copy failed")), parent=window,
              title=tr("Copying the workspace…"))


def save_local_copy_as(window: Any) -> None:
    """File → Save a local copy…: the whole workspace into a new SQLite file."""
    from kol_desk.paths import data_dir
    from kol_desk.services.transfer import save_local_copy

    suggested = data_dir() / f"{window.context.workspace.name}-copy.sqlite"
    path, _ = QFileDialog.getSaveFileName(window, tr("Save a local copy"), str(suggested),
                                          tr("KOL Desk workspace (*.sqlite)"))
    if not path:
        return
    source = window.context.workspace

    def done(report: object) -> None:
        assert isinstance(report, TransferReport)
        QMessageBox.information(window, tr("Local copy saved"), tr(
            "{rows} records were saved to {target} and checked. Open it with File → Open "
            "workspace… to read it offline.", rows=f"{report.rows:,}", target=report.target))

    start_job(lambda control: save_local_copy(source, Path(path), control.progress), done,
              partial(_failed, window, tr("Saving the copy failed")), parent=window,
              title=tr("Saving a local copy…"))


def _failed(window: Any, title: str, error: BaseException) -> None:
    QMessageBox.critical(window, title, str(error))
